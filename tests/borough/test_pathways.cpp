// The front door in motion (FrontDoor on an engine::Network): a 5% borough's first year.
//  - GP consultations, 999 calls, A&E attendances and emergency admissions per 1,000 residents
//    against expectations derived from the scenario's own figures (hazards × residents × time,
//    then the pathways' shares), within Poisson/binomial tolerances;
//  - the 999 outcome split;
//  - conservation between the model's daily series and the engine's service counters;
//  - bit-identical series at 1 and 2 threads;
//  - common random numbers: removing enrolled residents' 999 calls leaves fewer calls.
// Everything runs a 5% borough for 365 days (no yearly step: the first anniversary of
// 2019-04-01 is day 366), so the population is the synthesised start population throughout and
// each band's average hazard is exactly the configured per_person_year.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <numeric>
#include <ostream>
#include <vector>

#include "borough/fixture.hpp"
#include "engine/network.hpp"
#include "engine/network_graph.hpp"
#include "engine/replication.hpp"
#include "models/borough/demand.hpp"
#include "models/borough/front_door.hpp"

using namespace pitstop::models::borough;
namespace engine = pitstop::engine;
using pitstop::models::Scenario;
using pitstop::test::wigan_baseline;

namespace {

constexpr double kHorizonDays = 365;
constexpr double kYears = kHorizonDays / DemandSampler::kDaysPerYear;  // hazards are per 365.25 d
constexpr std::uint32_t kReplicates = 8;                               // ≈25 ms each in Release
// Tolerance in standard deviations. Every count below is (a thinning of) a Poisson count or a
// binomial given another count; with about 25 such checks a 4σ band leaves a false alarm chance
// of about 25 × 6e-5 ≈ 0.2% for an arbitrary seed (the seed is fixed, so the outcome is too).
constexpr double kZ = 4.0;

std::size_t idx(auto e) {
  return static_cast<std::size_t>(e);
}

/// The baseline with a 5% population and a one-year horizon.
Scenario small_borough() {
  Scenario sc = wigan_baseline();
  sc.population = scaled(*sc.population, 0.05);
  sc.run.horizon_days = kHorizonDays;
  // The front door alone: everyone leaves the bed pool for home, so that demand stays the
  // scenario's rates (no deaths in hospital, no raised hazards after discharge). Leaving
  // hospital is tested in test_discharge.cpp.
  sc.pathways->discharge.reset();
  return sc;
}

/// What one replicate produced, plus what its start population implies.
struct Replicate {
  engine::ReplicateResult res;
  engine::SeriesSet series;
  BandCounts people{};  // living residents by age band (the whole borough)
  // From the start population's hazards (per year), through a DemandSampler built like
  // FrontDoor's: per event type, the total; 999 hazard of the residents the community response
  // team may see; and the hazards of the residents complex care may enrol, largest first.
  std::array<double, kEventTypes> hazard{};
  double crt_eligible_999 = 0;
  std::vector<double> enrollable_999, enrollable_ae;
};

Replicate run_replicate(const Scenario& sc, std::uint32_t r) {
  const engine::NetworkGraph graph(sc.network);
  FrontDoor fd(sc, graph, r);
  engine::Network net(graph, sc.run, r, nullptr, &fd);
  Replicate out;
  out.res = net.run();
  out.series = fd.take_series();
  const Population& p = fd.population();
  for (const BandCounts& s : p.counts())
    for (std::size_t b = 0; b < kAgeBands; ++b)
      out.people[b] += s[b];
  const DemandSampler d(*sc.demand, p,
                        engine::Stream(sc.run.seed, r, purpose(BoroughPurpose::kDemand)));
  const PathwaysSpec& pw = *sc.pathways;
  for (ResidentId i = 0; i < p.slots(); ++i) {
    if (!p.alive(i)) continue;
    for (std::size_t e = 0; e < kEventTypes; ++e)
      out.hazard[e] += d.hazard(i, static_cast<EventType>(e));
    const double h999 = d.hazard(i, EventType::kCall999);
    if (p.age(i) >= pw.community_response.min_age &&
        p.frailty(i) >= pw.community_response.min_frailty) {
      out.crt_eligible_999 += h999;
    }
    if (p.risk(i) >= pw.complex_care.min_risk) {
      out.enrollable_999.push_back(h999);
      out.enrollable_ae.push_back(d.hazard(i, EventType::kAeSelfPresentation));
    }
  }
  std::sort(out.enrollable_999.rbegin(), out.enrollable_999.rend());
  std::sort(out.enrollable_ae.rbegin(), out.enrollable_ae.rend());
  return out;
}

/// The baseline's replicates 0 … kReplicates − 1, run once for the tests that only read them.
const std::vector<Replicate>& baseline_runs() {
  static const Scenario sc = small_borough();
  static const std::vector<Replicate> runs = [] {
    std::vector<Replicate> v;
    for (std::uint32_t r = 0; r < kReplicates; ++r)
      v.push_back(run_replicate(sc, r));
    return v;
  }();
  return runs;
}

const std::vector<engine::MetricDef>& metric_defs() {
  static const auto defs = borough_metrics(*small_borough().population);
  return defs;
}

/// Every breakdown entry.
bool every(std::size_t) {
  return true;
}

/// Sum of metric `m` over days [from, to) and the breakdown entries `keep` accepts.
double total(const engine::SeriesSet& s, BoroughMetric m,
             const std::function<bool(std::size_t)>& keep = every, std::size_t from = 0,
             std::size_t to = ~std::size_t{0}) {
  return pitstop::test::series_total(s, m, metric_defs()[m].breakdown.size(), keep, from, to);
}

// Breakdown decoders: ambulance_calls is sdf/outcome; ae_attendances is sdf/mode/age_band.
auto call_outcome(CallOutcome o) {
  return [o](std::size_t b) { return b % kCallOutcomes == idx(o); };
}
auto visit_outcome(VisitOutcome o) {
  return [o](std::size_t b) { return b % kVisitOutcomes == idx(o); };
}
auto arrival_mode(ArrivalMode m) {
  return [m](std::size_t b) { return (b / kAgeBands) % kArrivalModes == idx(m); };
}
auto age_band(std::size_t band) {
  return [band](std::size_t b) { return b % kAgeBands == band; };
}

std::size_t service(const Scenario& sc, Service role) {
  const auto& services = sc.network.services;
  const auto it = std::find_if(services.begin(), services.end(),
                               [&](const auto& s) { return s.name == kServiceNames[idx(role)]; });
  REQUIRE(it != services.end());
  return static_cast<std::size_t>(it - services.begin());
}

/// An expectation known to lie in [lo, hi] (one-sided effects such as complex care's lower
/// hazards), checked with kZ standard deviations `sd` either side.
struct Expect {
  double lo, hi, sd;
  bool holds(double observed) const { return observed >= lo - kZ * sd && observed <= hi + kZ * sd; }
};
std::ostream& operator<<(std::ostream& os, const Expect& e) {
  return os << "[" << e.lo << ", " << e.hi << "] ± " << kZ << " × " << e.sd;
}

double sum_of_largest(const std::vector<double>& sorted_desc, double k) {
  const auto n = std::min(sorted_desc.size(), static_cast<std::size_t>(k));
  return std::accumulate(sorted_desc.begin(), sorted_desc.begin() + static_cast<long>(n), 0.0);
}

}  // namespace

