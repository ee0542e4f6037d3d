// A queueing Network in motion: one replicate of a NetworkGraph on one Simulator. Sources feed
// services (Resources); after service people follow routes; when the next service has neither a
// place nor queue room they are blocked: they keep the place they hold until room frees, in FIFO
// order, and the time is recorded against the node with the destination as the reason.
// Someone who enters a keeps_origin service from another service also keeps the place they came
// from until they leave it (ServiceSpec::keeps_origin): at most one such held place per person.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "engine/network_graph.hpp"
#include "engine/observer.hpp"
#include "engine/policy.hpp"
#include "engine/pool.hpp"
#include "engine/resource.hpp"
#include "engine/results.hpp"
#include "engine/simulator.hpp"
#include "engine/stats.hpp"

namespace pitstop::engine {

/// One replicate of a network: build, run() once, read the result.
class Network {
 public:
  Network(const NetworkGraph& graph, const RunSpec& run, std::uint32_t replicate,
          Observer* observer = nullptr, Policy* policy = nullptr);

  /// Runs from 0 to the horizon and returns what was measured after warm-up.
  ReplicateResult run();

  // For a Policy (valid during run()).
  /// Brings person `tag` into service `node` now: served, queued, or lost when full. `key` keys
  /// the person's random draws for this episode (durations, routes): give each episode its own.
  SeizeStatus inject(std::uint32_t node, std::uint64_t tag, std::uint64_t key,
                     int priority_class = 0);
  /// Schedules a model event: Policy::on_model_event(kind, target) at time `at` (>= now).
  void schedule_model(Time at, Priority p, std::uint32_t kind, std::uint32_t target);
  /// A stream of this replicate for the model's own purposes.
  Stream stream(Purpose purpose, std::uint64_t entity = 0, std::uint64_t sub = 0) const {
    return Stream(sim_.seed(), sim_.replicate(), purpose, entity, sub);
  }
  Time horizon() const { return horizon_; }
  /// Time of the next event on the calendar (kNever when none): a Policy may handle its own
  /// events due before it at once, without the calendar, when they touch nothing else.
  Time next_event_time() const { return sim_.next_time(); }

  // Read-only views for observers (valid during run()).
  Time now() const { return sim_.now(); }
  std::size_t service_count() const { return nodes_.size(); }
  std::size_t occupied(std::size_t node) const { return nodes_[node].resource.occupied(); }
  std::size_t queue_length(std::size_t node) const { return nodes_[node].resource.queue().size(); }
  std::size_t capacity(std::size_t node) const { return nodes_[node].resource.capacity(); }
  std::size_t blocked_here(std::size_t node) const { return nodes_[node].blocked_here; }
  /// Places at `node` held by people who are now at a keeps_origin service they entered from
  /// `node` (counted in occupied(node) too).
  std::size_t held_places(std::size_t node) const { return nodes_[node].held_here; }
  /// Calls f(tag, node, reason, since) for everyone blocked now: holding a place at `node` since
  /// `since`, waiting for room at `reason`. Someone blocked at a keeps_origin service may hold a
  /// place where they came from as well (not reported here; see held_places).
  template <class F>
  void for_each_blocked(F&& f) const {
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      for (std::uint32_t id : nodes_[k].blocked_waiting) {
        const Entity& e = entities_[id];
        f(e.tag, static_cast<std::size_t>(e.node), k, e.mark);
      }
    }
  }
  /// Whether someone routed to `node` now would get a place or queue room (not be blocked).
  bool has_room(std::size_t node) const {
    return nodes_[node].blocked_waiting.empty() && nodes_[node].resource.can_admit();
  }

 private:
  enum Kind : std::uint32_t {
    kArrive,
    kServiceEnd,
    kRenege,
    kCapacity,
    kTerms,  // a service's later terms begin (ServiceSpec::later)
    kWarmup,
    kDayEnd,
    kModelBase = 1u << 16,  // kModelBase + k: the Policy's event kind k
  };
  enum class State : std::uint8_t { kFree, kQueued, kInService, kBlocked };
  static constexpr std::uint32_t kNoPlace = 0xFFFFFFFFu;  // no service (see held_node)

