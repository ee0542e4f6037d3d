// read_population / read_demand: the borough sections of the scenario, key by key.
#include "models/borough/spec_reader.hpp"

#include "engine/error.hpp"
#include "models/scenario_builder.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace pitstop::models::borough {
namespace {

constexpr double kShareTolerance = 1e-3;  // shares may be rounded to three decimals
constexpr std::size_t kMaxSdfs = 255;     // a resident's SDF is one byte

/// A fixed-key map of numbers (one per name, in that order).
template <std::size_t N>
std::array<double, N> read_numbers(TreeReader& r, const Cursor& map,
                                   const std::array<const char*, N>& names) {
  r.check_map(map);
  std::array<double, N> out{};
  for (std::size_t i = 0; i < N; ++i)
    out[i] = r.number(r.need(map, names[i]));
  return out;
}

/// Like read_numbers, and the values must sum to 1 (within rounding); returned normalised.
template <std::size_t N>
std::array<double, N> read_shares(TreeReader& r, const Cursor& map,
                                  const std::array<const char*, N>& names) {
  auto v = read_numbers(r, map, names);
  const double sum = std::accumulate(v.begin(), v.end(), 0.0);
  if (std::abs(sum - 1.0) > kShareTolerance) {
    r.fail(map, fmt::format("shares must sum to 1, got {:.4g}", sum));
  }
  for (double& x : v)
    x /= sum;
  return v;
}

SdfSpec read_sdf(TreeReader& r, const Cursor& c) {
  r.check_map(c);
  SdfSpec s;
  s.name = c.path.substr(c.path.rfind('.') + 1);
  s.label = s.name;
  if (auto label = r.child(c, "label")) s.label = r.text(*label);
  s.people = r.integer(r.need(c, "people"));
  std::int64_t at_risk = 0;
  for (int level = 1; level <= 3; ++level) {
    const Cursor count = r.need(c, fmt::format("risk_level_{}", level));
    s.risk_counts[static_cast<std::size_t>(level - 1)] = r.integer(count);
    at_risk += r.integer(count);
    if (at_risk > s.people) {
      r.fail(count, fmt::format("Levels 1–3 hold {} residents, more than the SDF's {} people",
                                at_risk, s.people));
    }
  }
  if (auto shares = r.child(c, "age_shares")) s.age_shares = read_shares(r, *shares, kAgeBandNames);
  return s;
}

void read_risk(TreeReader& r, const Cursor& c, PopulationSpec::Risk& risk) {
  r.check_map(c);
  risk.age_weight = read_numbers(r, r.need(c, "age_weight"), kAgeBandNames);
  risk.frailty_weight = read_numbers(r, r.need(c, "frailty_weight"), kFrailtyNames);
  risk.ltc_weight = read_numbers(r, r.need(c, "ltc_weight"), kLtcNames);
  static constexpr std::array<const char*, 3> kLevels = {"level_1", "level_2", "level_3"};
  risk.step_down = read_numbers(r, r.need(c, "step_down"), kLevels);
  risk.step_up_multiplier = r.number(r.need(c, "step_up_multiplier"));
}

void read_frailty(TreeReader& r, const Cursor& c, PopulationSpec::FrailtySpec& f) {
  r.check_map(c);
  const Cursor shares = r.need(c, "shares");
  r.check_map(shares);
  for (std::size_t i = 0; i < kOlderBands; ++i)
    f.shares[i] = read_shares(r, r.need(shares, kOlderBandNames[i]), kFrailtyNames);
  f.at_65 = read_shares(r, r.need(c, "at_65"), kFrailtyNames);
  f.fit_to_mild = read_numbers(r, r.need(c, "fit_to_mild"), kOlderBandNames);
  f.mild_to_moderate = read_numbers(r, r.need(c, "mild_to_moderate"), kOlderBandNames);
  f.moderate_to_severe = read_numbers(r, r.need(c, "moderate_to_severe"), kOlderBandNames);
  f.mild_to_fit = read_numbers(r, r.need(c, "mild_to_fit"), kOlderBandNames);
}

void read_ltc(TreeReader& r, const Cursor& c, PopulationSpec::Ltc& ltc) {
  r.check_map(c);
  const Cursor shares = r.need(c, "shares");
  r.check_map(shares);
  for (std::size_t i = 0; i < kAgeBands; ++i)
    ltc.shares[i] = read_shares(r, r.need(shares, kAgeBandNames[i]), kLtcNames);
  ltc.onset = read_numbers(r, r.need(c, "onset"), kAgeBandNames);
}

void read_care_homes(TreeReader& r, const Cursor& c, PopulationSpec::CareHomes& h) {
  r.check_map(c);
  h.shares = read_numbers(r, r.need(c, "shares"), kAgeBandNames);
  h.frailty_weight = read_numbers(r, r.need(c, "frailty_weight"), kFrailtyNames);
  h.entry = read_numbers(r, r.need(c, "entry"), kAgeBandNames);
}

void read_mortality(TreeReader& r, const Cursor& c, PopulationSpec::Mortality& m) {
  r.check_map(c);
  m.rate = read_numbers(r, r.need(c, "per_person_year"), kAgeBandNames);
  m.multiplier = r.number(r.need(c, "multiplier"));
  m.frailty_hr = read_numbers(r, r.need(c, "frailty_hr"), kFrailtyNames);
  m.care_home_hr = r.number(r.need(c, "care_home_hr"));
}

std::vector<ProjectionPoint> read_series(TreeReader& r, const Cursor& list) {
  std::vector<ProjectionPoint> out;
  for (const auto& item : r.items(list)) {
    r.check_map(item);
    const Cursor year = r.need(item, "year");
    ProjectionPoint p{static_cast<int>(r.integer(year)), r.number(r.need(item, "people"))};
    if (!out.empty() && p.year <= out.back().year) {
      r.fail(year, fmt::format("years must increase: {} is not after {}", p.year, out.back().year));
    }
    out.push_back(p);
  }
  return out;
}

void read_projection(TreeReader& r, const Cursor& c, PopulationSpec::Projection& p) {
  r.check_map(c);
  const std::array<std::pair<const char*, std::vector<ProjectionPoint>*>, 4> series = {
      {{"total", &p.total},
       {"age_65_plus", &p.age_65_plus},
       {"age_75_plus", &p.age_75_plus},
       {"age_85_plus", &p.age_85_plus}}};
  int first = 3000, last = 0;
  for (const auto& [key, out] : series) {
    if (auto list = r.child(c, key)) *out = read_series(r, *list);
    if (!out->empty()) {
      first = std::min(first, out->front().year);
      last = std::max(last, out->back().year);
    }
  }
  // Each series must not exceed the one above it (85+ ≤ 75+ ≤ 65+ ≤ total) in any year.
  for (int year = first; year <= last; ++year) {
    std::optional<double> above;
    const char* above_key = "";
    for (const auto& [key, s] : series) {
      const auto v = projected(*s, year);
      if (v && above && *v > *above) {
        r.fail(*r.child(c, key),
               fmt::format("in {} it projects {:.0f} people, more than the {:.0f} "
                           "of `{}`",
                           year, *v, *above, above_key));
      }
      if (v) above = v, above_key = key;
    }
  }
}

}  // namespace