TEST_CASE("a 5% borough's first year: GP, 999, A&E and admissions per 1,000 follow the scenario",
          "[borough][pathways]") {
  const Scenario sc = small_borough();
  REQUIRE(sc.run.warmup_days == 0);
  const PathwaysSpec& pw = *sc.pathways;
  const DemandSpec& dm = *sc.demand;
  // Complex care leaves GP consultations alone (the rest of the test relies on it).
  REQUIRE(pw.complex_care.hazard_factor[idx(EventType::kGpConsultation)] == 1.0);
  const auto& runs = baseline_runs();

  // Day 0 (2019-04-01) is a Monday, so day 361 is a Friday: GP consultations are compared over
  // days [0, 362) with the requests made in them. Every consultation held in [0, 362) was asked
  // for in [0, 362), and only a small backlog asked for in [0, 362) is seen later: the requests
  // made after Friday's closing (booked from the next open day on), plus whatever is left over
  // from the week (capacity is ≈9% above demand: the backlog of an SDF at a week's end is a
  // reflected random walk of drift ≈ −0.0096 n and variance ≈ 0.105 n a week for n residents,
  // mean σ²/2μ ≈ 5.5 consultations whatever the size; 10 per SDF are allowed).
  REQUIRE(sc.start.weekday() == 0);
  constexpr std::size_t kGpDays = 362;
  constexpr double kGpYears = kGpDays / DemandSampler::kDaysPerYear;
  const double after_closing = (24 - pw.gp.day_hours[1]) / 24 / DemandSampler::kDaysPerYear;
  double gp_backlog = 0;  // allowed for, summed over the replicates

  double people = 0, gp = 0, gp_all = 0, calls = 0, walk_in = 0, by_ambulance = 0;
  double admissions = 0, left_unseen = 0, last_day_attendances = 0;
  double e_gp = 0, e_999 = 0, e_999_cut = 0, e_self = 0, e_self_cut = 0, e_crt_share_num = 0;
  double e_admit = 0, v_admit = 0;
  for (const Replicate& run : runs) {
    const auto& s = run.series;
    std::array<double, kEventTypes> configured{};  // this replicate's Σ residents × rate
    for (std::size_t b = 0; b < kAgeBands; ++b) {
      const auto n = static_cast<double>(run.people[b]);
      people += n;
      for (std::size_t e = 0; e < kEventTypes; ++e)
        configured[e] += n * dm.events[e].per_person_year[b] * dm.events[e].multiplier;
    }
    // The band averages of the sampler's own hazards are the configured rates.
    for (std::size_t e = 0; e < kEventTypes; ++e)
      CHECK(run.hazard[e] == Approx(configured[e]).epsilon(1e-9));
    e_gp += configured[idx(EventType::kGpConsultation)] * kGpYears;
    gp_backlog += configured[idx(EventType::kGpConsultation)] * after_closing +
                  10.0 * static_cast<double>(sc.population->sdfs.size());
    e_999 += configured[idx(EventType::kCall999)] * kYears;
    e_self += configured[idx(EventType::kAeSelfPresentation)] * kYears;
    // Complex care lowers enrolled residents' hazards by (1 − factor). Only residents at
    // min_risk or above are enrolled, and never more at once than the run's enrolments (the
    // service's starts), K; so the expected count lies at most (1 − factor) × (the K largest such
    // hazards) × 1 year below the plain one.
    const double k =
        static_cast<double>(run.res.services[service(sc, Service::kComplexCare)].started);
    e_999_cut += (1 - pw.complex_care.hazard_factor[idx(EventType::kCall999)]) *
                 sum_of_largest(run.enrollable_999, k) * kYears;
    e_self_cut += (1 - pw.complex_care.hazard_factor[idx(EventType::kAeSelfPresentation)]) *
                  sum_of_largest(run.enrollable_ae, k) * kYears;
    e_crt_share_num += run.crt_eligible_999;

    gp += total(s, kGpConsultations, every, 0, kGpDays);
    gp_all += total(s, kGpConsultations);
    calls += total(s, kAmbulanceCalls);
    walk_in += total(s, kAeAttendances, arrival_mode(ArrivalMode::kWalkIn));
    by_ambulance += total(s, kAeAttendances, arrival_mode(ArrivalMode::kAmbulance));
    admissions += total(s, kEmergencyAdmissions);
    left_unseen += total(s, kAeLeftUnseen);
    last_day_attendances += total(s, kAeAttendances, every, s.days - 1, s.days);
    // Admissions given the attendances by band (each admitted with the band's share) and the
    // GP consultations (each a direct admission with the GP's share).
    const double gp_admit = pw.gp.outcomes[idx(GpOutcome::kAdmission)];
    const double gp_here = total(s, kGpConsultations);
    e_admit += gp_here * gp_admit;
    v_admit += gp_here * gp_admit * (1 - gp_admit);
    for (std::size_t b = 0; b < kAgeBands; ++b) {
      const double a = pw.ae.admit[b];
      const double att = total(s, kAeAttendances, age_band(b));
      e_admit += att * a;
      v_admit += att * a * (1 - a);
    }
  }
  const double per_1000 = 1000.0 / people;

  // GP consultations: Poisson requests less the small Friday backlog.
  const Expect gp_expect{e_gp - gp_backlog, e_gp, std::sqrt(e_gp)};
  // 999 calls: one outcome each (hear & treat, community response or a crew's outcome).
  const Expect calls_expect{e_999 - e_999_cut, e_999, std::sqrt(e_999)};

  // Ambulance arrivals at A&E. Of the calls not closed by the handler (1 − h&t), a share e comes
  // from residents the community response team may see (hazard-weighted, from the start
  // population), of which referral_share go to the team (it always has room in a 5% borough:
  // ≈0.6 referrals a day against 1–3 practitioners and 3 queue places); the team conveys its
  // `conveyed` share through a crew, and so it does for GP urgent referrals. The other calls get
  // a crew, which conveys attended.conveyed_ae of them.
  const double eligible = e_crt_share_num / (e_999 / kYears);
  const double ht = pw.ambulance.hear_and_treat;
  const double to_team = pw.community_response.referral_share * eligible;
  const double team_conveys = pw.community_response.outcomes[idx(VisitOutcome::kConveyed)];
  const double crew_conveys = pw.ambulance.attended[2];
  const double per_call = (1 - ht) * ((1 - to_team) * crew_conveys + to_team * team_conveys);
  const double gp_to_team = pw.gp.outcomes[idx(GpOutcome::kCommunityResponse)] * team_conveys;
  const Expect ambulance_expect{(e_999 - e_999_cut) * per_call + gp_all * gp_to_team,
                                e_999 * per_call + gp_all * gp_to_team,
                                std::sqrt(e_999 * per_call + gp_all * gp_to_team)};
  // Walk-ins: self-presentations (Poisson) plus GP referrals to A&E (binomial in the
  // consultations held). GP admissions finding no bed and GP referrals the team cannot take also
  // walk in; neither happens in a 5% borough with a full-size bed pool and team.
  const double gp_ae = pw.gp.outcomes[idx(GpOutcome::kAe)];
  const Expect walk_in_expect{e_self - e_self_cut + gp_all * gp_ae, e_self + gp_all * gp_ae,
                              std::sqrt(e_self + gp_all * gp_ae)};
  const Expect ae_expect{walk_in_expect.lo + ambulance_expect.lo,
                         walk_in_expect.hi + ambulance_expect.hi,
                         std::hypot(walk_in_expect.sd, ambulance_expect.sd)};
  // Admissions given attendances (binomial); those still in A&E at the horizon (at most the last
  // day's attendances) and walk-ins who left unseen are not admitted: allowed for below.
  const double not_yet = (last_day_attendances + left_unseen) *
                         *std::max_element(pw.ae.admit.begin(), pw.ae.admit.end());
  const Expect admit_expect{e_admit - not_yet, e_admit, std::sqrt(v_admit)};

  fmt::print(
      "5% borough, first year, {} replicates: per 1,000 residents, observed and expected "
      "[lo, hi] ± {} sd\n",
      kReplicates, kZ);
  const auto row = [&](const char* what, double observed, const Expect& x) {
    fmt::print("  {:<26} {:8.2f}  [{:.2f}, {:.2f}] ± {:.2f}\n", what, observed * per_1000,
               x.lo * per_1000, x.hi * per_1000, kZ * x.sd * per_1000);
  };
  row("GP consultations (362 d)", gp, gp_expect);
  row("999 calls", calls, calls_expect);
  row("A&E walk-in", walk_in, walk_in_expect);
  row("A&E by ambulance", by_ambulance, ambulance_expect);
  row("A&E attendances", walk_in + by_ambulance, ae_expect);
  row("emergency admissions", admissions, admit_expect);

  INFO("residents (summed over replicates) " << people);
  CHECK(people == Approx(0.05 * 328400 * kReplicates).epsilon(0.01));
  {
    INFO("GP consultations " << gp << ", expected " << gp_expect);
    CHECK(gp_expect.holds(gp));
  }
  {
    INFO("999 calls " << calls << ", expected " << calls_expect);
    CHECK(calls_expect.holds(calls));
  }
  {
    INFO("walk-in attendances " << walk_in << ", expected " << walk_in_expect);
    CHECK(walk_in_expect.holds(walk_in));
  }
  {
    INFO("ambulance attendances " << by_ambulance << ", expected " << ambulance_expect);
    CHECK(ambulance_expect.holds(by_ambulance));
  }
  {
    INFO("A&E attendances " << walk_in + by_ambulance << ", expected " << ae_expect);
    CHECK(ae_expect.holds(walk_in + by_ambulance));
  }
  {
    INFO("emergency admissions " << admissions << ", expected " << admit_expect);
    CHECK(admit_expect.holds(admissions));
  }
}

