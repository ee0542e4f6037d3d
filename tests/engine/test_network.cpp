// Exact, scripted behaviour of the network: same-instant order, capacity changes, reneging,
// priority queues, blocking (delayed transfer) and conservation.
#include <catch2/catch.hpp>

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
}  // namespace

TEST_CASE("a release frees its place before a same-instant arrival seizes (loss system)",
          "[network][same-instant]") {
  // `late` is scheduled first (at set-up) for t=1; the service end at t=1 is scheduled later,
  // at t=0. Priority, not insertion order, must put the release first, so nobody is lost.
  auto spec = SpecBuilder()
                  .service("s", 1, fixed(1.0), {}, /*queue_capacity=*/0)
                  .scripted("late", "s", {1.0})
                  .scripted("first", "s", {0.0})
                  .build();
  auto r = run_once(spec, run_spec(10));
  CHECK(r.services[0].arrivals == 2);
  CHECK(r.services[0].lost == 0);
  CHECK(r.services[0].completions == 2);
}

TEST_CASE("a release serves the next waiter before a same-instant arrival takes queue room",
          "[network][same-instant]") {
  // One place, one queue slot. At t=1 the release must pass the place to the waiter (who
  // arrived at 0.2) and then the newcomer finds queue room: nobody is lost.
  auto spec = SpecBuilder()
                  .service("s", 1, fixed(1.0), {}, /*queue_capacity=*/1)
                  .scripted("late", "s", {1.0})
                  .scripted("early", "s", {0.0, 0.2})
                  .build();
  auto r = run_once(spec, run_spec(10));
  const ServiceCounters& c = r.services[0];
  CHECK(c.lost == 0);
  CHECK(c.started == 3);
  CHECK(c.wait_sum == Approx(0.0 + 0.8 + 1.0));  // waiter 0.2→1.0, newcomer 1.0→2.0
}

TEST_CASE("a capacity cut never ejects anyone; a rise serves waiters at once",
          "[network][capacity]") {
  auto spec =
      SpecBuilder().service("s", 2, fixed(1.0)).scripted("a", "s", {0.0, 0.0, 0.6, 0.7}).build();
  // 2 places, cut to 1 at t=0.5, raised to 3 at t=1.5.
  spec.services[0].capacity = StepSchedule({{0, 2, {}}, {0.5, 1, {}}, {1.5, 3, {}}}, 0);
  auto r = run_once(spec, run_spec(10));
  const ServiceCounters& c = r.services[0];
  CHECK(c.completions == 4);
  // Both first arrivals finish at t=1 despite the cut; then one place: the 0.6 arrival starts
  // at 1.0; the 0.7 arrival waits for the rise at 1.5 (not for 2.0).
  CHECK(c.wait_sum == Approx(0.4 + 0.8));
  // Mean capacity over [0,10]: 2·0.5 + 1·1 + 3·8.5 = 27.5 place-days.
  CHECK(c.area_capacity == Approx(27.5));
}

TEST_CASE("waiters renege after their patience and count as lost", "[network][renege]") {
  auto spec =
      SpecBuilder().service("s", 1, fixed(10.0)).scripted("a", "s", {0.0, 0.5, 9.5}).build();
  spec.services[0].renege_after_days = 1.0;
  auto r = run_once(spec, run_spec(30));
  const ServiceCounters& c = r.services[0];
  CHECK(c.reneged == 1);  // the 0.5 arrival leaves at 1.5
  CHECK(c.lost == 1);
  CHECK(c.started == 2);  // the 9.5 arrival waits 0.5 and is served at 10
  CHECK(c.wait_sum == Approx(0.5));
  CHECK(r.lost == 1);
}

TEST_CASE("priority queues serve lower classes first, FIFO within a class", "[network][priority]") {
  auto spec = SpecBuilder()
                  .service("s", 1, fixed(1.0))
                  .scripted("routine", "s", {0.0, 0.1, 0.15}, /*priority_class=*/1)
                  .scripted("urgent", "s", {0.2}, /*priority_class=*/0)
                  .build();
  spec.services[0].discipline = Discipline::kPriority;
  auto r = run_once(spec, run_spec(10));
  // Order of service: routine@0 (0–1), urgent@0.2 (1–2), routine@0.1 (2–3), routine@0.15 (3–4).
  CHECK(r.services[0].wait_sum == Approx(0 + 0.8 + 1.9 + 2.85));
}

