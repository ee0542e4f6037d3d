// The `pitstop` command line: run, validate and graph a scenario.
// Exit codes: 0 success, 1 runtime failure, 2 bad input (scenario or options), 3 internal error.
#include <fmt/core.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>

#include "engine/engine.hpp"
#include "models/scenario.hpp"
#include "output/network_series.hpp"
#include "output/run_sink.hpp"
#include "output/summary_json.hpp"

namespace {

using pitstop::engine::NetworkGraph;
using pitstop::engine::ReplicateResult;
namespace engine = pitstop::engine;
namespace models = pitstop::models;
namespace output = pitstop::output;

constexpr int kExitOk = 0, kExitRuntime = 1, kExitInput = 2, kExitInternal = 3;

std::string tool_version() {
  std::string v = PITSTOP_VERSION;
  std::string rev = PITSTOP_GIT_REVISION;
  return rev.empty() ? v : v + " (" + rev + ")";
}

/// Writes `text` to FILE, or stdout for "-". Throws on failure.
void write_text(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text << std::flush;
    return;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write '" + path + "'");
}

/// Progress on a terminal: replicates done, events/s and time left; silent otherwise.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled), start_(Clock::now()) {}
  void add_events(std::uint64_t n) { events_ += n; }
  void update(std::uint32_t done, std::uint32_t total) {
    if (!enabled_) return;
    const double elapsed = seconds();
    if (elapsed < 1.0 && done < total) return;  // only runs longer than a second show progress
    const double rate = elapsed > 0 ? static_cast<double>(events_.load()) / elapsed : 0;
    const double left = done > 0 ? elapsed / done * (total - done) : 0;
    fmt::print(stderr, "\r  replicates {}/{} · {:.2f} M events/s · {:.0f} s left   ", done, total,
               rate / 1e6, left);
    shown_ = true;
  }
  void finish() {
    if (shown_) fmt::print(stderr, "\n");
  }
  double seconds() const {
    return std::chrono::duration<double>(Clock::now() - start_).count();
  }
  std::uint64_t events() const { return events_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool shown_ = false;
  Clock::time_point start_;
  std::atomic<std::uint64_t> events_{0};
};

void print_table(const models::Scenario& sc, const std::vector<ReplicateResult>& results) {
  std::vector<std::string> names;
  for (const auto& s : sc.network.services) names.push_back(s.name);
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
               st.at("arrivals").mean, st.at("completions").mean,
               100 * st.at("lost_fraction").mean, iv("wait_mean_days", 1, "{:.4f} [{:.4f},{:.4f}]"),
               iv("utilisation", 1, "{:.3f} [{:.3f},{:.3f}]"),
               100 * st.at("blocked_fraction").mean);
  }
}

output::RunDescription describe_run(const models::Scenario& sc, const NetworkGraph& graph) {
  output::RunDescription d;
  d.scenario_name = sc.name;
  d.scenario_yaml = sc.resolved_yaml;
  d.tool_version = tool_version();
  d.git_revision = PITSTOP_GIT_REVISION;
  d.start = sc.start;
  d.horizon_days = sc.run.horizon_days;
  d.warmup_days = sc.run.warmup_days;
  d.seed = sc.run.seed;
  d.replicates = sc.run.replicates;
  d.metrics = output::network_metrics(graph);
  for (const auto& s : sc.network.services) d.services.push_back(s.name);
  return d;
}