TEST_CASE("999 outcomes split as the scenario says", "[borough][pathways]") {
  const Scenario sc = small_borough();
  const PathwaysSpec& pw = *sc.pathways;
  double calls = 0, hear_and_treat = 0, team = 0, eligible_share_num = 0, hazard_999 = 0;
  std::array<double, 3> attended{};  // see & treat, conveyed elsewhere, conveyed to A&E
  for (const Replicate& run : baseline_runs()) {
    const auto& s = run.series;
    calls += total(s, kAmbulanceCalls);
    hear_and_treat += total(s, kAmbulanceCalls, call_outcome(CallOutcome::kHearAndTreat));
    team += total(s, kAmbulanceCalls, call_outcome(CallOutcome::kCommunityResponse));
    for (std::size_t k = 0; k < 3; ++k) {
      attended[k] +=
          total(s, kAmbulanceCalls,
                call_outcome(static_cast<CallOutcome>(idx(CallOutcome::kSeeAndTreat) + k)));
    }
    eligible_share_num += run.crt_eligible_999;
    hazard_999 += run.hazard[idx(EventType::kCall999)];
  }
  // Binomial: a share p of n trials is within kZ × sqrt(p (1 − p) / n).
  const auto check_share = [](const char* what, double x, double n, double p) {
    INFO(what << ": " << x << " of " << n << " = " << x / n << ", expected " << p);
    CHECK(std::abs(x / n - p) <= kZ * std::sqrt(p * (1 - p) / n));
  };
  REQUIRE(calls > 5000);  // ≈2,400 calls a replicate
  check_share("hear & treat of calls", hear_and_treat, calls, pw.ambulance.hear_and_treat);
  // Of the calls the handler passes on, those from residents the team may see (a share e of the
  // 999 hazard) go to the team with referral_share (it has room in a 5% borough).
  const double to_team = pw.community_response.referral_share * eligible_share_num / hazard_999;
  check_share("community response of calls passed on", team, calls - hear_and_treat, to_team);
  const double crews = attended[0] + attended[1] + attended[2];
  CHECK(crews + team + hear_and_treat == calls);
  for (std::size_t k = 0; k < 3; ++k) {
    check_share(kCallOutcomeNames[idx(CallOutcome::kSeeAndTreat) + k], attended[k], crews,
                pw.ambulance.attended[k]);
  }
}

