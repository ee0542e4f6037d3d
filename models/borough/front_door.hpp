// The borough's front door in motion: residents' demand (DemandSampler) arriving at GP, 999, A&E;
// the choices that depend on who the resident is; and the daily metrics. It is an
// engine::Policy: the engine's Network runs the services (queues, capacity by hour, blocking at
// handover and at the bed pool), this class decides who goes where and counts what happened.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine/network.hpp"
#include "engine/policy.hpp"
#include "engine/pool.hpp"
#include "engine/series.hpp"
#include "engine/slot_book.hpp"
#include "models/borough/demand.hpp"
#include "models/borough/pathways.hpp"
#include "models/borough/population.hpp"
#include "models/scenario.hpp"

namespace pitstop::models::borough {

/// Metric indices of borough_metrics(), in order.
enum BoroughMetric : std::size_t {
  kGpConsultations,
  kGpWaitDays,
  kAmbulanceCalls,
  kAmbulanceConveyances,
  kHandoverDelayHours,
  kCommunityResponseContacts,
  kComplexCareCaseload,
  kAeAttendances,
  kAe4hBreaches,
  kAeLeftUnseen,
  kEmergencyAdmissions,
  kPopulation,
  // Hospital and discharge.
  kBedsOccupied,
  kBedOccupancyRate,
  kTrolleyWaits,
  kDelayedTransferDays,
  kDelayedBedsPerDay,
  kDelayedDaysByResponsibility,
  kDischarges,
  kReablementStarts,
  kReadmissions30d,
  kCareHomeAdmissions,
  kAdmissionsByRoute,
  kCareHomeResidentAdmissions,
  kCareHomeResidents,
  kReablementChecks,
  kReablementAtHome,
  kAtHomeAfterReablement,
  kOlderDischarges,
  kBoroughMetricCount,
  // With `finance:` only, after the others.
  kActivityCost = kBoroughMetricCount,
  kSpend,
};

/// The schema of the borough's daily series. Breakdowns are by SDF first, then outcome, arrival
/// mode or age band: the breakdown is named by its parts joined with '_' ("sdf_mode_age_band")
/// and each label by its parts joined with '/' ("Hindley/ambulance/85+").
/// With `finance`, kActivityCost and kSpend follow (by activity; by "<fund>/<line>").
std::vector<engine::MetricDef> borough_metrics(const PopulationSpec& spec,
                                               const FinanceSpec* finance = nullptr);

/// Whether a metric is zero by construction without `pathways.discharge` (delays, reablement,
/// moves into care homes from hospital).
bool needs_discharge(BoroughMetric m);

/// One replicate of the borough's front door. Build, pass to an engine::Network as its Policy,
/// run the Network once, then take the series.
class FrontDoor : public engine::Policy {
 public:
  /// `sc` must have population, demand and pathways; `graph` is sc.network compiled.
  FrontDoor(const Scenario& sc, const engine::NetworkGraph& graph, std::uint32_t replicate);

  void start(engine::Network& net) override;
  void on_model_event(engine::Network& net, std::uint32_t kind, std::uint32_t target) override;
  std::size_t route(std::size_t node, std::uint64_t tag, engine::Stream& s) override;
  double duration(std::size_t node, std::uint64_t tag, engine::Stream& s) override;
  void on_move(engine::Network& net, std::uint64_t tag, std::size_t from, std::size_t to,
               engine::Time ready) override;
  void on_leave(engine::Network& net, std::uint64_t tag, std::size_t node, bool lost) override;
  /// Counts the delays still running at the horizon (patients blocked in their bed).
  void finish(engine::Network& net) override;

  engine::SeriesSet take_series() { return std::move(series_); }
  const Population& population() const { return population_; }
  /// Heap bytes of the residents, the sampler, the appointment books and the episodes.
  std::size_t bytes() const;
  /// Demand events drawn (GP, 999 and A&E), for throughput figures.
  std::uint64_t demand_events() const { return demand_count_; }

 private:
  enum ModelEvent : std::uint32_t {
    kDemand,
    kGpOutcomeDue,
    kYearlyStep,
    kDayEnd,
    kAfterDischargeEnds,  // target: resident
    kAtHomeCheck,         // target: resident
    kPitStop,             // target: index in Scenario::pit_stops
  };
  static constexpr std::size_t kNoService = ~std::size_t{0};
  static constexpr std::size_t kAssessmentRole = kServices + kDischargeServices;

  /// One resident's journey through the services, from one demand event or referral.
  struct Episode {
    ResidentId resident = 0;
    engine::Time ae_arrival = -1;  // at A&E's door; < 0 before
    std::uint64_t key = 0;         // keys the engine's draws for this episode
    ArrivalMode mode = ArrivalMode::kWalkIn;
    CallOutcome plan = CallOutcome::kSeeAndTreat;  // a crew's outcome, decided at dispatch
    bool from_999 = false;                         // a 999 call (else a GP referral)
    bool must_convey = false;                      // sent to a crew by the community response team
    bool needs_bed = false;                 // a GP's admission sent through A&E for want of a bed
    bool placeholder = false;               // someone already in a discharge service at the start
    bool from_gp = false;                   // a GP's referral (A&E or direct admission)
    bool readmitted = false;                // sent back to hospital from reablement
    Destination dest = Destination::kHome;  // where they leave hospital for
    bool assess = false;                    // to be assessed (in the bed) before going there
    bool assessed = false;                  // back in the bed after the assessment
  };
  /// A GP consultation whose outcome is due on its appointment day.
  struct GpReferral {
    ResidentId resident = 0;
    GpOutcome outcome = GpOutcome::kResolved;
    std::uint64_t key = 0;
  };