PopulationSpec read_population(TreeReader& r, const Cursor& c) {
  r.check_map(c);
  PopulationSpec p;
  const Cursor sdfs = r.need(c, "sdfs");
  for (const auto& sdf : r.named(sdfs))
    p.sdfs.push_back(read_sdf(r, sdf));
  if (p.sdfs.size() > kMaxSdfs) r.fail(sdfs, fmt::format("at most {} SDFs", kMaxSdfs));
  p.age_shares = read_shares(r, r.need(c, "age_shares"), kAgeBandNames);
  if (auto decline = r.child(c, "within_band_decline")) {
    p.within_band_decline = read_numbers(r, *decline, kAgeBandNames);
  }
  p.female_share = read_numbers(r, r.need(c, "female_share"), kAgeBandNames);
  read_risk(r, r.need(c, "risk"), p.risk);
  read_frailty(r, r.need(c, "frailty"), p.frailty);
  read_ltc(r, r.need(c, "long_term_conditions"), p.ltc);
  read_care_homes(r, r.need(c, "care_homes"), p.care_homes);
  read_mortality(r, r.need(c, "mortality"), p.mortality);
  p.birth_rate = r.number(r.need(c, "births_per_person_year"));
  if (auto projection = r.child(c, "projection")) read_projection(r, *projection, p.projection);
  return p;
}

