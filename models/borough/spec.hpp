// The borough's residents and their demand as the scenario describes them: immutable,
// validated values filled by the loader from the `population:` and `demand:` sections.
// Every rate given by age band is that band's average over the residents at the start; the
// weights and hazard ratios spread it among the band's residents (see docs/calibration.md).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pitstop::models::borough {

/// The five age bands every figure of the reference notes is given by.
enum class AgeBand : std::uint8_t { k0to17, k18to64, k65to74, k75to84, k85plus };
inline constexpr int kAgeBands = 5;
inline constexpr std::array<const char*, kAgeBands> kAgeBandNames = {"0-17", "18-64", "65-74",
                                                                     "75-84", "85+"};
inline constexpr std::array<int, kAgeBands> kAgeBandLow = {0, 18, 65, 75, 85};
/// The three bands in which frailty (the electronic frailty index) is assessed.
inline constexpr int kOlderBands = 3;
inline constexpr int kFirstOlderBand = 2;  // index of 65-74
inline constexpr std::array<const char*, kOlderBands> kOlderBandNames = {"65-74", "75-84", "85+"};

/// Age band of an age in whole years.
inline AgeBand band_of(int age) {
  return age < 18   ? AgeBand::k0to17
         : age < 65 ? AgeBand::k18to64
         : age < 75 ? AgeBand::k65to74
         : age < 85 ? AgeBand::k75to84
                    : AgeBand::k85plus;
}

/// Electronic frailty index category (Clegg et al. 2016); under-65s count as fit.
enum class Frailty : std::uint8_t { kFit, kMild, kModerate, kSevere };
inline constexpr int kFrailtyLevels = 4;
inline constexpr std::array<const char*, kFrailtyLevels> kFrailtyNames = {"fit", "mild", "moderate",
                                                                          "severe"};

/// Risk of an emergency admission within a year: none (< 10%), Level 1 (10–25%), Level 2
/// (25–50%), Level 3 (> 50%).
enum class RiskLevel : std::uint8_t { kNone, kLevel1, kLevel2, kLevel3 };
inline constexpr int kRiskLevels = 4;
inline constexpr std::array<const char*, kRiskLevels> kRiskNames = {"none", "level_1", "level_2",
                                                                    "level_3"};

/// Number of long-term conditions, 3 meaning three or more.
inline constexpr int kLtcLevels = 4;
inline constexpr std::array<const char*, kLtcLevels> kLtcNames = {"0", "1", "2", "3+"};

/// Where a resident lives.
enum class Setting : std::uint8_t { kOwnHome, kCareHome };
inline constexpr int kSettings = 2;

enum class Sex : std::uint8_t { kMale, kFemale };

/// The kinds of demand a resident makes on the front door.
enum class EventType : std::uint8_t { kGpConsultation, kCall999, kAeSelfPresentation };
inline constexpr int kEventTypes = 3;
inline constexpr std::array<const char*, kEventTypes> kEventTypeNames = {
    "gp_consultation", "call_999", "ae_self_presentation"};

using BandValues = std::array<double, kAgeBands>;
using OlderBandValues = std::array<double, kOlderBands>;
using FrailtyValues = std::array<double, kFrailtyLevels>;
using RiskValues = std::array<double, kRiskLevels>;
using LtcValues = std::array<double, kLtcLevels>;

/// One service delivery footprint (SDF): a neighbourhood of 30–50k people.
struct SdfSpec {
  std::string name;   // the key in the scenario (an identifier)
  std::string label;  // display name ("Wigan Central"); the name when not given
  std::int64_t people = 0;
  std::array<std::int64_t, 3> risk_counts{};  // residents at Level 1, 2, 3 at the start
  std::optional<BandValues> age_shares;       // overrides PopulationSpec::age_shares
};

/// A projected count in a given year (on the anniversary of the start in that year).
struct ProjectionPoint {
  int year = 0;
  double people = 0;
};

/// A series' count in `year`: linear between its points, flat beyond them; nullopt when empty.
inline std::optional<double> projected(const std::vector<ProjectionPoint>& s, int year) {
  if (s.empty()) return std::nullopt;
  if (year <= s.front().year) return s.front().people;
  if (year >= s.back().year) return s.back().people;
  auto hi = std::find_if(s.begin(), s.end(), [&](const auto& p) { return p.year >= year; });
  auto lo = hi - 1;
  const double f = static_cast<double>(year - lo->year) / static_cast<double>(hi->year - lo->year);
  return lo->people + f * (hi->people - lo->people);
}

/// Who the residents are at the start and how the population changes year by year.
struct PopulationSpec {
  std::vector<SdfSpec> sdfs;
  BandValues age_shares{};           // sum 1
  BandValues within_band_decline{};  // each single year of age has this fraction fewer people
  BandValues female_share{};         // births use the 0-17 value

  /// Who holds the risk levels at the start, and how levels move.
  struct Risk {
    BandValues age_weight{};
    FrailtyValues frailty_weight{};
    LtcValues ltc_weight{};
    std::array<double, 3> step_down{};  // per person-year from Level 1, 2, 3 one level down
    double step_up_multiplier = 1;      // scales the step-up rates solved at the start
  } risk;

  /// Frailty among people aged 65 and over.
  struct FrailtySpec {
    std::array<FrailtyValues, kOlderBands> shares{};  // by older band, each sums to 1
    FrailtyValues at_65{};                            // category drawn on turning 65
    OlderBandValues fit_to_mild{}, mild_to_moderate{}, moderate_to_severe{}, mild_to_fit{};
  } frailty;

  /// Long-term conditions.
  struct Ltc {
    std::array<LtcValues, kAgeBands> shares{};  // by band, each sums to 1
    BandValues onset{};                         // per person-year: one more condition
  } ltc;

  /// Residents of care homes.
  struct CareHomes {
    BandValues shares{};  // of each band at the start
    FrailtyValues frailty_weight{};
    BandValues entry{};  // per person-year, own-home residents (band average)
  } care_homes;

  /// Deaths: band averages at the start, spread by frailty and setting.
  struct Mortality {
    BandValues rate{};  // per person-year
    double multiplier = 1;
    FrailtyValues frailty_hr{};
    double care_home_hr = 1;
  } mortality;

  double birth_rate = 0;  // births per resident per year

  /// Targets net migration is solved to meet; an empty series is not targeted.
  struct Projection {
    std::vector<ProjectionPoint> total, age_65_plus, age_75_plus, age_85_plus;
  } projection;
};

/// Per-resident hazards of one kind of demand.
struct EventHazards {
  BandValues per_person_year{};  // band average at the start
  RiskValues risk{};             // relative to `none`
  FrailtyValues frailty{};       // relative to `fit`
  double care_home = 1;          // relative to own home
  double multiplier = 1;         // scales every resident's hazard
  /// Relative weight of each hour of the day (mean 1: the daily total is unchanged).
  std::array<double, 24> hour_of_day = flat_hours();
  bool operator==(const EventHazards&) const = default;

  static constexpr std::array<double, 24> flat_hours() {
    std::array<double, 24> a{};
    for (double& x : a)
      x = 1;
    return a;
  }
};

/// The hazards of every kind of demand.
struct DemandSpec {
  std::array<EventHazards, kEventTypes> events;
  const EventHazards& operator[](EventType e) const { return events[static_cast<int>(e)]; }
  bool operator==(const DemandSpec&) const = default;
};

}  // namespace pitstop::models::borough
