// Simulation-versus-theory checks with tolerances derived from the replicates themselves:
// run a network over n independent replicates, take one value per replicate, and accept
//   |mean − theory| ≤ k·SE + allowance,
// where SE is the standard error of the replicate mean and k the two-sided 99.9% Student-t
// quantile with n − 1 degrees of freedom (k ≈ 4.07 for n = 16). A correct engine therefore fails
// a single check with probability about 0.1% for a fresh seed. `allowance` is a stated bias bound
// (finite warm-up, edge effects), zero unless a test justifies it.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/engine.hpp"

namespace pitstop::test {

/// A replicate mean with its standard error.
struct Estimate {
  double mean = 0;
  double se = 0;
  std::size_t n = 0;
};

inline Estimate estimate(const std::vector<double>& values) {
  Estimate e;
  e.n = values.size();
  if (e.n == 0) return e;
  for (double v : values)
    e.mean += v;
  e.mean /= static_cast<double>(e.n);
  if (e.n < 2) return e;
  double ss = 0;
  for (double v : values)
    ss += (v - e.mean) * (v - e.mean);
  e.se = std::sqrt(ss / static_cast<double>(e.n - 1) / static_cast<double>(e.n));
  return e;
}

/// The k in k·SE: the two-sided 99.9% Student-t quantile for n − 1 degrees of freedom.
inline double k_sigma(std::size_t n) {
  return engine::t_critical(n, 0.999);
}

/// Runs every replicate of `spec` (on all cores) and returns the results in replicate order.
inline std::vector<engine::ReplicateResult> run_replicated(const engine::NetworkSpec& spec,
                                                           const engine::RunSpec& run) {
  const engine::NetworkGraph graph(spec);
  return engine::run_replicates<engine::ReplicateResult>(
      run.replicates, engine::ReplicationOptions{}, [&](std::uint32_t r) {
        engine::Network net(graph, run, r);
        return net.run();
      });
}

/// One value per replicate: `f(result)`.
template <class F>
std::vector<double> per_replicate(const std::vector<engine::ReplicateResult>& results, F f) {
  std::vector<double> v;
  v.reserve(results.size());
  for (const engine::ReplicateResult& r : results)
    v.push_back(f(r));
  return v;
}

/// One statistic of service `i` per replicate, e.g. per_service(rs, 0, engine::wait_mean_days).
inline std::vector<double> per_service(const std::vector<engine::ReplicateResult>& results,
                                       std::size_t i,
                                       double (*stat)(const engine::ServiceCounters&)) {
  return per_replicate(results,
                       [&](const engine::ReplicateResult& r) { return stat(r.services[i]); });
}

/// One per-day statistic of service `i` per replicate, e.g. per_service(rs, 0, engine::mean_queue).
inline std::vector<double> per_service(const std::vector<engine::ReplicateResult>& results,
                                       std::size_t i,
                                       double (*stat)(const engine::ServiceCounters&, double)) {
  return per_replicate(results, [&](const engine::ReplicateResult& r) {
    return stat(r.services[i], r.observed_days);
  });
}

/// Prints every comparison when PITSTOP_ANALYTIC_REPORT is set (for validation write-ups).
inline void report_comparison(const std::string& what, const Estimate& e, double theory,
                              double tolerance) {
  if (std::getenv("PITSTOP_ANALYTIC_REPORT") == nullptr) return;
  std::printf("%-48s sim %.6g ± %.3g (SE)  theory %.6g  |diff| %.3g  tol %.3g  (n=%zu)\n",
              what.c_str(), e.mean, e.se, theory, std::abs(e.mean - theory), tolerance, e.n);
}

}  // namespace pitstop::test

/// CHECKs |est.mean − theory| ≤ k_sigma(n)·est.se + allowance, naming `what` on failure.
#define CHECK_AGREES(what, est, theory, allowance)                                                 \
  do {                                                                                             \
    const ::pitstop::test::Estimate agrees_e_ = (est);                                             \
    const double agrees_t_ = (theory);                                                             \
    const double agrees_tol_ = ::pitstop::test::k_sigma(agrees_e_.n) * agrees_e_.se + (allowance); \
    ::pitstop::test::report_comparison((what), agrees_e_, agrees_t_, agrees_tol_);                 \
    INFO((what) << ": sim " << agrees_e_.mean << " (SE " << agrees_e_.se << ", n " << agrees_e_.n  \
                << ") vs theory " << agrees_t_ << ", tolerance " << agrees_tol_);                  \
    CHECK(agrees_e_.n >= 2);                                                                       \
    CHECK(std::abs(agrees_e_.mean - agrees_t_) <= agrees_tol_);                                    \
  } while (false)
