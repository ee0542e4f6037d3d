// The front door of the borough as the scenario describes it (`pathways:`): GP, 999 call
// handling and ambulance crews, community response, complex care, A&E and a simple bed pool.
// Capacity, queues, reneging and default durations of the services live in the scenario's
// generic `services:` section under the names below; this section holds what depends on who the
// resident is (routing, lengths of stay) and the GP appointment book, which is not a queue of
// people but of days.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/distribution.hpp"
#include "models/borough/spec.hpp"

namespace pitstop::models::borough {

/// The services of the scenario's `services:` section that the pathways drive, by role.
enum class Service : std::uint8_t {
  kCallHandling,
  kAmbulance,
  kCommunityResponse,
  kComplexCare,
  kAeMajors,
  kAeMinors,
  kBeds,
};
inline constexpr int kServices = 7;
inline constexpr std::array<const char*, kServices> kServiceNames = {
    "call_handling", "ambulance", "community_response", "complex_care", "ae_majors",
    "ae_minors",     "beds"};

/// What became of a 999 call.
enum class CallOutcome : std::uint8_t {
  kHearAndTreat,
  kCommunityResponse,
  kSeeAndTreat,
  kConveyedElsewhere,
  kConveyedAe,
};
inline constexpr int kCallOutcomes = 5;
inline constexpr std::array<const char*, kCallOutcomes> kCallOutcomeNames = {
    "hear_and_treat", "community_response", "see_and_treat", "conveyed_elsewhere", "conveyed_ae"};

/// What became of a GP consultation.
enum class GpOutcome : std::uint8_t {
  kResolved,
  kComplexCare,
  kCommunityResponse,
  kAe,
  kAdmission
};
inline constexpr int kGpOutcomes = 5;
inline constexpr std::array<const char*, kGpOutcomes> kGpOutcomeNames = {
    "resolved", "complex_care", "community_response", "ae", "admission"};

/// What became of a community response visit.
enum class VisitOutcome : std::uint8_t { kHome, kReablement, kCarePackage, kConveyed };
inline constexpr int kVisitOutcomes = 4;
inline constexpr std::array<const char*, kVisitOutcomes> kVisitOutcomeNames = {
    "home", "reablement", "care_package", "conveyed"};

/// How someone arrived at A&E.
enum class ArrivalMode : std::uint8_t { kAmbulance, kWalkIn };
inline constexpr int kArrivalModes = 2;
inline constexpr std::array<const char*, kArrivalModes> kArrivalModeNames = {"ambulance",
                                                                             "walk_in"};

/// Where an acute patient goes when ready to leave hospital. The supported destinations are
/// services (kDischargeServiceNames, in the same order from kHomecare on).
enum class Destination : std::uint8_t {
  kHome,
  kHomecare,
  kReablement,
  kIntermediateCare,
  kResidentialHome,
  kNursingHome,
  kDeath,
};
inline constexpr int kDestinations = 7;
inline constexpr std::array<const char*, kDestinations> kDestinationNames = {
    "home",         "homecare", "reablement", "intermediate_care", "residential_home",
    "nursing_home", "death"};
/// The discharge services (supported destinations), Destination::kHomecare + k.
inline constexpr int kDischargeServices = 5;
inline constexpr std::array<const char*, kDischargeServices> kDischargeServiceNames = {
    "homecare", "reablement", "intermediate_care", "residential_home", "nursing_home"};

/// The service where patients are assessed before a supported destination (keeps the bed).
inline constexpr const char* kAssessmentServiceName = "assessment";

/// Why a patient ready to leave still holds an acute bed: waiting for a place at one of the
/// discharge services (same order as kDischargeServiceNames), or for an assessor.
inline constexpr int kDelayReasons = kDischargeServices + 1;
inline constexpr int kAssessmentReason = kDischargeServices;
inline constexpr std::array<const char*, kDelayReasons> kDelayReasonNames = {
    "homecare",         "reablement",   "intermediate_care",
    "residential_home", "nursing_home", "assessment"};

/// How an emergency admission reached the bed pool.
enum class AdmissionRoute : std::uint8_t { kAmbulance, kWalkIn, kGp, kReablement };
inline constexpr int kAdmissionRoutes = 4;
inline constexpr std::array<const char*, kAdmissionRoutes> kAdmissionRouteNames = {
    "ambulance", "walk_in", "gp", "reablement"};

/// Who a delayed transfer is attributed to, as the national DTOC collection did.
enum class Responsibility : std::uint8_t { kNhs, kSocialCare, kBoth };
inline constexpr int kResponsibilities = 3;
inline constexpr std::array<const char*, kResponsibilities> kResponsibilityNames = {
    "nhs", "social_care", "both"};

/// What follows reablement.
enum class ReablementOutcome : std::uint8_t {
  kNoFurtherSupport,
  kHomecare,
  kCareHome,
  kReadmission
};
inline constexpr int kReablementOutcomes = 4;
inline constexpr std::array<const char*, kReablementOutcomes> kReablementOutcomeNames = {
    "no_further_support", "homecare", "care_home", "readmission"};

inline constexpr std::array<const char*, 7> kWeekdayNames = {"mon", "tue", "wed", "thu",
                                                             "fri", "sat", "sun"};

struct PathwaysSpec {
  struct Gp {
    std::array<double, 7> per_1000_by_weekday{};  // appointments per 1,000 residents, Mon … Sun
    std::array<double, 2> day_hours{8, 18};       // appointments are spread over these hours
    std::array<double, kGpOutcomes> outcomes{};   // shares, sum 1
    bool operator==(const Gp&) const = default;
  } gp;

