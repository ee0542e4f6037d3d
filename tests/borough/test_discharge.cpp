// Leaving hospital (`pathways.discharge`, tests/borough/data/discharge.yaml) on a 5% borough:
//  - delayed transfers of care come only from the engine's blocking at the bed pool and equal
//    its blocked days by reason plus the delays still running at the horizon
//    (Network::for_each_blocked); the per-day and by-responsibility views add up to the same;
//  - no capacity limit, no delays; a service with no places keeps its patients in bed;
//  - the destinations split as configured;
//  - conservation: discharges = the bed pool's departures, deaths in hospital = residents lost,
//    care-home admissions = discharges to care homes, beds held = the engine's occupancy;
//  - trolley waits only when beds are short; 30-day readmissions;
//  - bit-identical series at 1 and 2 threads.
// Horizons are at most 365 days: the first yearly step (deaths, births, care-home entry) is on
// day 366, so the only deaths are in hospital and the only moves into care homes are from it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "borough/fixture.hpp"
#include "engine/network.hpp"
#include "engine/network_graph.hpp"
#include "engine/replication.hpp"
#include "models/borough/front_door.hpp"
#include "models/scenario.hpp"

using namespace pitstop::models::borough;
namespace engine = pitstop::engine;
using pitstop::models::Scenario;

namespace {

constexpr double kZ = 4.0;  // tolerance of the binomial checks, in standard deviations

std::size_t idx(auto e) {
  return static_cast<std::size_t>(e);
}

const Scenario& fixture() {
  static const Scenario s = pitstop::models::load_scenario(std::string(PITSTOP_SOURCE_DIR) +
                                                           "/tests/borough/data/discharge.yaml");
  return s;
}

std::size_t service_index(const Scenario& sc, const std::string& name) {
  const auto& v = sc.network.services;
  const auto it = std::find_if(v.begin(), v.end(), [&](const auto& s) { return s.name == name; });
  REQUIRE(it != v.end());
  return static_cast<std::size_t>(it - v.begin());
}

std::size_t discharge_index(const Scenario& sc, std::size_t k) {
  return service_index(sc, kDischargeServiceNames[k]);
}

/// The service a delay reason waits for: a discharge service, or the assessment.
std::size_t reason_index(const Scenario& sc, std::size_t k) {
  return k == kAssessmentReason ? service_index(sc, kAssessmentServiceName)
                                : discharge_index(sc, k);
}

void set_capacity(Scenario& sc, const std::string& name, double places) {
  sc.network.services[service_index(sc, name)].capacity = engine::StepSchedule(places);
}

/// The fixture on a 5% borough for `horizon` days, with the discharge services' places and
/// their initial occupants scaled by `services` (0.05: as scarce per resident as the fixture).
Scenario small_borough(double horizon, double services) {
  Scenario sc = fixture();
  sc.population = scaled(*sc.population, 0.05);
  sc.run.horizon_days = horizon;
  auto& d = *sc.pathways->discharge;
  for (std::size_t k = 0; k < kDischargeServices; ++k) {
    auto& s = sc.network.services[discharge_index(sc, k)];
    s.capacity = engine::StepSchedule(std::round(s.capacity.value_at(0) * services));
    d.initial_occupied[k] = std::llround(static_cast<double>(d.initial_occupied[k]) * services);
  }
  auto& assessment = sc.network.services[service_index(sc, kAssessmentServiceName)];
  assessment.capacity =
      engine::StepSchedule(std::max(1.0, std::round(assessment.capacity.value_at(0) * services)));
  return sc;
}

/// Every discharge service with far more places than a 5% borough can fill in a year.
void ample_services(Scenario& sc) {
  for (std::size_t k = 0; k < kDischargeServices; ++k)
    set_capacity(sc, kDischargeServiceNames[k], 1e6);
  set_capacity(sc, kAssessmentServiceName, 1e6);
}

struct Run {
  engine::ReplicateResult res;
  engine::SeriesSet series;
  std::int64_t alive_before = 0, alive_after = 0;
  // Patients still blocked in the bed pool at the horizon, and their bed-days so far, by the
  // network index of the service they wait for (the engine's counters hold completed delays).
  std::vector<std::size_t> blocked_at_end;
  std::vector<double> running_days;
  std::size_t held_at_end = 0;  // beds kept by patients at the assessment at the horizon
};

Run run_replicate(const Scenario& sc, std::uint32_t r) {
  const engine::NetworkGraph graph(sc.network);
  FrontDoor fd(sc, graph, r);
  Run out;
  out.alive_before = fd.population().alive_count();
  engine::Network net(graph, sc.run, r, nullptr, &fd);
  out.res = net.run();
  out.series = fd.take_series();
  out.alive_after = fd.population().alive_count();
  const std::size_t n = sc.network.services.size();
  out.blocked_at_end.assign(n, 0);
  out.running_days.assign(n, 0.0);
  const std::size_t beds = service_index(sc, "beds");
  net.for_each_blocked(
      [&](std::uint64_t, std::size_t node, std::size_t reason, engine::Time since) {
        if (node != beds) return;
        ++out.blocked_at_end[reason];
        out.running_days[reason] += sc.run.horizon_days - since;
      });
  out.held_at_end = net.held_places(beds);
  return out;
}

const std::vector<engine::MetricDef>& metric_defs() {
  static const auto defs = borough_metrics(*fixture().population);
  return defs;
}

std::size_t width(BoroughMetric m) {
  return metric_defs()[m].breakdown.size();
}

bool every(std::size_t) {
  return true;
}

/// Sum of metric `m` over days [from, to) and the breakdown entries `keep` accepts.
double total(const engine::SeriesSet& s, BoroughMetric m,
             const std::function<bool(std::size_t)>& keep = every, std::size_t from = 0,
             std::size_t to = ~std::size_t{0}) {
  return pitstop::test::series_total(s, m, width(m), keep, from, to);
}

double value(const engine::SeriesSet& s, BoroughMetric m, std::size_t day, std::size_t b) {
  return s.values[m][day * width(m) + b];
}

// Breakdown decoders: delayed_transfer_days is sdf/reason, discharges sdf/destination,
// delayed_transfer_days_by_responsibility sdf/responsibility.
auto reason(std::size_t k) {
  return [k](std::size_t b) { return b % kDelayReasons == k; };
}
auto destination(Destination d) {
  return [d](std::size_t b) { return b % kDestinations == idx(d); };
}
auto responsibility(std::size_t k) {
  return [k](std::size_t b) { return b % kResponsibilities == k; };
}

}  // namespace

