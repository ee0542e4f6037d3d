// `pitstop sweep`: a design of points × replicates of one scenario, run on every core (oneTBB),
// resumable from a journal of finished points, written to one HDF5 file; and `pitstop sweep
// analyse`: Sobol indices (Saltelli/Jansen, bootstrap intervals) and each output against each
// parameter.
#include <fmt/core.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <numeric>
#include <sstream>

#include "engine/design.hpp"
#include "engine/engine.hpp"
#include "models/registry.hpp"
#include "models/sweep.hpp"
#include "output/json.hpp"
#include "output/run_output.hpp"
#include "output/sensitivity.hpp"
#include "output/sweep_file.hpp"
#include "tools/cli.hpp"
#include "tools/replicate.hpp"
#include "tools/sweep_plan.hpp"

namespace pitstop::cli {

namespace fs = std::filesystem;

// ---- the plan: the points, the outputs, the financial years ----

SweepPlan plan_sweep(const std::string& file) {
  SweepPlan plan;
  plan.spec = models::load_sweep(file);
  const models::SweepSpec& spec = plan.spec;
  std::vector<engine::DesignParameter> params;
  for (const auto& p : spec.parameters) {
    engine::DesignParameter d;
    d.name = p.path;
    d.min = p.min;
    d.max = p.max;
    d.integer = p.integer;
    d.levels = p.levels;
    params.push_back(std::move(d));
  }
  const std::size_t k = params.size();
  switch (spec.design) {
    case models::SweepSpec::Design::kGrid:
      plan.points = engine::grid_design(params);
      plan.base_points = plan.points.size();
      break;
    case models::SweepSpec::Design::kLhs:
      for (const auto& u : engine::latin_hypercube(spec.points, k, spec.seed))
        plan.points.push_back(engine::to_parameters(u, params));
      plan.base_points = spec.points;
      break;
    case models::SweepSpec::Design::kSobol:
      for (const auto& u : engine::saltelli_design(spec.points, k).points)
        plan.points.push_back(engine::to_parameters(u, params));
      plan.base_points = spec.points;
      break;
  }
  // The outputs: metrics of the scenario (any point has the same ones), one total a financial
  // year each.
  const models::Scenario first = models::sweep_scenario(spec, plan.points.front());
  const engine::NetworkGraph graph(first.network);
  plan.description = describe_run(first, graph);
  plan.scenario = first.name;
  plan.scenario_yaml = first.resolved_yaml;
  std::vector<std::string> names;
  for (const auto& m : plan.description.metrics)
    names.push_back(m.name);
  for (std::size_t o = 0; o < spec.outputs.size(); ++o) {
    const auto it = std::find(names.begin(), names.end(), spec.outputs[o]);
    if (it == names.end()) {
      std::string msg = "no metric `" + spec.outputs[o] + "` in this scenario's results";
      if (auto g = models::closest_match(spec.outputs[o], names))
        msg += "; did you mean `" + *g + "`?";
      throw models::InputError(spec.output_marks[o].file, spec.output_marks[o].line,
                               spec.output_marks[o].column, fmt::format("sweep.outputs[{}]", o),
                               msg + " (docs/output.md lists the metrics)");
    }
    plan.metric_index.push_back(static_cast<std::size_t>(it - names.begin()));
    plan.output_units.push_back(plan.description.metrics[plan.metric_index.back()].units);
  }
  const output::RunTotals totals(plan.description);
  plan.financial_years = totals.financial_years().labels;
  for (std::size_t d : totals.financial_years().days_in)
    plan.financial_year_days.push_back(static_cast<std::int64_t>(d));
  return plan;
}

std::vector<double> run_point(const SweepPlan& plan, std::size_t p, int threads,
                              const std::function<void()>& replicate_done) {
  threads = threads > 0 ? std::min(threads, tbb::this_task_arena::max_concurrency()) : 0;
  const models::Scenario sc = models::sweep_scenario(plan.spec, plan.points[p]);
  const engine::NetworkGraph graph(sc.network);
  const output::RunDescription desc = describe_run(sc, graph);
  const std::size_t outs = plan.metric_index.size(), years = plan.financial_years.size();
  std::vector<double> values(plan.spec.replicates * outs * years, NAN);
  engine::ReplicationOptions opt;
  opt.threads = threads;
  engine::for_each_replicate(plan.spec.replicates, opt, [&](std::uint32_t r) {
    output::RunTotals totals(desc);
    totals.add(run_replicate(sc, graph, r));
    for (std::size_t o = 0; o < outs; ++o)
      for (std::size_t y = 0; y < years; ++y)
        values[(r * outs + o) * years + y] = totals.fy_total(plan.metric_index[o], y).at(0);
    if (replicate_done) replicate_done();
  });
  return values;
}

// ---- the journal: one line per finished point, so a killed sweep resumes ----

namespace {

constexpr const char* kJournalMagic = "pitstop-sweep-journal 1";

std::string shape_line(const SweepPlan& plan) {
  return fmt::format("shape {} {} {} {}", plan.points.size(), plan.spec.replicates,
                     plan.metric_index.size(), plan.financial_years.size());
}

}  // namespace

Journal::Journal(const std::string& path, const SweepPlan& plan) : path_(path), plan_(plan) {}

std::map<std::size_t, std::vector<double>> Journal::read() const {
  std::map<std::size_t, std::vector<double>> done;
  std::ifstream in(path_);
  if (!in) return done;
  std::string line;
  std::getline(in, line);
  if (line != kJournalMagic) {
    throw models::InputError(path_, 1, 0, "",
                             "not a sweep journal; delete it to start the sweep afresh");
  }
  std::getline(in, line);
  if (line != "fingerprint " + plan_.spec.fingerprint) {
    throw models::InputError(
        plan_.spec.file, 0, 0, "",
        "the sweep file or its scenario changed since this sweep was started (" + path_ +
            " holds the results of the earlier version): restore them to resume, or delete " +
            path_ + " to start afresh");
  }
  std::getline(in, line);
  if (line != shape_line(plan_)) {
    throw models::InputError(
        path_, 3, 0, "",
        "the journal's shape (" + line + ") is not this sweep's; delete it to start afresh");
  }
  const std::size_t want =
      plan_.spec.replicates * plan_.metric_index.size() * plan_.financial_years.size();
  // A line is a point only when complete ("end" last): a line cut short by a kill is ignored.
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string word;
    std::size_t p = 0;
    if (!(fields >> word) || word != "point" || !(fields >> p) || p >= plan_.points.size())
      continue;
    std::vector<double> values;
    bool complete = false;
    while (fields >> word) {
      if (word == "end") {
        complete = true;
        break;
      }
      values.push_back(std::strtod(word.c_str(), nullptr));
    }
    if (complete && values.size() == want) done[p] = std::move(values);
  }
  return done;
}