TEST_CASE("blocking: a finished patient keeps their place until the destination frees",
          "[network][blocking]") {
  // a (1 place, no queue, 1 day) → b (1 place, no queue, 5 days).
  auto spec = SpecBuilder()
                  .service("a", 1, fixed(1.0), {{"b", 1.0}}, 0)
                  .service("b", 1, fixed(5.0), {}, 0)
                  .scripted("in", "a", {0.0, 1.5, 3.0})
                  .build();
  auto r = run_once(spec, run_spec(20));
  const ServiceCounters& a = r.services[0];
  const ServiceCounters& b = r.services[1];
  // #1: a 0–1, b 1–6. #2: a 1.5–2.5, blocked in a until b frees at 6 (3.5 days), b 6–11.
  // #3 arrives at 3 while a's only place is held by the blocked #2: lost.
  CHECK(a.blocked_departures == 1);
  CHECK(a.blocked_days == Approx(3.5));
  CHECK(a.blocked_days_by_reason[1] == Approx(3.5));
  CHECK(a.blocked_days_by_reason[0] == 0);
  CHECK(a.lost == 1);
  CHECK(a.departures == 2);
  CHECK(blocked_mean_days(a) == Approx(1.75));
  CHECK(blocked_fraction(a) == Approx(0.5));
  CHECK(b.completions == 2);
  // a's place was occupied 0–1 and 1.5–6: 5.5 place-days over 20.
  CHECK(a.area_occupied == Approx(5.5));
  CHECK(b.blocked_days == 0);
}

TEST_CASE("blocked holders are released in FIFO order and cascades run in one instant",
          "[network][blocking]") {
  // Two feeders block on one bed; the one blocked first moves first. A third service behind
  // feeder x is itself blocked by x: when x frees, it moves at the same instant.
  auto spec = SpecBuilder()
                  .service("bed", 1, fixed(4.0), {}, 0)
                  .service("x", 1, fixed(1.0), {{"bed", 1.0}}, 0)
                  .service("y", 1, fixed(1.5), {{"bed", 1.0}}, 0)
                  .service("w", 1, fixed(0.5), {{"x", 1.0}}, 0)
                  .scripted("to-bed", "bed", {0.0})
                  .scripted("to-x", "x", {0.0})
                  .scripted("to-y", "y", {0.0})
                  .scripted("to-w", "w", {0.5})
                  .build();
  auto r = run_once(spec, run_spec(40));
  const auto& x = r.services[1];
  const auto& y = r.services[2];
  const auto& w = r.services[3];
  // bed busy 0–4. x done at 1 (blocked from 1), y done at 1.5 (blocked from 1.5).
  // w done at 1.0 but x's place is held: w blocked from 1.0.
  // t=4: x's patient moves to bed (3 days blocked); x frees → w's patient enters x (3 days).
  // t=8: y's patient moves to bed (6.5 days blocked).
  CHECK(w.blocked_days == Approx(3.0));
  CHECK(y.blocked_days == Approx(6.5));
  // w's patient finishes x at 5 and is blocked behind y's for the bed (busy until 8, then
  // y's patient until 12): 7 more days blocked in x.
  CHECK(x.blocked_days == Approx(3.0 + 7.0));
  CHECK(x.blocked_departures == 2);
  CHECK(x.blocked_days_by_reason[0] == Approx(3.0 + 7.0));
  CHECK(r.exited == 4);
}

TEST_CASE("conservation: everyone created is exited, lost or still inside", "[network]") {
  auto spec =
      SpecBuilder()
          .service("triage", 2, Distribution::exponential(0.1), {{"treat", 0.7}, {"exit", 0.3}}, 3)
          .service("treat", 3, Distribution::lognormal(0.5, 0.4), {{"ward", 0.4}, {"exit", 0.6}}, 2)
          .service("ward", 2, Distribution::gamma(2.0, 1.0), {{"treat", 0.1}, {"exit", 0.9}}, 0)
          .poisson("in", "triage", 12.0)
          .build();
  spec.services[1].renege_after_days = 0.3;
  auto r = run_once(spec, run_spec(400, 50));
  CHECK(r.created == r.exited + r.lost + r.inside_at_end);
  CHECK(r.lost > 0);
  std::int64_t inside = 0;
  for (const auto& c : r.services) {
    // Per node over the observed window: in at start + admitted = departed + reneged + in at end.
    const auto admitted = static_cast<std::int64_t>(c.arrivals - (c.lost - c.reneged));
    CHECK(c.in_node_at_start + admitted ==
          static_cast<std::int64_t>(c.departures + c.reneged) + c.in_node_at_end);
    inside += c.in_node_at_end;
  }
  CHECK(static_cast<std::uint64_t>(inside) == r.inside_at_end);
}