TEST_CASE("the borough's series agree with the engine's counters", "[borough][pathways]") {
  const Scenario sc = small_borough();
  REQUIRE(sc.run.warmup_days == 0);  // the engine counts from time 0, as the series do
  const auto n = [&](Service role) { return service(sc, role); };
  for (std::uint32_t r = 0; r < kReplicates; ++r) {
    INFO("replicate " << r);
    const Replicate& run = baseline_runs()[r];
    const auto& s = run.series;
    const auto& svc = run.res.services;
    const auto count = [](std::uint64_t x) { return static_cast<double>(x); };
    // Conservation of the engine's people.
    CHECK(run.res.created == run.res.exited + run.res.lost + run.res.inside_at_end);
    // Every A&E attendance enters majors (by ambulance) or minors (walking in), and only those.
    const double attendances = total(s, kAeAttendances);
    CHECK(attendances ==
          count(svc[n(Service::kAeMajors)].arrivals + svc[n(Service::kAeMinors)].arrivals));
    CHECK(total(s, kAeAttendances, arrival_mode(ArrivalMode::kAmbulance)) ==
          count(svc[n(Service::kAeMajors)].arrivals));
    CHECK(total(s, kAmbulanceConveyances) ==
          total(s, kAeAttendances, arrival_mode(ArrivalMode::kAmbulance)));
    // An emergency admission is a start of service in the bed pool.
    CHECK(total(s, kEmergencyAdmissions) == count(svc[n(Service::kBeds)].started));
    // Left unseen is the minors' reneging (majors has no patience).
    CHECK(total(s, kAeLeftUnseen) == count(svc[n(Service::kAeMinors)].reneged));
    // Crews queue at the horizon only in a full-size borough: here every crew arrival started.
    const auto& crews = svc[n(Service::kAmbulance)];
    REQUIRE(crews.arrivals == crews.started);
    // Crews start for a call (counted with its attended outcome) or for a conveyance the
    // community response team asked for.
    const double attended = total(s, kAmbulanceCalls, [](std::size_t b) {
      return b % kCallOutcomes >= idx(CallOutcome::kSeeAndTreat);
    });
    CHECK(count(crews.started) ==
          attended + total(s, kCommunityResponseContacts, visit_outcome(VisitOutcome::kConveyed)));
    // The team's visits end in one outcome each.
    CHECK(total(s, kCommunityResponseContacts) ==
          count(svc[n(Service::kCommunityResponse)].completions));
    // Residents only change at the yearly step (day 366): every day, the last included,
    // records the start population; the caseload never exceeds the complex care places.
    const double people = std::accumulate(run.people.begin(), run.people.end(), 0.0);
    const double places =
        static_cast<double>(sc.network.services[n(Service::kComplexCare)].capacity.max_value());
    for (std::size_t day = 0; day < s.days; ++day) {
      const auto one_day = [&](BoroughMetric m) { return total(s, m, every, day, day + 1); };
      if (one_day(kPopulation) != people) FAIL("population on day " << day);
      if (one_day(kComplexCareCaseload) > places) FAIL("caseload on day " << day);
    }
    CHECK(total(s, kComplexCareCaseload, every, s.days - 1) > 0);
  }
}

