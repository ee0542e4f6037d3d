// Pit stops in the borough (scenarios/borough/wigan-baseline.yaml on a 5% borough):
//  - common random numbers: before the first pit stop's date every series of the scenario is
//    bit-identical to the baseline's; a pit stop that changes nothing (factors of 1, values set
//    to what they were) leaves every series identical throughout;
//  - what changes does change: 999 demand × 1.5 from the date, unit costs and budget amounts
//    priced from the date, places added to a service.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "borough/fixture.hpp"
#include "engine/network.hpp"
#include "engine/network_graph.hpp"
#include "models/borough/finance.hpp"
#include "models/borough/front_door.hpp"
#include "models/scenario.hpp"

using namespace pitstop::models::borough;
namespace engine = pitstop::engine;
using pitstop::models::Scenario;

namespace {

constexpr std::size_t kDate = 61;  // 2019-06-01: days since 2019-04-01
constexpr double kHorizon = 122;

/// The baseline with `pit_stops` (YAML list items) on a borough of `size` × the people, for
/// `horizon` days.
Scenario with_pit_stops(const std::string& items, double size = 0.05, double horizon = kHorizon) {
  const std::string text = "extends: " + std::string(PITSTOP_SOURCE_DIR) +
                           "/scenarios/borough/wigan-baseline.yaml\n" +
                           (items.empty() ? "" : "pit_stops:\n" + items);
  Scenario sc = pitstop::models::load_scenario_text(text, "/tmp/pit-stops-test.yaml");
  sc.population = scaled(*sc.population, size);
  sc.run.horizon_days = horizon;
  return sc;
}

engine::SeriesSet run(const Scenario& sc) {
  const engine::NetworkGraph graph(sc.network);
  FrontDoor fd(sc, graph, 0);
  engine::Network net(graph, sc.run, 0, nullptr, &fd);
  net.run();
  return fd.take_series();
}

/// Whether metric m's values of days [from, to) are bit-identical in a and b.
bool identical(const engine::SeriesSet& a, const engine::SeriesSet& b, std::size_t m,
               std::size_t width, std::size_t from, std::size_t to) {
  return std::memcmp(a.values[m].data() + from * width, b.values[m].data() + from * width,
                     (to - from) * width * sizeof(double)) == 0;
}

double total(const engine::SeriesSet& s, std::size_t m, std::size_t width, std::size_t from,
             std::size_t to) {
  return pitstop::test::series_total(
      s, m, width, [](std::size_t) { return true; }, from, to);
}

const char* const kChanges = R"(
  - name: bigger-team
    date: 2019-06-01
    why: the community response team doubles and takes twice the referrals
    scale:
      services.community_response.capacity: 2
      pathways.community_response.referral_share: 2
      demand.call_999.multiplier: 1.5
      finance.unit_costs_gbp.gp_consultation: 2
      finance.budget_lines.acute.amount_gbp: 0.5
    set:
      services.reablement.capacity: 90
)";

}  // namespace

TEST_CASE("common random numbers: a scenario equals its baseline before its first pit stop",
          "[borough][pit_stops][crn]") {
  const Scenario base = with_pit_stops("");
  const Scenario scen = with_pit_stops(kChanges);
  REQUIRE(scen.pit_stops.size() == 1);
  REQUIRE(scen.pit_stops[0].day == kDate);
  const auto a = run(base);
  const auto b = run(scen);
  const auto defs = borough_metrics(*base.population, &*base.finance);
  REQUIRE(a.days == b.days);
  std::size_t differ_after = 0;
  for (std::size_t m = 0; m < defs.size(); ++m) {
    INFO("metric " << defs[m].name);
    const std::size_t w = defs[m].breakdown.size();
    CHECK(identical(a, b, m, w, 0, kDate));
    if (!identical(a, b, m, w, kDate, a.days)) ++differ_after;
  }
  CHECK(differ_after > 10);

  // GP consultations priced at twice the unit cost from the date, as they happened.
  const auto& f = *base.finance;
  const double gp_cost = f.unit_cost_gbp[static_cast<std::size_t>(Activity::kGpConsultation)];
  for (std::size_t day : {kDate - 1, kDate, kDate + 30}) {
    const double consultations =
        total(b, kGpConsultations, defs[kGpConsultations].breakdown.size(), day, day + 1);
    const double cost =
        b.values[kActivityCost]
                [day * kActivities + static_cast<std::size_t>(Activity::kGpConsultation)];
    CHECK(cost == Approx(consultations * gp_cost * (day >= kDate ? 2 : 1)));
  }
  // The acute line spends half its amount (a year's rate) from the date.
  const std::size_t lines = f.lines.size();
  std::size_t acute = 0;
  while (f.lines[acute].name != "acute")
    ++acute;
  const double day_before = a.values[kSpend][(kDate - 1) * lines + acute];
  CHECK(b.values[kSpend][(kDate - 1) * lines + acute] == day_before);
  CHECK(b.values[kSpend][kDate * lines + acute] == Approx(day_before * 0.5));
}