TEST_CASE("delayed transfers are the engine's blocked bed-days, by reason",
          "[borough][discharge]") {
  const Scenario sc = small_borough(365, 0.02);
  const std::size_t beds = service_index(sc, "beds");
  const auto& d = *sc.pathways->discharge;
  const std::size_t sdfs = sc.population->sdfs.size();
  const double places = sc.network.services[beds].capacity.value_at(0);
  std::vector<double> by_reason(kDelayReasons, 0.0);
  std::size_t still_blocked = 0;
  for (std::uint32_t r = 0; r < 2; ++r) {
    INFO("replicate " << r);
    const Run run = run_replicate(sc, r);
    const auto& c = run.res.services[beds];
    // The engine counts a delay when it ends (the patient moves on); the model also counts the
    // delays still running at the horizon, up to the horizon. With those added the totals agree
    // exactly (up to summation order).
    double running = 0;
    std::size_t blocked = 0;
    for (std::size_t k = 0; k < kDelayReasons; ++k) {
      INFO("reason " << kDelayReasonNames[k]);
      const std::size_t node = reason_index(sc, k);
      const double model = total(run.series, kDelayedTransferDays, reason(k));
      CHECK(model == Approx(c.blocked_days_by_reason[node] + run.running_days[node]).margin(1e-9));
      by_reason[k] += model;
      running += run.running_days[node];
      blocked += run.blocked_at_end[node];
    }
    still_blocked += blocked;
    // The bed pool blocks for nothing but the discharge services and the assessment; a bed is
    // not yet departed while blocked in it or kept during the assessment.
    const double all = total(run.series, kDelayedTransferDays);
    CHECK(all == Approx(c.blocked_days + running).margin(1e-9));
    CHECK(c.completions - c.departures == blocked + run.held_at_end);
    CHECK(total(run.series, kDelayedBedsPerDay) == Approx(all).margin(1e-9));
    for (std::size_t q = 0; q < kResponsibilities; ++q) {
      double expected = 0;
      for (std::size_t k = 0; k < kDelayReasons; ++k)
        expected += total(run.series, kDelayedTransferDays, reason(k)) * d.responsible[k][q];
      CHECK(total(run.series, kDelayedDaysByResponsibility, responsibility(q)) ==
            Approx(expected).margin(1e-9));
    }
    // Day by day and SDF by SDF too; a day holds at most one bed-day per bed.
    for (std::size_t day = 0; day < run.series.days; ++day) {
      double that_day = 0;
      for (std::size_t s = 0; s < sdfs; ++s) {
        double reasons = 0;
        std::array<double, kResponsibilities> resp{};
        for (std::size_t k = 0; k < kDelayReasons; ++k) {
          const double v = value(run.series, kDelayedTransferDays, day, s * kDelayReasons + k);
          CHECK(v >= 0);
          reasons += v;
          for (std::size_t q = 0; q < kResponsibilities; ++q)
            resp[q] += v * d.responsible[k][q];
        }
        const double per_day = value(run.series, kDelayedBedsPerDay, day, s);
        if (per_day != Approx(reasons).margin(1e-9)) FAIL_CHECK("day " << day << " sdf " << s);
        for (std::size_t q = 0; q < kResponsibilities; ++q) {
          if (value(run.series, kDelayedDaysByResponsibility, day, s * kResponsibilities + q) !=
              Approx(resp[q]).margin(1e-9)) {
            FAIL_CHECK("responsibility, day " << day << " sdf " << s);
          }
        }
        that_day += per_day;
      }
      if (that_day > places + 1e-9) FAIL_CHECK("day " << day << ": " << that_day << " bed-days");
    }
  }
  // Places at 2% of the fixture's (for 5% of its residents): every reason occurs, and some
  // delays are still running at the horizon (so that part of the comparison is exercised).
  CHECK(still_blocked > 0);
  for (std::size_t k = 0; k < kDelayReasons; ++k) {
    INFO("reason " << kDelayReasonNames[k]);
    CHECK(by_reason[k] > 0);
  }
}