DemandSpec read_demand(TreeReader& r, const Cursor& c) {
  r.check_map(c);
  DemandSpec d;
  for (std::size_t e = 0; e < kEventTypes; ++e) {
    const Cursor ev = r.need(c, kEventTypeNames[e]);
    r.check_map(ev);
    EventHazards& h = d.events[e];
    h.per_person_year = read_numbers(r, r.need(ev, "per_person_year"), kAgeBandNames);
    h.risk = read_numbers(r, r.need(ev, "risk"), kRiskNames);
    h.frailty = read_numbers(r, r.need(ev, "frailty"), kFrailtyNames);
    h.care_home = r.number(r.need(ev, "care_home"));
    h.multiplier = r.number(r.need(ev, "multiplier"));
    if (auto hours = r.child(ev, "hour_of_day")) {
      const auto w = r.numbers(*hours);
      const double sum = std::accumulate(w.begin(), w.end(), 0.0);
      if (w.size() != 24 || !(sum > 0)) {
        r.fail(*hours, fmt::format("expected 24 non-negative weights, not all 0 (got {} values "
                                   "summing to {:g})",
                                   w.size(), sum));
      }
      for (std::size_t k = 0; k < 24; ++k)
        h.hour_of_day[k] = w[k] * 24.0 / sum;
    }
  }
  return d;
}

template <std::size_t N>
int index_of(TreeReader& r, const Cursor& c, const std::array<const char*, N>& names) {
  const std::string v = r.choice(c);
  for (std::size_t i = 0; i < N; ++i)
    if (v == names[i]) return static_cast<int>(i);
  r.fail(c, "unknown value `" + v + "`");
}

PathwaysSpec::Discharge read_discharge(TreeReader& r, const Cursor& c) {
  r.check_map(c);
  PathwaysSpec::Discharge d;
  const Cursor dest = r.need(c, "destinations");
  r.check_map(dest);
  for (std::size_t b = 0; b < kAgeBands; ++b)
    d.destinations[b] = read_shares(r, r.need(dest, kAgeBandNames[b]), kDestinationNames);
  if (auto f = r.child(c, "support_factor")) d.support_factor = read_numbers(r, *f, kFrailtyNames);
  const Cursor resp = r.need(c, "responsible");
  r.check_map(resp);
  for (std::size_t k = 0; k < kDelayReasons; ++k) {
    if (auto who = r.child(resp, kDelayReasonNames[k]))
      d.responsible[k] = read_shares(r, *who, kResponsibilityNames);
    else
      d.responsible[k] = {1, 0, 0};  // assessment, when not given: the NHS (the key's default)
  }
  if (auto a = r.child(c, "assessment")) {
    d.assessed = read_numbers(r, *a, kDischargeServiceNames);
    d.has_assessment = true;
  }
  if (auto after = r.child(c, "after_discharge")) {
    r.check_map(*after);
    d.after_days = r.number(r.need(*after, "days"));
    if (auto f = r.child(*after, "hazard_factor"))
      d.after_hazard_factor = read_numbers(r, *f, kEventTypeNames);
  }
  d.at_home_check_days = r.number(r.need(c, "at_home_check_days"));
  d.reablement_outcomes = read_shares(r, r.need(c, "reablement_outcomes"), kReablementOutcomeNames);
  if (auto occ = r.child(c, "initial_occupied")) {
    const auto v = read_numbers(r, *occ, kDischargeServiceNames);
    for (std::size_t k = 0; k < kDischargeServices; ++k)
      d.initial_occupied[k] = static_cast<std::int64_t>(std::llround(v[k]));
  }
  return d;
}

