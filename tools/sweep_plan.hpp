// The pieces of `pitstop sweep` shared by the local (oneTBB) and the MPI runners: the plan (the
// design's points, the outputs and the financial years), one point's replicates, the journal of
// finished points and the results file.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "models/sweep.hpp"
#include "output/run_output.hpp"
#include "output/sweep_file.hpp"

namespace pitstop::cli {

struct SweepPlan {
  models::SweepSpec spec;
  std::vector<std::vector<double>> points;  // each point's parameter values, in their units
  std::size_t base_points = 0;              // lhs, sobol: N; grid: the points
  std::string scenario, scenario_yaml;      // the scenario's name and resolved YAML
  output::RunDescription description;       // of the first point (metrics, dates)
  std::vector<std::size_t> metric_index;    // each output's index in description.metrics
  std::vector<std::string> output_units;
  std::vector<std::string> financial_years;
  std::vector<std::int64_t> financial_year_days;  // observed days in each
};

/// Loads and checks the sweep file and lays out its design. Throws InputError.
SweepPlan plan_sweep(const std::string& file);

/// Every replicate of point `p` (replicates in parallel on up to `threads`; 0 = all cores):
/// values [replicate][output][financial year], row-major, each output's total over its breakdown
/// in each financial year — exactly what `pitstop run` of that point would total.
std::vector<double> run_point(const SweepPlan& plan, std::size_t p, int threads,
                              const std::function<void()>& replicate_done);

/// The journal of finished points beside the results file (`<out>.journal`): a header naming the
/// sweep's fingerprint and shape, then one line per point, appended and synced as each finishes.
class Journal {
 public:
  Journal(const std::string& path, const SweepPlan& plan);
  /// The points finished so far (none when there is no journal). Throws InputError when the
  /// journal is of another sweep (a changed sweep file or scenario).
  std::map<std::size_t, std::vector<double>> read() const;
  void start_if_new();
  void append(std::size_t point, const std::vector<double>& values);  // thread-safe
  void remove();

 private:
  std::string path_;
  const SweepPlan& plan_;
  std::mutex mutex_;
};

/// The results file's contents from every point's values.
output::SweepResults assemble(const SweepPlan& plan,
                              const std::map<std::size_t, std::vector<double>>& done);

/// Runs the missing points of the sweep on this machine's cores and writes `out`.
int run_sweep_local(const SweepPlan& plan, const std::string& out, int threads, bool quiet);

}  // namespace pitstop::cli
