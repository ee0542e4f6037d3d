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
  kSum,    // counts and place-days: the period total
  kMean,   // levels (end-of-day census): the mean over the period's days
  kRatio,  // a share: the period total of `numerator` over the period total of `denominator`
};

/// One daily metric: dims (replicate, day, breakdown) in /series/<name>.
struct MetricDef {
  std::string name;
  std::string units;
  std::string description;
  Rollup rollup = Rollup::kSum;
  std::string breakdown_name;          // what the third dimension is, e.g. "service"
  std::vector<std::string> breakdown;  // its labels
  // kRatio only: two kSum metrics of the same set with the same breakdown labels. The model fills
  // the daily values itself (numerator ÷ denominator of the day, NaN where the day's denominator
  // is 0); every period value is recomputed by the output layer as sum(numerator) ÷
  // sum(denominator) over the period's days, NaN where that denominator is 0. Default member
  // initialisers, so positional initialisation of the six fields above stays warning-free.
  std::string numerator = {};    // the kSum metric summed on top
  std::string denominator = {};  // the kSum metric summed below
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