TEST_CASE("no capacity limit, no delays; no places, blocked to the end", "[borough][discharge]") {
  Scenario sc = small_borough(365, 0.05);
  ample_services(sc);
  const std::size_t beds = service_index(sc, "beds");
  SECTION("ample places everywhere") {
    for (std::uint32_t r = 0; r < 2; ++r) {
      const Run run = run_replicate(sc, r);
      const auto& c = run.res.services[beds];
      CHECK(total(run.series, kDelayedTransferDays) == 0);
      CHECK(total(run.series, kDelayedBedsPerDay) == 0);
      CHECK(total(run.series, kDelayedDaysByResponsibility) == 0);
      CHECK(c.blocked_days == 0);
      CHECK(c.blocked_departures == 0);
      // Nobody blocked at the horizon either (a bed kept during an assessment is not departed).
      CHECK(c.completions == c.departures + run.held_at_end);
      CHECK(total(run.series, kDischarges) > 0);
    }
  }
  SECTION("intermediate care with no places") {
    const std::size_t k = idx(Destination::kIntermediateCare) - 1;
    set_capacity(sc, kDischargeServiceNames[k], 0);
    sc.pathways->discharge->initial_occupied[k] = 0;
    const std::size_t ic = discharge_index(sc, k);
    for (std::uint32_t r = 0; r < 2; ++r) {
      INFO("replicate " << r);
      const Run run = run_replicate(sc, r);
      const auto& c = run.res.services[beds];
      // Everyone routed there is still in their bed at the horizon: completed but not departed,
      // no delay completed in the engine; the model counts their delays up to the horizon. No
      // discharge to it, nobody in it.
      const auto stuck = c.completions - c.departures - run.held_at_end;
      CHECK(stuck > 0);
      CHECK(stuck == run.blocked_at_end[ic]);
      CHECK(c.blocked_departures == 0);
      CHECK(c.blocked_days == 0);
      const double delayed = total(run.series, kDelayedTransferDays, reason(k));
      CHECK(delayed > 0);
      CHECK(delayed == Approx(run.running_days[ic]).margin(1e-9));
      CHECK(delayed <= static_cast<double>(stuck) * sc.run.horizon_days);
      CHECK(total(run.series, kDelayedTransferDays) == Approx(delayed).margin(1e-9));
      CHECK(total(run.series, kDischarges, destination(Destination::kIntermediateCare)) == 0);
      CHECK(run.res.services[ic].arrivals == 0);
      CHECK(run.res.services[ic].in_node_at_end == 0);
      const double held_at_end =
          total(run.series, kBedsOccupied, every, run.series.days - 1, run.series.days);
      CHECK(held_at_end >= static_cast<double>(stuck));
    }
  }
}

