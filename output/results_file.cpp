#include "output/results_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include "engine/stats.hpp"
#include "models/scenario.hpp"
#include "output/atomic.hpp"

namespace pitstop::output {
namespace {

const std::vector<std::string> kAcrossStats = {"mean", "p5", "p50", "p95"};
const std::vector<std::string> kServiceAcross = {"mean", "lo", "hi", "p5", "p50", "p95"};

std::string scale_name(const std::string& breakdown_name) {
  std::string s = breakdown_name;
  for (std::size_t pos; (pos = s.find("->")) != std::string::npos;)
    s.replace(pos, 2, "_to_");
  return s;
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// Units of a period value: a total of "people/day" is in "people"; a mean keeps its units; a
/// ratio is a share of its denominator's period total.
std::string period_units(const MetricDef& m) {
  if (m.rollup == Rollup::kRatio) return ratio_units(m, "period");
  const std::string per_day = "/day";
  if (m.rollup == Rollup::kSum && m.units.size() > per_day.size() &&
      m.units.compare(m.units.size() - per_day.size(), per_day.size(), per_day) == 0) {
    return m.units.substr(0, m.units.size() - per_day.size()) + " (period total)";
  }
  return m.units + (m.rollup == Rollup::kSum ? " (period total)" : " (period mean)");
}

/// The mean of the values that are not NaN (a ratio is NaN where its period's denominator is
/// 0), NaN when there is none.
double mean_of_values(const std::vector<double>& values) {
  double sum = 0;
  std::size_t n = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += v;
    ++n;
  }
  return n > 0 ? sum / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}

/// A double dataset, chunked and compressed unless empty (HDF5 cannot chunk a zero extent).
h5::Handle make_dataset(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims,
                        const std::vector<hsize_t>& chunk) {
  const bool empty = std::any_of(dims.begin(), dims.end(), [](hsize_t d) { return d == 0; });
  if (!empty) return h5::create_doubles(loc, name, dims, chunk);
  h5::write_doubles(loc, name, dims, {});
  return h5::open_dataset(loc, name);
}

void attach(hid_t file, hid_t dataset, const std::vector<std::string>& scales) {
  for (unsigned i = 0; i < scales.size(); ++i) {
    h5::Handle s = h5::open_dataset(file, "scales/" + scales[i]);
    h5::attach_scale(dataset, s, i, scales[i]);
  }
}

/// Fails early, before any simulation, when the result could never be moved into place.
void check_target(const std::string& target) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(target, ec)) {
    throw models::InputError("command line", 0, 0, "--output",
                             "'" + target + "' is a folder; give a file name, e.g. " +
                                 (fs::path(target) / "results.h5").string());
  }
  const fs::path parent = fs::path(target).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    throw models::InputError(
        "command line", 0, 0, "--output",
        "cannot write '" + target + "': the folder '" + parent.string() + "' does not exist");
  }
}

}  // namespace

ResultsFile::ResultsFile(std::string target, const RunDescription& d)
    : target_(std::move(target)),
      temp_(temporary_path_for(target_)),
      d_(d),
      months_(month_periods(d.start, d.days(), d.first_observed_day())),
      fys_(financial_year_periods(d.start, d.days(), d.first_observed_day())) {
  check_target(target_);
  parts_ = resolve_ratios(d_.metrics);  // before the temporary exists: a throw leaves nothing
  h5::quiet_errors();
  remove_on_signal(temp_);
  file_ = h5::create_file(temp_);
  write_meta();
  write_scales();
  const hsize_t r = d_.replicates, days = d_.days();
  h5::Handle series = h5::create_group(file_, "series");
  h5::Handle summary = h5::create_group(file_, "summary");
  h5::Handle by_month = h5::create_group(summary, "by_month");
  h5::Handle by_fy = h5::create_group(summary, "by_financial_year");
  for (const MetricDef& m : d_.metrics) {
    const hsize_t b = m.breakdown.size();
    const std::string bscale = scale_name(m.breakdown_name);
    h5::Handle ds =
        make_dataset(series, m.name, {r, days, b}, {1, std::min<hsize_t>(days, 1024), b});
    h5::set_attr(ds, "units", m.units);
    h5::set_attr(ds, "description", m.description);
    h5::set_attr(ds, "rollup", std::string(rollup_name(m.rollup)));
    h5::set_attr(ds, "breakdown", m.breakdown_name);
    if (m.rollup == Rollup::kRatio) {
      h5::set_attr(ds, "numerator", m.numerator);
      h5::set_attr(ds, "denominator", m.denominator);
    }
    attach(file_, ds, {"replicate", "day", bscale});
    series_.push_back(std::move(ds));
    for (auto [group, periods, out] :
         {std::tuple{&by_month, &months_, &by_month_}, std::tuple{&by_fy, &fys_, &by_fy_}}) {
      h5::Handle g = h5::create_group(*group, m.name);
      h5::set_attr(g, "units", period_units(m));
      h5::set_attr(g, "description", m.description);
      const hsize_t p = periods->labels.size();
      h5::Handle pr = make_dataset(g, "per_replicate", {r, p, b}, {1, p, b});
      attach(file_, pr, {"replicate", periods->name, bscale});
      out->push_back(std::move(pr));
    }
  }
}

