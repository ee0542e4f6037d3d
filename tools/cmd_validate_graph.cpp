// `pitstop validate` (check a scenario, print offered loads) and `pitstop graph` (DOT/SVG/PNG).
#include <fmt/core.h>

#include <cmath>
#include <cstdio>
#include <memory>

#include "engine/engine.hpp"
#include "models/scenario.hpp"
#include "tools/cli.hpp"

namespace pitstop::cli {
namespace {

using engine::NetworkGraph;

/// A borough scenario's population: SDFs and their risk strata at the start.
void print_population(const models::Scenario& sc) {
  fmt::print("{:<16} {:>10} {:>10} {:>10} {:>10}\n", "SDF", "people", "Level 1", "Level 2",
             "Level 3");
  std::int64_t total = 0;
  for (const auto& sdf : sc.population->sdfs) {
    fmt::print("{:<16} {:>10} {:>10} {:>10} {:>10}\n", sdf.label, sdf.people, sdf.risk_counts[0],
               sdf.risk_counts[1], sdf.risk_counts[2]);
    total += sdf.people;
  }
  fmt::print("{:<16} {:>10}\n", "borough", total);
}

int cmd_validate(const std::string& file) {
  const models::Scenario sc = models::load_scenario(file);
  if (sc.population && sc.network.services.empty()) {
    fmt::print(
        "{}: valid borough scenario '{}' ({} replicate(s), horizon {:g} days from {}); "
        "population and demand only: the pathways are not modelled yet, so `pitstop run` "
        "cannot run it\n",
        file, sc.name, sc.run.replicates, sc.run.horizon_days, sc.start.iso());
    print_population(sc);
    return kExitOk;
  }
  const NetworkGraph graph(sc.network);
  fmt::print(
      "{}: valid scenario '{}' ({} arrival stream(s), {} service(s), {} replicate(s), "
      "horizon {:g} days from {}, warm-up {:g})\n",
      file, sc.name, sc.network.sources.size(), sc.network.services.size(), sc.run.replicates,
      sc.run.horizon_days, sc.start.iso(), sc.run.warmup_days);
  fmt::print("{:<16} {:>14} {:>10} {:>10}  {}\n", "service", "arrivals/day", "capacity", "load ρ",
             "duration (mean, sd)");
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
      fmt::print(
          stderr,
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
  if (pipe == nullptr)
    throw std::runtime_error("cannot run Graphviz `dot` (is graphviz installed?)");
  std::fwrite(dot.data(), 1, dot.size(), pipe);
  const int status = pclose(pipe);
  if (status != 0) {
    throw std::runtime_error("Graphviz `dot` failed (exit status " + std::to_string(status) +
                             "); install graphviz or use --format dot");
  }
  return kExitOk;
}

}  // namespace

Command add_validate(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  auto* cmd =
      app.add_subcommand("validate", "Check a scenario without running it; print offered loads");
  cmd->add_option("scenario", *file, "Scenario YAML file")->required();
  return {cmd, [file] { return cmd_validate(*file); }};
}

Command add_graph(CLI::App& app) {
  struct Options {
    std::string file, out = "-", format = "dot";
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("graph", "Draw the pathway graph (Graphviz DOT, SVG or PNG)");
  cmd->add_option("scenario", o->file, "Scenario YAML file")->required();
  cmd->add_option("-o,--output", o->out, "Output file (- = stdout)");
  cmd->add_option("-f,--format", o->format, "dot, svg or png (svg/png need Graphviz)")
      ->check(CLI::IsMember({"dot", "svg", "png"}));
  return {cmd, [o] { return cmd_graph(o->file, o->out, o->format); }};
}

}  // namespace pitstop::cli
