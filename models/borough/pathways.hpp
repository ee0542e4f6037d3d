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

inline constexpr std::array<const char*, 7> kWeekdayNames = {"mon", "tue", "wed", "thu",
                                                             "fri", "sat", "sun"};

struct PathwaysSpec {
  struct Gp {
    std::array<double, 7> per_1000_by_weekday{};  // appointments per 1,000 residents, Mon … Sun
    std::array<double, 2> day_hours{8, 18};       // appointments are spread over these hours
    std::array<double, kGpOutcomes> outcomes{};   // shares, sum 1
  } gp;

  struct Ambulance {
    double hear_and_treat = 0;         // of calls, closed by the call handler
    std::array<double, 3> attended{};  // see & treat, conveyed elsewhere, conveyed to A&E
    engine::Distribution travel_to_ae_days = engine::Distribution::fixed(0);
  } ambulance;

  struct CommunityResponse {
    int min_age = 65;
    Frailty min_frailty = Frailty::kMild;
    double referral_share = 0;  // of eligible calls, passed to the team when it has room
    std::array<double, kVisitOutcomes> outcomes{};  // shares, sum 1
  } community_response;

  struct ComplexCare {
    RiskLevel min_risk = RiskLevel::kLevel2;
    std::array<double, kEventTypes> hazard_factor{1, 1, 1};  // while enrolled
  } complex_care;

  struct Ae {
    BandValues admit{};  // share of attendances admitted, by age band
  } ae;

  struct Beds {
    std::vector<engine::Distribution> length_of_stay_days;  // by age band (kAgeBands entries)
  } beds;
};

}  // namespace pitstop::models::borough
