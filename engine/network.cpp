#include "engine/network.hpp"

#include <cmath>
#include <string>

namespace pitstop::engine {
namespace {
std::size_t places(double v) {
  return v <= 0 ? 0 : static_cast<std::size_t>(std::llround(v));
}
}  // namespace

Network::Network(const NetworkGraph& graph, const RunSpec& run, std::uint32_t replicate,
                 Observer* observer, Policy* policy)
    : graph_(graph),
      horizon_(run.horizon_days),
      warmup_(run.warmup_days),
      sim_(run.seed, replicate),
      observer_(observer),
      policy_(policy) {
  const NetworkSpec& spec = graph.spec();
  const std::size_t n = spec.services.size();
  nodes_.reserve(n);
  for (const ServiceSpec& s : spec.services) {
    nodes_.push_back(Node{Resource(places(s.capacity.value_at(0)), s.queue_capacity, s.discipline),
                          {},
                          0,
                          0,
                          s.keeps_origin,
                          0,
                          {},
                          {},
                          {},
                          {},
                          {}});
    nodes_.back().counters.blocked_days_by_reason.assign(n, 0.0);
  }
  source_counts_.assign(spec.sources.size(), 0);
  for (std::size_t s = 0; s < spec.sources.size(); ++s) {
    arrival_streams_.push_back(sim_.stream(Purpose::kArrivals, s));
  }
  result_.replicate = replicate;
  sim_.reserve(1024);
}

ReplicateResult Network::run() {
  const NetworkSpec& spec = graph_.spec();
  for (std::uint32_t s = 0; s < spec.sources.size(); ++s) {
    Time t = next_arrival(s, 0);
    if (t <= horizon_) sim_.schedule(t, Priority::kArrival, kArrive, s);
  }
  for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
    set_levels(i);
    Time t = spec.services[i].capacity.next_change_after(0);
    if (t <= horizon_) sim_.schedule(t, Priority::kScheduleChange, kCapacity, i);
    const auto& later = spec.services[i].later;
    if (!later.empty() && later.front().from <= horizon_) {
      sim_.schedule(later.front().from, Priority::kScheduleChange, kTerms, i);
    }
  }
  if (warmup_ > 0) {
    sim_.schedule(warmup_, Priority::kControl, kWarmup, 0);
  } else {
    on_warmup();
  }
  if (observer_ != nullptr && observer_->wants_days() && horizon_ >= 1) {
    sim_.schedule(1.0, Priority::kSnapshot, kDayEnd, 0);
  }
  if (policy_ != nullptr) policy_->start(*this);

  result_.events = sim_.run_until(horizon_, [this](const Event& e) { dispatch(e); });
  if (policy_ != nullptr) policy_->finish(*this);

  std::uint64_t inside = 0, held = 0;
  for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
    Node& node = nodes_[i];
    touch(i);
    ServiceCounters& c = node.counters;
    c.area_in_node = node.in_node.area;
    c.area_queue = node.queue.area;
    c.area_occupied = node.occupied.area;
    c.area_capacity = node.capacity.area;
    c.in_node_at_end =
        static_cast<std::int64_t>(node.resource.occupied() + node.resource.queue().size());
    inside += static_cast<std::uint64_t>(c.in_node_at_end);
    held += node.held_here;
  }
  // A held place counts at its node and its holder at their current node: count people once.
  result_.inside_at_end = inside - held;
  PITSTOP_ASSERT(result_.created == result_.exited + result_.lost + result_.inside_at_end);
  result_.observed_days = horizon_ - warmup_;
  for (Node& node : nodes_)
    result_.services.push_back(std::move(node.counters));
  return std::move(result_);
}

