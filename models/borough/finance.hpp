// Money in the borough scenario (`finance:`): unit costs of the activities the pathways count,
// and the budget lines of the pooled and aligned funds with what a unit of the capacity each line
// funds costs. The activity-based cost is computed from a replicate's own counts (FrontDoor);
// a line's spend is its budget spread over the days of each financial year.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace pitstop::models::borough {

/// What the activity-based cost is made of, each with a unit cost.
enum class Activity : std::uint8_t {
  kGpConsultation,
  kAmbulanceHearAndTreat,
  kAmbulanceSeeAndTreat,
  kAmbulanceConveyance,
  kCommunityResponseContact,
  kComplexCareDay,
  kAeAttendance,
  kEmergencyAdmission,
  kExcessBedDay,
  kReablementEpisode,
  kHomecareWeek,
  kIntermediateCareDay,
  kResidentialHomeWeek,
  kNursingHomeWeek,
};
inline constexpr int kActivities = 14;
inline constexpr std::array<const char*, kActivities> kActivityNames = {
    "gp_consultation",
    "ambulance_hear_and_treat",
    "ambulance_see_and_treat",
    "ambulance_conveyance",
    "community_response_contact",
    "complex_care_day",
    "ae_attendance",
    "emergency_admission",
    "excess_bed_day",
    "reablement_episode",
    "homecare_week",
    "intermediate_care_day",
    "residential_home_week",
    "nursing_home_week"};

/// The two funds of the integrated budget.
enum class Fund : std::uint8_t { kPooled, kAligned };
inline constexpr int kFunds = 2;
inline constexpr std::array<const char*, kFunds> kFundNames = {"pooled", "aligned"};

struct FinanceSpec {
  std::array<double, kActivities> unit_cost_gbp{};  // per activity (see kActivityNames)

  /// A line of the budget: its fund, its 2019/20 amount, and the service whose places it buys
  /// (optional) at a cost per place a year.
  struct Line {
    std::string name;
    Fund fund = Fund::kPooled;
    double amount_gbp = 0;          // a year
    std::string service;            // "" = the line funds no modelled capacity
    double cost_per_place_gbp = 0;  // a year, when `service` is given
    bool operator==(const Line&) const = default;
  };
  std::vector<Line> lines;

  /// A dated move of money between two lines (a year's worth, from `day` on). The lines' services
  /// change by the places the money buys: the receiving line gains ⌊amount ÷ its cost per
  /// place⌋, the giving line loses ⌈amount ÷ its cost per place⌉ (no line keeps a part place it
  /// no longer pays for).
  struct Shift {
    std::string name;
    double day = 0;                // days since the start
    std::size_t from = 0, to = 0;  // line indices
    double amount_gbp = 0;         // a year
    double places_lost = 0, places_gained = 0;
    bool operator==(const Shift&) const = default;
  };
  std::vector<Shift> shifts;  // by date
  bool operator==(const FinanceSpec&) const = default;

  /// Line l's amount a year on day `day` (its 2019/20 amount and the shifts in force).
  double amount_on(std::size_t l, double day) const {
    double a = lines[l].amount_gbp;
    for (const Shift& s : shifts) {
      if (s.day > day) break;
      if (s.from == l) a -= s.amount_gbp;
      if (s.to == l) a += s.amount_gbp;
    }
    return a;
  }
};

}  // namespace pitstop::models::borough
