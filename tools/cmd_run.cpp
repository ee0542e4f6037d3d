// `pitstop run`: replicates in parallel, a summary table, JSON and the HDF5 results file.
#include <fmt/core.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <optional>

#include "engine/engine.hpp"
#include "models/borough/front_door.hpp"
#include "models/scenario.hpp"
#include "output/network_series.hpp"
#include "output/run_sink.hpp"
#include "output/summary_json.hpp"
#include "tools/cli.hpp"
#include "tools/replicate.hpp"

namespace pitstop::cli {
namespace {

using engine::NetworkGraph;
using engine::ReplicateResult;

/// Progress on a terminal: replicates done, share of days simulated, events/s and time left;
/// silent otherwise. day_done() is called from worker threads at each simulated day's end.
class Progress {
 public:
  Progress(bool enabled, std::uint32_t replicates, double days_each)
      : enabled_(enabled),
        total_days_(days_each * replicates),
        start_(Clock::now()),
        total_(replicates) {}
  void add_events(std::uint64_t n) { events_ += n; }
  void day_done() {
    const std::uint64_t d = ++days_;
    if (enabled_ && d % 256 == 0) show();
  }
  void update(std::uint32_t done, std::uint32_t total) {
    done_ = done;
    total_ = total;
    if (enabled_) show(done == total);
  }
  void finish() {
    if (shown_) fmt::print(stderr, "\n");
  }
  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  std::uint64_t events() const { return events_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  void show(bool final = false) {
    std::unique_lock lock(print_, std::try_to_lock);
    if (!lock.owns_lock()) return;
    const double elapsed = seconds();
    // Only runs longer than a second show progress, at most four times a second.
    if (!final && (elapsed < 1.0 || elapsed - last_ < 0.25)) return;
    last_ = elapsed;
    const double share =
        final ? 1.0 : std::min(1.0, static_cast<double>(days_.load()) / total_days_);
    const double rate = elapsed > 0 ? static_cast<double>(events_.load()) / elapsed : 0;
    const double left = share > 0 ? elapsed / share * (1 - share) : 0;
    // Events are counted as replicates finish: no rate until the first one has.
    const std::string events = rate > 0 ? fmt::format(" · {:.2f} M events/s", rate / 1e6) : "";
    fmt::print(stderr, "\r  replicates {}/{} · {:.0f}% of days simulated{} · {:.0f} s left   ",
               done_.load(), total_.load(), 100 * share, events, left);
    shown_ = true;
  }

  bool enabled_;
  double total_days_;
  bool shown_ = false;
  double last_ = -1;
  Clock::time_point start_;
  std::mutex print_;
  std::atomic<std::uint64_t> events_{0}, days_{0};
  std::atomic<std::uint32_t> done_{0}, total_{0};
};

void print_table(const models::Scenario& sc, const std::vector<ReplicateResult>& results) {
  std::vector<std::string> names;
  for (const auto& s : sc.network.services)
    names.push_back(s.name);
  const engine::NetworkSummary summary = engine::summarize(names, results);
  fmt::print("{}: {} replicate(s), days {:g}–{:g} observed (warm-up {:g}), seed {}\n", sc.name,
             results.size(), sc.run.warmup_days, sc.run.horizon_days, sc.run.warmup_days,
             sc.run.seed);
  fmt::print("means across replicates, [95% interval]\n");
  fmt::print("{:<16} {:>12} {:>12} {:>9} {:>22} {:>19} {:>9}\n", "service", "arrivals",
             "completions", "lost %", "mean wait (days)", "utilisation", "blocked %");
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto& st = summary.stats[i];
    auto iv = [&](const char* k, double scale, const char* f) {
      const engine::Interval& x = st.at(k);
      return fmt::format(fmt::runtime(f), x.mean * scale, x.lo * scale, x.hi * scale);
    };
    fmt::print("{:<16} {:>12.0f} {:>12.0f} {:>9.3f} {:>22} {:>19} {:>9.3f}\n", names[i],
               st.at("arrivals").mean, st.at("completions").mean, 100 * st.at("lost_fraction").mean,
               iv("wait_mean_days", 1, "{:.4f} [{:.4f},{:.4f}]"),
               iv("utilisation", 1, "{:.3f} [{:.3f},{:.3f}]"),
               100 * st.at("blocked_fraction").mean);
  }
}

/// A borough run's table: each metric's total (over SDFs and breakdowns) in the first and the
/// last financial year, mean and 95% interval across replicates.
void print_borough_table(const models::Scenario& sc, const output::RunDescription& d,
                         const output::RunTotals& totals) {
  const output::Periods& fy = totals.financial_years();
  if (fy.labels.empty()) return;
  const std::size_t first = 0, last = fy.labels.size() - 1;
  fmt::print("{}: {} replicate(s), {} to {}, seed {}\n", sc.name, d.replicates, d.start.iso(),
             d.end().iso(), d.seed);
  fmt::print(
      "borough totals per financial year (sum over the year; levels: mean over the "
      "year; shares: ratio of the year's totals), mean [95% interval] across replicates\n");
  // One column when the run has one financial year, else the first and the last.
  const auto row = [&](const std::string& name, const std::string& a, const std::string& z) {
    if (first == last) {
      fmt::print("{:<40} {:>30}\n", name, a);
    } else {
      fmt::print("{:<40} {:>30} {:>30}\n", name, a, z);
    }
  };
  row("metric", fy.labels[first], fy.labels[last]);
  const std::size_t from = d.metrics.size() - models::borough::kBoroughMetricCount -
                           (sc.finance ? std::size_t{2} : std::size_t{0});
  namespace b = models::borough;
  for (std::size_t m = from; m < d.metrics.size(); ++m) {
    // Without `pathways.discharge` these are zero by construction: not worth a line.
    const auto metric = static_cast<b::BoroughMetric>(m - from);
    if (b::needs_discharge(metric) && !sc.pathways->discharge) continue;
    const bool share = d.metrics[m].units == "share";
    auto cell = [&](std::size_t p) {
      const engine::Interval iv = engine::mean_interval(totals.fy_total(m, p));
      return share ? fmt::format("{:.3f} [{:.3f}, {:.3f}]", iv.mean, iv.lo, iv.hi)
                   : fmt::format("{:.0f} [{:.0f}, {:.0f}]", iv.mean, iv.lo, iv.hi);
    };
    row(d.metrics[m].name, cell(first), cell(last));
  }
  for (std::size_t p :
       first == last ? std::vector<std::size_t>{first} : std::vector<std::size_t>{first, last}) {
    if (fy.days_in[p] < 365) {
      fmt::print("({} is a part year: {} days observed)\n", fy.labels[p], fy.days_in[p]);
    }
  }
}

int cmd_run(const std::string& file, std::optional<std::uint32_t> replicates,
            std::optional<std::uint64_t> seed, std::optional<double> horizon, int threads,
            const std::string& json, const std::string& h5_path, bool quiet) {
  models::Overrides ov;
  ov.replicates = replicates;
  ov.seed = seed;
  ov.horizon_days = horizon;
  const models::Scenario sc = models::load_scenario(file, ov);
  if (sc.population && !sc.pathways) {
    throw models::InputError(file, 0, 0, "pathways",
                             "this borough scenario has population and demand only; running it "
                             "needs a `pathways` section (GP, 999, A&E, …) and its services");
  }
  const NetworkGraph graph(sc.network);
  const output::RunDescription desc = describe_run(sc, graph);
  output::RunSink sink(desc, h5_path);
  Progress progress(!quiet && isatty(STDERR_FILENO), sc.run.replicates,
                    std::floor(sc.run.horizon_days));
  engine::ReplicationOptions opt;
  opt.threads = threads;
  opt.progress = [&](std::uint32_t done, std::uint32_t total) { progress.update(done, total); };
  try {
    engine::for_each_replicate(sc.run.replicates, opt, [&](std::uint32_t r) {
      output::ReplicateOutput out = run_replicate(sc, graph, r, [&] { progress.day_done(); });
      progress.add_events(out.result.events);
      sink.submit(std::move(out));
    });
  } catch (...) {
    progress.finish();
    sink.abandon();
    throw;
  }
  progress.finish();
  const output::RunTotals& totals = sink.finish();
  if (!json.empty()) write_text(json, output::summary_json(desc, totals));
  if (json != "-" && !quiet) {
    if (sc.pathways) print_borough_table(sc, desc, totals);
    print_table(sc, totals.results());
    print_pit_stops(sc);
    fmt::print("{} events in {:.2f} s ({:.2f} M events/s){}\n", progress.events(),
               progress.seconds(),
               static_cast<double>(progress.events()) / progress.seconds() / 1e6,
               h5_path.empty() ? "" : "; results in " + h5_path);
  }
  return kExitOk;
}

}  // namespace

Command add_run(CLI::App& app) {
  struct Options {
    std::string file, json, h5_path;
    std::optional<std::uint32_t> replicates;
    std::optional<std::uint64_t> seed;
    std::optional<double> horizon;
    int threads = 0;
    bool quiet = false;
  };
  auto o = std::make_shared<Options>();
  auto* run = app.add_subcommand("run", "Run a scenario's replicates and print a summary");
  run->add_option("scenario", o->file, "Scenario YAML file")->required();
  run->add_option("-r,--replicates", o->replicates, "Number of replicates (overrides the file)")
      ->check(CLI::PositiveNumber);
  run->add_option("-s,--seed", o->seed, "Base random seed (overrides the file)");
  run->add_option("--horizon-days", o->horizon,
                  "Run this many days from the start (overrides the file; checked like it)")
      ->check(CLI::PositiveNumber);
  run->add_option("-t,--threads", o->threads, "Worker threads (0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  run->add_option("-o,--output", o->h5_path,
                  "Write results (daily series and summaries) to this HDF5 file");
  run->add_option("--json", o->json,
                  "Write the cross-replicate summary as JSON to FILE (- = stdout)");
  run->add_flag("-q,--quiet", o->quiet, "No progress and no table");
  return {run, [o] {
            return cmd_run(o->file, o->replicates, o->seed, o->horizon, o->threads, o->json,
                           o->h5_path, o->quiet);
          }};
}

}  // namespace pitstop::cli
