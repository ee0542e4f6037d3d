// The registry entries of the `population:` and `demand:` sections: the one place each of their
// keys is described (type, unit, default, range, doc). Called by build_keys() in registry.cpp.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "models/borough/finance.hpp"
#include "models/borough/pathways.hpp"
#include "models/borough/spec.hpp"
#include "models/registry.hpp"

namespace pitstop::models {
namespace {

namespace b = borough;

constexpr double kMaxPeople = 1e8;
constexpr double kMaxRate = 1e3;  // events per person-year
constexpr double kMaxWeight = 1e6;

/// How the numbers of a fixed-key map are described.
struct Numbers {
  std::string unit{};
  double min = 0, max = kMaxWeight;
  bool min_exclusive = false, max_exclusive = false;
  std::string default_value{};  // of each number; "" = required
  std::string doc{};            // "{}" stands for the key, e.g. the age band
};

/// A map with fixed keys `names`, each a number: e.g. one value per age band.
void add_numbers(std::vector<KeyInfo>& k, const std::string& pattern, bool required,
                 const std::string& doc, const std::vector<std::string>& names, const Numbers& n,
                 const std::string& default_doc = "") {
  k.push_back({.pattern = pattern,
               .type = KeyType::kMap,
               .required = required,
               .default_doc = default_doc,
               .doc = doc});
  for (const auto& name : names) {
    k.push_back({.pattern = pattern + "." + name,
                 .type = KeyType::kNumber,
                 .unit = n.unit,
                 .required = n.default_value.empty(),
                 .default_value = n.default_value,
                 .min = n.min,
                 .max = n.max,
                 .min_exclusive = n.min_exclusive,
                 .max_exclusive = n.max_exclusive,
                 .doc = fmt::format(fmt::runtime(n.doc), name)});
  }
}

template <std::size_t N>
std::vector<std::string> names(const std::array<const char*, N>& a) {
  return {a.begin(), a.end()};
}

// Key names of the fixed maps (functions, so that nothing depends on static initialisation order).
std::vector<std::string> bands() {
  return names(b::kAgeBandNames);
}
std::vector<std::string> older() {
  return names(b::kOlderBandNames);
}
std::vector<std::string> frailty() {
  return names(b::kFrailtyNames);
}
std::vector<std::string> risk() {
  return names(b::kRiskNames);
}
std::vector<std::string> ltc() {
  return names(b::kLtcNames);
}

Numbers share() {
  return {.max = 1, .doc = "Share for `{}`."};
}
Numbers rate() {
  return {.unit = "per person-year", .max = kMaxRate, .doc = "Rate for `{}`."};
}
Numbers weight() {
  return {.doc = "Relative weight for `{}`."};
}
// Weights that draw people out of a group: positive, so that every group can be drawn from.
Numbers draw_weight() {
  return {.min_exclusive = true, .doc = "Relative weight for `{}`."};
}

void add_sdfs(std::vector<KeyInfo>& k) {
  k.push_back({.pattern = "population.sdfs",
               .type = KeyType::kNamedMap,
               .required = true,
               .count = 1,
               .doc = "The service delivery footprints (neighbourhoods), by name."});
  k.push_back({.pattern = "population.sdfs.*", .type = KeyType::kMap, .doc = "One SDF."});
  k.push_back({.pattern = "population.sdfs.*.label",
               .type = KeyType::kString,
               .default_doc = "the name",
               .doc = "Display name, e.g. `Wigan Central`."});
  k.push_back({.pattern = "population.sdfs.*.people",
               .type = KeyType::kInteger,
               .unit = "people",
               .required = true,
               .min = 1,
               .max = kMaxPeople,
               .doc = "Residents at the start."});
  for (int level = 1; level <= 3; ++level) {
    static constexpr std::array<const char*, 3> kBounds = {"10–25%", "25–50%", "> 50%"};
    k.push_back({.pattern = fmt::format("population.sdfs.*.risk_level_{}", level),
                 .type = KeyType::kInteger,
                 .unit = "people",
                 .required = true,
                 .min = 0,
                 .max = kMaxPeople,
                 .doc = fmt::format("Residents at Level {} ({} risk of an emergency admission "
                                    "within a year) at the start, exactly.",
                                    level, kBounds[static_cast<std::size_t>(level - 1)])});
  }
  add_numbers(k, "population.sdfs.*.age_shares", false, "This SDF's own age structure (sums to 1).",
              bands(), share(), "`population.age_shares`");
}

void add_structure(std::vector<KeyInfo>& k) {
  add_numbers(k, "population.age_shares", true,
              "Share of residents in each age band at the start (sums to 1).", bands(), share());
  add_numbers(k, "population.within_band_decline", false,
              "Shape within a band at the start: each single year of age has this fraction fewer "
              "people than the year below (0 = flat). The 85+ band spans 85–104.",
              bands(),
              Numbers{.max = 1, .max_exclusive = true, .default_value = "0", .doc = "For `{}`."},
              "all 0 (flat)");
  add_numbers(k, "population.female_share", true,
              "Share of women and girls in each band; births use the `0-17` share.", bands(),
              share());
}

void add_risk(std::vector<KeyInfo>& k) {
  k.push_back({.pattern = "population.risk",
               .type = KeyType::kMap,
               .required = true,
               .doc = "Who holds the risk levels at the start, and how levels move."});
  const std::string who =
      " At the start the SDF's Level 3 residents are drawn first, then Level 2, then Level 1, "
      "each with probability proportional to age weight × frailty weight × LTC weight; the same "
      "weights pick who steps up a level each year. The age weight applies in full at ages 9, "
      "41, 70, 80 and 90 and changes log-linearly by single year of age between them.";
  add_numbers(k, "population.risk.age_weight", true, "Weight by age band." + who, bands(),
              draw_weight());
  add_numbers(k, "population.risk.frailty_weight", true, "Weight by frailty.", frailty(),
              draw_weight());
  add_numbers(k, "population.risk.ltc_weight", true, "Weight by number of long-term conditions.",
              ltc(), draw_weight());
  add_numbers(k, "population.risk.step_down", true,
              "Rate of moving one level down (regression to the mean), by level. Each year the "
              "shortfall of each level against its start share of the age band is then filled "
              "from the level below, by the same weights.",
              {"level_1", "level_2", "level_3"}, rate());
  k.push_back({.pattern = "population.risk.step_up_multiplier",
               .type = KeyType::kNumber,
               .default_value = "1",
               .min = 0,
               .max = kMaxWeight,
               .doc = "Scales the number stepping up each year (1: each age band keeps its start "
                      "mix of levels; below 1: fewer become high-risk)."});
}

void add_frailty(std::vector<KeyInfo>& k) {
  k.push_back({.pattern = "population.frailty",
               .type = KeyType::kMap,
               .required = true,
               .doc = "Frailty (electronic frailty index) of people aged 65+; under-65s are fit."});
  k.push_back({.pattern = "population.frailty.shares",
               .type = KeyType::kMap,
               .required = true,
               .doc = "Frailty mix of each older band at the start."});
  for (const auto& band : older()) {
    add_numbers(k, "population.frailty.shares." + band, true,
                "Frailty mix of residents aged " + band + " (sums to 1).", frailty(), share());
  }
  add_numbers(k, "population.frailty.at_65", true,
              "Frailty category drawn on turning 65 (sums to 1).", frailty(), share());
  const std::vector<std::pair<std::string, std::string>> moves = {
      {"fit_to_mild", "Rate of becoming (at least mildly) frail, from fit."},
      {"mild_to_moderate", "Rate from mild to moderate frailty."},
      {"moderate_to_severe", "Rate from moderate to severe frailty."},
      {"mild_to_fit", "Rate of recovery from mild frailty to fit."}};
  for (const auto& [key, doc] : moves) {
    add_numbers(k, "population.frailty." + key, true, doc + " By older band.", older(), rate());
  }
}

void add_conditions_and_homes(std::vector<KeyInfo>& k) {
  k.push_back(
      {.pattern = "population.long_term_conditions",
       .type = KeyType::kMap,
       .required = true,
       .doc = "Long-term conditions (LTCs): how many each resident has (3 = three or more)."});
  k.push_back({.pattern = "population.long_term_conditions.shares",
               .type = KeyType::kMap,
               .required = true,
               .doc = "Mix of LTC counts in each band at the start."});
  for (const auto& band : bands()) {
    add_numbers(k, "population.long_term_conditions.shares." + band, true,
                "Share of residents aged " + band + " with 0, 1, 2, 3+ LTCs (sums to 1).", ltc(),
                share());
  }
  add_numbers(k, "population.long_term_conditions.onset", true,
              "Rate of gaining one more LTC, by band.", bands(), rate());
  k.push_back({.pattern = "population.care_homes",
               .type = KeyType::kMap,
               .required = true,
               .doc = "Residents of care homes (the other setting is own home)."});
  add_numbers(k, "population.care_homes.shares", true,
              "Share of each band living in a care home at the start.", bands(), share());
  add_numbers(k, "population.care_homes.frailty_weight", true,
              "Relative chance of living in (or moving into) a care home, by frailty.", frailty(),
              draw_weight());
  add_numbers(k, "population.care_homes.entry", true,
              "Rate of moving into a care home from own home (band average at the start).", bands(),
              rate());
}

void add_dynamics(std::vector<KeyInfo>& k) {
  k.push_back({.pattern = "population.mortality",
               .type = KeyType::kMap,
               .required = true,
               .doc = "Deaths, applied at each yearly step."});
  add_numbers(k, "population.mortality.per_person_year", true,
              "Deaths per resident per year by band (a crude rate): the share of the band's "
              "residents at the start who die in the first year, before `multiplier`.",
              bands(), Numbers{.unit = "per person-year", .max = 1, .doc = "Rate for `{}`."});
  k.push_back({.pattern = "population.mortality.multiplier",
               .type = KeyType::kNumber,
               .default_value = "1",
               .min = 0,
               .max = kMaxWeight,
               .doc = "Scales every death rate (local excess over the national rates)."});
  add_numbers(k, "population.mortality.frailty_hr", true, "Hazard ratio by frailty, vs fit.",
              frailty(), weight());
  k.push_back({.pattern = "population.mortality.care_home_hr",
               .type = KeyType::kNumber,
               .default_value = "1",
               .min = 0,
               .max = kMaxWeight,
               .doc = "Hazard ratio of care-home residents vs own home, on top of frailty."});
  k.push_back({.pattern = "population.births_per_person_year",
               .type = KeyType::kNumber,
               .unit = "per person-year",
               .required = true,
               .min = 0,
               .max = 1,
               .doc = "Live births per resident per year (crude birth rate)."});
  k.push_back({.pattern = "population.projection",
               .type = KeyType::kMap,
               .default_doc = "none (no migration)",
               .doc = "Projected counts that net migration is solved to meet at each yearly step "
                      "(linear between the given years, flat beyond them)."});
  const std::vector<std::pair<std::string, std::string>> series = {
      {"total", "all residents"},
      {"age_65_plus", "residents aged 65+"},
      {"age_75_plus", "residents aged 75+"},
      {"age_85_plus", "residents aged 85+"}};
  for (const auto& [key, who] : series) {
    const std::string p = "population.projection." + key;
    k.push_back({.pattern = p,
                 .type = KeyType::kList,
                 .default_doc = "not targeted",
                 .count = 1,
                 .doc = "Projected " + who + ", by year (years increasing)."});
    k.push_back({.pattern = p + "[*]", .type = KeyType::kMap, .doc = "One projected count."});
    k.push_back({.pattern = p + "[*].year",
                 .type = KeyType::kInteger,
                 .required = true,
                 .min = 1900,
                 .max = 2200,
                 .doc = "Year: the count on the start's anniversary in that year."});
    k.push_back({.pattern = p + "[*].people",
                 .type = KeyType::kNumber,
                 .unit = "people",
                 .required = true,
                 .min = 0,
                 .max = kMaxPeople,
                 .doc = "Projected count."});
  }
}

void add_demand(std::vector<KeyInfo>& k) {
  k.push_back({.pattern = "demand",
               .type = KeyType::kMap,
               .default_doc = "none",
               .doc = "Per-resident hazards of each kind of demand (needs `population`). A "
                      "resident's hazard = band rate (normalised) × risk × frailty × setting × "
                      "`multiplier`."});
  const std::vector<std::pair<std::string, std::string>> what = {
      {"gp_consultation", "GP practice consultations (all practice staff)."},
      {"call_999", "999 calls that become an ambulance incident."},
      {"ae_self_presentation", "A&E (type 1) attendances on foot, not referred by a GP."}};
  for (const auto& [event, doc] : what) {
    const std::string p = "demand." + event;
    k.push_back({.pattern = p, .type = KeyType::kMap, .required = true, .doc = doc});
    add_numbers(k, p + ".per_person_year", true,
                "Rate by age band: the band's average over its residents at the start.", bands(),
                rate());
    add_numbers(k, p + ".risk", true, "Relative hazard by risk level (`none` = 1 usually).", risk(),
                weight());
    add_numbers(k, p + ".frailty", true, "Relative hazard by frailty (`fit` = 1 usually).",
                frailty(), weight());
    k.push_back({.pattern = p + ".care_home",
                 .type = KeyType::kNumber,
                 .default_value = "1",
                 .min = 0,
                 .max = kMaxWeight,
                 .doc = "Relative hazard of care-home residents vs own home."});
    k.push_back({.pattern = p + ".multiplier",
                 .type = KeyType::kNumber,
                 .default_value = "1",
                 .min = 0,
                 .max = kMaxWeight,
                 .doc = "Scales every resident's hazard (for scenarios and calibration)."});
    k.push_back({.pattern = p + ".hour_of_day",
                 .type = KeyType::kNumberList,
                 .default_doc = "flat (every hour alike)",
                 .min = 0,
                 .max = kMaxWeight,
                 .count = 24,
                 .doc = "Relative weight of each hour, 00:00 first (scaled to mean 1, so the "
                        "daily total stays the same): when in the day the events happen."});
  }
}

void add_pathways(std::vector<KeyInfo>& k) {
  k.push_back({.pattern = "pathways",
               .type = KeyType::kMap,
               .default_doc = "none (population and demand only)",
               .doc = "The front door: how residents' demand flows through GP, 999, community "
                      "response, complex care, A&E and beds. Needs `population`, `demand` and the "
                      "services `call_handling`, `ambulance`, `community_response`, "
                      "`complex_care`, `ae_majors`, `ae_minors` and `beds` in `services` (their "
                      "capacity, queue, reneging and duration; their routes are set here, so they "
                      "have no `routes`)."});
  k.push_back({.pattern = "pathways.gp",
               .type = KeyType::kMap,
               .required = true,
               .doc = "General practice: an appointment book per SDF cluster. A consultation "
                      "takes the first day with an appointment left (a queue in days when demand "
                      "exceeds the appointments); its outcome happens on that day."});
  add_numbers(k, "pathways.gp.appointments_per_1000_by_weekday", true,
              "Appointments offered per 1,000 living residents of the SDF, by weekday; recomputed "
              "from the SDF's residents each year.",
              names(b::kWeekdayNames),
              {.unit = "per 1,000 residents per day", .max = 1e3, .doc = "On `{}`."});
  k.push_back({.pattern = "pathways.gp.day_hours",
               .type = KeyType::kNumberList,
               .unit = "hours",
               .default_value = "[8, 18]",
               .min = 0,
               .max = 24,
               .count = 2,
               .doc = "Opening and closing hour: appointments are spread evenly between them."});
  add_numbers(k, "pathways.gp.outcomes", true,
              "What each consultation leads to (shares summing to 1). `complex_care` applies to "
              "residents at `pathways.complex_care.min_risk` or above who are not enrolled (the "
              "others are resolved); `community_response` is an urgent referral; `ae` sends them "
              "to A&E on foot; `admission` asks for a bed directly (A&E when none is free).",
              names(b::kGpOutcomeNames), share());

  k.push_back({.pattern = "pathways.ambulance",
               .type = KeyType::kMap,
               .required = true,
               .doc = "999 calls: call handling (`services.call_handling`), then a crew "
                      "(`services.ambulance`) or the community response team. A crew holds the "
                      "patient at A&E until `ae_majors` has a place or queue room: the wait is "
                      "the handover delay."});
  k.push_back({.pattern = "pathways.ambulance.hear_and_treat",
               .type = KeyType::kNumber,
               .required = true,
               .min = 0,
               .max = 1,
               .doc = "Share of calls closed by the call handler (hear and treat)."});
  add_numbers(k, "pathways.ambulance.attended", true,
              "Outcome of incidents a crew attends (shares summing to 1).",
              {"see_and_treat", "conveyed_elsewhere", "conveyed_ae"}, share());
  k.push_back({.pattern = "pathways.ambulance.travel_to_ae_days",
               .type = KeyType::kDistribution,
               .unit = "days",
               .required = true,
               .doc = "Added to the crew's job for a conveyance to A&E: travel to the hospital."});
  add_distribution(k, "pathways.ambulance.travel_to_ae_days", "days");

  k.push_back({.pattern = "pathways.community_response",
               .type = KeyType::kMap,
               .required = true,
               .doc = "Frail older 999 callers seen at home by the team "
                      "(`services.community_response`; its `renege_after_days` is the two-hour "
                      "promise: a caller not reached in time gets a crew)."});
  k.push_back({.pattern = "pathways.community_response.min_age",
               .type = KeyType::kInteger,
               .unit = "years",
               .default_value = "65",
               .min = 0,
               .max = 120,
               .doc = "Youngest eligible caller."});
  k.push_back({.pattern = "pathways.community_response.min_frailty",
               .type = KeyType::kChoice,
               .default_value = "mild",
               .choices = frailty(),
               .doc = "Least frailty of an eligible caller."});
  k.push_back({.pattern = "pathways.community_response.referral_share",
               .type = KeyType::kNumber,
               .required = true,
               .min = 0,
               .max = 1,
               .doc = "Share of eligible calls passed to the team when it has a place or queue "
                      "room (the rest get a crew)."});
  add_numbers(k, "pathways.community_response.outcomes", true,
              "Outcome of a visit (shares summing to 1): managed at home, with reablement, with a "
              "short package of care, or conveyed to A&E by a crew.",
              names(b::kVisitOutcomeNames), share());

  k.push_back({.pattern = "pathways.complex_care",
               .type = KeyType::kMap,
               .required = true,
               .doc = "A caseload (`services.complex_care`: capacity = caseload, duration = time "
                      "enrolled) of high-risk residents referred by their GP."});
  k.push_back({.pattern = "pathways.complex_care.min_risk",
               .type = KeyType::kChoice,
               .default_value = "level_2",
               .choices = {"level_1", "level_2", "level_3"},
               .doc = "Lowest risk level a GP refers."});
  add_numbers(k, "pathways.complex_care.hazard_factor", true,
              "Multiplies an enrolled resident's hazard of each kind of demand.",
              names(b::kEventTypeNames), Numbers{.max = 10, .doc = "For `{}`."});

  k.push_back({.pattern = "pathways.ae",
               .type = KeyType::kMap,
               .required = true,
               .doc = "A&E: ambulance arrivals at `services.ae_majors`, walk-ins (self-presenting "
                      "or sent by a GP) at `services.ae_minors`, whose `renege_after_days` is "
                      "leaving unseen. The 4-hour clock runs from arrival at the door (for an "
                      "ambulance, before any handover delay) to leaving A&E."});
  add_numbers(k, "pathways.ae.admit", true,
              "Share of attendances admitted (an emergency admission request), by age band. An "
              "admitted patient keeps their A&E place until `beds` has one.",
              bands(), share());

  k.push_back({.pattern = "pathways.beds",
               .type = KeyType::kMap,
               .required = true,
               .doc = "The bed pool (`services.beds`, no queue: A&E holds its patients until a "
                      "bed frees)."});
  k.push_back({.pattern = "pathways.beds.length_of_stay_days",
               .type = KeyType::kMap,
               .required = true,
               .doc = "Length of stay by age band (replaces `services.beds.duration_days`)."});
  for (const auto& band : bands()) {
    const std::string p = "pathways.beds.length_of_stay_days." + band;
    k.push_back({.pattern = p,
                 .type = KeyType::kDistribution,
                 .unit = "days",
                 .required = true,
                 .doc = "Length of stay aged " + band + "."});
    add_distribution(k, p, "days");
  }
  add_numbers(k, "pathways.beds.frailty_factor", false,
              "Multiplies the drawn length of stay by the patient's frailty.", frailty(),
              Numbers{.max = 100, .default_value = "1", .doc = "For `{}`."}, "all 1");

  k.push_back({.pattern = "pathways.discharge",
               .type = KeyType::kMap,
               .default_doc = "none: everyone leaves the bed pool for home",
               .doc = "Leaving hospital. A patient whose stay ends goes home, dies, or needs a "
                      "supported destination — the services `homecare`, `reablement`, "
                      "`intermediate_care`, `residential_home` and `nursing_home` (needed in "
                      "`services` when this section is given; no `routes`). When that service "
                      "has neither a place nor queue room the patient keeps the bed: a delayed "
                      "transfer of care, with the destination as its reason."});
  k.push_back({.pattern = "pathways.discharge.destinations",
               .type = KeyType::kMap,
               .required = true,
               .doc = "Where patients go, by age band (shares summing to 1). Care-home residents "
                      "return to their home instead of any supported destination."});
  for (const auto& band : bands()) {
    add_numbers(k, "pathways.discharge.destinations." + band, true,
                "Destinations of patients aged " + band + " (sums to 1).",
                names(b::kDestinationNames), share());
  }
  add_numbers(k, "pathways.discharge.support_factor", false,
              "Multiplies the shares of the supported destinations by frailty (the share of "
              "`home` takes up the difference; at most all of it).",
              frailty(), Numbers{.max = 100, .default_value = "1", .doc = "For `{}`."}, "all 1");
  k.push_back({.pattern = "pathways.discharge.responsible",
               .type = KeyType::kMap,
               .required = true,
               .doc = "Who the delays of each reason are attributed to, as shares of their days "
                      "(the national DTOC collection attributed each delay to the NHS, social "
                      "care or both)."});
  for (const auto& d : names(b::kDelayReasonNames)) {
    const bool assessment = d == "assessment";
    add_numbers(k, "pathways.discharge.responsible." + d, !assessment,
                assessment ? "Awaiting an assessor (`pathways.discharge.assessment`); shares "
                             "summing to 1."
                           : "Awaiting `" + d + "`; shares summing to 1.",
                names(b::kResponsibilityNames),
                Numbers{.max = 1, .default_value = "0", .doc = "Share attributed to `{}`."},
                assessment ? "all to the NHS" : "");
  }
  add_numbers(k, "pathways.discharge.assessment", false,
              "Share of the patients bound for each supported destination who are assessed "
              "before they leave (needs the service `assessment` in `services`: its capacity is "
              "the assessments under way at once, its duration an assessment's). The patient "
              "keeps the bed while assessed (the service keeps the place its people come "
              "from); waiting for an assessor is a delayed transfer with the reason "
              "`assessment`, and waiting for the destination after it, one with the "
              "destination as the reason.",
              names(b::kDischargeServiceNames),
              Numbers{.max = 1, .default_value = "0", .doc = "Of those bound for `{}`."},
              "none (no assessment)");
  k.push_back({.pattern = "pathways.discharge.after_discharge",
               .type = KeyType::kMap,
               .default_doc = "no change of hazards after discharge",
               .doc = "For a while after leaving hospital alive a resident's demand hazards "
                      "are raised (the risk of readmission)."});
  k.push_back({.pattern = "pathways.discharge.after_discharge.days",
               .type = KeyType::kNumber,
               .unit = "days",
               .default_value = "30",
               .min = 0,
               .max = 3650,
               .doc = "How long the raised hazards last."});
  add_numbers(k, "pathways.discharge.after_discharge.hazard_factor", false,
              "Multiplies each kind of demand hazard meanwhile (with complex care's when "
              "enrolled too).",
              names(b::kEventTypeNames),
              Numbers{.max = 100, .default_value = "1", .doc = "For `{}`."}, "all 1");
  k.push_back({.pattern = "pathways.discharge.at_home_check_days",
               .type = KeyType::kNumber,
               .unit = "days",
               .default_value = "91",
               .min = 1,
               .max = 3650,
               .doc = "Residents aged 65+ discharged from hospital into reablement are checked "
                      "this many days later: at home = alive, not in a care home, not in an acute "
                      "bed or intermediate care (`at_home_91d_after_reablement`, ASCOF 2B(1))."});
  add_numbers(k, "pathways.discharge.reablement_outcomes", true,
              "What follows reablement (shares summing to 1): no further support, a homecare "
              "package, a residential care home, or readmission to hospital.",
              names(b::kReablementOutcomeNames), share());
  add_numbers(k, "pathways.discharge.initial_occupied", false,
              "Places of each discharge service already taken on the first day (by people not "
              "otherwise modelled; they leave after the service's own duration).",
              names(b::kDischargeServiceNames),
              Numbers{.unit = "places", .max = 1e6, .default_value = "0", .doc = "For `{}`."},
              "all 0");
}

void add_finance(std::vector<KeyInfo>& k) {
  k.push_back({.pattern = "finance",
               .type = KeyType::kMap,
               .default_doc = "none (no money)",
               .doc = "Money: unit costs of the activities the pathways count (the activity-based "
                      "cost, `activity_cost_gbp`) and the lines of the pooled and aligned budgets "
                      "(`spend_gbp`). Needs `pathways`."});
  add_numbers(k, "finance.unit_costs_gbp", true,
              "Cost of one unit of each activity, in pounds (2019/20 prices): a consultation, "
              "a 999 incident by outcome (`ambulance_conveyance`: to A&E or elsewhere), a visit, "
              "an attendance, an admission (its episode, without excess bed days), a delayed "
              "bed-day (`excess_bed_day`), a reablement episode (at its start), and a day or "
              "week of a place in use (complex care, homecare, intermediate care, care homes; "
              "those already there on day 1 included).",
              names(b::kActivityNames), {.unit = "GBP", .max = 1e7, .doc = "Unit cost of `{}`."});
  k.push_back({.pattern = "finance.budget_lines",
               .type = KeyType::kList,
               .required = true,
               .count = 1,
               .doc = "The lines of the integrated budget, each in the pooled or the aligned "
                      "fund."});
  k.push_back({.pattern = "finance.budget_lines[*]", .type = KeyType::kMap, .doc = "One line."});
  k.push_back({.pattern = "finance.budget_lines[*].name",
               .type = KeyType::kName,
               .required = true,
               .doc = "Unique name of the line (e.g. `acute`)."});
  k.push_back({.pattern = "finance.budget_lines[*].description",
               .type = KeyType::kString,
               .default_doc = "none",
               .doc = "Free text about the line."});
  k.push_back({.pattern = "finance.budget_lines[*].fund",
               .type = KeyType::kChoice,
               .required = true,
               .choices = names(b::kFundNames),
               .doc = "The fund the line belongs to."});
  k.push_back({.pattern = "finance.budget_lines[*].amount_gbp",
               .type = KeyType::kNumber,
               .unit = "GBP a year",
               .required = true,
               .min = 0,
               .max = 1e11,
               .doc = "The line's budget in 2019/20 (spent evenly over the days of each "
                      "financial year)."});
  k.push_back({.pattern = "finance.budget_lines[*].service",
               .type = KeyType::kName,
               .default_doc = "none",
               .doc = "The service whose places the line buys (a service of `services`)."});
  k.push_back({.pattern = "finance.budget_lines[*].cost_per_place_gbp",
               .type = KeyType::kNumber,
               .unit = "GBP a year",
               .default_doc = "none",
               .min = 0,
               .max = 1e9,
               .min_exclusive = true,
               .doc = "What one place of `service` costs the line a year (needed with "
                      "`service`): the line's amount ÷ this is the places it can fund."});
  k.push_back({.pattern = "finance.shifts",
               .type = KeyType::kList,
               .default_doc = "none",
               .doc = "Dated moves of money between budget lines. From its date a shift takes "
                      "`amount_gbp` a year from line `from` and gives it to line `to`; the "
                      "places of the lines' services change with the money: the receiving line "
                      "gains amount ÷ its cost per place, rounded down, the giving line loses "
                      "amount ÷ its cost per place, rounded up. A capacity cut never ejects "
                      "anyone: people in service finish and the cut holds as places free."});
  k.push_back({.pattern = "finance.shifts[*]", .type = KeyType::kMap, .doc = "One shift."});
  k.push_back({.pattern = "finance.shifts[*].name",
               .type = KeyType::kName,
               .required = true,
               .doc = "Unique name of the shift."});
  k.push_back({.pattern = "finance.shifts[*].date",
               .type = KeyType::kDate,
               .required = true,
               .doc = "From this day (not before `start`; in date order)."});
  k.push_back({.pattern = "finance.shifts[*].why",
               .type = KeyType::kString,
               .default_doc = "none",
               .doc = "Free text: the reason for the shift."});
  k.push_back({.pattern = "finance.shifts[*].from",
               .type = KeyType::kName,
               .required = true,
               .doc = "The budget line the money leaves."});
  k.push_back({.pattern = "finance.shifts[*].to",
               .type = KeyType::kName,
               .required = true,
               .doc = "The budget line the money goes to."});
  k.push_back({.pattern = "finance.shifts[*].amount_gbp",
               .type = KeyType::kNumber,
               .unit = "GBP a year",
               .required = true,
               .min = 0,
               .max = 1e11,
               .min_exclusive = true,
               .doc = "How much a year moves. A shift that would make a line negative is an "
                      "error."});
}

}  // namespace

void add_borough_keys(std::vector<KeyInfo>& k) {
  k.push_back({.pattern = "population",
               .type = KeyType::kMap,
               .default_doc = "none (a network-only scenario)",
               .doc = "The borough's synthetic residents: SDFs, age, sex, risk, frailty, LTCs, "
                      "setting; births, deaths and migration year by year."});
  add_sdfs(k);
  add_structure(k);
  add_risk(k);
  add_frailty(k);
  add_conditions_and_homes(k);
  add_dynamics(k);
  add_demand(k);
  add_pathways(k);
  add_finance(k);
}

}  // namespace pitstop::models