ResultsFile::~ResultsFile() {
  if (committed_) return;
  series_.clear();
  by_month_.clear();
  by_fy_.clear();
  file_.reset();
  unlink(temp_.c_str());
  forget_on_signal();
}

void ResultsFile::write_meta() {
  h5::Handle meta = h5::create_group(file_, "meta");
  h5::set_attr(meta, "tool", std::string("pitstop"));
  h5::set_attr(meta, "tool_version", d_.tool_version);
  h5::set_attr(meta, "git_revision", d_.git_revision);
  h5::set_attr(meta, "schema_version", std::int64_t{kSchemaVersion});
  h5::set_attr(meta, "scenario", d_.scenario_name);
  h5::set_attr(meta, "seed", static_cast<std::int64_t>(d_.seed));
  h5::set_attr(meta, "replicates", static_cast<std::int64_t>(d_.replicates));
  h5::set_attr(meta, "start_date", d_.start.iso());
  h5::set_attr(meta, "end_date", d_.end().iso());
  h5::set_attr(meta, "horizon_days", d_.horizon_days);
  h5::set_attr(meta, "warmup_days", d_.warmup_days);
  h5::set_attr(meta, "first_observed_date",
               models::Date{d_.start.days + static_cast<long>(d_.first_observed_day())}.iso());
  h5::set_attr(meta, "created", utc_now());
  h5::write_strings(meta, "scenario_yaml", {d_.scenario_yaml});
  if (!d_.pit_stop_dates.empty()) {
    h5::write_strings(meta, "pit_stop_dates", d_.pit_stop_dates);
    h5::write_strings(meta, "pit_stop_names", d_.pit_stop_names);
    h5::write_strings(meta, "pit_stop_whys", d_.pit_stop_whys);
  }
}

void ResultsFile::write_scales() {
  h5::Handle scales = h5::create_group(file_, "scales");
  std::vector<std::int64_t> reps(d_.replicates);
  for (std::uint32_t i = 0; i < d_.replicates; ++i)
    reps[i] = i;
  h5::write_ints(scales, "replicate", reps);
  std::vector<std::string> days;
  for (std::size_t i = 0; i < d_.days(); ++i)
    days.push_back(models::Date{d_.start.days + static_cast<long>(i)}.iso());
  h5::write_strings(scales, "day", days);
  h5::write_strings(scales, "month", months_.labels);
  h5::write_strings(scales, "financial_year", fys_.labels);
  h5::write_strings(scales, "stat", kAcrossStats);
  h5::write_strings(scales, "service_stat", kServiceAcross);
  h5::write_strings(scales, "service", d_.services);
  for (const MetricDef& m : d_.metrics) {
    const std::string name = scale_name(m.breakdown_name);
    if (!h5::exists(scales, name)) {
      h5::write_strings(scales, name, m.breakdown);
    } else if (h5::read_strings(scales, name) != m.breakdown) {
      // One scale per breakdown name: metrics sharing a name must share its labels.
      throw std::logic_error("metric '" + m.name + "' has breakdown '" + m.breakdown_name +
                             "' with labels that differ from another metric's (a schema bug)");
    }
  }
}

