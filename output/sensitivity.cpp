#include "output/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "engine/error.hpp"
#include "engine/rng.hpp"
#include "engine/stats.hpp"

namespace pitstop::output {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Outputs spread by no more than this fraction of their size differ by rounding only.
constexpr double kRounding = 8 * std::numeric_limits<double>::epsilon();

using engine::SpecError;

/// The outputs of one Saltelli design, by block.
struct Outputs {
  const std::vector<double>& a;
  const std::vector<double>& b;
  const std::vector<std::vector<double>>& ab;
  std::size_t n() const { return a.size(); }
  std::size_t k() const { return ab.size(); }
};

/// First-order and total indices of every parameter, from one sample of rows.
struct Estimate {
  std::vector<double> first, total;
};

void check_block(const std::vector<double>& f, std::size_t n, const std::string& name) {
  if (f.size() != n) {
    throw SpecError(name, "Sobol indices need " + std::to_string(n) + " outputs in " + name +
                              " (as many as in f_A), not " + std::to_string(f.size()));
  }
  for (std::size_t j = 0; j < n; ++j) {
    if (!std::isfinite(f[j])) {
      throw SpecError(name, "output " + name + "[" + std::to_string(j) + "] is " +
                                std::to_string(f[j]) + "; Sobol indices need finite outputs");
    }
  }
}

void check(const Outputs& o, const SobolOptions& options) {
  if (o.n() == 0) throw SpecError("f_A", "Sobol indices need at least one row of outputs");
  if (o.k() == 0) throw SpecError("f_AB", "Sobol indices need at least one parameter (f_AB)");
  check_block(o.a, o.n(), "f_A");
  check_block(o.b, o.n(), "f_B");
  for (std::size_t i = 0; i < o.k(); ++i)
    check_block(o.ab[i], o.n(), "f_AB[" + std::to_string(i) + "]");
  if (!(options.confidence > 0 && options.confidence < 1)) {
    throw SpecError("confidence",
                    "the confidence must be in (0, 1), not " + std::to_string(options.confidence));
  }
}

/// The mean and variance (divisor 2m) of f_A ∪ f_B over `rows`, by two passes for accuracy.
/// The variance is 0 when the values spread no further than rounding (a few ulps of the
/// largest): the remainder of two passes over equal values is noise, not variance.
struct Moments {
  double mean = 0, variance = 0;
};
Moments moments(const Outputs& o, const std::vector<std::size_t>& rows) {
  double sum = 0, lo = o.a[rows[0]], hi = lo;
  for (std::size_t j : rows) {
    sum += o.a[j] + o.b[j];
    lo = std::min({lo, o.a[j], o.b[j]});
    hi = std::max({hi, o.a[j], o.b[j]});
  }
  const double m = 2 * static_cast<double>(rows.size());
  const double mean = sum / m;
  if (hi - lo <= kRounding * std::max(std::fabs(lo), std::fabs(hi))) return {mean, 0};
  double ss = 0;
  for (std::size_t j : rows)
    ss += (o.a[j] - mean) * (o.a[j] - mean) + (o.b[j] - mean) * (o.b[j] - mean);
  return {mean, ss / m};
}

/// The indices on `rows` (each an index into the n rows; repeats allowed). All NaN when V = 0.
/// f_B is centred on the mean of f_A ∪ f_B: E[f_ABi − f_A] = 0, so this leaves the estimator's
/// expectation as it is, but it removes the output's offset from its variance, which would
/// otherwise grow with mean²/V (an output of 10⁶ ± 10³ would need 10⁶ times the runs).
Estimate estimate(const Outputs& o, const std::vector<std::size_t>& rows) {
  const Moments mo = moments(o, rows);
  Estimate e{std::vector<double>(o.k(), kNaN), std::vector<double>(o.k(), kNaN)};
  if (mo.variance == 0) return e;
  const double m = static_cast<double>(rows.size());
  for (std::size_t i = 0; i < o.k(); ++i) {
    const std::vector<double>& abi = o.ab[i];
    double first = 0, total = 0;
    for (std::size_t j : rows) {
      const double d = abi[j] - o.a[j];
      first += (o.b[j] - mo.mean) * d;
      total += d * d;
    }
    e.first[i] = first / m / mo.variance;
    e.total[i] = total / m / 2 / mo.variance;
  }
  return e;
}

/// Bootstrap replicates of each index: first[i][r], total[i][r] for resample r.
struct Replicates {
  std::vector<std::vector<double>> first, total;
};

Replicates bootstrap(const Outputs& o, const SobolOptions& options) {
  Replicates reps{std::vector<std::vector<double>>(o.k()), std::vector<std::vector<double>>(o.k())};
  std::vector<std::size_t> rows(o.n());
  for (std::size_t r = 0; r < options.resamples; ++r) {
    // One stream per resample, so a resample does not depend on how many came before.
    engine::Stream s(options.seed, 0, engine::Purpose::kBootstrap, r);
    for (std::size_t& j : rows)
      j = s.below(o.n());
    const Estimate e = estimate(o, rows);
    for (std::size_t i = 0; i < o.k(); ++i) {
      reps.first[i].push_back(e.first[i]);
      reps.total[i].push_back(e.total[i]);
    }
  }
  return reps;
}

}  // namespace

std::vector<SobolIndex> sobol_indices(const std::vector<double>& f_A,
                                      const std::vector<double>& f_B,
                                      const std::vector<std::vector<double>>& f_AB,
                                      const SobolOptions& options) {
  const Outputs o{f_A, f_B, f_AB};
  check(o, options);
  std::vector<std::size_t> all(o.n());
  for (std::size_t j = 0; j < o.n(); ++j)
    all[j] = j;
  const Estimate point = estimate(o, all);
  const Replicates reps = bootstrap(o, options);
  // engine::percentile leaves out NaNs (resamples with V = 0) and gives NaN when none is left.
  const double lo_q = (1 - options.confidence) / 2, hi_q = (1 + options.confidence) / 2;
  std::vector<SobolIndex> out(o.k());
  for (std::size_t i = 0; i < o.k(); ++i) {
    out[i].first = point.first[i];
    out[i].total = point.total[i];
    out[i].first_lo = engine::percentile(reps.first[i], lo_q);
    out[i].first_hi = engine::percentile(reps.first[i], hi_q);
    out[i].total_lo = engine::percentile(reps.total[i], lo_q);
    out[i].total_hi = engine::percentile(reps.total[i], hi_q);
  }
  return out;
}

std::vector<SobolIndex> sobol_indices(const engine::SaltelliDesign& design,
                                      const std::vector<double>& outputs,
                                      const SobolOptions& options) {
  if (outputs.size() != design.n * (design.k + 2)) {
    throw SpecError("outputs", "Saltelli's design has " +
                                   std::to_string(design.n * (design.k + 2)) + " points but " +
                                   std::to_string(outputs.size()) + " outputs were given");
  }
  const auto block = [&](std::size_t first_row) {
    const auto start = outputs.begin() + static_cast<std::ptrdiff_t>(first_row);
    return std::vector<double>(start, start + static_cast<std::ptrdiff_t>(design.n));
  };
  std::vector<std::vector<double>> f_ab;
  for (std::size_t i = 0; i < design.k; ++i)
    f_ab.push_back(block(design.ab(i, 0)));
  return sobol_indices(block(design.a(0)), block(design.b(0)), f_ab, options);
}

}  // namespace pitstop::output
