// The calendar and simulator: total order by (time, priority, sequence), no past events.
#include <catch2/catch.hpp>
#include <vector>

#include "engine/engine.hpp"

using namespace pitstop::engine;

TEST_CASE("calendar pops in (time, priority, insertion) order", "[calendar]") {
  Simulator sim;
  std::vector<std::uint32_t> seen;
  // Same time, mixed priorities, scheduled out of order.
  sim.schedule(1.0, Priority::kArrival, 0, 1);
  sim.schedule(1.0, Priority::kRelease, 0, 2);
  sim.schedule(1.0, Priority::kTimeout, 0, 3);
  sim.schedule(1.0, Priority::kScheduleChange, 0, 4);
  sim.schedule(1.0, Priority::kArrival, 0, 5);  // same class as 1: after it (sequence)
  sim.schedule(0.5, Priority::kControl, 0, 6);
  sim.schedule(1.0, Priority::kControl, 0, 7);
  sim.run_until(10, [&](const Event& e) { seen.push_back(e.target); });
  CHECK(seen == std::vector<std::uint32_t>{6, 2, 4, 1, 5, 3, 7});
  CHECK(sim.now() == 10.0);
}

TEST_CASE("calendar agrees with a sort on 20,000 random events", "[calendar]") {
  Calendar cal;
  Stream s(7, 0, Purpose::kTest);
  std::vector<Event> all;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    // Coarse times create many ties, exercising the priority and sequence keys.
    Event e{static_cast<double>(s.below(50)), (s.below(5) << kSequenceBits) | i, 0,
            static_cast<std::uint32_t>(i)};
    all.push_back(e);
    cal.push(e);
  }
  std::sort(all.begin(), all.end(), runs_before);
  for (const Event& expected : all) {
    Event got = cal.pop();
    REQUIRE(got.target == expected.target);
  }
  CHECK(cal.empty());
}

TEST_CASE("events cannot be scheduled in the past", "[simulator]") {
  Simulator sim;
  sim.schedule(2.0, Priority::kArrival, 0, 0);
  sim.run_until(5, [](const Event&) {});
  CHECK_THROWS_AS(sim.schedule(4.0, Priority::kArrival, 0, 0), RuntimeError);
  CHECK_THROWS_AS(sim.schedule(std::nan(""), Priority::kArrival, 0, 0), RuntimeError);
  CHECK_NOTHROW(sim.schedule(5.0, Priority::kArrival, 0, 0));
}

TEST_CASE("run_until leaves later events pending and stop() returns early", "[simulator]") {
  Simulator sim;
  for (int i = 1; i <= 10; ++i)
    sim.schedule(i, Priority::kArrival, 0, static_cast<std::uint32_t>(i));
  int n = 0;
  CHECK(sim.run_until(5.5, [&](const Event&) { ++n; }) == 5);
  CHECK(sim.pending() == 5);
  sim.run_until(100, [&](const Event& e) {
    if (e.target == 8) sim.stop();
  });
  CHECK(sim.now() == 8.0);
  CHECK(sim.pending() == 2);
}
