// keeps_origin: a person who enters such a service from another one keeps their place there
// until they leave it. Exact scripted timings (holding while served, queued and blocked; release
// on moving on, at exit and on reneging; back to the held place; a Policy route between two such
// services), the graph checks, conservation and determinism.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "support/spec_builder.hpp"

using namespace pitstop::engine;
using pitstop::test::run_once;
using pitstop::test::run_spec;
using pitstop::test::SpecBuilder;

namespace {

Distribution fixed(double v) {
  return Distribution::fixed(v);
}

/// The tag of the n-th arrival (from 0, lost ones included) of source `s`.
std::uint64_t tag_of(std::uint64_t s, std::uint64_t n) {
  return (s << 40) | n;
}

/// A Policy that only watches: snapshots of every service at chosen times (after everything
/// else due then), and what held_places/occupied said inside on_move and on_leave. `routes`
/// optionally overrides routing: (service, visit of that person there, from 0) → destination.
struct Probe : Policy {
  struct Snapshot {
    Time t = 0;
    std::vector<std::size_t> occupied, held, queue, blocked;
  };
  struct Move {
    std::uint64_t tag = 0;
    std::size_t from = 0, to = 0;
    Time ready = 0, now = 0;
    std::vector<std::size_t> held, occupied;  // all services, at the callback
  };
  struct Leave {
    std::uint64_t tag = 0;
    std::size_t node = 0;
    bool lost = false;
    Time now = 0;
    std::vector<std::size_t> held, occupied;
  };

  std::vector<Time> at;
  std::map<std::size_t, std::vector<std::size_t>> routes;  // service → destination per visit
  std::map<std::pair<std::size_t, std::uint64_t>, std::size_t> visits;
  std::vector<Snapshot> snapshots;
  std::vector<Move> moves;
  std::vector<Leave> leaves;

  static std::vector<std::size_t> all(const Network& net,
                                      std::size_t (Network::*f)(std::size_t) const) {
    std::vector<std::size_t> v;
    for (std::size_t i = 0; i < net.service_count(); ++i)
      v.push_back((net.*f)(i));
    return v;
  }
  void start(Network& net) override {
    for (std::size_t k = 0; k < at.size(); ++k)
      net.schedule_model(at[k], Priority::kControl, 0, static_cast<std::uint32_t>(k));
  }
  void on_model_event(Network& net, std::uint32_t, std::uint32_t) override {
    snapshots.push_back({net.now(), all(net, &Network::occupied), all(net, &Network::held_places),
                         all(net, &Network::queue_length), all(net, &Network::blocked_here)});
  }
  std::size_t route(std::size_t node, std::uint64_t tag, Stream&) override {
    auto it = routes.find(node);
    if (it == routes.end()) return kUseRoutes;
    const std::size_t visit = visits[{node, tag}]++;
    return it->second.at(visit);
  }
  void on_move(Network& net, std::uint64_t tag, std::size_t from, std::size_t to,
               Time ready) override {
    moves.push_back({tag, from, to, ready, net.now(), all(net, &Network::held_places),
                     all(net, &Network::occupied)});
  }
  void on_leave(Network& net, std::uint64_t tag, std::size_t node, bool lost) override {
    leaves.push_back({tag, node, lost, net.now(), all(net, &Network::held_places),
                      all(net, &Network::occupied)});
  }
  const Snapshot& snapshot_at(Time t) const {
    for (const Snapshot& s : snapshots) {
      if (s.t == t) return s;
    }
    FAIL("no snapshot at " << t);
    throw;
  }
};

ReplicateResult run_probed(const NetworkSpec& spec, const RunSpec& run, Probe& probe) {
  NetworkGraph graph(spec);
  Network net(graph, run, 0, nullptr, &probe);
  return net.run();
}

using Sizes = std::vector<std::size_t>;

}  // namespace