TEST_CASE("determinism: same seed same result at any thread count; other seeds differ",
          "[network][determinism]") {
  auto spec = SpecBuilder()
                  .service("a", 2, Distribution::exponential(0.2), {{"b", 0.5}, {"exit", 0.5}})
                  .service("b", 1, Distribution::weibull(1.5, 0.3), {{"a", 0.2}, {"exit", 0.8}}, 1)
                  .poisson("in", "a", 8.0)
                  .build();
  NetworkGraph graph(spec);
  auto run = run_spec(300, 30, 99, 6);
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
  auto one = go(1, 99), two = go(2, 99), other = go(2, 100);
  for (std::size_t k = 0; k < one.size(); ++k) {
    CHECK(one[k].events == two[k].events);
    for (std::size_t i = 0; i < 2; ++i) {
      CHECK(one[k].services[i].arrivals == two[k].services[i].arrivals);
      CHECK(one[k].services[i].wait_sum == two[k].services[i].wait_sum);  // bitwise equal
      CHECK(one[k].services[i].area_occupied == two[k].services[i].area_occupied);
    }
    CHECK(one[k].services[0].wait_sum != other[k].services[0].wait_sum);
  }
  CHECK(one[0].services[0].arrivals != one[1].services[0].arrivals);  // replicates differ
}

TEST_CASE("graph checks name the offending key", "[network][graph]") {
  auto base = [] {
    return SpecBuilder()
        .service("a", 1, Distribution::exponential(1), {{"b", 0.5}, {"exit", 0.5}})
        .service("b", 1, Distribution::exponential(1))
        .poisson("in", "a", 1);
  };
  auto key_of = [](const NetworkSpec& s) {
    try {
      NetworkGraph g(s);
    } catch (const SpecError& e) {
      return e.key_path() + " | " + e.what();
    }
    return std::string("no error");
  };
  CHECK(key_of(base().build()) == "no error");
  {
    auto s = base().build();
    s.services[0].routes[0].to = "bb";
    CHECK_THAT(key_of(s), Catch::StartsWith("services.a.routes[0].to | unknown destination 'bb' "
                                            "(did you mean 'b'?)"));
  }
  {
    auto s = base().build();
    s.services[0].routes[1].p = 0.4;
    CHECK_THAT(key_of(s),
               Catch::StartsWith("services.a.routes |") && Catch::Contains("sum to 0.9"));
  }
  {
    auto s = base().build();
    s.services[1].routes = {{"b", 1.0}};  // b loops on itself forever
    CHECK_THAT(key_of(s),
               Catch::StartsWith("services.b.routes |") && Catch::Contains("can never reach exit"));
  }
  {
    auto s = base().build();
    s.services[0].duration = Distribution::fixed(0);
    s.services[1].duration = Distribution::fixed(0);
    s.services[1].routes = {{"a", 0.5}, {"exit", 0.5}};
    CHECK_THAT(key_of(s), Catch::Contains("duration_days |") && Catch::Contains("zero duration"));
  }
  {
    auto s = base().build();
    s.sources[0].to = "exit";
    CHECK_THAT(key_of(s), Catch::StartsWith("arrivals[0].to |"));
  }
}

TEST_CASE("traffic equations give each service's offered load", "[network][graph]") {
  // λ_a = 2 + 0.5 λ_b ; λ_b = 0.5 λ_a → λ_a = 8/3, λ_b = 4/3.
  auto spec = SpecBuilder()
                  .service("a", 2, Distribution::exponential(0.5), {{"b", 0.5}, {"exit", 0.5}})
                  .service("b", 1, Distribution::exponential(0.3), {{"a", 0.5}, {"exit", 0.5}})
                  .poisson("in", "a", 2.0)
                  .build();
  NetworkGraph g(spec);
  auto loads = g.offered_loads(100);
  CHECK(loads[0].arrival_rate == Approx(8.0 / 3));
  CHECK(loads[1].arrival_rate == Approx(4.0 / 3));
  CHECK(loads[0].load == Approx(8.0 / 3 * 0.5 / 2));
  CHECK(loads[1].load == Approx(4.0 / 3 * 0.3));
  CHECK_THAT(g.to_dot(), Catch::Contains("\"a\" -> \"b\" [label=\"0.5\"]"));
}

TEST_CASE("a weekly rota changes capacity at its steps and wraps around the week",
          "[network][capacity]") {
  // Day 0 is a Monday. Rota: 2 places Mon 08:00 → 1 place Mon 20:00 (→ back to 2 next Mon 08:00).
  auto spec = SpecBuilder().service("s", 1, fixed(0.25)).scripted("a", "s", {0.0}).build();
  std::vector<WeeklyStep> rota = {{0, 8, 2}, {0, 20, 1}};
  spec.services[0].capacity = StepSchedule({{0, 0, rota}}, /*start_weekday=*/0);
  auto r = run_once(spec, run_spec(14));
  // Before Mon 08:00 the rota wraps from last week's Mon 20:00 step: 1 place. So capacity is
  // 1 place for 156 h and 2 places for 12 h of every 168 h week: area over 14 days =
  // 2 weeks × (156·1 + 12·2)/24 = 15 place-days.
  CHECK(r.services[0].area_capacity == Approx(15.0));
  // The 0.0 arrival is served at once (1 place at 00:00 Monday).
  CHECK(r.services[0].wait_sum == 0);
}