TEST_CASE("common random numbers: a pit stop that changes nothing changes no series",
          "[borough][pit_stops][crn]") {
  const Scenario base = with_pit_stops("");
  const Scenario scen = with_pit_stops(R"(
  - name: nothing
    date: 2019-06-01
    why: every kind of change, each by a factor of 1 or to the value it had
    scale:
      services.community_response.capacity: 1
      services.beds.duration_days: 1
      pathways.community_response.referral_share: 1
      pathways.beds.length_of_stay_days: 1
      demand.call_999.multiplier: 1
      demand.gp_consultation.per_person_year: 1
      finance.unit_costs_gbp: 1
    set:
      services.reablement.capacity: 65
      pathways.ambulance.hear_and_treat: 0.07
)");
  REQUIRE(scen.pit_stops.size() == 1);
  CHECK_FALSE(scen.pit_stops[0].demand_changed);
  CHECK_FALSE(scen.pit_stops[0].pathways_changed);
  CHECK_FALSE(scen.pit_stops[0].finance_changed);
  const auto a = run(base);
  const auto b = run(scen);
  const auto defs = borough_metrics(*base.population, &*base.finance);
  for (std::size_t m = 0; m < defs.size(); ++m) {
    INFO("metric " << defs[m].name);
    CHECK(identical(a, b, m, defs[m].breakdown.size(), 0, a.days));
  }
}

TEST_CASE("a pit stop's demand multiplier raises demand from its date", "[borough][pit_stops]") {
  // 999 calls × 1.5 from 1 June on a 25% borough for a year: ≈33 calls a day, ≈10,000 in the 304
  // days after (sd ≈ 1%), so the ratio to the baseline's is 1.5 within ±0.07 (3 sd), plus a
  // little from the feedback of more admissions (raised hazards after discharge).
  const Scenario base = with_pit_stops("", 0.25, 365);
  const Scenario scen = with_pit_stops(R"(
  - name: busier
    date: 2019-06-01
    why: 999 demand half as much again
    scale: {demand.call_999.multiplier: 1.5}
)",
                                       0.25, 365);
  REQUIRE(scen.pit_stops.size() == 1);
  CHECK(scen.pit_stops[0].demand_changed);
  CHECK_FALSE(scen.pit_stops[0].pathways_changed);
  const auto a = run(base);
  const auto b = run(scen);
  const std::size_t w = borough_metrics(*base.population)[kAmbulanceCalls].breakdown.size();
  CHECK(identical(a, b, kAmbulanceCalls, w, 0, kDate));
  const double ratio =
      total(b, kAmbulanceCalls, w, kDate, b.days) / total(a, kAmbulanceCalls, w, kDate, a.days);
  CHECK(ratio == Approx(1.52).margin(0.07));
  // The other demand is unchanged in kind: GP consultations within 2% (they are ≈30 times as
  // many; only the thinning and the redraw at the date differ).
  const std::size_t g = borough_metrics(*base.population)[kGpConsultations].breakdown.size();
  CHECK(total(b, kGpConsultations, g, kDate, b.days) ==
        Approx(total(a, kGpConsultations, g, kDate, a.days)).epsilon(0.02));
}
