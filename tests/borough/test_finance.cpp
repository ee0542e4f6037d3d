// Money (`finance:` of scenarios/borough/wigan-baseline.yaml) on a 5% borough:
//  - the activity-based cost of each day is each activity's count (or places in use) that day ×
//    its unit cost, recomputed here from the replicate's own series;
//  - each budget line spends its amount over the days of each financial year, so a whole year's
//    spend is the amount exactly, and the funds add up to the lines;
//  - bad finance input is refused with the key and the reason.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

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

std::size_t idx(auto e) {
  return static_cast<std::size_t>(e);
}

struct Run {
  engine::SeriesSet series;
  std::vector<engine::MetricDef> defs;
};

Run run(const Scenario& sc) {
  const engine::NetworkGraph graph(sc.network);
  FrontDoor fd(sc, graph, 0);
  engine::Network net(graph, sc.run, 0, nullptr, &fd);
  net.run();
  return {fd.take_series(), borough_metrics(*sc.population, &*sc.finance)};
}

double day_total(const Run& r, std::size_t m, std::size_t day,
                 const std::function<bool(std::size_t)>& keep) {
  const std::size_t w = r.defs[m].breakdown.size();
  return pitstop::test::series_total(r.series, m, w, keep, day, day + 1);
}

/// Loading the baseline with `yaml` appended (after `extends` and a name) fails with `message`.
void fails_with(const std::string& yaml, const std::string& message) {
  const std::string text = "extends: " + std::string(PITSTOP_SOURCE_DIR) +
                           "/scenarios/borough/wigan-baseline.yaml\nname: bad-finance\n" + yaml;
  try {
    (void)pitstop::models::load_scenario_text(text, "/tmp/bad-finance.yaml");
    FAIL("loaded without an error: " << yaml);
  } catch (const pitstop::models::InputError& e) {
    CHECK_THAT(e.what(), Catch::Contains(message));
  }
}

}  // namespace

TEST_CASE("activity-based cost is each day's activity × its unit cost", "[borough][finance]") {
  Scenario sc = pitstop::test::wigan_baseline();
  sc.population = scaled(*sc.population, 0.05);
  sc.run.horizon_days = 60;
  REQUIRE(sc.finance);
  const auto& f = *sc.finance;
  const Run r = run(sc);
  const auto all = [](std::size_t) { return true; };
  const auto outcome = [](CallOutcome o) {
    return [o](std::size_t b) { return b % kCallOutcomes == idx(o); };
  };
  const auto cost = [&](Activity a) { return f.unit_cost_gbp[idx(a)]; };
  double total = 0;
  for (std::size_t day = 0; day < r.series.days; ++day) {
    const auto activity = [&](Activity a) {
      return r.series.values[kActivityCost][day * kActivities + idx(a)];
    };
    INFO("day " << day);
    CHECK(activity(Activity::kGpConsultation) ==
          Approx(day_total(r, kGpConsultations, day, all) * cost(Activity::kGpConsultation)));
    CHECK(activity(Activity::kAmbulanceHearAndTreat) ==
          Approx(day_total(r, kAmbulanceCalls, day, outcome(CallOutcome::kHearAndTreat)) *
                 cost(Activity::kAmbulanceHearAndTreat)));
    CHECK(activity(Activity::kAmbulanceConveyance) ==
          Approx((day_total(r, kAmbulanceConveyances, day, all) +
                  day_total(r, kAmbulanceCalls, day, outcome(CallOutcome::kConveyedElsewhere))) *
                 cost(Activity::kAmbulanceConveyance)));
    CHECK(
        activity(Activity::kEmergencyAdmission) ==
        Approx(day_total(r, kEmergencyAdmissions, day, all) * cost(Activity::kEmergencyAdmission)));
    CHECK(activity(Activity::kExcessBedDay) ==
          Approx(day_total(r, kDelayedBedsPerDay, day, all) * cost(Activity::kExcessBedDay)));
    CHECK(activity(Activity::kComplexCareDay) ==
          Approx(day_total(r, kComplexCareCaseload, day, all) * cost(Activity::kComplexCareDay)));
    for (std::size_t a = 0; a < kActivities; ++a)
      total += r.series.values[kActivityCost][day * kActivities + a];
  }
  // Care homes are paid by the week for every place in use, the initial occupants' included:
  // on day 0 (places not scaled with the 5% borough) between the initial occupants less those
  // gone that day and the places.
  const double nursing_day0 = r.series.values[kActivityCost][idx(Activity::kNursingHomeWeek)] /
                              (cost(Activity::kNursingHomeWeek) / 7.0);
  const auto& services = sc.network.services;
  const auto nursing = std::find_if(services.begin(), services.end(),
                                    [](const auto& s) { return s.name == "nursing_home"; });
  REQUIRE(nursing != services.end());
  CHECK(nursing_day0 >= static_cast<double>(sc.pathways->discharge->initial_occupied[4]) - 5);
  CHECK(nursing_day0 <= nursing->capacity.value_at(0));
  CHECK(total > 0);
}