PathwaysSpec read_pathways(TreeReader& r, const Cursor& c) {
  r.check_map(c);
  PathwaysSpec p;
  const Cursor gp = r.need(c, "gp");
  r.check_map(gp);
  p.gp.per_1000_by_weekday =
      read_numbers(r, r.need(gp, "appointments_per_1000_by_weekday"), kWeekdayNames);
  const Cursor hours = r.need(gp, "day_hours");
  const auto h = r.numbers(hours);
  if (h.size() != 2 || !(h[0] < h[1]))
    r.fail(hours, "expected [opening, closing] with opening < closing");
  p.gp.day_hours = {h[0], h[1]};
  p.gp.outcomes = read_shares(r, r.need(gp, "outcomes"), kGpOutcomeNames);

  const Cursor amb = r.need(c, "ambulance");
  r.check_map(amb);
  p.ambulance.hear_and_treat = r.number(r.need(amb, "hear_and_treat"));
  static constexpr std::array<const char*, 3> kAttended = {"see_and_treat", "conveyed_elsewhere",
                                                           "conveyed_ae"};
  p.ambulance.attended = read_shares(r, r.need(amb, "attended"), kAttended);
  p.ambulance.travel_to_ae_days = read_distribution(r, r.need(amb, "travel_to_ae_days"));

  const Cursor crt = r.need(c, "community_response");
  r.check_map(crt);
  p.community_response.min_age = static_cast<int>(r.integer(r.need(crt, "min_age")));
  p.community_response.min_frailty =
      static_cast<Frailty>(index_of(r, r.need(crt, "min_frailty"), kFrailtyNames));
  p.community_response.referral_share = r.number(r.need(crt, "referral_share"));
  p.community_response.outcomes = read_shares(r, r.need(crt, "outcomes"), kVisitOutcomeNames);

  const Cursor cc = r.need(c, "complex_care");
  r.check_map(cc);
  p.complex_care.min_risk = static_cast<RiskLevel>(index_of(r, r.need(cc, "min_risk"), kRiskNames));
  p.complex_care.hazard_factor = read_numbers(r, r.need(cc, "hazard_factor"), kEventTypeNames);

  const Cursor ae = r.need(c, "ae");
  r.check_map(ae);
  p.ae.admit = read_numbers(r, r.need(ae, "admit"), kAgeBandNames);

  const Cursor beds = r.need(c, "beds");
  r.check_map(beds);
  const Cursor los = r.need(beds, "length_of_stay_days");
  r.check_map(los);
  for (const char* band : kAgeBandNames)
    p.beds.length_of_stay_days.push_back(read_distribution(r, r.need(los, band)));
  if (auto f = r.child(beds, "frailty_factor"))
    p.beds.frailty_factor = read_numbers(r, *f, kFrailtyNames);
  if (auto discharge = r.child(c, "discharge")) p.discharge = read_discharge(r, *discharge);
  return p;
}

