#include "output/results_reader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "engine/results.hpp"
#include "output/periods.hpp"
#include "output/results_file.hpp"

namespace pitstop::output {
namespace {

/// The /scales dataset holding a breakdown's labels (as the writer names it).
std::string scale_path(const std::string& breakdown_name) {
  std::string s = breakdown_name;
  for (std::size_t pos; (pos = s.find("->")) != std::string::npos;)
    s.replace(pos, 2, "_to_");
  return "scales/" + s;
}

std::string by_group(PeriodKind k) {
  return std::string("summary/by_") + period_name(k);
}

}  // namespace

const char* period_name(PeriodKind k) {
  return k == PeriodKind::kMonth ? "month" : "financial_year";
}

std::vector<double> PeriodValues::column(std::size_t p, std::size_t b) const {
  std::vector<double> out(rows);
  for (std::size_t r = 0; r < rows; ++r)
    out[r] = at(r, p, b);
  return out;
}

std::vector<double> PeriodValues::total(std::size_t p) const {
  std::vector<double> out(rows, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t b = 0; b < breakdown; ++b)
      out[r] += at(r, p, b);
  }
  return out;
}

ResultsReader::ResultsReader(std::string path) : path_(std::move(path)) {
  h5::quiet_errors();
  const std::string q = "'" + path_ + "'";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path_, ec)) throw ResultsError(q + ": no such file");
  if (H5Fis_hdf5(path_.c_str()) <= 0)
    throw ResultsError(q + " is not an HDF5 file (expected the output of `pitstop run -o`)");
  file_ = h5::open_file(path_);
  std::string tool;
  try {
    h5::Handle meta = h5::open_group(file_, "meta");
    tool = h5::get_attr_string(meta, "tool");
    meta_.schema_version = h5::get_attr_int(meta, "schema_version");
  } catch (const h5::Error&) {
    tool.clear();
  }
  if (tool != "pitstop")
    throw ResultsError(q + " is an HDF5 file but not a pitstop results file (no /meta@tool)");
  if (meta_.schema_version != kSchemaVersion) {
    throw ResultsError(q + " has results schema version " + std::to_string(meta_.schema_version) +
                       "; this pitstop reads version " + std::to_string(kSchemaVersion) +
                       " (re-run the scenario, or use the pitstop that wrote it)");
  }
  try {
    h5::Handle meta = h5::open_group(file_, "meta");
    meta_.tool_version = h5::get_attr_string(meta, "tool_version");
    meta_.git_revision = h5::get_attr_string(meta, "git_revision");
    meta_.scenario = h5::get_attr_string(meta, "scenario");
    meta_.start_date = h5::get_attr_string(meta, "start_date");
    meta_.end_date = h5::get_attr_string(meta, "end_date");
    meta_.first_observed_date = h5::get_attr_string(meta, "first_observed_date");
    meta_.created = h5::get_attr_string(meta, "created");
    meta_.seed = h5::get_attr_int(meta, "seed");
    meta_.replicates = h5::get_attr_int(meta, "replicates");
    meta_.horizon_days = h5::get_attr_double(meta, "horizon_days");
    meta_.warmup_days = h5::get_attr_double(meta, "warmup_days");
    services_ = h5::read_strings(file_, "scales/service");
    months_ = h5::read_strings(file_, "scales/month");
    fys_ = h5::read_strings(file_, "scales/financial_year");
    across_stats_ = h5::read_strings(file_, "scales/stat");
    // Days per period, laid out as the writer did (output/periods.hpp).
    const auto start = models::Date::parse(meta_.start_date);
    if (!start) throw h5::Error("bad /meta@start_date '" + meta_.start_date + "'");
    const auto days = static_cast<std::size_t>(std::floor(meta_.horizon_days));
    const auto first = static_cast<std::size_t>(std::ceil(meta_.warmup_days));
    const Periods months = month_periods(*start, days, first);
    const Periods fys = financial_year_periods(*start, days, first);
    if (months.labels != months_ || fys.labels != fys_)
      throw h5::Error("the period scales do not match /meta's dates");
    month_days_ = months.days_in;
    fy_days_ = fys.days_in;
    for (const std::string& name : h5::member_names(file_, "series")) {
      h5::Handle ds = h5::open_dataset(file_, "series/" + name);
      MetricDef m;
      m.name = name;
      m.units = h5::get_attr_string(ds, "units");
      m.description = h5::get_attr_string(ds, "description");
      const std::string rollup = h5::get_attr_string(ds, "rollup");
      if (rollup == "sum") {
        m.rollup = Rollup::kSum;
      } else if (rollup == "mean") {
        m.rollup = Rollup::kMean;
      } else if (rollup == "ratio") {
        m.rollup = Rollup::kRatio;
        m.numerator = h5::get_attr_string(ds, "numerator");
        m.denominator = h5::get_attr_string(ds, "denominator");
      } else {
        throw h5::Error("/series/" + name + " has an unknown rollup '" + rollup + "'");
      }
      m.breakdown_name = h5::get_attr_string(ds, "breakdown");
      m.breakdown = h5::read_strings(file_, scale_path(m.breakdown_name));
      metrics_.push_back(std::move(m));
    }
    try {
      resolve_ratios(metrics_);
    } catch (const std::logic_error& e) {
      throw h5::Error(e.what());
    }
    // Service statistics in the engine's order, then any others by name.
    std::vector<std::string> stats = h5::member_names(file_, "summary/services");
    for (const std::string& s : engine::service_stat_names()) {
      if (std::find(stats.begin(), stats.end(), s) != stats.end()) service_stats_.push_back(s);
    }
    for (const std::string& s : stats) {
      if (std::find(service_stats_.begin(), service_stats_.end(), s) == service_stats_.end())
        service_stats_.push_back(s);
    }
  } catch (const h5::Error& e) {
    throw ResultsError(q + " is damaged or incomplete: " + e.what());
  }
}