TEST_CASE("keeps_origin: the origin place is held while served and blocked downstream",
          "[network][keeps_origin]") {
  // a (1 place, no queue, 1 day) → b (keeps_origin, 1 place, no queue, 2 days) → c (1 place, no
  // queue, 5 days) → exit. c is busy 0–5 with someone who came straight in.
  // #1: a 0–1; b 1–3 (a's place held); blocked in b 3–5 (c busy), still holding a; enters c at 5,
  //     releasing b's and a's places at that instant; c 5–10.
  // Arrivals at a at 0.5 (a serving), 2 (held while #1 is served at b) and 4 (held while #1 is
  // blocked at b) are lost. The one at 5 comes after the release (same instant): admitted.
  // #2: a 5–6; b 6–8; blocked in b 8–10 (c has #1); c 10–15. a's place held 6–10.
  auto build = [](bool keeps) {
    auto spec = SpecBuilder()
                    .service("a", 1, fixed(1.0), {{"b", 1.0}}, 0)
                    .service("b", 1, fixed(2.0), {{"c", 1.0}}, 0)
                    .service("c", 1, fixed(5.0), {}, 0)
                    .scripted("fill-c", "c", {0.0})
                    .scripted("in", "a", {0.0, 0.5, 2.0, 4.0, 5.0})
                    .build();
    spec.services[1].keeps_origin = keeps;
    return spec;
  };
  Probe probe;
  probe.at = {0.75, 2.0, 4.0, 5.0, 7.0, 9.0, 12.0};
  const auto r = run_probed(build(true), run_spec(20), probe);
  const ServiceCounters& a = r.services[0];
  const ServiceCounters& b = r.services[1];
  const ServiceCounters& c = r.services[2];

  CHECK(a.arrivals == 5);
  CHECK(a.lost == 3);
  CHECK(a.started == 2);
  CHECK(a.departures == 2);                     // counted when the held place is released
  CHECK(a.sojourn_sum == Approx(5.0 + 5.0));    // 0→5 and 5→10, held time included
  CHECK(a.area_occupied == Approx(5.0 + 5.0));  // a's place occupied 0–5 and 5–10
  CHECK(a.area_in_node == Approx(10.0));
  CHECK(a.blocked_days == 0);  // the waiting for c is b's blocking, not a's
  CHECK(b.arrivals == 2);
  CHECK(b.departures == 2);
  CHECK(b.blocked_departures == 2);
  CHECK(b.blocked_days == Approx(2.0 + 2.0));
  CHECK(b.blocked_days_by_reason[2] == Approx(4.0));
  CHECK(b.sojourn_sum == Approx(4.0 + 4.0));
  CHECK(b.area_occupied == Approx(8.0));
  CHECK(c.arrivals == 3);
  CHECK(c.completions == 3);
  CHECK(c.area_occupied == Approx(15.0));
  CHECK(r.created == 6);
  CHECK(r.exited == 3);
  CHECK(r.lost == 3);
  CHECK(r.inside_at_end == 0);

  // Snapshots after everything due at that time: {a, b, c}.
  CHECK(probe.snapshot_at(0.75).held == Sizes{0, 0, 0});
  CHECK(probe.snapshot_at(0.75).occupied == Sizes{1, 0, 1});
  CHECK(probe.snapshot_at(2.0).held == Sizes{1, 0, 0});  // #1 served at b
  CHECK(probe.snapshot_at(2.0).occupied == Sizes{1, 1, 1});
  CHECK(probe.snapshot_at(4.0).held == Sizes{1, 0, 0});  // #1 blocked at b
  CHECK(probe.snapshot_at(4.0).blocked == Sizes{0, 1, 0});
  CHECK(probe.snapshot_at(4.0).occupied == Sizes{1, 1, 1});
  CHECK(probe.snapshot_at(5.0).held == Sizes{0, 0, 0});
  CHECK(probe.snapshot_at(5.0).occupied == Sizes{1, 0, 1});  // #2 took a's freed place at 5
  CHECK(probe.snapshot_at(7.0).held == Sizes{1, 0, 0});
  CHECK(probe.snapshot_at(9.0).held == Sizes{1, 0, 0});
  CHECK(probe.snapshot_at(9.0).blocked == Sizes{0, 1, 0});
  CHECK(probe.snapshot_at(12.0).held == Sizes{0, 0, 0});
  CHECK(probe.snapshot_at(12.0).occupied == Sizes{0, 0, 1});

  // on_move as before: a→b when entering b, b→c later; a's place is released exactly as #1
  // enters c (before the same-instant arrival takes it).
  const std::uint64_t first = tag_of(1, 0), second = tag_of(1, 4);
  REQUIRE(probe.moves.size() == 4);
  const auto& m = probe.moves;
  CHECK((m[0].tag == first && m[0].from == 0 && m[0].to == 1));
  CHECK(m[0].now == 1.0);
  CHECK(m[0].held == Sizes{1, 0, 0});
  CHECK(m[0].occupied == Sizes{1, 1, 1});
  CHECK((m[1].tag == first && m[1].from == 1 && m[1].to == 2));
  CHECK(m[1].ready == 3.0);
  CHECK(m[1].now == 5.0);
  CHECK(m[1].held == Sizes{0, 0, 0});
  CHECK(m[1].occupied == Sizes{0, 0, 1});
  CHECK((m[2].tag == second && m[2].from == 0 && m[2].to == 1 && m[2].now == 6.0));
  CHECK(m[2].held == Sizes{1, 0, 0});
  CHECK((m[3].tag == second && m[3].from == 1 && m[3].to == 2));
  CHECK((m[3].ready == 8.0 && m[3].now == 10.0));
  CHECK(m[3].held == Sizes{0, 0, 0});

  // Without keeps_origin a's place frees at 1: the arrival at 2 is admitted (then blocked in a
  // from 3 behind #1 at b), and only those at 0.5 and 4 are lost.
  const auto plain = run_once(build(false), run_spec(20));
  CHECK(plain.services[0].lost == 2);
}