void Journal::start_if_new() {
  std::error_code ec;
  if (fs::exists(path_, ec)) return;
  std::FILE* f = std::fopen(path_.c_str(), "w");
  if (f == nullptr) throw std::runtime_error("cannot create the sweep journal " + path_);
  std::fprintf(f, "%s\nfingerprint %s\n%s\n", kJournalMagic, plan_.spec.fingerprint.c_str(),
               shape_line(plan_).c_str());
  std::fflush(f);
  fsync(fileno(f));
  std::fclose(f);
}

void Journal::append(std::size_t point, const std::vector<double>& values) {
  std::lock_guard lock(mutex_);
  std::string line = fmt::format("point {}", point);
  char buf[64];
  for (double v : values) {
    std::snprintf(buf, sizeof buf, " %a", v);  // hexadecimal: exact on reading back
    line += buf;
  }
  line += " end\n";
  std::FILE* f = std::fopen(path_.c_str(), "a");
  if (f == nullptr) throw std::runtime_error("cannot append to the sweep journal " + path_);
  std::fputs(line.c_str(), f);
  std::fflush(f);
  fsync(fileno(f));  // a finished point survives a kill or a lost node from here on
  std::fclose(f);
}

void Journal::remove() {
  std::error_code ec;
  fs::remove(path_, ec);
}

output::SweepResults assemble(const SweepPlan& plan,
                              const std::map<std::size_t, std::vector<double>>& done) {
  output::SweepResults s;
  const models::SweepSpec& spec = plan.spec;
  s.sweep_file = spec.file;
  s.sweep_yaml = spec.text;
  s.scenario = plan.scenario;
  s.scenario_yaml = plan.scenario_yaml;
  s.design_name = models::design_name(spec.design);
  s.fingerprint = spec.fingerprint;
  s.tool_version = tool_version();
  s.seed = spec.seed;
  s.replicates = spec.replicates;
  s.base_points = plan.base_points;
  for (const auto& p : spec.parameters) {
    s.parameters.push_back(p.path);
    s.units.push_back(p.unit);
    s.integer.push_back(p.integer ? 1 : 0);
    s.scale.push_back(p.scale ? 1 : 0);
  }
  s.points = plan.points.size();
  for (const auto& point : plan.points)
    s.design.insert(s.design.end(), point.begin(), point.end());
  s.outputs = spec.outputs;
  s.output_units = plan.output_units;
  s.financial_years = plan.financial_years;
  s.financial_year_days = plan.financial_year_days;
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    const auto& v = done.at(p);
    s.values.insert(s.values.end(), v.begin(), v.end());
  }
  return s;
}

int sweep_threads(int threads) {
  // oneTBB's default concurrency is the cores in this process's affinity mask.
  const int cores = tbb::this_task_arena::max_concurrency();
  return threads > 0 ? std::min(threads, cores) : cores;
}

int run_sweep_local(const SweepPlan& plan, const std::string& out, int threads, bool quiet) {
  Journal journal(out + ".journal", plan);
  std::map<std::size_t, std::vector<double>> done = journal.read();
  std::vector<std::size_t> missing;
  for (std::size_t p = 0; p < plan.points.size(); ++p)
    if (done.count(p) == 0) missing.push_back(p);
  if (!quiet) {
    fmt::print(stderr, "sweep '{}': {} design, {} points × {} replicates of '{}'{}\n",
               plan.spec.file, models::design_name(plan.spec.design), plan.points.size(),
               plan.spec.replicates, plan.scenario,
               done.empty() ? "" : fmt::format("; resuming: {} points done", done.size()));
  }
  journal.start_if_new();
  SweepProgress progress(quiet, plan.points.size(), done.size());
  std::mutex mutex;
  const int n_threads = sweep_threads(threads);
  tbb::task_arena arena(n_threads);
  arena.execute([&] {
    // Points in parallel, and each point's replicates in parallel inside it (oneTBB balances
    // long and short points by stealing).
    tbb::parallel_for(std::size_t{0}, missing.size(), [&](std::size_t i) {
      const std::size_t p = missing[i];
      std::vector<double> values = run_point(plan, p, n_threads, {});
      journal.append(p, values);
      {
        std::lock_guard lock(mutex);
        done[p] = std::move(values);
      }
      progress.point_done();
    });
  });
  output::write_sweep_file(out, assemble(plan, done));
  journal.remove();
  if (!quiet)
    fmt::print("{} points × {} replicates: results in {}\n", plan.points.size(),
               plan.spec.replicates, out);
  return kExitOk;
}

}  // namespace pitstop::cli