  // Demand.
  void draw_next_demand(engine::Time from);
  void on_demand(const DemandEvent& ev);
  void on_gp_consultation(const DemandEvent& ev);
  void on_gp_outcome(std::uint32_t slot);
  void on_yearly_step();
  void on_day_end(long day);
  void set_gp_capacity(std::size_t from_day);
  void set_peak_hours();  // thinning to each event type's hour-of-day shape (demand_)
  /// The hazard factors of complex care, of the days after discharge, and of both.
  static std::array<EventFactors, 3> modifier_factors(const PathwaysSpec& pw);
  void on_pit_stop(const PitStopSpecs& p);
  // Episodes.
  std::uint32_t new_episode(ResidentId r, std::uint64_t key);
  void end_episode(std::uint32_t id) { episodes_.release(id); }
  void inject(std::size_t service, std::uint32_t episode);
  void arrive_at_ae(std::uint32_t episode, ArrivalMode mode, engine::Time at);
  void leave_ae(const Episode& ep);
  // Hospital and discharge.
  Destination choose_destination(const Episode& ep, engine::Stream& s) const;
  void leave_bed(Episode& ep);
  void count_delay(std::size_t sdf, std::size_t reason, engine::Time from, engine::Time to);
  void move_to_care_home(const Episode& ep);
  void enter_discharge_service(std::uint32_t id, std::size_t service);
  std::size_t discharge_role(std::size_t node) const;  // 0 … kDischargeServices − 1, or kNoService
  bool is_assessment(std::size_t node) const { return role_[node] == kAssessmentRole; }
  // Hazards: complex care's and after discharge's modifiers combine.
  void set_hazards(ResidentId r, bool enrolled, bool after_discharge);
  // (after_ and enrolled_after_ are 0, "no modifier", without `pathways.discharge`.)
  bool enrolled(ResidentId r) const {
    const ModifierId m = sampler_.modifier(r);
    return m == enrolled_ || (enrolled_after_ != 0 && m == enrolled_after_);
  }
  bool after_discharge(ResidentId r) const {
    const ModifierId m = sampler_.modifier(r);
    return after_ != 0 && (m == after_ || m == enrolled_after_);
  }
  void on_at_home_check(ResidentId r);
  void count_care_home_residents();
  void size_per_resident();  // last_leave_ and away_ to the residents' ids
  void fill_ratios();
  void fill_costs();  // activity-based cost and spend, from the day's counts and levels
  // Counting.
  double& at(BoroughMetric m, engine::Time t, std::size_t b);
  std::size_t sdf(const Episode& ep) const {
    return static_cast<std::size_t>(population_.sdf(ep.resident));
  }

  const Scenario& sc_;
  // In force now: the scenario's own, or a pit stop's from its date on.
  const PathwaysSpec* pw_;
  const DemandSpec* demand_;
  const engine::NetworkGraph& graph_;
  std::uint32_t replicate_;
  std::array<std::size_t, kServices> node_{};  // network index of each role
  std::vector<std::size_t> role_;  // per network index: a Service, kServices + a discharge
                                   // service, or kNoService
  Population population_;
  DemandSampler sampler_;
  engine::Stream thinning_;  // keeps demand events by their hour's weight
  // A GP consultation's time of day and outcome, drawn in the order of the consultations: as
  // common between two runs as the demand sequence itself (a per-consultation key would not
  // help once the demand sequences differ), and a Philox key setup fewer per consultation.
  engine::Stream gp_stream_;
  std::array<double, kEventTypes> peak_hour_{};  // largest hour_of_day weight (1 = flat)
  ModifierId enrolled_ = 0;                      // in complex care
  ModifierId after_ = 0;                         // recently out of hospital
  ModifierId enrolled_after_ = 0;                // both
  engine::Network* net_ = nullptr;
  // Demand in flight: exactly one event scheduled; a newer generation supersedes it.
  DemandEvent pending_;
  std::uint32_t generation_ = 0;
  std::uint64_t demand_count_ = 0;
  std::vector<engine::SlotBook> gp_books_;  // by SDF
  std::vector<engine::Time> year_steps_;
  std::size_t next_year_ = 0;
  engine::Pool<Episode> episodes_;
  engine::Pool<GpReferral> referrals_;
  // Levels recorded at each day's end.
  std::vector<std::int64_t> caseload_;         // by SDF
  std::vector<BandCounts> population_counts_;  // by SDF, refreshed each year
  std::vector<engine::MetricDef> defs_;
  engine::SeriesSet series_;
  double sink_ = 0;  // where counts at the horizon itself go
  // Hospital: discharge services' network indices (kNoService without `pathways.discharge`),
  // beds held by emergency patients by SDF; per resident, when they last left hospital (< 0:
  // never) and how many acute or intermediate-care beds they are in now (for the 91-day check).
  std::array<std::size_t, kDischargeServices> discharge_node_{};
  std::size_t assessment_node_ = kNoService;
  std::vector<std::int64_t> beds_by_sdf_;
  std::vector<float> last_leave_;
  std::vector<std::uint8_t> away_;
  std::vector<std::int64_t> care_home_residents_;  // by SDF, living residents in a care home
  // Places in use in each discharge service at each day's end (for their day and week costs).
  std::vector<std::array<double, kDischargeServices>> places_in_use_;
  long last_day_recorded_ = -1;
};

}  // namespace pitstop::models::borough