TEST_CASE("keeps_origin: reneging from the queue and exit release the origin place",
          "[network][keeps_origin]") {
  SECTION("renege") {
    // a (1 place, no queue, 1 day) → b (keeps_origin, 1 place, queue, patience 1.5, 10 days).
    // b is busy 0–10. #1: a 0–1, waits at b from 1 holding a, reneges at 2.5: a frees then.
    // The arrival at 2 is lost (a held); the one at 3: a 3–4, waits at b from 4, reneges 5.5.
    auto spec = SpecBuilder()
                    .service("a", 1, fixed(1.0), {{"b", 1.0}}, 0)
                    .service("b", 1, fixed(10.0))
                    .scripted("fill-b", "b", {0.0})
                    .scripted("in", "a", {0.0, 2.0, 3.0})
                    .build();
    spec.services[1].keeps_origin = true;
    spec.services[1].renege_after_days = 1.5;
    Probe probe;
    probe.at = {2.25, 2.75, 4.5, 6.0};
    const auto r = run_probed(spec, run_spec(20), probe);
    const ServiceCounters& a = r.services[0];
    const ServiceCounters& b = r.services[1];
    CHECK(a.arrivals == 3);
    CHECK(a.lost == 1);
    CHECK(a.departures == 2);
    CHECK(a.sojourn_sum == Approx(2.5 + 2.5));
    CHECK(a.area_occupied == Approx(2.5 + 2.5));
    CHECK(b.arrivals == 3);
    CHECK(b.reneged == 2);
    CHECK(b.lost == 2);
    CHECK(b.started == 1);
    CHECK(r.lost == 3);
    CHECK(r.exited == 1);
    CHECK(probe.snapshot_at(2.25).held == Sizes{1, 0});
    CHECK(probe.snapshot_at(2.25).queue == Sizes{0, 1});
    CHECK(probe.snapshot_at(2.75).held == Sizes{0, 0});
    CHECK(probe.snapshot_at(2.75).occupied == Sizes{0, 1});
    CHECK(probe.snapshot_at(4.5).held == Sizes{1, 0});
    CHECK(probe.snapshot_at(6.0).held == Sizes{0, 0});
    // on_leave of #1 (lost at b): a's place is already released.
    REQUIRE(probe.leaves.size() == 4);
    const auto& l = probe.leaves[1];
    CHECK((l.tag == tag_of(1, 0) && l.node == 1 && l.lost && l.now == 2.5));
    CHECK(l.held == Sizes{0, 0});
    CHECK(l.occupied == Sizes{0, 1});
  }
  SECTION("exit") {
    // a (1 place, no queue, 1 day) → b (keeps_origin, 2 places, 2 days) → exit.
    // #1: a 0–1, b 1–3 holding a; exits at 3, releasing a before the arrival due at 3.
    // Lost: the arrivals at 2 (held) and 3.5 (serving the one from 3: a 3–4, b 4–6).
    auto spec = SpecBuilder()
                    .service("a", 1, fixed(1.0), {{"b", 1.0}}, 0)
                    .service("b", 2, fixed(2.0))
                    .scripted("in", "a", {0.0, 2.0, 3.0, 3.5})
                    .build();
    spec.services[1].keeps_origin = true;
    Probe probe;
    probe.at = {2.0, 3.25, 5.0, 7.0};
    const auto r = run_probed(spec, run_spec(20), probe);
    const ServiceCounters& a = r.services[0];
    CHECK(a.lost == 2);
    CHECK(a.departures == 2);
    CHECK(a.sojourn_sum == Approx(3.0 + 3.0));
    CHECK(a.area_occupied == Approx(6.0));
    CHECK(r.services[1].sojourn_sum == Approx(4.0));
    CHECK(r.exited == 2);
    CHECK(probe.snapshot_at(2.0).held == Sizes{1, 0});
    CHECK(probe.snapshot_at(3.25).held == Sizes{0, 0});
    CHECK(probe.snapshot_at(3.25).occupied == Sizes{1, 0});
    CHECK(probe.snapshot_at(5.0).held == Sizes{1, 0});
    CHECK(probe.snapshot_at(7.0).occupied == Sizes{0, 0});
    const auto& l = probe.leaves[1];  // [0] is the arrival lost at 2
    CHECK((l.tag == tag_of(0, 0) && l.node == 1 && !l.lost && l.now == 3.0));
    CHECK(l.held == Sizes{0, 0});
    CHECK(l.occupied == Sizes{0, 0});
  }
}

