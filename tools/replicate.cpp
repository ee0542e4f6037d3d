// Running one replicate of a scenario with everything `pitstop run` records.
#include "tools/replicate.hpp"

#include <optional>

#include "models/borough/front_door.hpp"
#include "output/network_series.hpp"
#include "tools/cli.hpp"

namespace pitstop::cli {
namespace {

using engine::NetworkGraph;

/// Passes everything to the series recorder and reports each simulated day's end.
class CountingObserver : public engine::Observer {
 public:
  CountingObserver(engine::Observer& inner, const std::function<void()>& day_done)
      : inner_(inner), day_done_(day_done) {}
  bool wants_days() const override { return true; }
  void on_arrival(std::size_t n, engine::Time t) override { inner_.on_arrival(n, t); }
  void on_lost(std::size_t n, engine::Time t, bool r) override { inner_.on_lost(n, t, r); }
  void on_completion(std::size_t n, engine::Time t) override { inner_.on_completion(n, t); }
  void on_blocked(std::size_t n, std::size_t why, engine::Time t) override {
    inner_.on_blocked(n, why, t);
  }
  void on_unblocked(std::size_t n, std::size_t why, engine::Time since, engine::Time t) override {
    inner_.on_unblocked(n, why, since, t);
  }
  void on_day_end(long day, const engine::Network& net) override {
    inner_.on_day_end(day, net);
    if (day_done_) day_done_();
  }

 private:
  engine::Observer& inner_;
  const std::function<void()>& day_done_;
};

}  // namespace

output::RunDescription describe_run(const models::Scenario& sc, const NetworkGraph& graph) {
  output::RunDescription d;
  d.scenario_name = sc.name;
  d.scenario_yaml = sc.resolved_yaml;
  for (const auto& p : sc.pit_stops) {
    for (std::size_t i = 0; i < p.names.size(); ++i) {
      d.pit_stop_dates.push_back(p.date.iso());
      d.pit_stop_names.push_back(p.names[i]);
      d.pit_stop_whys.push_back(p.whys[i]);
    }
  }
  d.tool_version = tool_version();
  d.git_revision = PITSTOP_GIT_REVISION;
  d.start = sc.start;
  d.horizon_days = sc.run.horizon_days;
  d.warmup_days = sc.run.warmup_days;
  d.seed = sc.run.seed;
  d.replicates = sc.run.replicates;
  d.metrics = output::network_metrics(graph);
  if (sc.pathways) {
    for (auto& m :
         models::borough::borough_metrics(*sc.population, sc.finance ? &*sc.finance : nullptr))
      d.metrics.push_back(std::move(m));
  }
  for (const auto& s : sc.network.services)
    d.services.push_back(s.name);
  return d;
}

output::ReplicateOutput run_replicate(const models::Scenario& sc, const NetworkGraph& graph,
                                      std::uint32_t r, const std::function<void()>& day_done) {
  output::NetworkSeriesRecorder recorder(graph, sc.run.horizon_days);
  CountingObserver observer(recorder, day_done);
  std::optional<models::borough::FrontDoor> borough;
  if (sc.pathways) borough.emplace(sc, graph, r);
  engine::Network net(graph, sc.run, r, &observer, borough ? &*borough : nullptr);
  output::ReplicateOutput out;
  out.replicate = r;
  out.result = net.run();
  out.series = recorder.take();
  if (borough) {
    for (auto& values : borough->take_series().values)
      out.series.values.push_back(std::move(values));
  }
  return out;
}

}  // namespace pitstop::cli
