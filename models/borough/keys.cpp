// The registry entries of the `population:` and `demand:` sections: the one place each of their
// keys is described (type, unit, default, range, doc). Called by build_keys() in registry.cpp.
#include <fmt/format.h>

#include <string>
#include <vector>

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
  }
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
}

}  // namespace pitstop::models
