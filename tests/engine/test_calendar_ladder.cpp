// The ladder levels of the Calendar against an ordered set, as events come and go.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "engine/engine.hpp"

using namespace pitstop::engine;

TEST_CASE("calendar agrees with an ordered set while events come and go", "[calendar]") {
  struct Before {
    bool operator()(const Event& a, const Event& b) const { return runs_before(a, b); }
  };
  // Time patterns that stress the ladder: smooth, coarse ties, heavy tail, two scales,
  // events at kNever, and bursts at one instant. Sizes swing across the heap/ladder switch.
  for (int pattern = 0; pattern < 6; ++pattern) {
    Calendar cal;
    std::set<Event, Before> expected;
    Stream s(11, static_cast<std::uint64_t>(pattern), Purpose::kTest);
    std::uint64_t seq = 0;
    Time now = 0;
    std::size_t target = 10;
    for (int step = 0; step < 200000; ++step) {
      if (step % 25000 == 0) target = 1 + s.below(20000);
      const bool push = expected.empty() || s.below(10) < (expected.size() < target ? 7u : 3u);
      if (push) {
        const double u = s.uniform();
        Time t = now;
        switch (pattern) {
          case 0:
            t += -std::log(u);
            break;
          case 1:
            t = std::floor(now) + static_cast<double>(s.below(20));
            break;
          case 2:
            t += std::pow(u, -1.5);
            break;
          case 3:
            t += s.below(100) == 0 ? 1e6 * u : 1e-3 * u;
            break;
          case 4:
            t = s.below(4) == 0 ? kNever : t - std::log(u);
            break;
          default:
            t += s.below(50) == 0 ? u : 0.0;
            break;
        }
        const Event e{t, (s.below(5) << kSequenceBits) | seq++, 0, static_cast<std::uint32_t>(seq)};
        cal.push(e);
        expected.insert(e);
      } else {
        REQUIRE(cal.top().order == expected.begin()->order);
        const Event got = cal.pop();
        REQUIRE(got.order == expected.begin()->order);
        REQUIRE(got.time == expected.begin()->time);
        expected.erase(expected.begin());
        if (got.time < kNever) now = std::max(now, got.time);
      }
      REQUIRE(cal.size() == expected.size());
    }
    while (!expected.empty()) {
      REQUIRE(cal.pop().order == expected.begin()->order);
      expected.erase(expected.begin());
    }
    CHECK(cal.empty());
  }
}
