// Dated changes of a service's terms (ServiceSpec::later: duration, waiting room, patience,
// routes), schedules spliced at a date, and arrivals drawn stretch by stretch so that what
// happens before a dated change does not depend on the rates after it (common random numbers
// for pit stops).
#include <catch2/catch.hpp>

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

ServiceTerms terms(Time from, Distribution d, std::size_t queue = kUnlimited,
                   std::vector<RouteSpec> routes = {}) {
  ServiceTerms t;
  t.from = from;
  t.duration = std::move(d);
  t.queue_capacity = queue;
  t.routes = std::move(routes);
  return t;
}

/// Records the time of every arrival at each node.
struct Arrivals : Observer {
  std::vector<std::vector<Time>> at;
  explicit Arrivals(std::size_t n) : at(n) {}
  void on_arrival(std::size_t node, Time t) override { at[node].push_back(t); }
};

}  // namespace

TEST_CASE("later terms: a new duration applies to services started from its date",
          "[network][terms]") {
  // One place; arrivals at 0, 1, 2, 3. Service takes 0.5 until day 2, then 0.25.
  auto spec = SpecBuilder().service("s", 1, fixed(0.5)).scripted("a", "s", {0, 1, 2, 3}).build();
  spec.services[0].later.push_back(terms(2.0, fixed(0.25)));
  const auto r = run_once(spec, run_spec(10));
  const ServiceCounters& c = r.services[0];
  CHECK(c.completions == 4);
  CHECK(c.sojourn_sum == Approx(0.5 + 0.5 + 0.25 + 0.25));
}

TEST_CASE("later terms: someone in service keeps the duration drawn when they started",
          "[network][terms]") {
  auto spec = SpecBuilder().service("s", 1, fixed(3.0)).scripted("a", "s", {0.0}).build();
  spec.services[0].later.push_back(terms(1.0, fixed(0.1)));
  const auto r = run_once(spec, run_spec(10));
  CHECK(r.services[0].sojourn_sum == Approx(3.0));
}

TEST_CASE("later terms: a smaller waiting room turns no one out and holds as the queue drains",
          "[network][terms]") {
  // One place (fixed 1 day), unlimited queue until day 0.5, then a queue of 1. Arrivals: five at
  // 0 (one served, four queued), one at 2.5 (queue has 2 then: lost), one at 3.5 (queue 1: lost),
  // one at 4.5 (the queue is empty by then: queued... the place is busy until 5).
  auto spec = SpecBuilder()
                  .service("s", 1, fixed(1.0))
                  .scripted("a", "s", {0, 0, 0, 0, 0, 2.5, 3.5, 4.5})
                  .build();
  spec.services[0].later.push_back(terms(0.5, fixed(1.0), 1));
  const auto r = run_once(spec, run_spec(20));
  const ServiceCounters& c = r.services[0];
  // Queued at day 0 and kept: all five served (ends at 1, 2, 3, 4, 5). At 2.5 the queue holds 2
  // (served at 3 and 4) ≥ 1: lost. At 3.5 it holds 1: lost. At 4.5 it is empty: queued, served
  // at 5.
  CHECK(c.lost == 2);
  CHECK(c.completions == 6);
}

TEST_CASE("later terms: routes change at their date", "[network][terms]") {
  // s routes everyone to t until day 5, then everyone to exit.
  auto spec = SpecBuilder()
                  .service("s", 10, fixed(0.1), {{"t", 1.0}})
                  .service("t", 10, fixed(0.1))
                  .scripted("a", "s", {1, 2, 3, 6, 7})
                  .build();
  spec.services[0].later.push_back(terms(5.0, fixed(0.1), kUnlimited, {{"exit", 1.0}}));
  const auto r = run_once(spec, run_spec(10));
  CHECK(r.services[0].completions == 5);
  CHECK(r.services[1].arrivals == 3);
}

