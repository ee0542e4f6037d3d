// Simulation time: days since the scenario's start, as a double.
#pragma once

#include <cmath>
#include <limits>

namespace pitstop::engine {

/// Simulation time in days since the scenario's start (midnight of the start date).
using Time = double;

inline constexpr Time kNever = std::numeric_limits<double>::infinity();
inline constexpr double kHoursPerDay = 24.0;
inline constexpr int kDaysPerWeek = 7;

/// Day of the week (0 = Monday … 6 = Sunday) at time t, given the weekday of day 0.
inline int weekday_at(Time t, int start_weekday) {
  const long day = static_cast<long>(std::floor(t));
  const long w = (day + start_weekday) % kDaysPerWeek;
  return static_cast<int>(w < 0 ? w + kDaysPerWeek : w);
}

}  // namespace pitstop::engine
