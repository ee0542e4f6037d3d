// A run's output on its way out: the description of the run (for /meta), each replicate's
// series and counters, and the small in-memory totals every summary needs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/results.hpp"
#include "models/date.hpp"
#include "output/periods.hpp"
#include "output/series.hpp"

namespace pitstop::output {

/// What was run: written to /meta and used to lay out every dataset.
struct RunDescription {
  std::string scenario_name;
  std::string scenario_yaml;  // the fully resolved scenario
  std::string tool_version;
  std::string git_revision;
  models::Date start;
  double horizon_days = 0;
  double warmup_days = 0;
  std::uint64_t seed = 0;
  std::uint32_t replicates = 0;
  std::vector<MetricDef> metrics;
  std::vector<std::string> services;
  /// The scenario's pit stops, one entry each, by date: ISO date, name, why.
  std::vector<std::string> pit_stop_dates, pit_stop_names, pit_stop_whys;

  std::size_t days() const;                // whole days recorded: ⌊horizon⌋
  std::size_t first_observed_day() const;  // ⌈warm-up⌉
  models::Date end() const;                // the last recorded day
};

/// One replicate's output.
struct ReplicateOutput {
  std::uint32_t replicate = 0;
  SeriesSet series;
  engine::ReplicateResult result;
};

/// Per-replicate aggregates kept in memory (small: no daily values), filled in replicate order.
class RunTotals {
 public:
  /// Throws std::logic_error when a kRatio metric's parts are not valid (see resolve_ratios).
  explicit RunTotals(const RunDescription& d);
  void add(const ReplicateOutput& out);

  const Periods& financial_years() const { return fys_; }
  /// Total over the breakdown of metric m in financial year p, one value per replicate. For a
  /// kRatio metric: the year's numerator summed over the breakdown ÷ its denominator likewise,
  /// NaN where that denominator is 0.
  const std::vector<double>& fy_total(std::size_t m, std::size_t p) const { return fy_[m][p]; }
  const std::vector<engine::ReplicateResult>& results() const { return results_; }

 private:
  const RunDescription* d_;
  Periods fys_;
  std::vector<RatioParts> parts_;
  std::vector<std::vector<std::vector<double>>> fy_;  // [metric][fy][replicate]
  std::vector<engine::ReplicateResult> results_;
};

}  // namespace pitstop::output