void ResultsFile::write(const ReplicateOutput& out) {
  const hsize_t r = out.replicate, days = d_.days();
  for (std::size_t m = 0; m < d_.metrics.size(); ++m) {
    const MetricDef& def = d_.metrics[m];
    const hsize_t b = def.breakdown.size();
    if (days * b > 0)
      h5::write_doubles(series_[m], {r, 0, 0}, {1, days, b}, out.series.values[m].data());
    for (auto [periods, ds] : {std::pair{&months_, &by_month_[m]}, std::pair{&fys_, &by_fy_[m]}}) {
      const std::vector<double> rolled =
          roll_up_metric(out.series, d_.metrics, parts_, m, *periods);
      const hsize_t p = periods->labels.size();
      if (p * b > 0) h5::write_doubles(*ds, {r, 0, 0}, {1, p, b}, rolled.data());
    }
  }
}

void ResultsFile::write_summary_across(const Periods& periods, const std::string& group) {
  for (const MetricDef& m : d_.metrics) {
    const std::string path = "summary/" + group + "/" + m.name;
    std::vector<hsize_t> dims;
    const std::vector<double> all = h5::read_doubles(file_, path + "/per_replicate", &dims);
    const std::size_t r = dims[0], cells = dims[1] * dims[2];
    std::vector<double> across(kAcrossStats.size() * cells);
    std::vector<double> column(r);
    for (std::size_t c = 0; c < cells; ++c) {
      for (std::size_t i = 0; i < r; ++i)
        column[i] = all[i * cells + c];
      across[0 * cells + c] = r > 0 ? mean_of_values(column) : 0;
      across[1 * cells + c] = engine::percentile(column, 0.05);
      across[2 * cells + c] = engine::percentile(column, 0.50);
      across[3 * cells + c] = engine::percentile(column, 0.95);
    }
    h5::Handle g = h5::open_group(file_, path);
    h5::write_doubles(g, "across", {kAcrossStats.size(), dims[1], dims[2]}, across);
    h5::Handle ds = h5::open_dataset(g, "across");
    attach(file_, ds, {"stat", periods.name, scale_name(m.breakdown_name)});
  }
}

void ResultsFile::write_service_summary(const RunTotals& totals) {
  h5::Handle g = h5::create_group(file_, "summary/services");
  const auto& results = totals.results();
  const std::size_t r = results.size(), s = d_.services.size();
  for (const std::string& stat : engine::service_stat_names()) {
    h5::Handle sg = h5::create_group(g, stat);
    std::vector<double> per(r * s), across(kServiceAcross.size() * s);
    for (std::size_t j = 0; j < s; ++j) {
      std::vector<double> column(r);
      for (std::size_t i = 0; i < r; ++i) {
        column[i] = engine::service_stat(stat, results[i].services[j], results[i].observed_days);
        per[i * s + j] = column[i];
      }
      const engine::Interval iv = engine::mean_interval(column);
      const double values[] = {iv.mean,
                               iv.lo,
                               iv.hi,
                               engine::percentile(column, 0.05),
                               engine::percentile(column, 0.5),
                               engine::percentile(column, 0.95)};
      for (std::size_t k = 0; k < kServiceAcross.size(); ++k)
        across[k * s + j] = values[k];
    }
    h5::write_doubles(sg, "per_replicate", {r, s}, per);
    h5::write_doubles(sg, "across", {kServiceAcross.size(), s}, across);
    h5::Handle pr = h5::open_dataset(sg, "per_replicate");
    attach(file_, pr, {"replicate", "service"});
    h5::Handle ac = h5::open_dataset(sg, "across");
    attach(file_, ac, {"service_stat", "service"});
  }
}

void ResultsFile::commit(const RunTotals& totals) {
  write_summary_across(months_, "by_month");
  write_summary_across(fys_, "by_financial_year");
  write_service_summary(totals);
  series_.clear();
  by_month_.clear();
  by_fy_.clear();
  file_.reset();
  commit_file(temp_, target_);
  forget_on_signal();
  committed_ = true;
}

}  // namespace pitstop::output