int cmd_run(const std::string& file, std::optional<std::uint32_t> replicates,
            std::optional<std::uint64_t> seed, int threads, const std::string& json,
            const std::string& h5_path, bool quiet) {
  models::Overrides ov;
  ov.replicates = replicates;
  ov.seed = seed;
  const models::Scenario sc = models::load_scenario(file, ov);
  const NetworkGraph graph(sc.network);
  const output::RunDescription desc = describe_run(sc, graph);
  output::RunSink sink(desc, h5_path);
  Progress progress(!quiet && isatty(STDERR_FILENO));
  engine::ReplicationOptions opt;
  opt.threads = threads;
  opt.progress = [&](std::uint32_t done, std::uint32_t total) { progress.update(done, total); };
  try {
    engine::run_replicates<char>(sc.run.replicates, opt, [&](std::uint32_t r) {
      output::NetworkSeriesRecorder recorder(graph, sc.run.horizon_days);
      engine::Network net(graph, sc.run, r, &recorder);
      output::ReplicateOutput out;
      out.replicate = r;
      out.result = net.run();
      out.series = recorder.take();
      progress.add_events(out.result.events);
      sink.submit(std::move(out));
      return char{0};
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
    print_table(sc, totals.results());
    fmt::print("{} events in {:.2f} s ({:.2f} M events/s){}\n", progress.events(),
               progress.seconds(), static_cast<double>(progress.events()) / progress.seconds() / 1e6,
               h5_path.empty() ? "" : "; results in " + h5_path);
  }
  return kExitOk;
}

int cmd_validate(const std::string& file) {
  const models::Scenario sc = models::load_scenario(file);
  const NetworkGraph graph(sc.network);
  fmt::print("{}: valid scenario '{}' ({} arrival stream(s), {} service(s), {} replicate(s), "
             "horizon {:g} days from {}, warm-up {:g})\n",
             file, sc.name, sc.network.sources.size(), sc.network.services.size(),
             sc.run.replicates, sc.run.horizon_days, sc.start.iso(), sc.run.warmup_days);
  fmt::print("{:<16} {:>14} {:>10} {:>10}  {}\n", "service", "arrivals/day", "capacity",
             "load ρ", "duration (mean, sd)");
  int overloaded = 0;
  for (std::size_t i = 0; i < graph.service_count(); ++i) {
    const auto& s = sc.network.services[i];
    const auto loads = graph.offered_loads(sc.run.horizon_days);
    const auto& l = loads[i];
    fmt::print("{:<16} {:>14.3f} {:>10.2f} {:>10.3f}  {} (mean {:g}, sd {:g})\n", s.name,
               l.arrival_rate, l.mean_capacity, l.load, s.duration.describe(), s.duration.mean(),
               std::sqrt(s.duration.variance()));
    const bool loses = s.queue_capacity != engine::kUnlimited || s.renege_after_days.has_value();
    if (l.load >= 1 && !loses) {
      ++overloaded;
      fmt::print(stderr,
                 "warning: {}: offered load {:.3f} ≥ 1 with an unlimited queue: the queue will grow "
                 "without bound\n",
                 s.name, l.load);
    }
  }
  if (overloaded > 0) {
    fmt::print(stderr, "warning: {} service(s) overloaded; results will depend on the horizon\n",
               overloaded);
  }
  return kExitOk;
}

int cmd_graph(const std::string& file, const std::string& out, const std::string& format) {
  const models::Scenario sc = models::load_scenario(file);
  const NetworkGraph graph(sc.network);
  const std::string dot = graph.to_dot();
  if (format == "dot") {
    write_text(out, dot);
    return kExitOk;
  }
  // svg/png through Graphviz's `dot`, fed on stdin.
  const std::string target = out == "-" ? "/dev/stdout" : out;
  const std::string command = "dot -T" + format + " -o '" + target + "'";
  FILE* pipe = popen(command.c_str(), "w");
  if (pipe == nullptr) throw std::runtime_error("cannot run Graphviz `dot` (is graphviz installed?)");
  std::fwrite(dot.data(), 1, dot.size(), pipe);
  const int status = pclose(pipe);
  if (status != 0) {
    throw std::runtime_error("Graphviz `dot` failed (exit status " + std::to_string(status) +
                             "); install graphviz or use --format dot");
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pitstop — a discrete-event simulator of health and social care system demand.\n"
               "Scenarios are YAML files (see scenarios/README.md)."};
  app.set_version_flag("--version", tool_version());
  app.require_subcommand(1);

  std::string file, json, h5_path, out = "-", format = "dot";
  std::optional<std::uint32_t> replicates;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  bool quiet = false;

  auto* run = app.add_subcommand("run", "Run a scenario's replicates and print a summary");
  run->add_option("scenario", file, "Scenario YAML file")->required();
  run->add_option("-r,--replicates", replicates, "Number of replicates (overrides the file)")
      ->check(CLI::PositiveNumber);
  run->add_option("-s,--seed", seed, "Base random seed (overrides the file)");
  run->add_option("-t,--threads", threads, "Worker threads (0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  run->add_option("-o,--output", h5_path,
                  "Write results (daily series and summaries) to this HDF5 file");
  run->add_option("--json", json, "Write the cross-replicate summary as JSON to FILE (- = stdout)");
  run->add_flag("-q,--quiet", quiet, "No progress and no table");

  auto* validate =
      app.add_subcommand("validate", "Check a scenario without running it; print offered loads");
  validate->add_option("scenario", file, "Scenario YAML file")->required();

  auto* graph = app.add_subcommand("graph", "Draw the pathway graph (Graphviz DOT, SVG or PNG)");
  graph->add_option("scenario", file, "Scenario YAML file")->required();
  graph->add_option("-o,--output", out, "Output file (- = stdout)");
  graph->add_option("-f,--format", format, "dot, svg or png (svg/png need Graphviz)")
      ->check(CLI::IsMember({"dot", "svg", "png"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitInput;
  }

  try {
    if (*run) return cmd_run(file, replicates, seed, threads, json, h5_path, quiet);
    if (*validate) return cmd_validate(file);
    if (*graph) return cmd_graph(file, out, format);
  } catch (const models::InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitInput;
  } catch (const engine::SpecError& e) {
    fmt::print(stderr, "error: {}: {}: {}\n", file, e.key_path(), e.what());
    return kExitInput;
  } catch (const engine::InternalError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return kExitInternal;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitRuntime;
  }
  return kExitInput;
}