namespace {

/// The destinations every band shares in one_row_scenario().
constexpr std::array<double, kDestinations> kOneRow = {0.70, 0.10, 0.06, 0.05, 0, 0, 0.09};

/// Every band the same row (kOneRow), nobody in a care home at the start and no route into one
/// (no care-home destination, reablement never ends in a care home): then every discharge draws
/// from exactly that row scaled by support_factor (care-home residents, who go back home, never
/// exist). Ample places everywhere, so nobody waits.
Scenario one_row_scenario() {
  Scenario sc = small_borough(365, 0.05);
  ample_services(sc);
  sc.population->care_homes.shares.fill(0);
  auto& d = *sc.pathways->discharge;
  for (auto& band : d.destinations)
    band = kOneRow;
  d.reablement_outcomes = {0.80, 0.15, 0, 0.05};
  return sc;
}

}  // namespace

TEST_CASE("discharge destinations split as configured", "[borough][discharge]") {
  Scenario sc = one_row_scenario();
  auto& d = *sc.pathways->discharge;
  d.support_factor.fill(1);
  const auto& row = kOneRow;
  std::array<double, kDestinations> count{};
  double n = 0;
  for (std::uint32_t r = 0; r < 4; ++r) {
    const Run run = run_replicate(sc, r);
    for (std::size_t k = 0; k < kDestinations; ++k)
      count[k] += total(run.series, kDischarges, destination(static_cast<Destination>(k)));
    n += total(run.series, kDischarges);
    CHECK(total(run.series, kCareHomeAdmissions) == 0);
  }
  REQUIRE(n > 3000);
  for (std::size_t k = 0; k < kDestinations; ++k) {
    INFO(kDestinationNames[k] << ": " << count[k] << " of " << n << ", share " << row[k]);
    const double expected = n * row[k];
    const double sd = std::sqrt(n * row[k] * (1 - row[k]));
    CHECK(std::abs(count[k] - expected) <= kZ * sd);
  }
}

TEST_CASE("support_factor scales the supported destinations, not deaths", "[borough][discharge]") {
  // The same setting as above; a factor f applied to every frailty level scales the supported
  // share 0.21 to 0.21 f (below the cap of 1 − deaths) and leaves deaths at 0.09.
  const Scenario sc = one_row_scenario();
  const auto supported_share = [&](const FrailtyValues& f) {
    Scenario s = sc;
    s.pathways->discharge->support_factor = f;
    double supported = 0, n = 0, deaths = 0;
    for (std::uint32_t r = 0; r < 3; ++r) {
      const Run run = run_replicate(s, r);
      n += total(run.series, kDischarges);
      deaths += total(run.series, kDischarges, destination(Destination::kDeath));
      supported += total(run.series, kDischarges, [](std::size_t b) {
        const auto k = b % kDestinations;
        return k != idx(Destination::kHome) && k != idx(Destination::kDeath);
      });
    }
    return std::array<double, 3>{supported / n, deaths / n, n};
  };
  const auto one = supported_share({1, 1, 1, 1});
  const auto all_half = supported_share({0.5, 0.5, 0.5, 0.5});
  const auto all_double = supported_share({2, 2, 2, 2});
  const double p = 0.21;  // the row's supported share
  const auto near = [](double share, double expected, double n) {
    return std::abs(share - expected) <= kZ * std::sqrt(expected * (1 - expected) / n);
  };
  CHECK(near(one[0], p, one[2]));
  CHECK(near(all_half[0], p * 0.5, all_half[2]));
  CHECK(near(all_double[0], p * 2, all_double[2]));
  // Deaths are not scaled.
  CHECK(near(all_double[1], 0.09, all_double[2]));
  CHECK(near(all_half[1], 0.09, all_half[2]));
}