void Network::dispatch(const Event& e) {
  switch (e.kind) {
    case kArrive:
      on_arrive(e.target);
      break;
    case kServiceEnd:
      on_service_end(e.target);
      break;
    case kRenege:
      on_renege(e);
      break;
    case kCapacity:
      on_capacity(e.target);
      break;
    case kTerms:
      on_terms(e.target);
      break;
    case kWarmup:
      on_warmup();
      break;
    case kDayEnd: {
      const auto day = static_cast<long>(std::lround(sim_.now())) - 1;
      for (std::uint32_t i = 0; i < nodes_.size(); ++i)
        touch(i);
      observer_->on_day_end(day, *this);
      if (sim_.now() + 1 <= horizon_)
        sim_.schedule(sim_.now() + 1, Priority::kSnapshot, kDayEnd, 0);
      break;
    }
    default:
      PITSTOP_ASSERT(e.kind >= kModelBase && policy_ != nullptr);
      policy_->on_model_event(*this, e.kind - kModelBase, e.target);
  }
}

Time Network::next_arrival(std::uint32_t s, Time after) {
  const SourceSpec& src = graph_.spec().sources[s];
  if (!src.at_days.empty()) {
    std::uint64_t k = source_counts_[s];
    return k < src.at_days.size() ? src.at_days[k] : kNever;
  }
  Stream& st = arrival_streams_[s];
  // Stretch by stretch of the daily rate: a candidate at the stretch's largest rate, kept with
  // rate(t)/max (thinning, Lewis & Shedler) unless the rate is constant there; one past the
  // stretch's end is dropped and the next stretch starts afresh (exact by memorylessness). So
  // what happens before a dated change does not depend on the rates after it.
  Time t = after;
  for (;;) {
    const StepSchedule::Stretch stretch = src.rate.stretch_at(t);
    if (!(stretch.max > 0)) {
      t = stretch.end;
    } else {
      const Time c = t - std::log(st.uniform()) / stretch.max;
      if (c < stretch.end) {
        if (c > horizon_) return kNever;
        if (stretch.constant || st.uniform() * stretch.max <= src.rate.rate_at(c)) return c;
        t = c;
        continue;
      }
      t = stretch.end;
    }
    if (t > horizon_) return kNever;
  }
}

std::uint32_t Network::take_entity_id() {
  ++result_.created;
  return entities_.take();
}

std::uint32_t Network::new_entity(std::uint32_t source) {
  const std::uint32_t id = take_entity_id();
  Entity& e = entities_[id];
  e.serial = (static_cast<std::uint64_t>(source) << 40) | source_counts_[source]++;
  e.tag = e.serial;
  e.priority_class = graph_.spec().sources[source].priority_class;
  return id;
}

SeizeStatus Network::inject(std::uint32_t node, std::uint64_t tag, std::uint64_t key,
                            int priority_class) {
  if (node >= nodes_.size()) {
    throw RuntimeError("inject: no service with index " + std::to_string(node) + " at time " +
                       std::to_string(sim_.now()));
  }
  const std::uint32_t id = take_entity_id();
  Entity& e = entities_[id];
  e.serial = key;
  e.tag = tag;
  e.priority_class = priority_class;
  const SeizeStatus status = enter(id, node);
  if (status == SeizeStatus::kLost) leave(id, node, true);
  return status;
}

void Network::schedule_model(Time at, Priority p, std::uint32_t kind, std::uint32_t target) {
  PITSTOP_ASSERT(kind < kModelBase);
  sim_.schedule(at, p, kModelBase + kind, target);
}

void Network::leave(std::uint32_t id, std::uint32_t node, bool lost) {
  if (lost) {
    ++result_.lost;
  } else {
    ++result_.exited;
  }
  const std::uint64_t tag = entities_[id].tag;
  free_entity(id);
  if (policy_ != nullptr) policy_->on_leave(*this, tag, node, lost);
}

void Network::free_entity(std::uint32_t id) {
  entities_[id].state = State::kFree;
  entities_.release(id);
}

void Network::on_arrive(std::uint32_t source) {
  const std::uint32_t id = new_entity(source);
  const auto node = static_cast<std::uint32_t>(graph_.source_targets()[source]);
  if (enter(id, node) == SeizeStatus::kLost) leave(id, node, true);
  Time t = next_arrival(source, sim_.now());
  if (t <= horizon_) sim_.schedule(t, Priority::kArrival, kArrive, source);
}

