// Determinism and memory: the same (seed, replicate) gives the same residents, the same yearly
// steps and the same demand events; another replicate gives others. Bytes per resident of the
// population and demand structures stay within budget.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <vector>

#include "borough/fixture.hpp"
#include "models/borough/demand.hpp"

using namespace pitstop::models::borough;
using pitstop::engine::Stream;
using pitstop::test::start_year;
using pitstop::test::wigan_baseline;

namespace {

/// Every attribute of every resident, in id order.
std::vector<std::uint64_t> snapshot(const Population& p) {
  std::vector<std::uint64_t> out;
  for (ResidentId i = 0; i < p.slots(); ++i) {
    out.push_back(
        static_cast<std::uint64_t>(p.alive(i)) | static_cast<std::uint64_t>(p.sdf(i)) << 1 |
        static_cast<std::uint64_t>(p.age(i)) << 9 | static_cast<std::uint64_t>(p.sex(i)) << 17 |
        static_cast<std::uint64_t>(p.risk(i)) << 18 |
        static_cast<std::uint64_t>(p.frailty(i)) << 20 |
        static_cast<std::uint64_t>(p.ltc(i)) << 22 |
        static_cast<std::uint64_t>(p.setting(i)) << 24);
  }
  return out;
}

/// The first `n` events as (time bits, resident, type).
std::vector<std::tuple<double, ResidentId, EventType>> events(DemandSampler& d, int n) {
  std::vector<std::tuple<double, ResidentId, EventType>> out;
  double t = 0;
  for (int k = 0; k < n; ++k) {
    const auto ev = d.next_event(t);
    out.emplace_back(ev.time, ev.resident, ev.type);
    t = ev.time;
  }
  return out;
}

}  // namespace

TEST_CASE("same seed and replicate: same population, steps and events", "[borough][determinism]") {
  const auto spec = scaled(*wigan_baseline().population, 0.1);
  Population a(spec, start_year(), 11, 2), b(spec, start_year(), 11, 2);
  Population c(spec, start_year(), 11, 3);
  CHECK(snapshot(a) == snapshot(b));
  CHECK(snapshot(a) != snapshot(c));
  for (int year = 0; year < 3; ++year) {
    a.step_year();
    b.step_year();
  }
  CHECK(snapshot(a) == snapshot(b));
  DemandSampler da(*wigan_baseline().demand, a, Stream(11, 2, purpose(BoroughPurpose::kDemand)));
  DemandSampler db(*wigan_baseline().demand, b, Stream(11, 2, purpose(BoroughPurpose::kDemand)));
  DemandSampler dc(*wigan_baseline().demand, a, Stream(11, 3, purpose(BoroughPurpose::kDemand)));
  const auto ea = events(da, 50000);
  CHECK(ea == events(db, 50000));
  CHECK(ea != events(dc, 50000));
}

TEST_CASE("a resident's yearly fate does not depend on other residents", "[borough][determinism]") {
  // Draws are keyed by (resident, year): changing one resident leaves everyone else's year alone
  // (common random numbers between a scenario and its baseline).
  const auto spec = scaled(*wigan_baseline().population, 0.05);
  Population a(spec, start_year(), 5, 0), b(spec, start_year(), 5, 0);
  b.set_frailty(0, Frailty::kSevere);
  b.die(1);
  a.die(1);
  a.step_year();
  b.step_year();
  const auto sa = snapshot(a), sb = snapshot(b);
  const auto before = static_cast<std::size_t>(spec.sdfs[0].people + spec.sdfs[1].people);
  std::size_t differ = 0;
  for (std::size_t i = 2; i < before; ++i)
    differ += sa[i] != sb[i] ? 1 : 0;
  // Only migration (random picks among a band) can differ, and only if resident 0's death
  // changed a band count.
  CHECK(differ <= 2);
}

TEST_CASE("memory: at most 40 bytes per resident for population and demand", "[borough][memory]") {
  const auto& s = wigan_baseline();
  Population p(*s.population, start_year(), 1, 0);
  DemandSampler d(*s.demand, p, Stream(1, 0, purpose(BoroughPurpose::kDemand)));
  const auto per_resident = [&] {
    return static_cast<double>(p.bytes() + d.bytes()) / static_cast<double>(p.alive_count());
  };
  const double at_start = per_resident();
  const auto start_people = p.alive_count();
  for (int year = 0; year < 10; ++year) {
    p.step_year();
    d.rebuild(p);
  }
  const double at_end = per_resident();
  fmt::print(
      "memory per living resident: {:.1f} bytes at the start ({} residents), {:.1f} bytes "
      "after 10 yearly steps ({} ids for {} living)\n",
      at_start, start_people, at_end, p.slots(), p.alive_count());
  CHECK(at_start <= 40);
  CHECK(at_end <= 40);
}
