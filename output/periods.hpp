// Calendar periods for summaries: months and financial years (April–March) over a run's days,
// leaving out warm-up days.
#pragma once

#include <cstddef>
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

/// Rolls one replicate's daily values of one metric (days × B, row-major) up into periods
/// (P × B): totals for Rollup::kSum, means over the period's days for Rollup::kMean.
std::vector<double> roll_up(const std::vector<double>& daily, std::size_t breakdown, Rollup rollup,
                            const Periods& periods);

}  // namespace pitstop::output
