// The borough's synthetic residents, in structure-of-arrays form (four bytes each, no heap object
// per resident): synthesised per replicate from the PopulationSpec and stepped a year at a time
// (deaths, ageing, frailty/risk/LTC/setting transitions, births, net migration to projections).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/rng.hpp"
#include "engine/time.hpp"
#include "models/borough/spec.hpp"
#include "models/date.hpp"

namespace pitstop::models::borough {

/// A resident's dense id: an index into the arrays. Ids are never reused within a run, so an id
/// held by a pathway keeps naming the same person (check alive()).
using ResidentId = std::uint32_t;

/// Random-stream purposes of the borough model, numbered from engine::Purpose::kFirstModelPurpose.
enum class BoroughPurpose : std::uint32_t {
  kSynthesis = 0,   // who the residents are at the start (entity = SDF)
  kYearlyStep = 1,  // one resident's fate in one year (entity = resident, sub = year)
  kMigration = 2,   // births and who migrates (entity = year)
  kDemand = 3,      // the demand sampler
};
inline engine::Purpose purpose(BoroughPurpose p) {
  return static_cast<engine::Purpose>(
      static_cast<std::uint32_t>(engine::Purpose::kFirstModelPurpose) +
      static_cast<std::uint32_t>(p));
}

/// Probability of at least one event within a year at `rate` per year.
inline double chance_in_year(double rate) {
  return -std::expm1(-rate);
}

/// Living residents of one SDF by age band.
using BandCounts = std::array<std::int64_t, kAgeBands>;

/// What one yearly step did.
struct YearReport {
  int year = 0;
  std::int64_t deaths = 0, births = 0, care_home_entries = 0, risk_step_ups = 0;
  BandCounts net_migration{};  // by band: immigrants minus emigrants
};

/// The residents of the borough: attributes by resident id, plus the rates frozen at the start.
class Population {
 public:
  /// Synthesises the start population for one replicate; `start_year` is the calendar year of
  /// the scenario's start (the year the projections' first step is measured against).
  Population(const PopulationSpec& spec, int start_year, std::uint64_t seed,
             std::uint64_t replicate);

  /// Advances one year (to the next anniversary of the start): deaths, ageing, transitions,
  /// births, then net migration so that the projected counts for the new year are met.
  YearReport step_year();

  int year() const { return year_; }
  const PopulationSpec& spec() const { return spec_; }
  /// Ids in use so far, living or not: every id is below this.
  std::size_t slots() const { return sdf_.size(); }
  std::int64_t alive_count() const { return alive_; }

  bool alive(ResidentId i) const { return (flags_[i] & kAlive) != 0; }
  int sdf(ResidentId i) const { return sdf_[i]; }
  int age(ResidentId i) const { return age_[i]; }
  AgeBand band(ResidentId i) const { return band_of(age_[i]); }
  Sex sex(ResidentId i) const { return static_cast<Sex>(traits_[i] & 1u); }
  RiskLevel risk(ResidentId i) const { return static_cast<RiskLevel>((traits_[i] >> 1) & 3u); }
  Frailty frailty(ResidentId i) const { return static_cast<Frailty>((traits_[i] >> 3) & 3u); }
  int ltc(ResidentId i) const { return (traits_[i] >> 5) & 3; }
  Setting setting(ResidentId i) const { return static_cast<Setting>(traits_[i] >> 7); }

  // Changes made by pathways (tell the DemandSampler with update() afterwards).
  void set_risk(ResidentId i, RiskLevel r) { set_bits(i, 1, 3u, static_cast<unsigned>(r)); }
  void set_frailty(ResidentId i, Frailty f) { set_bits(i, 3, 3u, static_cast<unsigned>(f)); }
  void set_ltc(ResidentId i, int n) { set_bits(i, 5, 3u, static_cast<unsigned>(n)); }
  void set_setting(ResidentId i, Setting s) { set_bits(i, 7, 1u, static_cast<unsigned>(s)); }
  /// The resident dies (e.g. in hospital) between yearly steps.
  void die(ResidentId i);

