#include "engine/stats.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace pitstop::engine {

double t_critical(std::size_t n, double confidence) {
  if (n < 2) return 0;
  boost::math::students_t dist(static_cast<double>(n - 1));
  return boost::math::quantile(dist, 0.5 + confidence / 2);
}

Interval mean_interval(const std::vector<double>& values, double confidence) {
  std::vector<double> v;
  v.reserve(values.size());
  for (double x : values) {
    if (!std::isnan(x)) v.push_back(x);
  }
  if (v.empty()) {
    double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, nan};
  }
  double sum = 0;
  for (double x : v)
    sum += x;
  const double n = static_cast<double>(v.size());
  const double mean = sum / n;
  if (v.size() < 2) return {mean, mean, mean};
  double ss = 0;
  for (double x : v)
    ss += (x - mean) * (x - mean);
  const double se = std::sqrt(ss / (n - 1) / n);
  const double h = t_critical(v.size(), confidence) * se;
  return {mean, mean - h, mean + h};
}

double percentile(std::vector<double> values, double q) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double x) { return std::isnan(x); }),
               values.end());
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return values[lo] + frac * (values[hi] - values[lo]);
}

}  // namespace pitstop::engine