TEST_CASE("discharges, deaths, care-home moves and beds held are conserved",
          "[borough][discharge]") {
  Scenario sc = small_borough(365, 0.05);
  // Reablement never ends in a care home here, so every care-home admission is a discharge.
  sc.pathways->discharge->reablement_outcomes = {0.80, 0.15, 0, 0.05};
  const std::size_t beds = service_index(sc, "beds");
  const double places = sc.network.services[beds].capacity.value_at(0);
  for (std::uint32_t r = 0; r < 2; ++r) {
    INFO("replicate " << r);
    const Run run = run_replicate(sc, r);
    const auto& c = run.res.services[beds];
    // Each patient leaving the bed pool (home, died, or into a service) is one discharge; the
    // engine also counts a departure when an assessed patient takes up their kept bed again.
    const auto returns = run.res.services[service_index(sc, kAssessmentServiceName)].completions;
    CHECK(returns > 0);
    CHECK(total(run.series, kDischarges) == static_cast<double>(c.departures - returns));
    // Only hospital deaths before day 366. A resident can have two episodes at once, so a
    // death discharge may find them dead already: residents lost ≤ death discharges.
    const double deaths = total(run.series, kDischarges, destination(Destination::kDeath));
    const auto lost = static_cast<double>(run.alive_before - run.alive_after);
    CHECK(lost > 0);
    CHECK(lost <= deaths);
    CHECK(lost >= 0.98 * deaths);
    // Care-home admissions: one per move from a bed into residential or nursing care (a
    // resident found dead meanwhile is not admitted, hence ≤).
    const double to_homes =
        total(run.series, kDischarges, destination(Destination::kResidentialHome)) +
        total(run.series, kDischarges, destination(Destination::kNursingHome));
    const double admissions = total(run.series, kCareHomeAdmissions);
    CHECK(to_homes > 0);
    CHECK(admissions <= to_homes);
    CHECK(admissions >= to_homes - 2);
    // Beds held at each day's end: within the pool, and the occupancy rate says the same.
    for (std::size_t day = 0; day < run.series.days; ++day) {
      const double held = total(run.series, kBedsOccupied, every, day, day + 1);
      const double rate = value(run.series, kBedOccupancyRate, day, 0);
      if (held > places || rate * places != Approx(held).margin(1e-6)) {
        FAIL_CHECK("day " << day << ": " << held << " beds held, rate " << rate);
      }
    }
    // At the horizon: the engine's bed pool (no queue: everyone in it holds a bed).
    const double at_end =
        total(run.series, kBedsOccupied, every, run.series.days - 1, run.series.days);
    CHECK(at_end == static_cast<double>(c.in_node_at_end));
  }
  SECTION("no deaths in hospital, nobody dies") {
    Scenario s = sc;
    for (auto& band : s.pathways->discharge->destinations) {
      band[idx(Destination::kHome)] += band[idx(Destination::kDeath)];
      band[idx(Destination::kDeath)] = 0;
    }
    const Run run = run_replicate(s, 0);
    CHECK(total(run.series, kDischarges, destination(Destination::kDeath)) == 0);
    CHECK(run.alive_after == run.alive_before);
  }
}

