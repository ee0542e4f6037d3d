// The demand sampler: sampled rates per 1,000 by age band within Poisson standard errors of the
// configured hazards (a 5% borough over a year), the spread by risk level, per-resident
// modifiers, deaths, multipliers and rate changes.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cmath>

#include "borough/fixture.hpp"
#include "models/borough/demand.hpp"

using namespace pitstop::models::borough;
using pitstop::engine::Stream;
using pitstop::test::start_year;
using pitstop::test::wigan_baseline;

namespace {

constexpr double kYear = DemandSampler::kDaysPerYear;
constexpr double kSe = 4.0;  // tolerance in standard errors

const DemandSpec& demand() {
  return *wigan_baseline().demand;
}

Population small_borough(std::uint64_t seed = 1) {
  return Population(scaled(*wigan_baseline().population, 0.05), start_year(), seed, 0);
}

Stream demand_stream(std::uint64_t seed = 1) {
  return Stream(seed, 0, purpose(BoroughPurpose::kDemand));
}

/// Events by band and type between `from` and `to` (redrawing at `from`).
template <class OnEvent>
void sample(DemandSampler& d, double from, double to, OnEvent&& on_event) {
  for (double t = from;;) {
    const DemandEvent ev = d.next_event(t);
    if (ev.time > to) return;
    on_event(ev);
    t = ev.time;
  }
}

/// |observed − expected| within kSe Poisson standard errors.
bool within_se(double observed, double expected) {
  return std::abs(observed - expected) <= kSe * std::sqrt(std::max(expected, 1.0));
}

}  // namespace

TEST_CASE("a 5% borough's demand over a year matches the hazards by age band",
          "[borough][demand]") {
  const Population p = small_borough();
  DemandSampler d(demand(), p, demand_stream());
  std::array<std::array<double, kEventTypes>, kAgeBands> events{};
  sample(d, 0, kYear, [&](const DemandEvent& ev) {
    ++events[static_cast<std::size_t>(p.band(ev.resident))][static_cast<std::size_t>(ev.type)];
  });
  BandCounts people{};
  for (const auto& sdf : p.counts())
    for (std::size_t b = 0; b < kAgeBands; ++b)
      people[b] += sdf[b];
  fmt::print("events per 1,000 per year, 5% borough (sampled / configured)\n");
  for (std::size_t e = 0; e < kEventTypes; ++e) {
    fmt::print("{:>22}", kEventTypeNames[e]);
    for (std::size_t b = 0; b < kAgeBands; ++b) {
      const double n = static_cast<double>(people[b]);
      const double configured =
          demand().events[e].per_person_year[b] * demand().events[e].multiplier;
      const double expected = configured * n;
      fmt::print("  {}: {:.0f}/{:.0f}", kAgeBandNames[b], 1000 * events[b][e] / n,
                 1000 * configured);
      INFO(kEventTypeNames[e] << " aged " << kAgeBandNames[b] << ": " << events[b][e]
                              << " events, expected " << expected);
      CHECK(within_se(events[b][e], expected));
    }
    fmt::print("\n");
  }
}

TEST_CASE("band averages equal the configured rates; factors spread them", "[borough][demand]") {
  const Population p = small_borough();
  const DemandSampler d(demand(), p, demand_stream());
  for (std::size_t e = 0; e < kEventTypes; ++e) {
    const auto type = static_cast<EventType>(e);
    const EventHazards& h = demand().events[e];
    BandValues sum{}, n{};
    for (ResidentId i = 0; i < p.slots(); ++i) {
      const auto b = static_cast<std::size_t>(p.band(i));
      sum[b] += d.hazard(i, type);
      n[b] += 1;
      // Every resident's hazard is the band's base rate times the factors.
      const double want = d.base_rate(p.band(i), type) *
                          h.risk[static_cast<std::size_t>(p.risk(i))] *
                          h.frailty[static_cast<std::size_t>(p.frailty(i))] *
                          (p.setting(i) == Setting::kCareHome ? h.care_home : 1.0);
      if (std::abs(d.hazard(i, type) - want) > 1e-12 * want) FAIL("resident " << i);
    }
    for (std::size_t b = 0; b < kAgeBands; ++b)
      CHECK(sum[b] / n[b] == Approx(h.per_person_year[b] * h.multiplier).epsilon(1e-9));
  }
}

TEST_CASE("events fall on residents in proportion to their hazards", "[borough][demand]") {
  const Population p = small_borough(2);
  DemandSampler d(demand(), p, demand_stream(2));
  std::array<std::array<double, kEventTypes>, kRiskLevels> expected{}, observed{};
  for (ResidentId i = 0; i < p.slots(); ++i) {
    for (std::size_t e = 0; e < kEventTypes; ++e)
      expected[static_cast<std::size_t>(p.risk(i))][e] += d.hazard(i, static_cast<EventType>(e));
  }
  sample(d, 0, kYear, [&](const DemandEvent& ev) {
    ++observed[static_cast<std::size_t>(p.risk(ev.resident))][static_cast<std::size_t>(ev.type)];
  });
  for (std::size_t r = 0; r < kRiskLevels; ++r) {
    for (std::size_t e = 0; e < kEventTypes; ++e) {
      INFO(kRiskNames[r] << " " << kEventTypeNames[e] << ": " << observed[r][e] << " vs "
                         << expected[r][e]);
      CHECK(within_se(observed[r][e], expected[r][e]));
    }
  }
}

