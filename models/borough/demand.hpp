// Demand without daily ticks: every resident's hazards, grouped into strata of residents with the
// same hazards (age band × risk × frailty × setting × modifier), sampled as superposed Poisson
// streams. The sampler only returns times; the caller schedules them on its Simulator.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine/rng.hpp"
#include "engine/time.hpp"
#include "models/borough/population.hpp"
#include "models/borough/spec.hpp"

namespace pitstop::models::borough {

/// One demand event: when, who and what.
struct DemandEvent {
  engine::Time time = engine::kNever;
  ResidentId resident = 0;
  EventType type = EventType::kGpConsultation;
};

/// A per-resident change of hazards (e.g. while enrolled in complex care): factors by event
/// type. Modifier 0 is "none" (all factors 1).
using ModifierId = std::uint8_t;
using EventFactors = std::array<double, kEventTypes>;

/// Samples the next demand event of the whole borough. Exact for rates that are constant
/// between changes: after any change (update, set_modifier, rebuild, set_multiplier) draw again
/// from the time of the change — by memorylessness the redrawn event is exact, and version()
/// tells a caller that a scheduled event was drawn under old rates.
class DemandSampler {
 public:
  static constexpr int kMaxModifiers = 16;
  static constexpr double kDaysPerYear = 365.25;

  /// Builds the strata from `population` (normally the start population) and fixes the base
  /// rates so that each band's average hazard over these residents is the configured rate.
  DemandSampler(const DemandSpec& spec, const Population& population, engine::Stream stream);

  /// The next event after `now` under the current rates (time kNever when all rates are 0).
  /// The resident and type are drawn now, from the current strata.
  DemandEvent next_event(engine::Time now);

  /// Re-reads every resident (after Population::step_year): new residents join with no modifier,
  /// modifiers of the others are kept, the dead leave.
  void rebuild(const Population& population);
  /// Re-reads one resident after a pathway changed them (risk, frailty, setting, death).
  void update(ResidentId i, const Population& population);

  /// Registers a modifier; returns its id (1 … kMaxModifiers − 1).
  ModifierId add_modifier(const EventFactors& factors);
  /// Gives a living resident a modifier (0 removes it).
  void set_modifier(ResidentId i, ModifierId m);
  ModifierId modifier(ResidentId i) const { return i < modifier_.size() ? modifier_[i] : 0; }

  /// Changes the scenario multiplier of one event type.
  void set_multiplier(EventType e, double multiplier);
  /// New hazards from a date on (a pit stop): base rates refitted to the start population as at
  /// construction, multipliers from `spec` (set_multiplier again for any of one's own).
  void set_spec(const DemandSpec& spec);
  /// Changes the factors of a registered modifier (for everyone who has it).
  void set_modifier_factors(ModifierId m, const EventFactors& factors);

  /// Current hazard of one resident, per person-year (0 when not alive).
  double hazard(ResidentId i, EventType e) const;
  /// Current total rate of all residents, per year.
  double total_rate() const { return tree_[1]; }
  /// Total rate of one event type, per year.
  double rate(EventType e) const;
  /// Base rate (fit, no risk, own home, no modifier) of a band, per person-year.
  double base_rate(AgeBand b, EventType e) const;
  /// Counts every change of rates or members.
  std::uint64_t version() const { return version_; }
  /// Heap bytes held (per-resident arrays, member lists and the tree).
  std::size_t bytes() const;

 private:
  static constexpr std::uint16_t kAbsent = 0xFFFF;
  static constexpr int kStrataPerModifier = kAgeBands * kRiskLevels * kFrailtyLevels * kSettings;

  int stratum_of(ResidentId i, const Population& p, ModifierId m) const;
  void insert(ResidentId i, int stratum);
  void remove(ResidentId i);
  void refresh_rates(int stratum);  // rate_ of a stratum from the spec and modifiers
  void refresh_leaf(int stratum);   // the tree above a stratum's leaf
  void rebuild_tree();
  void fit_base_rates();  // base_ from spec_ and start_counts_
  void refresh_all();     // every stratum's rates, then the tree

  DemandSpec spec_;
  engine::Stream stream_;
  std::array<std::array<double, kEventTypes>, kAgeBands> base_{};  // per person-year
  std::array<double, kEventTypes> multiplier_{};
  std::vector<double> start_counts_;  // the start population by stratum (modifier 0)
  std::vector<EventFactors> modifiers_;
  // Per resident id.
  std::vector<std::uint16_t> stratum_;  // kAbsent when not in any stratum
  std::vector<std::uint32_t> slot_;     // index in members_[stratum_]
  std::vector<ModifierId> modifier_;
  // Per stratum.
  std::vector<std::vector<ResidentId>> members_;
  std::vector<EventFactors> rate_;  // per person-year, by event type
  // Sum tree over strata of members × total rate (leaves from leaves_ on; tree_[1] = total).
  std::size_t leaves_ = 1;
  std::vector<double> tree_;
  std::uint64_t version_ = 0;
};

}  // namespace pitstop::models::borough