SeizeStatus Network::enter(std::uint32_t id, std::uint32_t n) {
  Node& node = nodes_[n];
  Resource& res = node.resource;
  Entity& e = entities_[id];
  touch(n);
  if (observing()) ++node.counters.arrivals;
  if (observer_ != nullptr) observer_->on_arrival(n, sim_.now());
  QueueTicket ticket{id, next_stay_++, e.priority_class};
  // Nobody overtakes the queue: with people waiting, a newcomer joins the back.
  SeizeStatus status;
  if (!res.queue().empty() && res.has_queue_room()) {
    res.queue().push(ticket);
    status = SeizeStatus::kQueued;
  } else {
    status = res.seize(ticket);
  }
  if (status != SeizeStatus::kLost) {
    e.node = n;
    e.entered = sim_.now();
    e.mark = sim_.now();
  }
  if (status == SeizeStatus::kServed) {
    start_service(id, n);
  } else if (status == SeizeStatus::kQueued) {
    e.state = State::kQueued;
    e.stay = ticket.stay;
    const auto& patience = patience_now(n);
    if (patience) {
      e.timeout_order = sim_.schedule(sim_.now() + *patience, Priority::kTimeout, kRenege, id);
    }
  } else {
    if (observing()) ++node.counters.lost;
    if (observer_ != nullptr) observer_->on_lost(n, sim_.now(), false);
  }
  set_levels(n);
  return status;
}

void Network::start_service(std::uint32_t id, std::uint32_t n) {
  Entity& e = entities_[id];
  e.state = State::kInService;
  e.timeout_order = 0;
  ++e.visits;
  if (observing()) {
    ++nodes_[n].counters.started;
    nodes_[n].counters.wait_sum += sim_.now() - e.mark;
  }
  Stream st = draw_stream(Purpose::kDurations, e, n);
  double d = policy_ != nullptr ? policy_->duration(n, e.tag, st) : -1.0;
  if (d < 0) d = duration_now(n).sample(st);
  sim_.schedule(sim_.now() + d, Priority::kRelease, kServiceEnd, id);
}

void Network::depart(std::uint32_t id, std::uint32_t n) {
  Node& node = nodes_[n];
  touch(n);
  node.resource.release();
  if (observing()) {
    ++node.counters.departures;
    node.counters.sojourn_sum += sim_.now() - entities_[id].entered;
  }
  set_levels(n);
}

std::uint32_t Network::transfer(std::uint32_t id, std::uint32_t from, std::uint32_t to) {
  if (nodes_[to].keeps_origin || entities_[id].held != 0) [[unlikely]] {
    return transfer_keeping(id, from, to);
  }
  depart(id, from);
  enter(id, to);
  return kNoPlace;
}

std::uint32_t Network::transfer_keeping(std::uint32_t id, std::uint32_t from, std::uint32_t to) {
  Entity& e = entities_[id];
  const std::uint32_t held = held_node(e);
  if (to == from) {  // another visit to the same service: what is held stays held
    depart(id, from);
    enter(id, to);
    return kNoPlace;
  }
  if (to == held) {
    // Back to the service where they hold a place: they take it up again (a new visit there),
    // ahead of any queue, even above a capacity cut meanwhile (a cut never ejects anyone).
    depart(id, from);
    Node& node = nodes_[to];
    touch(to);
    --node.held_here;
    if (observing()) {
      ++node.counters.departures;
      node.counters.sojourn_sum += sim_.now() - e.entered;
      ++node.counters.arrivals;
    }
    if (observer_ != nullptr) observer_->on_arrival(to, sim_.now());
    e.held = 0;
    e.node = to;
    e.entered = sim_.now();
    e.mark = sim_.now();
    start_service(id, to);
    set_levels(to);
    return kNoPlace;
  }
  if (held != kNoPlace) release_held(id);  // at most one held place: let the older one go
  if (nodes_[to].keeps_origin) {
    // Keep the place at `from`: it stays occupied; its departure is counted at release.
    Node& node = nodes_[from];
    ++node.held_here;
    if (observing()) node.counters.sojourn_sum += sim_.now() - e.entered;  // rest at release
    e.held = from + 1;
  } else {
    depart(id, from);
  }
  enter(id, to);
  return held;
}