TEST_CASE("each 999 call is counted under exactly one outcome", "[borough][pathways]") {
  // Every 999 call passes the call handlers once, and ambulance_calls ("999 calls by outcome")
  // counts it once: hear & treat when the handler finishes, community response when the team
  // starts the visit, a crew's outcome when the crew starts. A caller the team cannot reach
  // within its two hours is sent a crew and counted by the crew only. With no queue at the
  // horizon (a 5% borough), the total is therefore the handlers' completions. The stressed
  // variant (every eligible call referred, 15 minutes' patience) has dozens of such callers.
  const auto check = [](const Scenario& sc, const Replicate& run, std::uint32_t r) {
    const auto& crews = run.res.services[service(sc, Service::kAmbulance)];
    REQUIRE(crews.arrivals == crews.started);
    const auto& team = run.res.services[service(sc, Service::kCommunityResponse)];
    INFO("replicate " << r << ", community response reneged " << team.reneged);
    CHECK(total(run.series, kAmbulanceCalls) ==
          static_cast<double>(run.res.services[service(sc, Service::kCallHandling)].completions));
  };
  const Scenario sc = small_borough();
  for (std::uint32_t r = 0; r < kReplicates; ++r)
    check(sc, baseline_runs()[r], r);
  Scenario stressed = sc;
  stressed.pathways->community_response.referral_share = 1;
  stressed.network.services[service(sc, Service::kCommunityResponse)].renege_after_days = 0.0104;
  check(stressed, run_replicate(stressed, 0), 0);
}

