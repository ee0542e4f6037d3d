// Probability distributions as values that know their moments, sampled from a Stream with
// our own samplers (std::*_distribution is not bit-reproducible across standard libraries).
#pragma once

#include <string>
#include <vector>

#include "engine/rng.hpp"

namespace pitstop::engine {

/// A non-negative continuous or discrete distribution of a duration or quantity.
class Distribution {
 public:
  enum class Kind { kExponential, kLognormal, kGamma, kWeibull, kFixed, kEmpirical };

  // Factories validate their parameters and throw SpecError (key path "") on nonsense,
  // e.g. a negative mean; the loader adds the key path.
  static Distribution exponential(double mean);
  static Distribution lognormal(double mean, double sd);
  static Distribution gamma(double mean, double sd);
  static Distribution weibull(double shape, double scale);
  static Distribution fixed(double value);
  static Distribution empirical(std::vector<double> values, std::vector<double> weights);

  Distribution() : Distribution(fixed(0.0)) {}

  Kind kind() const { return kind_; }
  double mean() const;
  double variance() const;
  /// True when a draw can be exactly zero with positive probability (zero-duration cycles).
  bool can_be_zero() const;
  /// Human-readable form, e.g. "exponential(mean=1)".
  std::string describe() const;

  double sample(Stream& s) const;
  /// The same family with the same parameters.
  bool operator==(const Distribution& o) const = default;
  /// The time left of someone found in service at a random moment of a steady state (the
  /// equilibrium residual life, density (1 − F(x)) / mean): a length-biased draw times a uniform.
  /// For starting a run with places already taken: fixed(d) gives U(0, d), exponential itself.
  double sample_residual(Stream& s) const;

 private:
  // Used by the factories (the default constructor itself goes through fixed(0)).
  Distribution(Kind kind, double a, double b, double mean, double var)
      : kind_(kind), a_(a), b_(b), mean_(mean), var_(var) {}

  Kind kind_ = Kind::kFixed;
  double a_ = 0, b_ = 0;  // kind-specific parameters (see distribution.cpp)
  double mean_ = 0, var_ = 0;
  std::vector<double> values_, cumulative_;  // empirical only
};

/// A standard normal draw (exposed for tests and for the lognormal/gamma samplers).
double standard_normal(Stream& s);

}  // namespace pitstop::engine