  struct Ambulance {
    double hear_and_treat = 0;         // of calls, closed by the call handler
    std::array<double, 3> attended{};  // see & treat, conveyed elsewhere, conveyed to A&E
    engine::Distribution travel_to_ae_days = engine::Distribution::fixed(0);
    bool operator==(const Ambulance&) const = default;
  } ambulance;

  struct CommunityResponse {
    int min_age = 65;
    Frailty min_frailty = Frailty::kMild;
    double referral_share = 0;  // of eligible calls, passed to the team when it has room
    std::array<double, kVisitOutcomes> outcomes{};  // shares, sum 1
    bool operator==(const CommunityResponse&) const = default;
  } community_response;

  struct ComplexCare {
    RiskLevel min_risk = RiskLevel::kLevel2;
    std::array<double, kEventTypes> hazard_factor{1, 1, 1};  // while enrolled
    bool operator==(const ComplexCare&) const = default;
  } complex_care;

  struct Ae {
    BandValues admit{};  // share of attendances admitted, by age band
    bool operator==(const Ae&) const = default;
  } ae;

  struct Beds {
    std::vector<engine::Distribution> length_of_stay_days;  // by age band (kAgeBands entries)
    FrailtyValues frailty_factor{1, 1, 1, 1};               // multiplies the drawn stay
    bool operator==(const Beds&) const = default;
  } beds;

  /// Leaving hospital (optional: without it everyone leaves the bed pool for home).
  struct Discharge {
    std::array<std::array<double, kDestinations>, kAgeBands> destinations{};  // shares by band
    FrailtyValues support_factor{1, 1, 1, 1};  // scales the supported destinations' shares
    /// Who each reason's delayed days are attributed to: shares (NHS, social care, both).
    std::array<std::array<double, kResponsibilities>, kDelayReasons> responsible{};
    std::array<double, kReablementOutcomes> reablement_outcomes{};    // shares, sum 1
    std::array<std::int64_t, kDischargeServices> initial_occupied{};  // places taken at the start
    /// Share of patients bound for each supported destination assessed in their bed first (at
    /// the service `assessment`, which keeps the bed); empty shares = no assessment.
    std::array<double, kDischargeServices> assessed{};
    bool has_assessment = false;  // the `assessment` section was given
    /// For `after_days` after leaving hospital alive, demand hazards are multiplied by these.
    double after_days = 30;
    std::array<double, kEventTypes> after_hazard_factor{1, 1, 1};
    /// 65+ discharged into reablement are checked this many days later (ASCOF 2B(1): 91).
    double at_home_check_days = 91;
    bool operator==(const Discharge&) const = default;
  };
  std::optional<Discharge> discharge;
  bool operator==(const PathwaysSpec&) const = default;
};

}  // namespace pitstop::models::borough