TEST_CASE("keeps_origin: routed back to the held place, the person takes it up again",
          "[network][keeps_origin]") {
  // a (1 place, queue, 1 day) → b (keeps_origin, 1 place, 1 day) → back to a; a sends each
  // person to b on their first visit and out on their second (a Policy route).
  // #1: a 0–1, b 1–2 holding a, back at 2 into their own place (ahead of #2, waiting at a since
  // 0.5), a 2–3, exit. #2: a 3–4, b 4–5, a 5–6, exit. Had #1 released the place and queued
  // again, #2 would have started at 2.
  auto spec = SpecBuilder()
                  .service("a", 1, fixed(1.0), {{"b", 0.5}, {"exit", 0.5}})
                  .service("b", 1, fixed(1.0), {{"a", 1.0}})
                  .scripted("in", "a", {0.0, 0.5})
                  .build();
  spec.services[1].keeps_origin = true;
  Probe probe;
  probe.routes[0] = {1, NetworkGraph::kExitIndex};
  probe.at = {1.5, 2.5};
  const auto r = run_probed(spec, run_spec(20), probe);
  const ServiceCounters& a = r.services[0];
  CHECK(a.arrivals == 4);
  CHECK(a.started == 4);
  CHECK(a.wait_sum == Approx(2.5));  // #2 waited 0.5 → 3
  CHECK(a.departures == 4);
  CHECK(a.sojourn_sum == Approx(2.0 + 1.0 + 4.5 + 1.0));
  CHECK(a.area_occupied == Approx(6.0));
  CHECK(r.services[1].departures == 2);
  CHECK(r.exited == 2);
  CHECK(probe.snapshot_at(1.5).held == Sizes{1, 0});
  CHECK(probe.snapshot_at(1.5).queue == Sizes{1, 0});
  CHECK(probe.snapshot_at(2.5).held == Sizes{0, 0});
  CHECK(probe.snapshot_at(2.5).occupied == Sizes{1, 0});
  CHECK(probe.snapshot_at(2.5).queue == Sizes{1, 0});
}