const MetricDef* ResultsReader::find_metric(const std::string& name) const {
  for (const MetricDef& m : metrics_) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const MetricDef& ResultsReader::metric(const std::string& name) const {
  const MetricDef* m = find_metric(name);
  if (m == nullptr) throw ResultsError("'" + path_ + "' has no metric '" + name + "'");
  return *m;
}

const std::vector<std::string>& ResultsReader::periods(PeriodKind k) const {
  return k == PeriodKind::kMonth ? months_ : fys_;
}

const std::vector<std::size_t>& ResultsReader::period_days(PeriodKind k) const {
  return k == PeriodKind::kMonth ? month_days_ : fy_days_;
}

std::vector<std::string> ResultsReader::days() const {
  return h5::read_strings(file_, "scales/day");
}

std::string ResultsReader::period_units(const std::string& name, PeriodKind k) const {
  metric(name);
  h5::Handle g = h5::open_group(file_, by_group(k) + "/" + name);
  return h5::get_attr_string(g, "units");
}

PeriodValues ResultsReader::read_block(const std::string& dataset, std::size_t breakdown) const {
  std::vector<hsize_t> dims;
  PeriodValues v;
  v.values = h5::read_doubles(file_, dataset, &dims);
  if (dims.size() != 3 || dims[2] != breakdown) {
    throw ResultsError("'" + path_ + "': /" + dataset + " does not have the shape its scales say");
  }
  v.rows = dims[0];
  v.periods = dims[1];
  v.breakdown = dims[2];
  return v;
}

PeriodValues ResultsReader::per_replicate(const std::string& name, PeriodKind k) const {
  PeriodValues v =
      read_block(by_group(k) + "/" + name + "/per_replicate", metric(name).breakdown.size());
  if (v.periods != periods(k).size())
    throw ResultsError("'" + path_ + "': " + name + " has the wrong number of periods");
  return v;
}

PeriodValues ResultsReader::totals(const std::string& name, PeriodKind k) const {
  const MetricDef& m = metric(name);
  const bool ratio = m.rollup == Rollup::kRatio;
  const PeriodValues top = per_replicate(ratio ? m.numerator : name, k);
  const PeriodValues below = ratio ? per_replicate(m.denominator, k) : PeriodValues{};
  if (ratio && (below.rows != top.rows || below.periods != top.periods))
    throw ResultsError("'" + path_ + "': the parts of ratio " + name + " differ in shape");
  PeriodValues out;
  out.rows = top.rows;
  out.periods = top.periods;
  out.breakdown = 1;
  out.values.reserve(out.rows * out.periods);
  for (std::size_t r = 0; r < top.rows; ++r) {
    for (std::size_t p = 0; p < top.periods; ++p) {
      double sum = 0, sum_below = 0;
      for (std::size_t b = 0; b < top.breakdown; ++b) {
        sum += top.at(r, p, b);
        if (ratio) sum_below += below.at(r, p, b);
      }
      out.values.push_back(!ratio           ? sum
                           : sum_below != 0 ? sum / sum_below
                                            : std::numeric_limits<double>::quiet_NaN());
    }
  }
  return out;
}

PeriodValues ResultsReader::across(const std::string& name, PeriodKind k) const {
  return read_block(by_group(k) + "/" + name + "/across", metric(name).breakdown.size());
}

PeriodValues ResultsReader::daily(const std::string& name) const {
  return read_block("series/" + name, metric(name).breakdown.size());
}

ServiceAcross ResultsReader::service_across(const std::string& stat) const {
  ServiceAcross a;
  a.stats = h5::read_strings(file_, "scales/service_stat");
  std::vector<hsize_t> dims;
  a.values = h5::read_doubles(file_, "summary/services/" + stat + "/across", &dims);
  if (dims.size() != 2 || dims[0] != a.stats.size() || dims[1] != services_.size())
    throw ResultsError("'" + path_ + "': /summary/services/" + stat + "/across has a bad shape");
  return a;
}

}  // namespace pitstop::output