TEST_CASE("trolley waits only when beds are short", "[borough][discharge]") {
  Scenario sc = small_borough(120, 0.05);
  ample_services(sc);
  {
    const Run run = run_replicate(sc, 0);
    CHECK(total(run.series, kTrolleyWaits) == 0);
    CHECK(total(run.series, kEmergencyAdmissions) > 0);
  }
  set_capacity(sc, "beds", 5);
  const Run run = run_replicate(sc, 0);
  const double trolley = total(run.series, kTrolleyWaits);
  CHECK(trolley > 0);
  // Counted when the bed is reached, so each is an admission that day.
  for (std::size_t day = 0; day < run.series.days; ++day) {
    for (std::size_t s = 0; s < width(kTrolleyWaits); ++s) {
      if (value(run.series, kTrolleyWaits, day, s) >
          value(run.series, kEmergencyAdmissions, day, s)) {
        FAIL_CHECK("day " << day << " sdf " << s);
      }
    }
  }
}

TEST_CASE("30-day readmissions", "[borough][discharge]") {
  // Every stay exactly 40 days, no delays, twice the baseline's 999 and A&E hazards: the first
  // discharges are on day 40, so there is no readmission before; each readmission is an
  // admission of that day, and follows a discharge (not a death) of its SDF at most 30
  // calendar days before (discharges are counted on the day the patient left the bed).
  Scenario sc = small_borough(150, 0.05);
  ample_services(sc);
  for (auto& los : sc.pathways->beds.length_of_stay_days)
    los = engine::Distribution::fixed(40);
  sc.demand->events[idx(EventType::kCall999)].multiplier *= 2;
  sc.demand->events[idx(EventType::kAeSelfPresentation)].multiplier *= 2;
  const std::size_t sdfs = sc.population->sdfs.size();
  double readmissions = 0, admissions = 0;
  for (std::uint32_t r = 0; r < 2; ++r) {
    INFO("replicate " << r);
    const Run run = run_replicate(sc, r);
    CHECK(run.res.services[service_index(sc, "beds")].blocked_days == 0);
    CHECK(total(run.series, kReadmissions30d, every, 0, 40) == 0);
    readmissions += total(run.series, kReadmissions30d);
    admissions += total(run.series, kEmergencyAdmissions);
    for (std::size_t day = 0; day < run.series.days; ++day) {
      for (std::size_t s = 0; s < sdfs; ++s) {
        const double re = value(run.series, kReadmissions30d, day, s);
        if (re > value(run.series, kEmergencyAdmissions, day, s)) {
          FAIL_CHECK("day " << day << " sdf " << s << ": more readmissions than admissions");
        }
        if (re == 0) continue;
        const std::size_t from = day >= 30 ? day - 30 : 0;
        const double left = total(
            run.series, kDischarges,
            [s](std::size_t b) {
              return b / kDestinations == s && b % kDestinations != idx(Destination::kDeath);
            },
            from, day + 1);
        if (left == 0) FAIL_CHECK("day " << day << " sdf " << s << ": no discharge in 30 days");
      }
    }
  }
  CHECK(readmissions > 0);
  CHECK(readmissions < admissions);
}

TEST_CASE("the discharge fixture's series are the same at 1 and 2 threads",
          "[borough][discharge]") {
  const Scenario sc = small_borough(120, 0.05);
  const auto one = pitstop::test::same_at_1_and_2_threads(sc, 3);
  CHECK(one[0].values[kDelayedTransferDays] != one[1].values[kDelayedTransferDays]);
}

TEST_CASE("a discharge or assessment service missing from `services` is an input error",
          "[borough][discharge]") {
  // The baseline with one service's block cut out of its `services` section.
  const std::string path =
      std::string(PITSTOP_SOURCE_DIR) + "/scenarios/borough/wigan-baseline.yaml";
  std::ifstream in(path);
  REQUIRE(in);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto without = [&](const std::string& service, const std::string& next) {
    const std::size_t services = text.find("\nservices:\n");
    const std::size_t a = text.find("\n  " + service + ":\n", services);
    const std::size_t b = text.find("\n  " + next + ":\n", a + 1);
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    return text.substr(0, a) + text.substr(b);
  };
  for (const auto& [service, next] : {std::pair<std::string, std::string>{"homecare", "reablement"},
                                      {"assessment", "homecare"}}) {
    INFO(service);
    try {
      (void)pitstop::models::load_scenario_text(without(service, next), path);
      FAIL("loaded without an error");
    } catch (const pitstop::models::InputError& e) {
      CHECK_THAT(e.what(), Catch::Contains("needs a service `" + service + "` in `services`"));
    }
  }
}