TEST_CASE("a per-resident modifier scales exactly that resident's hazards", "[borough][demand]") {
  const Population p = small_borough(3);
  DemandSampler d(demand(), p, demand_stream(3));
  // "Complex care": every Level 2 and 3 resident's hazards halved for 999 and A&E.
  const ModifierId care = d.add_modifier({1.0, 0.5, 0.5});
  CHECK(care == 1);
  std::vector<ResidentId> enrolled;
  double removed = 0;
  for (ResidentId i = 0; i < p.slots(); ++i) {
    if (p.risk(i) >= RiskLevel::kLevel2) {
      enrolled.push_back(i);
      removed +=
          0.5 * (d.hazard(i, EventType::kCall999) + d.hazard(i, EventType::kAeSelfPresentation));
    }
  }
  REQUIRE(enrolled.size() > 100);
  const double before = d.total_rate();
  const double gp_before = d.hazard(enrolled[0], EventType::kGpConsultation);
  const auto version = d.version();
  for (ResidentId i : enrolled)
    d.set_modifier(i, care);
  CHECK(d.version() > version);
  CHECK(d.modifier(enrolled[0]) == care);
  CHECK(d.total_rate() == Approx(before - removed).epsilon(1e-9));
  CHECK(d.hazard(enrolled[0], EventType::kGpConsultation) == gp_before);
  // Sampled: the enrolled make the expected (halved) number of 999 calls.
  double expected = 0, observed = 0;
  for (ResidentId i : enrolled)
    expected += d.hazard(i, EventType::kCall999);
  sample(d, 0, kYear, [&](const DemandEvent& ev) {
    observed += ev.type == EventType::kCall999 && d.modifier(ev.resident) == care ? 1 : 0;
  });
  INFO(observed << " calls from the enrolled, expected " << expected);
  CHECK(within_se(observed, expected));
  // Leaving restores the rates.
  for (ResidentId i : enrolled)
    d.set_modifier(i, 0);
  CHECK(d.total_rate() == Approx(before).epsilon(1e-9));
}

TEST_CASE("the dead make no demand; multipliers scale a type exactly", "[borough][demand]") {
  Population p = small_borough(4);
  DemandSampler d(demand(), p, demand_stream(4));
  const ResidentId gone = 42;
  const double total = d.total_rate();
  double own = 0;
  for (std::size_t e = 0; e < kEventTypes; ++e)
    own += d.hazard(gone, static_cast<EventType>(e));
  p.die(gone);
  d.update(gone, p);
  CHECK(d.total_rate() == Approx(total - own).epsilon(1e-9));
  CHECK(d.hazard(gone, EventType::kGpConsultation) == 0);
  // A resident moving into a care home changes stratum.
  const ResidentId mover = 7;
  REQUIRE(p.setting(mover) == Setting::kOwnHome);
  const double ae = d.hazard(mover, EventType::kAeSelfPresentation);
  p.set_setting(mover, Setting::kCareHome);
  d.update(mover, p);
  CHECK(d.hazard(mover, EventType::kAeSelfPresentation) ==
        Approx(ae * demand()[EventType::kAeSelfPresentation].care_home));
  bool drawn = false;
  sample(d, 0, kYear / 4, [&](const DemandEvent& ev) { drawn = drawn || ev.resident == gone; });
  CHECK_FALSE(drawn);
  const double calls = d.rate(EventType::kCall999), gp = d.rate(EventType::kGpConsultation);
  d.set_multiplier(EventType::kCall999, 2.0);
  CHECK(d.rate(EventType::kCall999) == Approx(2 * calls).epsilon(1e-12));
  CHECK(d.rate(EventType::kGpConsultation) == Approx(gp).epsilon(1e-12));
}

TEST_CASE("sampling is exact across a change of rates (redraw at the change)",
          "[borough][demand]") {
  const Population p = small_borough(5);
  DemandSampler d(demand(), p, demand_stream(5));
  const double half = kYear / 2;
  const double rate = d.rate(EventType::kCall999);
  double first = 0, second = 0;
  sample(d, 0, half, [&](const DemandEvent& ev) { first += ev.type == EventType::kCall999; });
  d.set_multiplier(EventType::kCall999, 3.0);  // from mid-year, three times the calls
  sample(d, half, kYear, [&](const DemandEvent& ev) { second += ev.type == EventType::kCall999; });
  CHECK(within_se(first, rate / 2));
  CHECK(within_se(second, 3 * rate / 2));
}

TEST_CASE("after a yearly step the strata follow the population; modifiers stay",
          "[borough][demand]") {
  Population p = small_borough(6);
  DemandSampler d(demand(), p, demand_stream(6));
  const ModifierId m = d.add_modifier({0.8, 0.8, 0.8});
  for (ResidentId i = 0; i < 200; ++i)
    d.set_modifier(i, m);
  const double base_0_17 = d.base_rate(AgeBand::k0to17, EventType::kGpConsultation);
  p.step_year();
  d.rebuild(p);
  double rate = 0;
  int kept = 0, dead_with_demand = 0, others_modified = 0;
  for (ResidentId i = 0; i < p.slots(); ++i) {
    for (std::size_t e = 0; e < kEventTypes; ++e)
      rate += d.hazard(i, static_cast<EventType>(e));
    if (i < 200 && p.alive(i)) kept += d.modifier(i) == m ? 1 : 0;
    if (!p.alive(i)) dead_with_demand += d.hazard(i, EventType::kGpConsultation) > 0 ? 1 : 0;
    if (i >= 200) others_modified += d.modifier(i) != 0 ? 1 : 0;
  }
  CHECK(kept > 190);
  CHECK(dead_with_demand == 0);
  CHECK(others_modified == 0);
  CHECK(d.total_rate() == Approx(rate).epsilon(1e-9));
  // Base rates are frozen at the start: the band averages now move with the population's mix.
  CHECK(d.base_rate(AgeBand::k0to17, EventType::kGpConsultation) == base_0_17);
}