TEST_CASE("each budget line spends its amount over each financial year", "[borough][finance]") {
  Scenario sc = pitstop::test::wigan_baseline();
  sc.population = scaled(*sc.population, 0.05);
  sc.run.horizon_days = 366;  // 2019/20 exactly (2020 is a leap year)
  const auto& f = *sc.finance;
  const Run r = run(sc);
  const std::size_t lines = f.lines.size();
  REQUIRE(r.defs[kSpend].breakdown.size() == lines);
  std::array<double, kFunds> fund{};
  double amount = 0;
  for (std::size_t l = 0; l < lines; ++l) {
    INFO(f.lines[l].name);
    CHECK(r.defs[kSpend].breakdown[l] ==
          std::string(kFundNames[idx(f.lines[l].fund)]) + "/" + f.lines[l].name);
    const double year = pitstop::test::series_total(
        r.series, kSpend, lines, [l](std::size_t b) { return b == l; }, 0, 366);
    CHECK(year == Approx(f.lines[l].amount_gbp).epsilon(1e-12));
    fund[idx(f.lines[l].fund)] += year;
    amount += f.lines[l].amount_gbp;
  }
  // place-facts.md: pooled £327m, aligned £356m.
  CHECK(fund[idx(Fund::kPooled)] == Approx(327e6).epsilon(1e-12));
  CHECK(fund[idx(Fund::kAligned)] == Approx(356e6).epsilon(1e-12));
  CHECK(amount == Approx(683e6).epsilon(1e-12));
}

TEST_CASE("bad finance input is refused with its key and reason", "[borough][finance]") {
  fails_with("finance:\n  budget_lines:\n    - {name: x, fund: council, amount_gbp: 1}\n",
             "expected one of pooled, aligned, got 'council'");
  fails_with(
      "finance:\n  budget_lines:\n    - {name: x, fund: pooled, amount_gbp: 1, service: "
      "wards, cost_per_place_gbp: 5}\n",
      "no service `wards` in `services`");
  fails_with(
      "finance:\n  budget_lines:\n    - {name: x, fund: pooled, amount_gbp: 1, service: "
      "beds}\n",
      "needs `cost_per_place_gbp`");
  fails_with(
      "finance:\n  budget_lines:\n    - {name: x, fund: pooled, amount_gbp: 1, "
      "cost_per_place_gbp: 5}\n",
      "`cost_per_place_gbp` needs the `service`");
  fails_with("finance:\n  unit_costs_gbp:\n    gp_consultation: -3\n", "finance.unit_costs_gbp");
}