TEST_CASE("raised hazards after discharge raise 30-day readmissions; none, none",
          "[borough][discharge]") {
  // Common residents and demand: the same replicate with the after-discharge hazard factors at
  // 0 (no demand for 30 days after leaving hospital), 1 (no change) and 4 (999 and A&E). No
  // readmission from reablement. With 0, a readmission within 30 days can come only from an
  // episode begun before the discharge (a GP consultation booked earlier, a second episode):
  // rare. With 4 the excess is large against the Poisson noise of the counts (≈ sqrt(n)).
  Scenario sc = small_borough(365, 0.05);
  ample_services(sc);
  sc.pathways->discharge->reablement_outcomes = {0.85, 0.15, 0, 0};
  const auto readmissions = [&](std::array<double, kEventTypes> factor) {
    Scenario s = sc;
    s.pathways->discharge->after_hazard_factor = factor;
    double n = 0;
    for (std::uint32_t r = 0; r < 2; ++r)
      n += total(run_replicate(s, r).series, kReadmissions30d);
    return n;
  };
  const double none = readmissions({0, 0, 0});
  const double plain = readmissions({1, 1, 1});
  const double raised = readmissions({1, 4, 4});
  INFO("30-day readmissions: factors 0 → " << none << ", 1 → " << plain << ", 4 → " << raised);
  CHECK(plain > 20);
  CHECK(none < 0.25 * plain);
  CHECK(raised > plain + 4 * std::sqrt(raised + plain));
}

TEST_CASE("at home 91 days after reablement: checks, at home and the share",
          "[borough][discharge]") {
  // Only the 65+ go into reablement here; a check is due 91 days after each start from
  // hospital, so the checks of a 365-day run are the starts of its first 274 days (a start at
  // time t is checked at t + 91 <= 365).
  Scenario sc = small_borough(365, 0.05);
  ample_services(sc);
  auto& d = *sc.pathways->discharge;
  for (std::size_t b = 0; b < 2; ++b) {  // 0-17, 18-64: reablement's share goes home
    d.destinations[b][idx(Destination::kHome)] += d.destinations[b][idx(Destination::kReablement)];
    d.destinations[b][idx(Destination::kReablement)] = 0;
  }
  SECTION("everyone goes on to a care home: nobody is at home on day 91") {
    d.reablement_outcomes = {0, 0, 1, 0};
    const Run run = run_replicate(sc, 0);
    const double checks = total(run.series, kReablementChecks);
    CHECK(checks > 10);
    CHECK(total(run.series, kReablementAtHome) == 0);
    // The checks of the whole run are the starts before day 274 (the boundary day split by the
    // time of day: between the starts before 273 and those before 274).
    CHECK(checks >= total(run.series, kReablementStarts, every, 0, 273));
    CHECK(checks <= total(run.series, kReablementStarts, every, 0, 274));
    CHECK(total(run.series, kReablementChecks, every, 0, 91) == 0);
  }
  SECTION("no care home, no readmission, no demand after discharge: nearly all at home") {
    d.reablement_outcomes = {0.85, 0.15, 0, 0};
    d.after_hazard_factor = {0, 0, 0};
    const Run run = run_replicate(sc, 0);
    const double checks = total(run.series, kReablementChecks);
    const double home = total(run.series, kReablementAtHome);
    CHECK(checks > 10);
    CHECK(home <= checks);
    CHECK(home >= checks - 2);  // only an episode begun before the discharge can interfere
    // The daily share is at home ÷ checks where there were checks, NaN elsewhere.
    for (std::size_t day = 0; day < run.series.days; ++day) {
      const double c = value(run.series, kReablementChecks, day, 0);
      const double share = value(run.series, kAtHomeAfterReablement, day, 0);
      if (c == 0) {
        if (!std::isnan(share)) FAIL_CHECK("day " << day << ": a share without checks");
      } else if (share != value(run.series, kReablementAtHome, day, 0) / c) {
        FAIL_CHECK("day " << day << ": share " << share);
      }
    }
  }
}