TEST_CASE("keeps_origin: a Policy route into another keeps_origin service holds one place",
          "[network][keeps_origin]") {
  // a (1 day) → b (keeps_origin, 1 day) → [Policy] c (keeps_origin, 1 day) → exit. Entering c
  // from b releases a's place and holds b's instead: at most one held place.
  auto spec = SpecBuilder()
                  .service("a", 1, fixed(1.0), {{"b", 1.0}}, 0)
                  .service("b", 1, fixed(1.0))
                  .service("c", 1, fixed(1.0))
                  .scripted("in", "a", {0.0})
                  .build();
  spec.services[1].keeps_origin = true;
  spec.services[2].keeps_origin = true;
  Probe probe;
  probe.routes[1] = {2};
  probe.at = {1.5, 2.5, 3.5};
  const auto r = run_probed(spec, run_spec(10), probe);
  CHECK(probe.snapshot_at(1.5).held == Sizes{1, 0, 0});
  CHECK(probe.snapshot_at(2.5).held == Sizes{0, 1, 0});
  CHECK(probe.snapshot_at(2.5).occupied == Sizes{0, 1, 1});
  CHECK(probe.snapshot_at(3.5).occupied == Sizes{0, 0, 0});
  REQUIRE(probe.moves.size() == 2);
  CHECK(probe.moves[1].held == Sizes{0, 1, 0});
  CHECK(r.services[0].sojourn_sum == Approx(2.0));  // 0 → 2
  CHECK(r.services[1].sojourn_sum == Approx(2.0));  // 1 → 3
  CHECK(r.services[1].area_occupied == Approx(2.0));
  CHECK(r.exited == 1);
}

TEST_CASE("keeps_origin: graph checks refuse a second held place",
          "[network][graph][keeps_origin]") {
  auto base = [] {
    auto b = SpecBuilder()
                 .service("a", 2, Distribution::exponential(1), {{"b", 0.5}, {"exit", 0.5}})
                 .service("b", 1, Distribution::exponential(1), {{"c", 0.5}, {"exit", 0.5}})
                 .service("c", 1, Distribution::exponential(1))
                 .poisson("in", "a", 1);
    auto s = b.build();
    s.services[1].keeps_origin = true;
    return s;
  };
  auto error_of = [](const NetworkSpec& s) {
    try {
      NetworkGraph g(s);
    } catch (const SpecError& e) {
      return e.key_path() + " | " + e.what();
    }
    return std::string("no error");
  };
  CHECK(error_of(base()) == "no error");
  {
    auto s = base();
    s.services[2].keeps_origin = true;
    CHECK(error_of(s) ==
          "services.b.routes[0].to | 'b' and 'c' both keep the place their people came from "
          "(keeps_origin): a route from one to the other would hold two places; route through a "
          "service that does not keep origins");
  }
  {
    auto s = base();
    s.services[1].routes = {{"exit", 0.5}, {"b", 0.5}};
    CHECK(error_of(s) ==
          "services.b.routes[1].to | 'b' keeps the place its people came from (keeps_origin) and "
          "routes back to itself; route elsewhere or to exit");
  }
  {
    // A route that is never taken (p = 0) holds nothing: allowed.
    auto s = base();
    s.services[2].keeps_origin = true;
    s.services[1].routes = {{"c", 0.0}, {"exit", 1.0}};
    CHECK(error_of(s) == "no error");
  }
  {
    // Offered load counts the time a place is held: a's hold = 1 + 0.5·1 days.
    NetworkGraph g(base());
    const auto loads = g.offered_loads(100);
    CHECK(loads[0].load == Approx(1.0 * 1.5 / 2));
    CHECK(loads[1].load == Approx(0.5 * 1.0 / 1));
    CHECK_THAT(g.to_dot(), Catch::Contains("keeps origin place"));
  }
}

