// Daily series: what a replicate recorded per day, described by a schema (MetricDef) that the
// HDF5 writer, the summaries, CSV export and docs/output.md all follow. Domain-free: a model
// names its own metrics.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace pitstop::engine {

/// How a daily series rolls up into a month or a financial year.
enum class Rollup {
  kSum,   // counts and place-days: the period total
  kMean,  // levels (end-of-day census): the mean over the period's days
};

/// One daily metric: dims (replicate, day, breakdown) in /series/<name>.
struct MetricDef {
  std::string name;
  std::string units;
  std::string description;
  Rollup rollup = Rollup::kSum;
  std::string breakdown_name;          // what the third dimension is, e.g. "service"
  std::vector<std::string> breakdown;  // its labels
};

/// One replicate's daily values: metric m at (day d, breakdown b) is values[m][d * B_m + b].
struct SeriesSet {
  std::size_t days = 0;
  std::vector<std::vector<double>> values;

  void init(const std::vector<MetricDef>& defs, std::size_t day_count) {
    days = day_count;
    values.clear();
    for (const MetricDef& d : defs)
      values.emplace_back(day_count * d.breakdown.size(), 0.0);
  }
};

}  // namespace pitstop::engine