TEST_CASE("borough series are bit-identical at 1 and 2 threads", "[borough][pathways]") {
  const Scenario sc = small_borough();
  const auto one = pitstop::test::same_at_1_and_2_threads(sc, 3);
  // And replicates differ from each other.
  CHECK(one[0].values[kAmbulanceCalls] != one[1].values[kAmbulanceCalls]);
  // The series match the single-threaded baseline runs of the other tests.
  const auto& base = baseline_runs()[0].series.values;
  REQUIRE(one[0].values.size() == base.size());
  for (std::size_t m = 0; m < base.size(); ++m) {
    CAPTURE(m);  // bitwise: a share's days without a denominator are NaN
    REQUIRE(one[0].values[m].size() == base[m].size());
    CHECK(std::memcmp(one[0].values[m].data(), base[m].data(), base[m].size() * sizeof(double)) ==
          0);
  }
}

TEST_CASE("common random numbers: no 999 calls while enrolled means fewer calls",
          "[borough][pathways]") {
  Scenario none = small_borough();
  none.pathways->complex_care.hazard_factor[idx(EventType::kCall999)] = 0;
  const Replicate& a = baseline_runs()[0];
  const Replicate b = run_replicate(none, 0);
  const double calls_a = total(a.series, kAmbulanceCalls);
  const double calls_b = total(b.series, kAmbulanceCalls);
  const double gp_a = total(a.series, kGpConsultations);
  const double gp_b = total(b.series, kGpConsultations);
  INFO("999 calls " << calls_a << " → " << calls_b << "; GP consultations " << gp_a << " → "
                    << gp_b);
  CHECK(calls_b < calls_a);
  // The two runs share their residents and their demand draws, so the GP consultations (which
  // enrolment does not change) stay within a fraction of the Poisson noise of independent runs
  // (sd ≈ sqrt(2 × 89,000) ≈ 420); half of it is allowed.
  CHECK(std::abs(gp_a - gp_b) < 0.5 * std::sqrt(gp_a + gp_b));
}
