// Step functions of time: a value that changes on dated steps and, within a period, may follow a
// weekly rota. Capacity schedules, arrival rates and (later) pit stops all use this one mechanism.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "engine/time.hpp"

namespace pitstop::engine {

/// One step of a weekly rota: from `day` (0 = Monday) at `hour`, the value is `value`.
struct WeeklyStep {
  int day = 0;
  double hour = 0;
  double value = 0;
};

/// From `from` on, the value is `constant`, or follows `rota` when the rota is not empty.
struct SchedulePeriod {
  Time from = 0;
  double constant = 0;
  std::vector<WeeklyStep> rota;  // sorted by (day, hour) once built
};

/// A piecewise-constant function of time built from periods (sorted by `from`).
class StepSchedule {
 public:
  StepSchedule() = default;
  /// A value that never changes.
  explicit StepSchedule(double constant) : StepSchedule({SchedulePeriod{0, constant, {}}}, 0) {}
  /// Periods must be sorted by `from` (checked); the first must start at or before 0.
  /// `start_weekday` is the weekday of day 0 (0 = Monday). Throws SpecError on an empty list or a
  /// rota step out of range.
  StepSchedule(std::vector<SchedulePeriod> periods, int start_weekday);

  double value_at(Time t) const;
  /// The first time strictly after t at which the value may change, or kNever.
  Time next_change_after(Time t) const;
  /// The largest value the function takes at or after time 0.
  double max_value() const;
  /// The time average over [t0, t1] (exact, by integrating the steps).
  double average(Time t0, Time t1) const;
  bool is_constant() const;
  /// The same function with `delta` added to every value from time `from` on (a new period
  /// starts at `from` if none does; a rota keeps its shape). Throws SpecError if a value would
  /// fall below 0.
  StepSchedule plus_from(Time from, double delta) const;
  /// This function before `from` and `later` from `from` on (a dated change of the whole
  /// schedule, e.g. a pit stop). No new step is made at `from` when nothing changes there.
  StepSchedule spliced(Time from, const StepSchedule& later) const;
  /// The end of the period in force at t (the next period's `from`, or kNever), and the largest
  /// value within that period (from t on) and whether the value is constant there.
  struct Stretch {
    Time end = kNever;
    double max = 0;
    bool constant = true;
  };
  Stretch stretch_at(Time t) const;

 private:
  /// A period's rota ready for lookups: step offsets in days from Monday 00:00 (sorted), their
  /// values, the rota's integral from Monday 00:00 to each step, and its extremes.
  struct Rota {
    std::vector<double> at, value, prefix;
    double week_integral = 0, min = 0, max = 0;
  };
  const SchedulePeriod& period_at(Time t) const;
  std::size_t period_index(Time t) const;
  Time period_end(std::size_t i) const;
  double rota_value(const Rota& r, Time t) const;
  Time rota_next_step(const Rota& r, Time t) const;
  double rota_integral(const Rota& r, Time t0, Time t1) const;

  std::vector<SchedulePeriod> periods_;
  std::vector<Rota> rotas_;  // one per period; empty `at` for a constant period
  int start_weekday_ = 0;
};

/// A source's arrival rate in events per day: a dated step schedule of the daily mean, times
/// hour-of-day and day-of-week multipliers (each normalised to mean 1, so the daily mean holds).
class RateProfile {
 public:
  RateProfile() = default;
  RateProfile(StepSchedule daily_rate, std::array<double, 24> hour_weights,
              std::array<double, 7> day_weights, int start_weekday);
  explicit RateProfile(double rate_per_day);

  double rate_at(Time t) const;
  /// An upper bound on rate_at over all time (used for thinning).
  double max_rate() const { return max_rate_; }
  bool is_constant() const { return constant_; }
  /// Expected number of events in [t0, t1] (exact integral of rate_at).
  double expected_count(Time t0, Time t1) const;
  const StepSchedule& daily_rate() const { return daily_; }
  /// The same hour and day shape with another daily rate (e.g. spliced at a pit stop).
  RateProfile with_daily_rate(StepSchedule daily) const {
    return RateProfile(std::move(daily), hour_, day_, start_weekday_);
  }
  /// Whether two profiles have the same hour-of-day and day-of-week shape.
  bool same_shape(const RateProfile& o) const { return hour_ == o.hour_ && day_ == o.day_; }
  /// The stretch of the daily rate in force at t: its end, an upper bound on rate_at in it and
  /// whether rate_at is constant there (a flat shape and a constant daily rate).
  StepSchedule::Stretch stretch_at(Time t) const;

 private:
  /// Integral over [t0, t1] of the normalised hour × day multiplier alone.
  double weight_integral(Time t0, Time t1) const;

  StepSchedule daily_;
  std::array<double, 24> hour_{};          // normalised to mean 1
  std::array<double, 7> day_{};            // normalised to mean 1
  std::array<double, 168> slot_{};         // hour_ × day_ by (weekday × 24 + hour)
  std::array<double, 169> slot_prefix_{};  // integral of slot_ from Monday 00:00, in days
  int start_weekday_ = 0;
  double max_rate_ = 0;
  double shape_max_ = 1;  // the largest hour × day multiplier
  bool flat_ = true;      // every hour × day multiplier is 1
  bool constant_ = true;
};

}  // namespace pitstop::engine
