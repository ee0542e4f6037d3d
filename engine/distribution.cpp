// Distributions: parameter checks, closed-form moments and samplers written over Stream.
//
// Parameters held in a_ and b_ by kind:
//   exponential  a_ = mean
//   lognormal    a_ = mu, b_ = sigma of the underlying normal (from mean and sd)
//   gamma        a_ = shape k = mean²/sd², b_ = scale θ = sd²/mean
//   weibull      a_ = shape k, b_ = scale λ
//   fixed        a_ = value
//   empirical    values_ and cumulative_ (running sums of the weights); a_ = total weight
#include "engine/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "engine/error.hpp"

namespace pitstop::engine {

namespace {

// Formats a number the way describe() and error messages show it (%g: 6 significant digits).
std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

// Parameter checks: each throws SpecError with an empty key path (the loader adds it).
[[noreturn]] void reject(const std::string& dist, const std::string& what) {
  throw SpecError("", dist + ": " + what);
}

void require_positive(const char* dist, const char* name, double x) {
  if (!(std::isfinite(x) && x > 0)) reject(dist, std::string(name) + " must be > 0, got " + num(x));
}

void require_non_negative(const char* dist, const char* name, double x) {
  if (!(std::isfinite(x) && x >= 0)) {
    reject(dist, std::string(name) + " must be >= 0, got " + num(x));
  }
}

// A continuous draw that underflowed to 0 becomes the smallest positive double, so that
// can_be_zero() stays truthful for the continuous kinds.
double positive(double x) {
  return x > 0 ? x : std::numeric_limits<double>::denorm_min();
}

// Marsaglia & Tsang (2000), "A simple method for generating gamma variables", for shape >= 1;
// returns a Gamma(shape, 1) draw.
double gamma_unit_shape_ge1(double shape, Stream& s) {
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double x = standard_normal(s);
    double v = 1.0 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const double u = s.uniform();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

// Shorter lists in describe(): at most this many values/weights are printed.
constexpr std::size_t kDescribeItems = 8;

std::string list(const std::vector<double>& xs) {
  std::string out = "[";
  for (std::size_t i = 0; i < xs.size() && i < kDescribeItems; ++i) {
    if (i > 0) out += ", ";
    out += num(xs[i]);
  }
  if (xs.size() > kDescribeItems) out += ", ... (" + std::to_string(xs.size()) + " in all)";
  return out + "]";
}

}  // namespace

// ---- factories: validate, store parameters and exact moments --------------------------------

Distribution Distribution::exponential(double mean) {
  require_positive("exponential", "mean", mean);
  return Distribution(Kind::kExponential, mean, 0, mean, mean * mean);
}

Distribution Distribution::lognormal(double mean, double sd) {
  require_positive("lognormal", "mean", mean);
  require_non_negative("lognormal", "sd", sd);
  const double ratio = sd / mean;
  const double sigma2 = std::log1p(ratio * ratio);  // σ² = ln(1 + sd²/mean²)
  if (!std::isfinite(sigma2) || !std::isfinite(sd * sd)) {
    reject("lognormal", "sd " + num(sd) + " is too large for mean " + num(mean));
  }
  // μ = ln(mean) − σ²/2 so that E[X] = exp(μ + σ²/2) = mean.
  return Distribution(Kind::kLognormal, std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2), mean,
                      sd * sd);
}

Distribution Distribution::gamma(double mean, double sd) {
  require_positive("gamma", "mean", mean);
  require_positive("gamma", "sd", sd);
  const double shape = (mean / sd) * (mean / sd);
  const double scale = (sd / mean) * sd;
  if (!(std::isfinite(shape) && shape > 0 && std::isfinite(scale) && scale > 0 &&
        std::isfinite(sd * sd))) {
    reject("gamma", "mean " + num(mean) + " and sd " + num(sd) + " give no usable shape/scale");
  }
  return Distribution(Kind::kGamma, shape, scale, mean, sd * sd);
}

Distribution Distribution::weibull(double shape, double scale) {
  require_positive("weibull", "shape", shape);
  require_positive("weibull", "scale", scale);
  const double g1 = std::tgamma(1.0 + 1.0 / shape);
  const double g2 = std::tgamma(1.0 + 2.0 / shape);
  const double mean = scale * g1;
  const double var = scale * scale * std::max(0.0, g2 - g1 * g1);
  if (!std::isfinite(mean) || !std::isfinite(var)) {
    reject("weibull", "shape " + num(shape) + " with scale " + num(scale) +
                          " gives an infinite mean or variance");
  }
  return Distribution(Kind::kWeibull, shape, scale, mean, var);
}

Distribution Distribution::fixed(double value) {
  require_non_negative("fixed", "value", value);
  return Distribution(Kind::kFixed, value, 0, value, 0);
}

Distribution Distribution::empirical(std::vector<double> values, std::vector<double> weights) {
  if (values.empty()) reject("empirical", "values must not be empty");
  if (values.size() != weights.size()) {
    reject("empirical", "values and weights must have the same length, got " +
                            std::to_string(values.size()) + " values and " +
                            std::to_string(weights.size()) + " weights");
  }
  std::vector<double> cumulative(weights.size());
  double total = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    require_non_negative("empirical", ("values" + at).c_str(), values[i]);
    require_non_negative("empirical", ("weights" + at).c_str(), weights[i]);
    total += weights[i];
    cumulative[i] = total;
  }
  if (!(total > 0 && std::isfinite(total))) {
    reject("empirical", "weights must have a positive, finite sum, got " + num(total));
  }
  double mean = 0;
  for (std::size_t i = 0; i < values.size(); ++i)
    mean += weights[i] / total * values[i];
  double var = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    var += weights[i] / total * (values[i] - mean) * (values[i] - mean);
  }
  Distribution d(Kind::kEmpirical, total, 0, mean, var);
  d.values_ = std::move(values);
  d.cumulative_ = std::move(cumulative);
  return d;
}

