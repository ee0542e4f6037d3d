// `pitstop validate` (check a scenario, print offered loads, or with --resolved the merged
// scenario as YAML) and `pitstop graph` (DOT/SVG/PNG).
#include <fmt/core.h>

#include <array>
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

/// A borough scenario's demand in its first year: each band's average hazard × its residents.
void print_demand(const models::Scenario& sc) {
  namespace b = models::borough;
  fmt::print("expected demand in the first year (band averages × residents at the start):\n");
  for (std::size_t e = 0; e < b::kEventTypes; ++e) {
    const b::EventHazards& h = sc.demand->events[e];
    double total = 0;
    for (const auto& sdf : sc.population->sdfs) {
      const auto& shares = sdf.age_shares ? *sdf.age_shares : sc.population->age_shares;
      for (std::size_t band = 0; band < b::kAgeBands; ++band)
        total += static_cast<double>(sdf.people) * shares[band] * h.per_person_year[band];
    }
    total *= h.multiplier;
    fmt::print("  {:<22} {:>10.0f} a year  {:>8.1f} a day\n", b::kEventTypeNames[e], total,
               total / 365.25);
  }
}

/// A borough scenario's services: capacity and mean time in service (their arrivals come from
/// the residents' demand, so there is no offered load to show before a run).
void print_borough_services(const models::Scenario& sc) {
  fmt::print("{:<20} {:>10} {:>12}  {}\n", "service", "capacity", "queue", "duration");
  for (const auto& s : sc.network.services) {
    fmt::print("{:<20} {:>10.2f} {:>12}  {}\n", s.name, s.capacity.average(0, sc.run.horizon_days),
               s.queue_capacity == engine::kUnlimited ? std::string("unlimited")
                                                      : std::to_string(s.queue_capacity),
               s.duration.describe());
  }
}

}  // namespace

void print_pit_stops(const models::Scenario& sc) {
  if (sc.pit_stops.empty()) return;
  fmt::print("pit stops ({} date(s)):\n", sc.pit_stops.size());
  for (const auto& p : sc.pit_stops) {
    for (std::size_t i = 0; i < p.names.size(); ++i) {
      fmt::print("  {}  {}: {}\n", p.date.iso(), p.names[i], p.whys[i]);
    }
    for (const auto& c : p.changes) {
      std::string line = c;
      while (!line.empty() && line.back() == '\n')
        line.pop_back();
      fmt::print("      {}\n", line);
    }
    if (p.day > sc.run.horizon_days) {
      fmt::print("      (after the horizon: it does not apply in this run)\n");
    }
  }
}

namespace {

int cmd_validate(const std::string& file, bool resolved) {
  const models::Scenario sc = models::load_scenario(file);
  if (resolved) {
    if (!sc.population) {
      const NetworkGraph graph(sc.network);  // the same checks as without --resolved
    }
    fmt::print("{}", sc.resolved_yaml);
    return kExitOk;
  }
  if (sc.population) {
    fmt::print("{}: valid borough scenario '{}' ({} replicate(s), horizon {:g} days from {}){}\n",
               file, sc.name, sc.run.replicates, sc.run.horizon_days, sc.start.iso(),
               sc.pathways ? ""
                           : "; population and demand only: `pitstop run` needs a `pathways` "
                             "section to run it");
    print_population(sc);
    if (sc.demand) print_demand(sc);
    if (sc.pathways) print_borough_services(sc);
    print_pit_stops(sc);
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
  print_pit_stops(sc);
  return kExitOk;
}

/// The borough's demand as extra DOT nodes: residents feed 999, A&E on foot and their GP, whose
/// outcomes lead into the services (shares as configured).
std::string borough_demand_dot(const models::borough::PathwaysSpec& p) {
  namespace b = models::borough;
  std::string d;
  d += "  \"residents\" [shape=ellipse, label=\"residents\\n(demand hazards)\"];\n";
  d += "  \"gp\" [shape=box, style=rounded, label=\"GP\\nappointment book\"];\n";
  d += "  \"residents\" -> \"gp\" [label=\"consultations\"];\n";
  d += "  \"residents\" -> \"call_handling\" [label=\"999 calls\"];\n";
  d += "  \"residents\" -> \"ae_minors\" [label=\"on foot\"];\n";
  const std::array<const char*, b::kGpOutcomes> to = {"", "complex_care", "community_response",
                                                      "ae_minors", "beds"};
  for (std::size_t k = 1; k < b::kGpOutcomes; ++k) {
    d += fmt::format("  \"gp\" -> \"{}\" [label=\"{:g}\", style=dashed];\n", to[k],
                     p.gp.outcomes[k]);
  }
  return d;
}

int cmd_graph(const std::string& file, const std::string& out, const std::string& format) {
  const models::Scenario sc = models::load_scenario(file);
  const NetworkGraph graph(sc.network);
  std::string dot = graph.to_dot();
  if (sc.pathways) dot.insert(dot.rfind('}'), borough_demand_dot(*sc.pathways));
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
  struct Options {
    std::string file;
    bool resolved = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "validate",
      "Check a scenario without running it; print offered loads (or, with --resolved, the "
      "scenario as loaded)");
  cmd->add_option("scenario", o->file, "Scenario YAML file")->required();
  cmd->add_flag("--resolved", o->resolved,
                "Print the fully resolved scenario as YAML instead: every `extends` file merged "
                "and defaults filled in (what a run stores with its results); it loads as it is");
  return {cmd, [o] { return cmd_validate(o->file, o->resolved); }};
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
