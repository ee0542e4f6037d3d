// Streaming statistics: time-weighted levels (for utilisation and Little's law) and intervals
// across replicates.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/time.hpp"

namespace pitstop::engine {

/// The integral of a piecewise-constant level over time.
struct TimeWeighted {
  double area = 0;
  double level = 0;
  Time last = 0;

  void advance(Time t) {
    area += level * (t - last);
    last = t;
  }
  void reset(Time t) {
    area = 0;
    last = t;
  }
};

/// A mean with a two-sided confidence interval [lo, hi].
struct Interval {
  double mean = 0;
  double lo = 0;
  double hi = 0;
};

/// Mean and Student-t interval (default 95%) of independent replicate values. With one value
/// the interval collapses to the value; NaNs are skipped (a statistic undefined in a replicate).
Interval mean_interval(const std::vector<double>& values, double confidence = 0.95);

/// The q-quantile (0..1) by linear interpolation between order statistics (type 7).
double percentile(std::vector<double> values, double q);

/// The two-sided Student-t critical value for n-1 degrees of freedom.
double t_critical(std::size_t n, double confidence = 0.95);

}  // namespace pitstop::engine