void Network::release_held(std::uint32_t id) {
  Entity& e = entities_[id];
  const std::uint32_t h = held_node(e);
  Node& node = nodes_[h];
  touch(h);
  node.resource.release();
  --node.held_here;
  if (observing()) {
    // The departure from the origin; its sojourn = time there before + time held (since they
    // entered their current node), the first part added when the hold began (so a hold begun
    // before the warm-up ends adds only its held part).
    ++node.counters.departures;
    node.counters.sojourn_sum += sim_.now() - e.entered;
  }
  e.held = 0;
  set_levels(h);
}

void Network::on_service_end(std::uint32_t id) {
  Entity& e = entities_[id];
  const std::uint32_t n = e.node;
  Node& node = nodes_[n];
  if (observing()) ++node.counters.completions;
  if (observer_ != nullptr) observer_->on_completion(n, sim_.now());

  std::size_t to = Policy::kUseRoutes;
  if (policy_ != nullptr) {
    Stream st = draw_stream(Purpose::kRouting, e, n);
    to = policy_->route(n, e.tag, st);
    if (to != Policy::kUseRoutes && to != NetworkGraph::kExitIndex && to >= nodes_.size()) {
      throw RuntimeError("the model routed person " + std::to_string(e.tag) + " from '" +
                         graph_.spec().services[n].name + "' to service index " +
                         std::to_string(to) + ", which does not exist (time " +
                         std::to_string(sim_.now()) + ")");
    }
  }
  if (to == Policy::kUseRoutes) {
    const std::vector<ResolvedRoute>& routes = graph_.routes_in_terms(n, nodes_[n].terms);
    to = routes.front().to;
    if (routes.size() > 1) {
      Stream st = draw_stream(Purpose::kRouting, e, n);
      double u = st.uniform();
      for (const ResolvedRoute& r : routes) {
        to = r.to;
        if (u < r.p) break;
        u -= r.p;
      }
    }
  }
  if (to == NetworkGraph::kExitIndex) {
    depart(id, n);
    const std::uint32_t held = held_node(e);
    if (held != kNoPlace) release_held(id);
    leave(id, n, false);
    fill(n);
    if (held != kNoPlace) fill(held);
    return;
  }
  const auto j = static_cast<std::uint32_t>(to);
  Node& dest = nodes_[j];
  // Routing back to the same service frees this place first. Known edge case: if that queue is
  // full, the returning person takes the freed place ahead of the waiters. Mutually blocked full
  // services (a deadlock) are not detected: they stay blocked until the horizon. Routing to the
  // service where one holds a place (keeps_origin) takes that place up again: never blocked.
  if ((dest.blocked_waiting.empty() && (j == n || dest.resource.can_admit())) ||
      j == held_node(e)) {
    const std::uint32_t released = transfer(id, n, j);
    if (policy_ != nullptr) policy_->on_move(*this, e.tag, n, j, sim_.now());
    fill(n);
    if (released != kNoPlace) fill(released);
    return;
  }
  // Blocked: keep the place held here until room frees at j (FIFO among those blocked for j).
  e.state = State::kBlocked;
  e.blocked_to = j;
  e.mark = sim_.now();
  ++node.blocked_here;
  dest.blocked_waiting.push_back(id);
  if (observer_ != nullptr) observer_->on_blocked(n, j, sim_.now());
}

void Network::fill(std::uint32_t start) {
  work_.push_back(start);
  while (!work_.empty()) {
    const std::uint32_t k = work_.back();
    work_.pop_back();
    Node& node = nodes_[k];
    Resource& res = node.resource;
    touch(k);
    while (res.has_free_place() && !res.queue().empty()) {
      QueueTicket t = res.queue().pop([&](const QueueTicket& q) {
        const Entity& w = entities_[q.entity];
        return w.state == State::kQueued && w.stay == q.stay && w.node == k;
      });
      res.take_place();
      start_service(t.entity, k);
    }
    set_levels(k);
    while (!node.blocked_waiting.empty() && res.can_admit()) {
      const std::uint32_t id = node.blocked_waiting.front();
      node.blocked_waiting.pop_front();
      Entity& e = entities_[id];
      const std::uint32_t origin = e.node;
      Node& from = nodes_[origin];
      --from.blocked_here;
      if (observing()) {
        const double held = sim_.now() - std::max(e.mark, observe_from_);
        ++from.counters.blocked_departures;
        from.counters.blocked_days += held;
        from.counters.blocked_days_by_reason[k] += held;
      }
      if (observer_ != nullptr) observer_->on_unblocked(origin, k, e.mark, sim_.now());
      const Time ready = e.mark;
      const std::uint64_t tag = e.tag;
      const std::uint32_t released = transfer(id, origin, k);
      if (policy_ != nullptr) policy_->on_move(*this, tag, origin, k, ready);
      work_.push_back(origin);
      if (released != kNoPlace) work_.push_back(released);
    }
  }
}