FinanceSpec read_finance(TreeReader& r, const Cursor& c, engine::NetworkSpec& network, Date start) {
  r.check_map(c);
  FinanceSpec f;
  f.unit_cost_gbp = read_numbers(r, r.need(c, "unit_costs_gbp"), kActivityNames);
  std::vector<std::string> seen;
  for (const Cursor& item : r.items(r.need(c, "budget_lines"))) {
    r.check_map(item);
    FinanceSpec::Line line;
    const Cursor name = r.need(item, "name");
    line.name = r.name(name);
    if (std::find(seen.begin(), seen.end(), line.name) != seen.end()) {
      r.fail(name, "duplicate budget line `" + line.name + "`");
    }
    seen.push_back(line.name);
    line.fund = static_cast<Fund>(index_of(r, r.need(item, "fund"), kFundNames));
    line.amount_gbp = r.number(r.need(item, "amount_gbp"));
    const auto service = r.child(item, "service");
    const auto cost = r.child(item, "cost_per_place_gbp");
    if (service) {
      line.service = r.name(*service);
      const bool known = std::any_of(network.services.begin(), network.services.end(),
                                     [&](const auto& s) { return s.name == line.service; });
      if (!known) r.fail(*service, "no service `" + line.service + "` in `services`");
      if (!cost) r.fail_key(item, "a line that funds a service needs `cost_per_place_gbp`");
      line.cost_per_place_gbp = r.number(*cost);
    } else if (cost) {
      r.fail(*cost, "`cost_per_place_gbp` needs the `service` whose places the line buys");
    }
    f.lines.push_back(line);
  }
  const auto line_index = [&](const Cursor& at) {
    const std::string name = r.name(at);
    for (std::size_t l = 0; l < f.lines.size(); ++l)
      if (f.lines[l].name == name) return l;
    r.fail(at, "no budget line `" + name + "` in `finance.budget_lines`");
  };
  const auto service_of = [&](std::size_t l) -> engine::ServiceSpec* {
    for (auto& s : network.services)
      if (s.name == f.lines[l].service) return &s;
    return nullptr;  // the line funds no modelled service
  };
  std::vector<double> amount(f.lines.size());
  for (std::size_t l = 0; l < f.lines.size(); ++l)
    amount[l] = f.lines[l].amount_gbp;
  if (auto shifts = r.child(c, "shifts")) {
    double previous = -1;
    for (const Cursor& item : r.items(*shifts)) {
      r.check_map(item);
      FinanceSpec::Shift s;
      s.name = r.name(r.need(item, "name"));
      const Cursor date = r.need(item, "date");
      const Date d = r.date(date);
      s.day = static_cast<double>(d.days - start.days);
      if (s.day < 0)
        r.fail(date, d.iso() + " is before the scenario's start (" + start.iso() + ")");
      if (s.day < previous) r.fail(date, "shifts must be in date order");
      previous = s.day;
      const Cursor from = r.need(item, "from"), to = r.need(item, "to");
      s.from = line_index(from);
      s.to = line_index(to);
      if (s.from == s.to) r.fail(to, "a shift needs two different lines");
      const Cursor money = r.need(item, "amount_gbp");
      s.amount_gbp = r.number(money);
      amount[s.from] -= s.amount_gbp;
      amount[s.to] += s.amount_gbp;
      if (amount[s.from] < 0) {
        r.fail(money, fmt::format("the line `{}` would have £{:.0f} a year less than nothing "
                                  "from {}",
                                  f.lines[s.from].name, -amount[s.from], d.iso()));
      }
      // The places the money buys (gained, rounded down) or stops paying for (lost, rounded up).
      const auto change = [&](std::size_t l, double places) {
        engine::ServiceSpec* svc = service_of(l);
        if (svc == nullptr || places == 0) return;
        try {
          svc->capacity = svc->capacity.plus_from(s.day, places);
        } catch (const engine::SpecError& e) {
          r.fail(money,
                 fmt::format("the line `{}` funds `{}`: {}", f.lines[l].name, svc->name, e.what()));
        }
      };
      if (!f.lines[s.from].service.empty()) {
        s.places_lost = std::ceil(s.amount_gbp / f.lines[s.from].cost_per_place_gbp);
        change(s.from, -s.places_lost);
      }
      if (!f.lines[s.to].service.empty()) {
        s.places_gained = std::floor(s.amount_gbp / f.lines[s.to].cost_per_place_gbp);
        change(s.to, s.places_gained);
      }
      f.shifts.push_back(s);
    }
  }
  return f;
}

