// What a model adds to a Network beyond its spec: its own events on the same calendar, arrivals
// it injects, and choices (route, duration) that depend on who the person is. Domain-free: a
// person is an opaque `tag` chosen by the model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

#include "engine/rng.hpp"
#include "engine/time.hpp"

namespace pitstop::engine {

class Network;

/// Model hooks consulted by a running Network. Every default leaves the spec in charge.
class Policy {
 public:
  /// Returned by route() to use the spec's probability table.
  static constexpr std::size_t kUseRoutes = std::numeric_limits<std::size_t>::max() - 1;

  virtual ~Policy() = default;
  /// Called once when the run starts (after the spec's own first events are scheduled): schedule
  /// the model's first events here with Network::schedule_model.
  virtual void start(Network& /*net*/) {}
  /// A model event scheduled with Network::schedule_model is due.
  virtual void on_model_event(Network& /*net*/, std::uint32_t /*kind*/, std::uint32_t /*target*/) {}
  /// Where person `tag` goes after service at `node`: a service index, NetworkGraph::kExitIndex,
  /// or kUseRoutes. `s` is the person's routing stream for this visit. Routes are not checked
  /// against keeps_origin: from a keeps_origin service into another one the person keeps only
  /// the newer place (the older held place is released as they move), at most one held place;
  /// to the service where they hold a place, they take that place up again.
  virtual std::size_t route(std::size_t /*node*/, std::uint64_t /*tag*/, Stream& /*s*/) {
    return kUseRoutes;
  }
  /// Service duration of person `tag` at `node` in days, or a negative value to draw from the
  /// spec's distribution. `s` is the person's duration stream for this visit.
  virtual double duration(std::size_t /*node*/, std::uint64_t /*tag*/, Stream& /*s*/) { return -1; }
  /// Person `tag` moved from service `from` into service `to` (served or queued there). `ready`
  /// is when they finished at `from`: earlier than now when they were blocked, waiting for room.
  /// When `to` keeps origins (ServiceSpec::keeps_origin) they still hold their place at `from`
  /// until they leave `to`: the next on_move (from `to`) or on_leave (at `to`).
  virtual void on_move(Network& /*net*/, std::uint64_t /*tag*/, std::size_t /*from*/,
                       std::size_t /*to*/, Time /*ready*/) {}
  /// The run reached its horizon (called once, before the results are taken): e.g. to count
  /// what is still under way, with Network::for_each_blocked.
  virtual void finish(Network& /*net*/) {}
  /// Person `tag` left the network at `node`: through exit, or lost (turned away or reneged).
  /// A place they held where they came from (keeps_origin) has been released by now.
  virtual void on_leave(Network& /*net*/, std::uint64_t /*tag*/, std::size_t /*node*/,
                        bool /*lost*/) {}
};

}  // namespace pitstop::engine