// ---- moments and description ------------------------------------------------------------------

double Distribution::mean() const {
  return mean_;
}
double Distribution::variance() const {
  return var_;
}

bool Distribution::can_be_zero() const {
  switch (kind_) {
    case Kind::kFixed:
      return a_ == 0;
    case Kind::kEmpirical:
      for (std::size_t i = 0; i < values_.size(); ++i) {
        const double w = cumulative_[i] - (i == 0 ? 0.0 : cumulative_[i - 1]);
        if (values_[i] == 0 && w > 0) return true;
      }
      return false;
    default:
      return false;  // continuous draws are kept > 0 (see positive())
  }
}

std::string Distribution::describe() const {
  switch (kind_) {
    case Kind::kExponential:
      return "exponential(mean=" + num(mean_) + ")";
    case Kind::kLognormal:
      return "lognormal(mean=" + num(mean_) + ", sd=" + num(std::sqrt(var_)) + ")";
    case Kind::kGamma:
      return "gamma(mean=" + num(mean_) + ", sd=" + num(std::sqrt(var_)) + ")";
    case Kind::kWeibull:
      return "weibull(shape=" + num(a_) + ", scale=" + num(b_) + ")";
    case Kind::kFixed:
      return "fixed(value=" + num(a_) + ")";
    case Kind::kEmpirical: {
      std::vector<double> weights(cumulative_.size());
      for (std::size_t i = 0; i < weights.size(); ++i) {
        weights[i] = cumulative_[i] - (i == 0 ? 0.0 : cumulative_[i - 1]);
      }
      return "empirical(values=" + list(values_) + ", weights=" + list(weights) + ")";
    }
  }
  return "unknown";
}

// ---- samplers ---------------------------------------------------------------------------------

