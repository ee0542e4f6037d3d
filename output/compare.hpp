// Comparing two results files (`pitstop compare`): per metric and period, the difference
// other − base, paired by replicate (common random numbers), with a 95% Student-t interval.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/results_reader.hpp"

namespace pitstop::output {

/// The two files cannot be compared meaningfully; the message says why.
class NotComparable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What to compare and how.
struct CompareOptions {
  PeriodKind by = PeriodKind::kFinancialYear;
  bool breakdown = false;  // also one row per breakdown label, not only the total
  bool unpaired = false;   // Welch interval of independent means instead of paired differences
  double confidence = 0.95;
};

/// One metric (its total, or one breakdown label) in one period, over replicates.
/// other − base, with a difference within the rounding of the two values (relative 1e-12) taken
/// as none: the same money summed over other lines, or in another order, is no change.
double paired_difference(double other, double base);

struct CompareRow {
  std::string metric;
  std::string breakdown;  // "" for the total over the breakdown
  std::string period;
  double base = 0, other = 0;       // means across replicates
  double diff = 0, lo = 0, hi = 0;  // mean difference other − base and its interval
  double pct = 0;                   // 100 · diff / base; NaN when base is 0
};

/// The result of a comparison: rows in metric, breakdown, period order, and what was left out.
struct Comparison {
  CompareOptions options;
  std::string base_path, other_path, base_scenario, other_scenario;
  std::int64_t base_seed = 0, other_seed = 0;
  std::size_t base_replicates = 0, other_replicates = 0;
  std::vector<std::string> periods;  // compared (both files have them)
  std::vector<std::string> base_only_periods, other_only_periods;  // dropped
  std::vector<std::string> warnings;
  std::vector<std::string> metrics;  // in name order
  std::vector<std::string> units;    // per metric: units of the period values
  std::vector<CompareRow> rows;
};

/// Compares `other` with `base`. Throws NotComparable when the replicate counts differ (unless
/// unpaired), the metric sets or units differ, or no period is in both files.
Comparison compare_results(const ResultsReader& base, const ResultsReader& other,
                           const CompareOptions& options);

/// A readable table with aligned columns (and a header naming the files).
std::string comparison_table(const Comparison& c);

/// The same as JSON: metrics.<metric>.by_<period kind>.<period> = {base, other, diff, lo, hi,
/// pct}, and with breakdown metrics.<metric>.breakdown.<label>.by_<period kind>.<period>.
std::string comparison_json(const Comparison& c);

}  // namespace pitstop::output