void add_pathway_routes(const PathwaysSpec& p, engine::NetworkSpec& network) {
  auto service = [&](Service role) -> engine::ServiceSpec& {
    const std::string name = kServiceNames[static_cast<std::size_t>(role)];
    for (auto& s : network.services)
      if (s.name == name) return s;
    throw std::logic_error("pathway service missing: " + name);  // checked by the loader
  };
  const auto name = [](Service role) { return kServiceNames[static_cast<std::size_t>(role)]; };
  const double ht = p.ambulance.hear_and_treat;
  const double rs = p.community_response.referral_share;
  service(Service::kCallHandling).routes = {{engine::kExitName, ht},
                                            {name(Service::kCommunityResponse), (1 - ht) * rs},
                                            {name(Service::kAmbulance), (1 - ht) * (1 - rs)}};
  const double convey = p.ambulance.attended[2];
  service(Service::kAmbulance).routes = {{name(Service::kAeMajors), convey},
                                         {engine::kExitName, 1 - convey}};
  const double conveyed = p.community_response.outcomes[static_cast<int>(VisitOutcome::kConveyed)];
  service(Service::kCommunityResponse).routes = {{name(Service::kAmbulance), conveyed},
                                                 {engine::kExitName, 1 - conveyed}};
  service(Service::kComplexCare).routes = {{engine::kExitName, 1}};
  const double admit = std::accumulate(p.ae.admit.begin(), p.ae.admit.end(), 0.0) / kAgeBands;
  for (Service ae : {Service::kAeMajors, Service::kAeMinors}) {
    service(ae).routes = {{name(Service::kBeds), admit}, {engine::kExitName, 1 - admit}};
  }
  service(Service::kBeds).routes = {{engine::kExitName, 1}};
  if (p.discharge) {
    // Beds → each supported destination at its share averaged over the age bands; the rest
    // (home, death) exit. Reablement → its outcomes; the other services → exit.
    const auto& d = *p.discharge;
    std::vector<engine::RouteSpec> beds;
    double supported = 0;
    for (std::size_t k = 0; k < kDischargeServices; ++k) {
      double share = 0;
      for (const auto& band : d.destinations)
        share += band[k + 1] / kAgeBands;
      beds.push_back({kDischargeServiceNames[k], share});
      supported += share;
    }
    beds.push_back({engine::kExitName, 1 - supported});
    auto named = [&](const char* n) -> engine::ServiceSpec& {
      for (auto& s : network.services)
        if (s.name == n) return s;
      throw std::logic_error(std::string("discharge service missing: ") + n);  // checked
    };
    auto discharge_service = [&](std::size_t k) -> engine::ServiceSpec& {
      return named(kDischargeServiceNames[k]);
    };
    if (d.has_assessment) {
      // Beds → assessment (for the assessed share of each destination) → the destination.
      engine::ServiceSpec& assessment = named(kAssessmentServiceName);
      assessment.keeps_origin = true;  // the patient keeps the bed while assessed
      double assessed = 0;
      for (std::size_t k = 0; k < kDischargeServices; ++k)
        assessed += beds[k].p * d.assessed[k];
      // After it, back to the bed they kept (a second, instant visit) and on from there: the
      // drawn graph shows beds → assessment → beds; the destinations' shares stay the beds'.
      assessment.routes = {{name(Service::kBeds), 1}};
      beds.push_back({kAssessmentServiceName, assessed});
      for (auto& route : beds)
        route.p /= 1 + assessed;  // the shares of all visits to the bed pool, returns included
    }
    service(Service::kBeds).routes = beds;
    const auto& ro = d.reablement_outcomes;
    discharge_service(1).routes = {{engine::kExitName, ro[0]},
                                   {kDischargeServiceNames[0], ro[1]},
                                   {kDischargeServiceNames[3], ro[2]},
                                   {name(Service::kBeds), ro[3]}};
    for (std::size_t k : {0u, 2u, 3u, 4u})
      discharge_service(k).routes = {{engine::kExitName, 1}};
  }
  // Drop routes of probability 0 (e.g. no referrals at all): the shares sum to 1, so one stays.
  for (auto& s : network.services) {
    std::erase_if(s.routes, [](const engine::RouteSpec& r) { return r.p <= 0; });
  }
}

}  // namespace pitstop::models::borough