TEST_CASE("a shift moves money between lines and changes the places they fund",
          "[borough][finance]") {
  const std::string base =
      std::string(PITSTOP_SOURCE_DIR) + "/scenarios/borough/wigan-baseline.yaml";
  // £3m a year from acute (a bed-year £118,625) to community health (a team place £500,000)
  // from 2020-04-01 (day 366): beds lose ⌈25.29⌉ = 26 places, the team gains ⌊6⌋ = 6 on every
  // step of its rota.
  const Scenario sc = pitstop::models::load_scenario_text(
      "extends: " + base +
          "\nname: shift\nfinance:\n  shifts:\n    - {name: to-community, date: 2020-04-01, "
          "from: acute, to: community_health, amount_gbp: 3000000}\n",
      "/tmp/shift.yaml");
  const Scenario& b = pitstop::test::wigan_baseline();
  const auto service = [](const Scenario& s, const std::string& name) {
    for (const auto& svc : s.network.services)
      if (svc.name == name) return svc.capacity;
    FAIL("no service " << name);
    return engine::StepSchedule(0.0);
  };
  const auto& f = *sc.finance;
  REQUIRE(f.shifts.size() == 1);
  CHECK(f.shifts[0].places_lost == 26);
  CHECK(f.shifts[0].places_gained == 6);
  for (const double t : {0.0, 100.5, 365.9}) {  // before the shift: the baseline's
    CHECK(service(sc, "beds").value_at(t) == service(b, "beds").value_at(t));
    CHECK(service(sc, "community_response").value_at(t) ==
          service(b, "community_response").value_at(t));
  }
  for (const double t : {366.0, 400.4, 400.9, 4000.0}) {
    CHECK(service(sc, "beds").value_at(t) == service(b, "beds").value_at(t) - 26);
    CHECK(service(sc, "community_response").value_at(t) ==
          service(b, "community_response").value_at(t) + 6);
  }
  // Money moves, none is made: every day the lines sum to the same total; the two lines change
  // by £3m a year from the shift's day.
  std::size_t acute = 0, community = 0;
  for (std::size_t l = 0; l < f.lines.size(); ++l) {
    if (f.lines[l].name == "acute") acute = l;
    if (f.lines[l].name == "community_health") community = l;
  }
  for (const double day : {0.0, 365.0, 366.0, 3000.0}) {
    double total = 0;
    for (std::size_t l = 0; l < f.lines.size(); ++l)
      total += f.amount_on(l, day);
    CHECK(total == Approx(683e6).epsilon(1e-12));
    const double moved = day >= 366 ? 3e6 : 0;
    CHECK(f.amount_on(acute, day) == Approx(250e6 - moved).epsilon(1e-12));
    CHECK(f.amount_on(community, day) == Approx(45e6 + moved).epsilon(1e-12));
  }
}

TEST_CASE("bad shifts are refused", "[borough][finance]") {
  const auto shift_fails_with = [](const std::string& shift, const std::string& message) {
    fails_with("finance:\n  shifts:\n    - " + shift + "\n", message);
  };
  shift_fails_with(
      "{name: s, date: 2021-04-01, from: complex_care, to: acute, amount_gbp: 2000000}",
      "`complex_care` would have £200000 a year less than nothing");
  shift_fails_with("{name: s, date: 2021-04-01, from: wards, to: acute, amount_gbp: 1}",
                   "no budget line `wards`");
  shift_fails_with("{name: s, date: 2019-01-01, from: acute, to: homecare, amount_gbp: 1}",
                   "is before the scenario's start");
  shift_fails_with("{name: s, date: 2021-04-01, from: acute, to: acute, amount_gbp: 1}",
                   "two different lines");
  // A cut bigger than the places: a nursing home of 100 places (not growing) whose line pays for
  // 180.
  fails_with(
      "services:\n  nursing_home:\n    capacity: 100\n    capacity_schedule: ~\npathways:\n  "
      "discharge:\n    "
      "initial_occupied:\n      nursing_home: 50\nfinance:\n  shifts:\n    - {name: s, "
      "date: 2021-04-01, from: nursing_care, to: acute, amount_gbp: 7112000}\n",
      "funds `nursing_home`: a change of -176");
}
