// Reading a results file written by `pitstop run -o` (layout in docs/output.md): its /meta,
// its metrics and their labels, and per-replicate or cross-replicate values by period. Used by
// `pitstop compare` and `pitstop export`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/hdf5.hpp"
#include "output/series.hpp"

namespace pitstop::output {

/// The file is not a pitstop results file we can read (missing, not HDF5, not pitstop's, or
/// an unknown schema version). The message names the file.
class ResultsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The attributes of /meta.
struct ResultsMeta {
  std::string tool_version, git_revision, scenario, start_date, end_date, first_observed_date,
      created;
  std::int64_t schema_version = 0, seed = 0, replicates = 0;
  double horizon_days = 0, warmup_days = 0;
};

/// The two ways summaries are split in time.
enum class PeriodKind { kMonth, kFinancialYear };
const char* period_name(PeriodKind k);  // "month" or "financial_year"

/// A (N, P, B) block of values for one metric: N replicates (or statistics) × P periods × B
/// breakdown labels, row-major.
struct PeriodValues {
  std::size_t rows = 0, periods = 0, breakdown = 0;
  std::vector<double> values;

  double at(std::size_t row, std::size_t p, std::size_t b) const {
    return values[(row * periods + p) * breakdown + b];
  }
  /// One value per row at (p, b).
  std::vector<double> column(std::size_t p, std::size_t b) const;
  /// One value per row: the sum over the breakdown at period p (of a ratio metric's values this
  /// means nothing: use ResultsReader::totals).
  std::vector<double> total(std::size_t p) const;
};

/// The cross-replicate summary of one service statistic: stats × services.
struct ServiceAcross {
  std::vector<std::string> stats;  // "mean", "lo", "hi", "p5", "p50", "p95"
  std::vector<double> values;      // [stat][service]
};

/// A read-only, open results file. Metadata is read on opening; values on request.
class ResultsReader {
 public:
  /// Opens `path`; throws ResultsError when it is not a readable pitstop results file.
  explicit ResultsReader(std::string path);

  const std::string& path() const { return path_; }
  const ResultsMeta& meta() const { return meta_; }
  /// The metrics of /series in name order, with units, rollup (and a ratio's numerator and
  /// denominator) and breakdown labels.
  const std::vector<MetricDef>& metrics() const { return metrics_; }
  /// The metric named `name`, or nullptr.
  const MetricDef* find_metric(const std::string& name) const;
  const std::vector<std::string>& services() const { return services_; }
  const std::vector<std::string>& periods(PeriodKind k) const;
  /// Observed (post-warm-up) days in each period: a partial first or last period has fewer.
  const std::vector<std::size_t>& period_days(PeriodKind k) const;
  /// ISO date of each recorded day (warm-up included).
  std::vector<std::string> days() const;

  /// Units of a metric's period summary, e.g. "people/day (period total)".
  std::string period_units(const std::string& metric, PeriodKind k) const;
  /// /summary/<by>/<metric>/per_replicate: (replicates, periods, breakdown).
  PeriodValues per_replicate(const std::string& metric, PeriodKind k) const;
  /// Each replicate's period value over the whole breakdown: (replicates, periods, 1). The sum
  /// over the breakdown of per_replicate(), except for a kRatio metric: its numerator's sum
  /// over the breakdown ÷ its denominator's, NaN where that denominator is 0.
  PeriodValues totals(const std::string& metric, PeriodKind k) const;
  /// /summary/<by>/<metric>/across: (stats, periods, breakdown), rows named by across_stats().
  PeriodValues across(const std::string& metric, PeriodKind k) const;
  const std::vector<std::string>& across_stats() const { return across_stats_; }
  /// /series/<metric>: (replicates, days, breakdown) daily values.
  PeriodValues daily(const std::string& metric) const;

  /// The statistics in /summary/services, in the engine's order.
  const std::vector<std::string>& service_stats() const { return service_stats_; }
  ServiceAcross service_across(const std::string& stat) const;

 private:
  PeriodValues read_block(const std::string& dataset, std::size_t breakdown) const;
  const MetricDef& metric(const std::string& name) const;

  std::string path_;
  h5::Handle file_;
  ResultsMeta meta_;
  std::vector<MetricDef> metrics_;
  std::vector<std::string> services_, months_, fys_, across_stats_, service_stats_;
  std::vector<std::size_t> month_days_, fy_days_;
};

}  // namespace pitstop::output