  /// A person in the network (pooled; ids are reused after exit).
  struct Entity {
    std::uint64_t serial = 0;         // keys this person's random draws: (source << 40) | n, or
                                      // the key given to inject()
    std::uint64_t tag = 0;            // the model's id for the person (inject()), else serial
    std::uint64_t stay = 0;           // current queue stay (validates queue tickets)
    std::uint64_t timeout_order = 0;  // order key of the pending renege event, if any
    Time entered = 0;                 // entered the current node
    Time mark = 0;                    // joined the queue, or became blocked
    std::uint32_t node = 0;
    std::uint32_t blocked_to = 0;
    std::uint32_t held = 0;  // 1 + the service where a place is held (keeps_origin), 0 = none:
                             // zero by default keeps the pool's reset of a slot cheap
    std::uint32_t visits = 0;
    int priority_class = 0;
    State state = State::kFree;
  };
  static_assert(sizeof(Entity) <= 72, "keep Entity small: it is pooled per person in the network");
  /// The service where `e` holds a place, or kNoPlace.
  static std::uint32_t held_node(const Entity& e) { return e.held - 1; }  // 0 − 1 = kNoPlace

  /// A service while running: its resource, blocked arrivals and measurements.
  struct Node {
    Resource resource;
    std::deque<std::uint32_t> blocked_waiting;  // holders elsewhere waiting for room here (FIFO)
    std::size_t blocked_here = 0;               // places here held by blocked people
    std::size_t held_here = 0;  // places here held by people now at a keeps_origin service
    bool keeps_origin = false;  // ServiceSpec::keeps_origin
    std::uint32_t terms = 0;    // 0 = the spec's own terms, k = ServiceSpec::later[k − 1]
    ServiceCounters counters;
    TimeWeighted in_node, queue, occupied, capacity;
  };

  void dispatch(const Event& e);
  void on_arrive(std::uint32_t source);
  void on_service_end(std::uint32_t id);
  void on_renege(const Event& e);
  void on_capacity(std::uint32_t node);
  void on_terms(std::uint32_t node);
  /// The duration, patience and routes in force at `node` now.
  const Distribution& duration_now(std::uint32_t node) const;
  const std::optional<double>& patience_now(std::uint32_t node) const;
  void on_warmup();

  Time next_arrival(std::uint32_t source, Time after);
  std::uint32_t new_entity(std::uint32_t source);
  std::uint32_t take_entity_id();
  void leave(std::uint32_t id, std::uint32_t node, bool lost);  // exit or loss; frees the entity
  void free_entity(std::uint32_t id);
  /// Entry into `node` of someone not holding a place there: served, queued or (from outside) lost.
  SeizeStatus enter(std::uint32_t id, std::uint32_t node);
  void start_service(std::uint32_t id, std::uint32_t node);
  void depart(std::uint32_t id, std::uint32_t node);
  /// Moves someone who holds a place at `from` (and is done there) into service `to`, which has
  /// room (or is `from` itself, or the service where they hold a place): releases `from`'s place
  /// or, when `to` keeps origins, keeps it held; releases the place held before. Returns the
  /// service whose held place was released (the caller fills it), else kNoPlace.
  std::uint32_t transfer(std::uint32_t id, std::uint32_t from, std::uint32_t to);
  std::uint32_t transfer_keeping(std::uint32_t id, std::uint32_t from, std::uint32_t to);
  /// Releases the place person `id` holds at their origin (they are leaving their current node).
  void release_held(std::uint32_t id);
  /// Serves waiters and admits blocked holders wherever places freed, as one iterative step.
  void fill(std::uint32_t node);
  void touch(std::uint32_t node);  // brings the node's time integrals up to now
  void set_levels(std::uint32_t node);
  bool observing() const { return observing_; }
  Stream draw_stream(Purpose p, const Entity& e, std::uint32_t node) const {
    return Stream(sim_.seed(), sim_.replicate(), p, e.serial,
                  (static_cast<std::uint64_t>(node) << 32) | e.visits);
  }

  const NetworkGraph& graph_;
  Time horizon_, warmup_;
  Simulator sim_;
  Observer* observer_;
  Policy* policy_;
  std::vector<Node> nodes_;
  Pool<Entity> entities_;
  std::vector<std::uint64_t> source_counts_;
  std::vector<Stream> arrival_streams_;
  std::vector<std::uint32_t> work_;  // fill() worklist, reused
  std::uint64_t next_stay_ = 1;
  bool observing_ = false;
  Time observe_from_ = 0;
  ReplicateResult result_;
};

}  // namespace pitstop::engine
