#include "output/network_series.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "engine/error.hpp"

namespace pitstop::output {
namespace {
constexpr std::size_t kNoPair = std::numeric_limits<std::size_t>::max();

/// Pairs (service, destination service) that a route with p > 0 joins: where blocking can occur.
std::vector<std::pair<std::size_t, std::size_t>> blocking_pairs(const engine::NetworkGraph& g) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0; i < g.service_count(); ++i) {
    for (const engine::ResolvedRoute& r : g.routes()[i]) {
      if (r.to != engine::NetworkGraph::kExitIndex && r.p > 0) pairs.emplace_back(i, r.to);
    }
  }
  return pairs;
}
}  // namespace

std::vector<MetricDef> network_metrics(const engine::NetworkGraph& graph) {
  std::vector<std::string> services;
  for (const auto& s : graph.spec().services)
    services.push_back(s.name);
  std::vector<std::string> pairs;
  for (auto [from, to] : blocking_pairs(graph)) {
    pairs.push_back(graph.spec().services[from].name + "->" + graph.spec().services[to].name);
  }
  return {
      {"arrivals", "people/day", "people arriving at the service (admitted or turned away)",
       Rollup::kSum, "service", services},
      {"completions", "people/day", "services completed", Rollup::kSum, "service", services},
      {"lost", "people/day", "people turned away (no place, no queue room) or leaving unseen",
       Rollup::kSum, "service", services},
      {"queue_length", "people", "people waiting at the end of the day", Rollup::kMean, "service",
       services},
      {"occupied", "places", "places occupied (in service or blocked) at the end of the day",
       Rollup::kMean, "service", services},
      {"blocked_days", "place-days/day",
       "place-days held by people who finished but wait for room downstream (delayed transfer), "
       "by service -> destination (the reason)",
       Rollup::kSum, "service->destination", pairs},
  };
}

NetworkSeriesRecorder::NetworkSeriesRecorder(const engine::NetworkGraph& graph, double horizon_days)
    : defs_(network_metrics(graph)), services_(graph.service_count()) {
  series_.init(defs_, static_cast<std::size_t>(std::floor(horizon_days)));
  pair_of_.assign(services_ * services_, kNoPair);
  const auto pairs = blocking_pairs(graph);
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    pair_of_[pairs[k].first * services_ + pairs[k].second] = k;
  }
  held_.resize(pairs.size());
}

void NetworkSeriesRecorder::on_arrival(std::size_t node, engine::Time) {
  if (day_ < series_.days) at(kArrivals, node) += 1;
}

void NetworkSeriesRecorder::on_lost(std::size_t node, engine::Time, bool) {
  if (day_ < series_.days) at(kLost, node) += 1;
}

void NetworkSeriesRecorder::on_completion(std::size_t node, engine::Time) {
  if (day_ < series_.days) at(kCompletions, node) += 1;
}

void NetworkSeriesRecorder::integrate_blocked(std::size_t pair, engine::Time t) {
  Held& h = held_[pair];
  if (day_ < series_.days && h.count > 0) at(kBlockedDays, pair) += h.count * (t - h.last);
  h.last = t;
}

void NetworkSeriesRecorder::on_blocked(std::size_t node, std::size_t reason, engine::Time t) {
  const std::size_t pair = pair_of_[node * services_ + reason];
  if (pair == kNoPair) {
    // A Policy routed along an edge the graph does not declare: the schema has no column for it.
    throw engine::InternalError("blocked from service " + std::to_string(node) + " for service " +
                                std::to_string(reason) + ", a route the network does not declare");
  }
  integrate_blocked(pair, t);
  held_[pair].count += 1;
}

void NetworkSeriesRecorder::on_unblocked(std::size_t node, std::size_t reason, engine::Time,
                                         engine::Time t) {
  const std::size_t pair = pair_of_[node * services_ + reason];
  integrate_blocked(pair, t);
  held_[pair].count -= 1;
}

void NetworkSeriesRecorder::on_day_end(long day, const engine::Network& net) {
  day_ = static_cast<std::size_t>(day);
  if (day_ >= series_.days) return;
  const engine::Time t = static_cast<double>(day + 1);
  for (std::size_t p = 0; p < held_.size(); ++p)
    integrate_blocked(p, t);
  for (std::size_t i = 0; i < services_; ++i) {
    at(kQueueLength, i) = static_cast<double>(net.queue_length(i));
    at(kOccupied, i) = static_cast<double>(net.occupied(i));
  }
  day_ = static_cast<std::size_t>(day) + 1;
}

}  // namespace pitstop::output
