// The daily series of a generic queueing network, recorded by listening to the engine.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/network.hpp"
#include "engine/network_graph.hpp"
#include "engine/observer.hpp"
#include "output/series.hpp"

namespace pitstop::output {

/// Metric indices of network_metrics(), in order.
enum NetworkMetric : std::size_t {
  kArrivals,
  kCompletions,
  kLost,
  kQueueLength,
  kOccupied,
  kBlockedDays,
  kNetworkMetricCount
};

/// The schema of a generic network's series: per service arrivals, completions, lost, queue
/// length and places occupied at the end of the day; blocked place-days by (service → reason).
std::vector<MetricDef> network_metrics(const engine::NetworkGraph& graph);

/// An Observer that fills a SeriesSet day by day (day d covers simulation time [d, d + 1)).
class NetworkSeriesRecorder : public engine::Observer {
 public:
  NetworkSeriesRecorder(const engine::NetworkGraph& graph, double horizon_days);

  bool wants_days() const override { return true; }
  void on_arrival(std::size_t node, engine::Time t) override;
  void on_lost(std::size_t node, engine::Time t, bool reneged) override;
  void on_completion(std::size_t node, engine::Time t) override;
  void on_blocked(std::size_t node, std::size_t reason, engine::Time t) override;
  void on_unblocked(std::size_t node, std::size_t reason, engine::Time since,
                    engine::Time t) override;
  void on_day_end(long day, const engine::Network& net) override;

  SeriesSet take() { return std::move(series_); }
  const std::vector<MetricDef>& metrics() const { return defs_; }

 private:
  double& at(std::size_t metric, std::size_t b) {
    return series_.values[metric][day_ * defs_[metric].breakdown.size() + b];
  }
  void integrate_blocked(std::size_t pair, engine::Time t);

  std::vector<MetricDef> defs_;
  SeriesSet series_;
  std::size_t services_;
  std::size_t day_ = 0;
  std::vector<std::size_t> pair_of_;  // node * services + reason → blocked_days breakdown index
  struct Held {
    double count = 0;
    engine::Time last = 0;
  };
  std::vector<Held> held_;  // per breakdown pair
};

}  // namespace pitstop::output