TEST_CASE("length of stay by frailty; admissions by route; care-home residents",
          "[borough][discharge]") {
  // Every stay exactly 2 days × the frailty factor, ample places, no assessment: each bed's
  // sojourn is its stay, so the bed pool's total sojourn is 2 × the sum of the factors.
  Scenario sc = small_borough(120, 0.05);
  ample_services(sc);
  sc.pathways->discharge->assessed.fill(0);
  for (auto& los : sc.pathways->beds.length_of_stay_days)
    los = engine::Distribution::fixed(2);
  const std::size_t beds = service_index(sc, "beds");
  for (const double f : {1.0, 3.0}) {
    INFO("frailty factor " << f);
    sc.pathways->beds.frailty_factor = {f, f, f, f};
    const Run run = run_replicate(sc, 0);
    const auto& c = run.res.services[beds];
    CHECK(c.departures > 100);
    CHECK(c.sojourn_sum == Approx(2 * f * static_cast<double>(c.departures)).epsilon(1e-9));
  }
  sc.pathways->beds.frailty_factor = {1, 2, 3, 4};
  const Run run = run_replicate(sc, 0);
  const auto& c = run.res.services[beds];
  const double mean = c.sojourn_sum / static_cast<double>(c.departures);
  CHECK(mean > 2.0);  // some patients are frail
  CHECK(mean < 8.0);
  // Every admission has one route; the ambulance route is at most the ambulance arrivals.
  const double admissions = total(run.series, kEmergencyAdmissions);
  CHECK(total(run.series, kAdmissionsByRoute) == admissions);
  const auto route = [](AdmissionRoute a) { return [a](std::size_t b) { return b == idx(a); }; };
  CHECK(total(run.series, kAdmissionsByRoute, route(AdmissionRoute::kAmbulance)) > 0);
  CHECK(total(run.series, kAdmissionsByRoute, route(AdmissionRoute::kAmbulance)) <=
        total(run.series, kAeAttendances, [](std::size_t b) {
          return (b / kAgeBands) % kArrivalModes == idx(ArrivalMode::kAmbulance);
        }));
  CHECK(total(run.series, kAdmissionsByRoute, route(AdmissionRoute::kGp)) > 0);
  // Care-home residents: the level on day 0 is the start population's; their admissions are
  // some of all admissions.
  CHECK(total(run.series, kCareHomeResidents, every, 0, 1) > 0);
  CHECK(total(run.series, kCareHomeResidentAdmissions) > 0);
  CHECK(total(run.series, kCareHomeResidentAdmissions) < admissions);
}

TEST_CASE("a patient assessed before reablement and readmitted from it has a new stay",
          "[borough][discharge]") {
  // Everyone bound for reablement is assessed first; every reablement ends in readmission; no
  // one is in reablement at the start; ample places. Each readmission is an admission (route
  // `reablement`) with its own stay, not the instant return to a kept bed after an assessment.
  Scenario sc = small_borough(240, 0.05);
  ample_services(sc);
  auto& d = *sc.pathways->discharge;
  d.assessed = {0, 1, 0, 0, 0};
  d.reablement_outcomes = {0, 0, 0, 1};
  d.initial_occupied[1] = 0;
  const Run run = run_replicate(sc, 0);
  const auto& reablement = run.res.services[discharge_index(sc, 1)];
  const double readmitted = total(run.series, kAdmissionsByRoute, [](std::size_t b) {
    return b == idx(AdmissionRoute::kReablement);
  });
  CHECK(reablement.completions > 5);
  CHECK(readmitted == static_cast<double>(reablement.completions));
  CHECK(total(run.series, kReadmissions30d) >= readmitted);  // all within 42 + a few days
}
