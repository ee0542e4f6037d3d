// Sweep files: the design, the results by point × replicate × financial year, and summaries.
#include "output/sweep_file.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <stdexcept>

#include "engine/stats.hpp"
#include "output/atomic.hpp"
#include "output/hdf5.hpp"

namespace pitstop::output {
namespace {

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void write_file(const std::string& path, const SweepResults& s) {
  h5::Handle file = h5::create_file(path);
  {
    h5::Handle meta = h5::create_group(file, "meta");
    h5::set_attr(meta, "tool", std::string("pitstop"));
    h5::set_attr(meta, "kind", std::string("sweep"));
    h5::set_attr(meta, "tool_version", s.tool_version);
    h5::set_attr(meta, "created", utc_now());
    h5::set_attr(meta, "sweep_file", s.sweep_file);
    h5::set_attr(meta, "scenario", s.scenario);
    h5::set_attr(meta, "design", s.design_name);
    h5::set_attr(meta, "fingerprint", s.fingerprint);
    h5::set_attr(meta, "seed", static_cast<std::int64_t>(s.seed));
    h5::set_attr(meta, "replicates", static_cast<std::int64_t>(s.replicates));
    h5::set_attr(meta, "points", static_cast<std::int64_t>(s.points));
    h5::set_attr(meta, "base_points", static_cast<std::int64_t>(s.base_points));
    h5::write_strings(meta, "sweep_yaml", {s.sweep_yaml});
    h5::write_strings(meta, "scenario_yaml", {s.scenario_yaml});
  }
  h5::Handle sweep = h5::create_group(file, "sweep");
  const auto k = static_cast<hsize_t>(s.parameters.size());
  const auto n = static_cast<hsize_t>(s.points);
  const auto reps = static_cast<hsize_t>(s.replicates);
  const auto years = static_cast<hsize_t>(s.financial_years.size());
  h5::write_strings(sweep, "parameters", s.parameters);
  h5::write_strings(sweep, "units", s.units);
  h5::write_ints(sweep, "integer", s.integer);
  h5::write_ints(sweep, "scale", s.scale);
  h5::write_strings(sweep, "financial_year", s.financial_years);
  h5::write_ints(sweep, "financial_year_days", s.financial_year_days);
  h5::write_doubles(sweep, "design", {n, k}, s.design);
  {
    h5::Handle design = h5::open_dataset(sweep, "design");
    h5::set_attr(design, "parameters", s.parameters);
    h5::set_attr(design, "units", s.units);
  }
  h5::Handle results = h5::create_group(sweep, "results");
  h5::Handle summary = h5::create_group(sweep, "summary");
  for (std::size_t o = 0; o < s.outputs.size(); ++o) {
    std::vector<double> data(s.points * s.replicates * s.financial_years.size());
    std::vector<double> mean(s.points * s.financial_years.size()), lo(mean.size()), hi(mean.size());
    for (std::size_t p = 0; p < s.points; ++p) {
      for (std::size_t y = 0; y < s.financial_years.size(); ++y) {
        std::vector<double> across(s.replicates);
        for (std::size_t r = 0; r < s.replicates; ++r) {
          across[r] = s.value(p, r, o, y);
          data[(p * s.replicates + r) * s.financial_years.size() + y] = across[r];
        }
        const engine::Interval iv = engine::mean_interval(across);
        mean[p * s.financial_years.size() + y] = iv.mean;
        lo[p * s.financial_years.size() + y] = iv.lo;
        hi[p * s.financial_years.size() + y] = iv.hi;
      }
    }
    h5::Handle ds = h5::create_doubles(results, s.outputs[o], {n, reps, years},
                                       {std::min<hsize_t>(n, 256), reps, years});
    h5::write_doubles(ds, {0, 0, 0}, {n, reps, years}, data.data());
    h5::set_attr(ds, "units", s.output_units[o]);
    h5::set_attr(ds, "dims", std::vector<std::string>{"point", "replicate", "financial_year"});
    h5::Handle g = h5::create_group(summary, s.outputs[o]);
    h5::write_doubles(g, "mean", {n, years}, mean);
    h5::write_doubles(g, "lo", {n, years}, lo);
    h5::write_doubles(g, "hi", {n, years}, hi);
    h5::set_attr(g, "units", s.output_units[o]);
  }
}

}  // namespace

void write_sweep_file(const std::string& path, const SweepResults& results) {
  h5::quiet_errors();
  const std::string temp = temporary_path_for(path);
  remove_on_signal(temp);
  try {
    write_file(temp, results);
  } catch (...) {
    std::remove(temp.c_str());
    forget_on_signal();
    throw;
  }
  commit_file(temp, path);
  forget_on_signal();
}

bool is_sweep_file(const std::string& path) {
  h5::quiet_errors();
  try {
    h5::Handle file = h5::open_file(path);
    if (!h5::exists(file, "meta")) return false;
    h5::Handle meta = h5::open_group(file, "meta");
    return h5::get_attr_string(meta, "kind") == "sweep";
  } catch (const std::exception&) {
    return false;
  }
}

SweepResults read_sweep_file(const std::string& path) {
  h5::quiet_errors();
  SweepResults s;
  h5::Handle file = h5::open_file(path);
  if (!h5::exists(file, "meta") || !h5::exists(file, "sweep")) {
    throw std::runtime_error("'" + path + "' is not a pitstop sweep file (no /meta or /sweep)");
  }
  h5::Handle meta = h5::open_group(file, "meta");
  if (h5::get_attr_string(meta, "kind") != "sweep") {
    throw std::runtime_error("'" + path + "' is not a sweep file (/meta@kind is not 'sweep')");
  }
  s.tool_version = h5::get_attr_string(meta, "tool_version");
  s.sweep_file = h5::get_attr_string(meta, "sweep_file");
  s.scenario = h5::get_attr_string(meta, "scenario");
  s.design_name = h5::get_attr_string(meta, "design");
  s.fingerprint = h5::get_attr_string(meta, "fingerprint");
  s.seed = static_cast<std::uint64_t>(h5::get_attr_int(meta, "seed"));
  s.replicates = static_cast<std::uint32_t>(h5::get_attr_int(meta, "replicates"));
  s.points = static_cast<std::size_t>(h5::get_attr_int(meta, "points"));
  s.base_points = static_cast<std::size_t>(h5::get_attr_int(meta, "base_points"));
  s.sweep_yaml = h5::read_strings(meta, "sweep_yaml").at(0);
  s.scenario_yaml = h5::read_strings(meta, "scenario_yaml").at(0);
  h5::Handle sweep = h5::open_group(file, "sweep");
  s.parameters = h5::read_strings(sweep, "parameters");
  s.units = h5::read_strings(sweep, "units");
  s.financial_years = h5::read_strings(sweep, "financial_year");
  std::vector<hsize_t> dims;
  for (auto [name, out] : {std::pair{"integer", &s.integer}, std::pair{"scale", &s.scale},
                           std::pair{"financial_year_days", &s.financial_year_days}}) {
    for (double v : h5::read_doubles(sweep, name, &dims))  // (HDF5 converts the integers)
      out->push_back(static_cast<std::int64_t>(v));
  }
  s.design = h5::read_doubles(sweep, "design", &dims);
  s.outputs = h5::member_names(sweep, "results");
  s.values.assign(s.points * s.replicates * s.outputs.size() * s.financial_years.size(), NAN);
  for (std::size_t o = 0; o < s.outputs.size(); ++o) {
    const std::vector<double> data = h5::read_doubles(sweep, "results/" + s.outputs[o], &dims);
    if (dims.size() != 3 || dims[0] != s.points || dims[1] != s.replicates ||
        dims[2] != s.financial_years.size()) {
      throw std::runtime_error("'" + path + "': /sweep/results/" + s.outputs[o] +
                               " is not points × replicates × financial years");
    }
    h5::Handle ds = h5::open_dataset(sweep, "results/" + s.outputs[o]);
    s.output_units.push_back(h5::get_attr_string(ds, "units"));
    for (std::size_t p = 0; p < s.points; ++p)
      for (std::size_t r = 0; r < s.replicates; ++r)
        for (std::size_t y = 0; y < s.financial_years.size(); ++y)
          s.values[s.index(p, r, o, y)] =
              data[(p * s.replicates + r) * s.financial_years.size() + y];
  }
  return s;
}

}  // namespace pitstop::output
