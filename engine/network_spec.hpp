// The immutable description of a queueing network, in the engine's own terms: sources of
// arrivals, services with capacity and queues, and routes between them. Filled by a loader
// (models/) or by code; checked and compiled by NetworkGraph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/distribution.hpp"
#include "engine/schedule.hpp"
#include "engine/time.hpp"

namespace pitstop::engine {

inline constexpr std::size_t kUnlimited = std::numeric_limits<std::size_t>::max();
/// The name of the sink every route may lead to.
inline constexpr const char* kExitName = "exit";

/// Order in which a service's queue is served.
enum class Discipline { kFifo, kPriority };

/// One outgoing route: go to `to` (a service name or "exit") with probability `p`.
struct RouteSpec {
  std::string to;
  double p = 1.0;
  bool operator==(const RouteSpec&) const = default;
};

/// A stream of arrivals into one service.
struct SourceSpec {
  std::string name;
  std::string to;
  RateProfile rate;
  int priority_class = 0;     // lower is served first under Discipline::kPriority
  std::vector<Time> at_days;  // if not empty: scripted arrivals at exactly these times
};

/// A service's terms from a date on: how long service takes, the waiting room, patience and
/// where people go next (a dated change of these, e.g. a pit stop; capacity changes through
/// ServiceSpec::capacity). Who is already in service keeps the duration drawn when they started;
/// a smaller waiting room turns no one out.
struct ServiceTerms {
  Time from = 0;
  Distribution duration = Distribution::exponential(1.0);
  std::size_t queue_capacity = kUnlimited;
  std::optional<double> renege_after_days;
  std::vector<RouteSpec> routes;  // empty = everyone exits
};

/// A service: places (capacity), a waiting room, a duration and where people go next.
struct ServiceSpec {
  std::string name;
  StepSchedule capacity{1.0};
  std::size_t queue_capacity = kUnlimited;  // 0 = lost when every place is taken
  Discipline discipline = Discipline::kFifo;
  Distribution duration = Distribution::exponential(1.0);
  std::optional<double> renege_after_days;  // leave the queue unseen after this wait
  std::vector<RouteSpec> routes;            // empty = everyone exits
  /// A person who enters this service from another service A (by a route, or admitted after
  /// being blocked at A) keeps their place at A while here (queued, served or blocked here); A's
  /// place is released only when they leave here: on entering the next service, at exit, or when
  /// they renege from this queue. Arrivals from a source or Network::inject hold nothing extra.
  /// A keeps_origin service may route (p > 0) neither to itself nor to another keeps_origin
  /// service; a route back to A takes the held place up again. A's occupancy counts the held
  /// place; A's departure (and sojourn) is counted when it is released. Network::held_places.
  bool keeps_origin = false;
  /// Later terms (each `from` > 0, increasing): from `later[k].from` on, the duration, waiting
  /// room, patience and routes are `later[k]`'s. The same routes must keep the same shape rules
  /// (NetworkGraph checks the network as it stands from each date).
  std::vector<ServiceTerms> later;
};

/// The whole network plus how to run it.
struct NetworkSpec {
  std::string name;
  std::vector<SourceSpec> sources;
  std::vector<ServiceSpec> services;
  int start_weekday = 0;  // weekday of day 0 (0 = Monday)
};

/// How a run is carried out.
struct RunSpec {
  Time horizon_days = 365;
  Time warmup_days = 0;
  std::uint64_t seed = 1;
  std::uint32_t replicates = 1;
};

}  // namespace pitstop::engine
