// Calendar periods for summaries: months and financial years (April–March) over a run's days,
// leaving out warm-up days.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "models/date.hpp"
#include "output/series.hpp"

namespace pitstop::output {

/// A partition of the observed days into labelled periods.
struct Periods {
  std::string name;                  // "month" or "financial_year"
  std::vector<std::string> labels;   // "2020-04" or "2020/21"
  std::vector<long> period_of_day;   // per day: period index, or -1 during warm-up
  std::vector<std::size_t> days_in;  // observed days in each period
};

/// Months ("YYYY-MM") of days [first_observed, days) counted from `start`.
Periods month_periods(models::Date start, std::size_t days, std::size_t first_observed);
/// Financial years ("YYYY/YY", April–March) of the same days.
Periods financial_year_periods(models::Date start, std::size_t days, std::size_t first_observed);

/// The name of a rollup in the results file's `rollup` attribute: "sum", "mean" or "ratio".
const char* rollup_name(Rollup rollup);

/// Units of a kRatio metric's value over `period` ("period", "financial-year"), e.g. "share
/// (period total of a / period total of b)"; units other than "share" are marked as a share:
/// "days (share: period total of a / period total of b)".
std::string ratio_units(const MetricDef& m, const std::string& period);

/// Rolls one replicate's daily values of one metric (days × B, row-major) up into periods
/// (P × B): totals for Rollup::kSum, means over the period's days for Rollup::kMean. A kRatio
/// metric needs its numerator and denominator: use roll_up_ratio (std::logic_error here).
std::vector<double> roll_up(const std::vector<double>& daily, std::size_t breakdown, Rollup rollup,
                            const Periods& periods);

/// A kRatio metric's period values (P × B) from the daily values of its numerator and
/// denominator (days × B each): sum(numerator) ÷ sum(denominator) over each period's observed
/// days, NaN where the period's denominator is 0.
std::vector<double> roll_up_ratio(const std::vector<double>& numerator_daily,
                                  const std::vector<double>& denominator_daily,
                                  std::size_t breakdown, const Periods& periods);

/// Where a kRatio metric's parts are in the metric list.
struct RatioParts {
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::size_t numerator = kNone, denominator = kNone;  // kNone unless the metric is kRatio
};

/// Per metric, the indices of a kRatio metric's numerator and denominator. Throws
/// std::logic_error (a schema bug) naming the metric when a part is unnamed, missing, not a
/// kSum metric, or has another breakdown (name or labels).
std::vector<RatioParts> resolve_ratios(const std::vector<MetricDef>& metrics);

/// Metric m of one replicate's series rolled up into periods (P × B), whatever its rollup;
/// `parts` from resolve_ratios(metrics).
std::vector<double> roll_up_metric(const SeriesSet& series, const std::vector<MetricDef>& metrics,
                                   const std::vector<RatioParts>& parts, std::size_t m,
                                   const Periods& periods);

/// One value per period over the whole breakdown (P): the sum over the breakdown of P × B period
/// values of a kSum or kMean metric. For a kRatio metric pass its numerator's P × B period totals
/// as `values` and its denominator's as `denominator`: sum over the breakdown of the one ÷ of the
/// other, NaN where that denominator is 0.
std::vector<double> period_totals(const std::vector<double>& values, std::size_t periods,
                                  std::size_t breakdown,
                                  const std::vector<double>* denominator = nullptr);

}  // namespace pitstop::output