  /// Living residents by SDF (outer, in spec order) and age band.
  std::vector<BandCounts> counts() const;
  /// Living residents aged `min_age` or over.
  std::int64_t count_aged(int min_age) const;
  /// Living residents by SDF at each risk level (index 0 = none).
  std::vector<std::array<std::int64_t, kRiskLevels>> risk_counts() const;
  /// Living residents in care homes.
  std::int64_t care_home_count() const;

  /// The projected count of residents aged `min_age`+ (0, 65, 75 or 85) in `year`, if targeted.
  std::optional<double> target(int min_age, int year) const;

  /// The weight by which residents are drawn into the risk levels (at the start) and step up a
  /// level (each year): age weight (log-linear in single years) × frailty weight × LTC weight.
  double risk_weight(ResidentId i) const {
    return risk_age_weight_[age_[i]] *
           spec_.risk.frailty_weight[static_cast<std::size_t>(frailty(i))] *
           spec_.risk.ltc_weight[static_cast<std::size_t>(ltc(i))];
  }

  /// Heap bytes held (capacity of every per-resident array).
  std::size_t bytes() const;

  /// Frozen at the start: per-year death hazard of a fit own-home resident, by band.
  const BandValues& mortality_base() const { return mortality_base_; }
  /// Each band's mix of risk levels at the start (shares of none, Level 1, 2, 3), kept each year.
  const std::array<std::array<double, kRiskLevels>, kAgeBands>& risk_mix() const {
    return risk_share_;
  }

 private:
  static constexpr std::uint8_t kAlive = 1;

  void set_bits(ResidentId i, unsigned shift, unsigned mask, unsigned value) {
    traits_[i] = static_cast<std::uint8_t>((traits_[i] & ~(mask << shift)) | (value << shift));
  }
  ResidentId add(int sdf, int age, std::uint8_t traits);
  // Synthesis (synthesis.cpp).
  void synthesise_sdf(int sdf, engine::Stream& s);
  void order_by_age(const std::vector<ResidentId>& ids, engine::Stream& s);
  void assign_care_homes(const std::vector<ResidentId>& ids, engine::Stream& s);
  void assign_risk(int sdf, const std::vector<ResidentId>& ids, engine::Stream& s);
  void freeze_rates();
  // The yearly step (population.cpp, transitions.cpp).
  bool live_one_year(ResidentId i, YearReport& report);  // transitions.cpp
  void fill_risk_levels(ResidentId existing, YearReport& report);
  void add_births(YearReport& report, engine::Stream& s);
  void migrate(YearReport& report, engine::Stream& s);

  PopulationSpec spec_;
  int year_;
  std::uint64_t seed_, replicate_;
  std::int64_t alive_ = 0;
  // One entry per resident id.
  std::vector<std::uint8_t> sdf_, age_;
  std::vector<std::uint8_t> traits_;  // sex:1 | risk:2 | frailty:2 | ltc:2 | setting:1
  std::vector<std::uint8_t> flags_;   // kAlive
  // Rates frozen at the start (see docs/calibration.md).
  BandValues mortality_base_{}, care_entry_base_{};
  std::array<std::array<double, kRiskLevels>, kAgeBands> risk_share_{};  // start mix by band
  std::array<double, 256> risk_age_weight_{};                            // by single year of age
};

/// Packs the attributes of a resident into the traits byte.
std::uint8_t pack_traits(Sex sex, RiskLevel risk, Frailty frailty, int ltc, Setting setting);

/// The same spec for a borough `factor` times the size (people, strata and projections scaled,
/// rounded): for tests and quick runs.
PopulationSpec scaled(const PopulationSpec& spec, double factor);

/// The times (days since `start`) of the yearly steps within (0, horizon_days): each
/// anniversary of the start date (29 February steps on 28 February in other years).
std::vector<engine::Time> yearly_step_times(Date start, engine::Time horizon_days);

}  // namespace pitstop::models::borough