double Distribution::sample(Stream& s) const {
  switch (kind_) {
    case Kind::kExponential:
      return positive(-a_ * std::log(s.uniform()));
    case Kind::kLognormal:
      if (b_ == 0) return mean_;  // sd = 0: degenerate at the mean, exactly
      return positive(std::exp(a_ + b_ * standard_normal(s)));
    case Kind::kGamma: {
      if (a_ >= 1) return positive(b_ * gamma_unit_shape_ge1(a_, s));
      // Shape < 1: Gamma(k) = Gamma(k + 1) · U^(1/k) (Marsaglia & Tsang, section 6), in logs.
      const double g = gamma_unit_shape_ge1(a_ + 1.0, s);
      const double u = s.uniform();
      return positive(std::exp(std::log(b_ * g) + std::log(u) / a_));
    }
    case Kind::kWeibull:
      // Inverse CDF: F(x) = 1 − exp(−(x/λ)^k), with U in place of 1 − U.
      return positive(b_ * std::pow(-std::log(s.uniform()), 1.0 / a_));
    case Kind::kFixed:
      return a_;
    case Kind::kEmpirical: {
      const double u = s.uniform() * a_;
      auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
      std::size_t i = static_cast<std::size_t>(it - cumulative_.begin());
      if (i == cumulative_.size()) {
        // u rounded up to the total: take the last value of positive weight.
        i = cumulative_.size() - 1;
        while (i > 0 && cumulative_[i] == cumulative_[i - 1])
          --i;
      }
      return values_[i];
    }
  }
  return 0;
}

double Distribution::sample_residual(Stream& s) const {
  double biased = 0;  // a draw of the length-biased distribution, density x f(x) / mean
  switch (kind_) {
    case Kind::kExponential:
      return sample(s);  // memoryless: the time left is distributed as a whole service
    case Kind::kLognormal:
      // Length-biased lognormal(μ, σ) is lognormal(μ + σ², σ).
      biased = b_ == 0 ? mean_ : std::exp(a_ + b_ * b_ + b_ * standard_normal(s));
      break;
    case Kind::kGamma:
      // Length-biased gamma(k, θ) is gamma(k + 1, θ).
      biased = b_ * gamma_unit_shape_ge1(a_ + 1.0, s);
      break;
    case Kind::kWeibull:
      // (X/λ)^k is Exp(1); length-biasing X makes it Gamma(1 + 1/k, 1).
      biased = b_ * std::pow(gamma_unit_shape_ge1(1.0 + 1.0 / a_, s), 1.0 / a_);
      break;
    case Kind::kFixed:
      biased = a_;
      break;
    case Kind::kEmpirical: {
      // Weights × values, summed as we go (rare: only for the places taken at the start).
      double total = 0;
      for (std::size_t i = 0; i < values_.size(); ++i)
        total += (cumulative_[i] - (i > 0 ? cumulative_[i - 1] : 0.0)) * values_[i];
      double u = s.uniform() * total;
      biased = values_.back();
      for (std::size_t i = 0; i < values_.size(); ++i) {
        const double w = (cumulative_[i] - (i > 0 ? cumulative_[i - 1] : 0.0)) * values_[i];
        if (u < w) {
          biased = values_[i];
          break;
        }
        u -= w;
      }
      break;
    }
  }
  return positive(biased * s.uniform());
}

// Marsaglia's polar method: two uniforms from the stream per attempt (acceptance π/4); only the
// first of the pair is returned, so a draw never depends on state kept outside the Stream.
double standard_normal(Stream& s) {
  for (;;) {
    const double u = 2.0 * s.uniform() - 1.0;
    const double v = 2.0 * s.uniform() - 1.0;
    const double r2 = u * u + v * v;
    if (r2 >= 1.0 || r2 == 0.0) continue;
    return u * std::sqrt(-2.0 * std::log(r2) / r2);
  }
}

}  // namespace pitstop::engine
