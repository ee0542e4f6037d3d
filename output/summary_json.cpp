#include "output/summary_json.hpp"

#include "output/json.hpp"

namespace pitstop::output {

std::string summary_json(const models::Scenario& scenario,
                         const std::vector<engine::ReplicateResult>& results,
                         const std::string& tool_version) {
  std::vector<std::string> names;
  for (const auto& s : scenario.network.services) names.push_back(s.name);
  const engine::NetworkSummary summary = engine::summarize(names, results);

  JsonWriter w;
  w.begin_object();
  w.key("tool").value("pitstop " + tool_version);
  w.key("scenario").value(scenario.name);
  w.key("start").value(scenario.start.iso());
  w.key("horizon_days").value(scenario.run.horizon_days);
  w.key("warmup_days").value(scenario.run.warmup_days);
  w.key("seed").value(static_cast<std::uint64_t>(scenario.run.seed));
  w.key("replicates").value(static_cast<std::uint64_t>(results.size()));
  w.key("interval").value("95% Student-t interval of the mean across replicates");
  w.key("services").begin_object();
  for (std::size_t i = 0; i < names.size(); ++i) {
    w.key(names[i]).begin_object();
    for (const std::string& stat : engine::service_stat_names()) {
      const engine::Interval& iv = summary.stats[i].at(stat);
      w.key(stat).begin_object();
      w.key("mean").value(iv.mean);
      w.key("lo").value(iv.lo);
      w.key("hi").value(iv.hi);
      w.end_object();
    }
    w.end_object();
  }
  w.end_object();
  std::uint64_t events = 0;
  for (const auto& r : results) events += r.events;
  w.key("events").value(events);
  w.end_object();
  return w.str() + "\n";
}

}  // namespace pitstop::output