TEST_CASE("later terms are checked like the network's own, naming their date",
          "[network][terms][graph]") {
  auto spec = SpecBuilder().service("s", 1, fixed(1.0)).poisson("a", "s", 1).build();
  spec.services[0].later.push_back(terms(5.0, fixed(1.0), kUnlimited, {{"nowhere", 1.0}}));
  CHECK_THROWS_WITH(NetworkGraph(spec), Catch::Contains("unknown destination 'nowhere'"));
  spec.services[0].later.back().routes = {{"exit", 0.5}};
  CHECK_THROWS_WITH(NetworkGraph(spec), Catch::Contains("(in the terms from day 5)"));
  spec.services[0].later.back().routes = {};
  spec.services[0].later.push_back(terms(4.0, fixed(1.0)));
  CHECK_THROWS_WITH(NetworkGraph(spec), Catch::Contains("increasing order of date"));
}

TEST_CASE("a spliced schedule is the first before the date and the second from it",
          "[schedule][splice]") {
  const StepSchedule a({{0, 2, {}}, {10, 3, {}}}, 0);
  const StepSchedule b({{0, 7, {}}, {20, 9, {}}}, 0);
  const StepSchedule s = a.spliced(5, b);
  CHECK(s.value_at(0) == 2);
  CHECK(s.value_at(4.99) == 2);
  CHECK(s.value_at(5) == 7);
  CHECK(s.value_at(15) == 7);  // a's step at 10 is gone: b is in force from 5
  CHECK(s.value_at(25) == 9);
  CHECK(s.next_change_after(0) == 5);
  // Nothing changes at the date: no new step there (no change event, same draws).
  const StepSchedule same = a.spliced(5, a);
  CHECK(same.next_change_after(0) == 10);
  // A rota keeps its shape across the splice.
  const StepSchedule rota({{0, 0, {{0, 8, 4}, {0, 20, 1}}}}, 0);
  const StepSchedule doubled({{0, 0, {{0, 8, 8}, {0, 20, 2}}}}, 0);
  const StepSchedule r = rota.spliced(14, doubled);
  CHECK(r.value_at(7 + 9.0 / 24) == 4);    // Monday of week 2, 09:00
  CHECK(r.value_at(14 + 9.0 / 24) == 8);   // Monday of week 3, 09:00
  CHECK(r.value_at(14 + 21.0 / 24) == 2);  // 21:00
}

TEST_CASE("arrivals before a dated change of rate are the same as without it",
          "[arrivals][terms][crn]") {
  // The same stream at 30 a day, and the same stream with its rate doubled from day 40 (a pit
  // stop): every arrival before day 40 is at the same instant; after it there are about twice
  // as many.
  auto base = SpecBuilder().service("s", 1000, fixed(0.01)).poisson("a", "s", 30).build();
  auto changed = base;
  changed.sources[0].rate = changed.sources[0].rate.with_daily_rate(
      base.sources[0].rate.daily_rate().spliced(40, StepSchedule(60)));
  Arrivals x(1), y(1);
  (void)run_once(base, run_spec(80, 0, 99), 0, &x);
  (void)run_once(changed, run_spec(80, 0, 99), 0, &y);
  std::vector<Time> before_x, before_y;
  for (Time t : x.at[0]) {
    if (t < 40) before_x.push_back(t);
  }
  for (Time t : y.at[0]) {
    if (t < 40) before_y.push_back(t);
  }
  REQUIRE(before_x.size() > 1000);
  CHECK(before_x == before_y);
  const auto after = [](const std::vector<Time>& v) {
    return static_cast<double>(std::count_if(v.begin(), v.end(), [](Time t) { return t >= 40; }));
  };
  // 1,200 expected without the change (sd ≈ 35), 2,400 with it (sd ≈ 49): ±5 sd.
  CHECK(after(x.at[0]) == Approx(1200).margin(175));
  CHECK(after(y.at[0]) == Approx(2400).margin(245));
}
