// The pieces of `pitstop sweep` shared by the local (oneTBB) and the MPI runners: the plan (the
// design's points, the outputs and the financial years), one point's replicates, the journal of
// finished points and the results file.
#pragma once

#include <fmt/core.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
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

/// Points done, rate and time left on a terminal; a line a minute otherwise (a batch job's log).
class SweepProgress {
 public:
  SweepProgress(bool quiet, std::size_t total, std::size_t already)
      : quiet_(quiet),
        tty_(isatty(STDERR_FILENO) != 0),
        total_(total),
        already_(already),
        start_(Clock::now()) {}
  void point_done() {
    const std::size_t d = ++done_;
    std::unique_lock lock(print_, std::try_to_lock);
    if (!lock.owns_lock() || quiet_) return;
    const double t = std::chrono::duration<double>(Clock::now() - start_).count();
    const bool last = already_ + d == total_;
    if (!last && t - shown_ < (tty_ ? 0.25 : 60.0)) return;
    shown_ = t;
    const double rate = t > 0 ? static_cast<double>(d) / t : 0;
    const double left = rate > 0 ? static_cast<double>(total_ - already_ - d) / rate : 0;
    const std::string line = fmt::format("  points {}/{} · {:.2f} points/min · {} left",
                                         already_ + d, total_, rate * 60, duration(left));
    if (tty_) {
      fmt::print(stderr, "\r{}   {}", line, last ? "\n" : "");
    } else {
      fmt::print(stderr, "{}\n", line);
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  static std::string duration(double s) {
    if (s >= 3600)
      return fmt::format("{:.0f} h {:02.0f} min", std::floor(s / 3600), std::fmod(s, 3600) / 60);
    if (s >= 60) return fmt::format("{:.0f} min {:02.0f} s", std::floor(s / 60), std::fmod(s, 60));
    return fmt::format("{:.0f} s", s);
  }
  bool quiet_, tty_;
  std::size_t total_, already_;
  std::atomic<std::size_t> done_{0};
  Clock::time_point start_;
  std::mutex print_;
  double shown_ = -1e9;
};

/// Runs the missing points of the sweep on this machine's cores and writes `out`.
int run_sweep_local(const SweepPlan& plan, const std::string& out, int threads, bool quiet);

/// The threads a sweep computes with: `threads` (0 = all), but no more than the cores this
/// process may use (its affinity: an MPI rank bound to one core, or Slurm's --cpus-per-task).
int sweep_threads(int threads);

}  // namespace pitstop::cli