void Network::on_renege(const Event& ev) {
  const std::uint32_t id = ev.target;
  Entity& e = entities_[id];
  if (e.state != State::kQueued || e.timeout_order != ev.order) return;  // served meanwhile
  const std::uint32_t n = e.node;
  Node& node = nodes_[n];
  touch(n);
  node.resource.queue().forget_one();
  if (observing()) {
    ++node.counters.lost;
    ++node.counters.reneged;
  }
  if (observer_ != nullptr) observer_->on_lost(n, sim_.now(), true);
  const std::uint32_t held = held_node(e);
  if (held != kNoPlace) release_held(id);
  leave(id, n, true);
  set_levels(n);
  fill(n);
  if (held != kNoPlace) fill(held);
}

void Network::on_capacity(std::uint32_t n) {
  const StepSchedule& schedule = graph_.spec().services[n].capacity;
  touch(n);
  nodes_[n].resource.set_capacity(places(schedule.value_at(sim_.now())));
  set_levels(n);
  fill(n);
  Time next = schedule.next_change_after(sim_.now());
  if (next <= horizon_) sim_.schedule(next, Priority::kScheduleChange, kCapacity, n);
}

void Network::on_terms(std::uint32_t n) {
  const auto& later = graph_.spec().services[n].later;
  Node& node = nodes_[n];
  const ServiceTerms& terms = later[node.terms];
  ++node.terms;
  touch(n);
  // A smaller waiting room turns no one out; a larger one lets the blocked in at once.
  node.resource.set_queue_capacity(terms.queue_capacity);
  set_levels(n);
  fill(n);
  if (node.terms < later.size() && later[node.terms].from <= horizon_) {
    sim_.schedule(later[node.terms].from, Priority::kScheduleChange, kTerms, n);
  }
}

const Distribution& Network::duration_now(std::uint32_t n) const {
  const ServiceSpec& s = graph_.spec().services[n];
  return nodes_[n].terms == 0 ? s.duration : s.later[nodes_[n].terms - 1].duration;
}

const std::optional<double>& Network::patience_now(std::uint32_t n) const {
  const ServiceSpec& s = graph_.spec().services[n];
  return nodes_[n].terms == 0 ? s.renege_after_days
                              : s.later[nodes_[n].terms - 1].renege_after_days;
}

void Network::on_warmup() {
  observing_ = true;
  observe_from_ = sim_.now();
  for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
    Node& node = nodes_[i];
    touch(i);
    for (TimeWeighted* tw : {&node.in_node, &node.queue, &node.occupied, &node.capacity}) {
      tw->reset(sim_.now());
    }
    ServiceCounters fresh;
    fresh.blocked_days_by_reason.assign(nodes_.size(), 0.0);
    fresh.in_node_at_start =
        static_cast<std::int64_t>(node.resource.occupied() + node.resource.queue().size());
    node.counters = std::move(fresh);
  }
}

void Network::touch(std::uint32_t n) {
  Node& node = nodes_[n];
  const Time t = sim_.now();
  node.in_node.advance(t);
  node.queue.advance(t);
  node.occupied.advance(t);
  node.capacity.advance(t);
}

void Network::set_levels(std::uint32_t n) {
  Node& node = nodes_[n];
  const Resource& res = node.resource;
  node.in_node.level = static_cast<double>(res.occupied() + res.queue().size());
  node.queue.level = static_cast<double>(res.queue().size());
  node.occupied.level = static_cast<double>(res.occupied());
  node.capacity.level = static_cast<double>(res.capacity());
}

}  // namespace pitstop::engine