namespace {

// A random network exercising every keeps_origin path: b keeps origins, is fed by a and by a
// source of its own (holding nothing), reneges, blocks on c and routes back to a.
NetworkSpec mixed_network() {
  auto spec = SpecBuilder()
                  .service("a", 3, Distribution::exponential(1.0), {{"b", 0.6}, {"exit", 0.4}}, 2)
                  .service("b", 1, Distribution::exponential(0.3),
                           {{"c", 0.5}, {"a", 0.2}, {"exit", 0.3}}, 2)
                  .service("c", 2, Distribution::exponential(0.8), {}, 0)
                  .poisson("in", "a", 2.5)
                  .poisson("direct", "b", 0.5)
                  .build();
  spec.services[1].keeps_origin = true;
  spec.services[1].renege_after_days = 0.5;
  return spec;
}

bool same(const ServiceCounters& x, const ServiceCounters& y) {
  return x.arrivals == y.arrivals && x.lost == y.lost && x.reneged == y.reneged &&
         x.started == y.started && x.completions == y.completions && x.departures == y.departures &&
         x.blocked_departures == y.blocked_departures && x.wait_sum == y.wait_sum &&
         x.sojourn_sum == y.sojourn_sum && x.blocked_days == y.blocked_days &&
         x.blocked_days_by_reason == y.blocked_days_by_reason && x.area_in_node == y.area_in_node &&
         x.area_queue == y.area_queue && x.area_occupied == y.area_occupied &&
         x.area_capacity == y.area_capacity && x.in_node_at_start == y.in_node_at_start &&
         x.in_node_at_end == y.in_node_at_end;
}

bool same(const ReplicateResult& x, const ReplicateResult& y) {
  if (x.services.size() != y.services.size()) return false;
  for (std::size_t i = 0; i < x.services.size(); ++i) {
    if (!same(x.services[i], y.services[i])) return false;
  }
  return x.replicate == y.replicate && x.observed_days == y.observed_days && x.events == y.events &&
         x.created == y.created && x.exited == y.exited && x.lost == y.lost &&
         x.inside_at_end == y.inside_at_end;
}

}  // namespace

TEST_CASE("keeps_origin: conservation with held places counted once", "[network][keeps_origin]") {
  const auto r = run_once(mixed_network(), run_spec(2000, 100));
  CHECK(r.created == r.exited + r.lost + r.inside_at_end);
  std::int64_t in_nodes = 0;
  for (const auto& c : r.services) {
    const auto admitted = static_cast<std::int64_t>(c.arrivals - (c.lost - c.reneged));
    CHECK(c.in_node_at_start + admitted ==
          static_cast<std::int64_t>(c.departures + c.reneged) + c.in_node_at_end);
    in_nodes += c.in_node_at_end;
  }
  CHECK(in_nodes >= static_cast<std::int64_t>(r.inside_at_end));
  // Every path was taken.
  CHECK(r.services[1].reneged > 10);
  CHECK(r.services[1].blocked_departures > 10);
  CHECK(r.services[0].lost > 10);
  // a's places include the held ones: more place-days than a's own service gives.
  CHECK(r.services[0].area_occupied > static_cast<double>(r.services[0].started) * 1.0 * 1.05);
}

TEST_CASE("keeps_origin: same seed, identical results at any thread count",
          "[network][keeps_origin][determinism]") {
  const NetworkGraph graph(mixed_network());
  const RunSpec run = run_spec(1000, 50, 4242, 6);
  auto go = [&](int threads, std::uint64_t seed) {
    RunSpec rs = run;
    rs.seed = seed;
    ReplicationOptions opt;
    opt.threads = threads;
    return run_replicates<ReplicateResult>(rs.replicates, opt, [&](std::uint32_t k) {
      Network net(graph, rs, k);
      return net.run();
    });
  };
  const auto one = go(1, 4242), two = go(2, 4242), again = go(2, 4242), other = go(2, 4243);
  REQUIRE(one.size() == 6);
  for (std::size_t k = 0; k < one.size(); ++k) {
    INFO("replicate " << k);
    CHECK(same(one[k], two[k]));
    CHECK(same(two[k], again[k]));
    CHECK_FALSE(same(one[k], other[k]));
  }
}
