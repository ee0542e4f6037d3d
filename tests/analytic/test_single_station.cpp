// Single services against closed forms: M/M/1 and M/M/c waits (Erlang C), M/M/c/c losses
// (Erlang B), and utilisation against offered load. Each check accepts
// |sim − theory| ≤ k·SE (+ a stated allowance), see analytic/replicate_stats.hpp.
#include <catch2/catch.hpp>

#include <string>

#include "analytic/queueing_formulas.hpp"
#include "analytic/replicate_stats.hpp"
#include "engine/engine.hpp"
#include "support/spec_builder.hpp"

using namespace pitstop::engine;
using pitstop::test::estimate;
using pitstop::test::per_replicate;
using pitstop::test::per_service;
using pitstop::test::run_replicated;
using pitstop::test::run_spec;
using pitstop::test::SpecBuilder;
namespace theory = pitstop::test::theory;

namespace {
/// One Poisson source into one service with exponential durations.
NetworkSpec single(double lambda, double capacity, double mean, std::size_t queue_capacity) {
  return SpecBuilder()
      .service("s", capacity, Distribution::exponential(mean), {}, queue_capacity)
      .poisson("in", "s", lambda)
      .build();
}
}  // namespace

TEST_CASE("M/M/1 at ρ = 0.8: mean wait, number in system, utilisation", "[analytic][mm1]") {
  // λ = 0.8/day, mean duration 1 day: Wq = ρ/(μ − λ) = 4 days, L = ρ/(1 − ρ) = 4.
  // Tolerance: k·SE over 16 replicates (k ≈ 4.07), no allowance. The relaxation time of M/M/1
  // is about 1/(μ(1 − √ρ)²) ≈ 89 days, so a 2,000-day warm-up (≈ 22 relaxation times) leaves an
  // initial-state bias far below the SE (≈ 0.7% of Wq here: waits at ρ = 0.8 are strongly
  // autocorrelated, hence the 150,000 observed days per replicate).
  const double lambda = 0.8, mu = 1.0;
  const auto results =
      run_replicated(single(lambda, 1, 1 / mu, kUnlimited), run_spec(152000, 2000, 20240401, 16));
  const theory::MMc q{lambda, mu, 1};
  CHECK_AGREES("M/M/1 wait_mean_days", estimate(per_service(results, 0, wait_mean_days)),
               theory::mm1_wait_mean(lambda, mu), 0.0);
  CHECK_AGREES("M/M/1 mean_in_node", estimate(per_service(results, 0, mean_in_node)),
               q.in_node_mean(), 0.0);
  CHECK_AGREES("M/M/1 utilisation", estimate(per_service(results, 0, utilisation)), q.utilisation(),
               0.0);
}

TEST_CASE("M/M/c with c = 10 at ρ = 0.9: mean wait against Erlang C", "[analytic][mmc]") {
  // λ = 9/day, 10 places, mean 1 day: C(10, 9) = 0.66873, Wq = C/(cμ − λ) = 0.66873 days.
  // Tolerance: k·SE over 16 replicates, no allowance: the relaxation time is roughly
  // 1/(cμ(1 − √ρ)²) ≈ 38 days, and the 500-day warm-up is 13 of them.
  const double lambda = 9, mu = 1;
  const auto results =
      run_replicated(single(lambda, 10, 1 / mu, kUnlimited), run_spec(30500, 500, 777, 16));
  const theory::MMc q{lambda, mu, 10};
  CHECK_AGREES("M/M/10 wait_mean_days", estimate(per_service(results, 0, wait_mean_days)),
               q.wait_mean(), 0.0);
  CHECK_AGREES("M/M/10 mean_queue", estimate(per_service(results, 0, mean_queue)), q.queue_mean(),
               0.0);
  CHECK_AGREES("M/M/10 utilisation", estimate(per_service(results, 0, utilisation)),
               q.utilisation(), 0.0);
}

TEST_CASE("M/M/c/c loss system: lost fraction against Erlang B", "[analytic][erlang-b]") {
  // queue_capacity 0: an arrival finding all 10 places taken is lost. B(10, a) for a = 5 and 9
  // Erlangs; the carried load gives utilisation a·(1 − B)/c. Tolerance: k·SE over 16
  // replicates, no allowance (a loss system forgets its start within a few mean durations;
  // the 50-day warm-up is 50 of them).
  for (const double a : {5.0, 9.0}) {
    const auto results = run_replicated(single(a, 10, 1.0, 0), run_spec(20050, 50, 4242, 16));
    const double b = theory::erlang_b(10, a);
    const std::string name = "M/M/10/10 a=" + std::to_string(static_cast<int>(a));
    CHECK_AGREES(name + " lost_fraction", estimate(per_service(results, 0, lost_fraction)), b, 0.0);
    CHECK_AGREES(name + " utilisation", estimate(per_service(results, 0, utilisation)),
                 a * (1 - b) / 10, 0.0);
  }
}

TEST_CASE("utilisation equals offered load λ·E[S]/c for stable queues", "[analytic][utilisation]") {
  // For any stable queue without losses the busy places average λ·E[S] (Little's law applied to
  // the places, [L61]), so utilisation = λ/(cμ) whatever the duration distribution.
  // Tolerance: k·SE over 12 replicates (k ≈ 4.4), no allowance (the 200-day warm-up is ≥ 10
  // relaxation times 1/(cμ(1 − √ρ)²) at each ρ).
  const double mean = 0.5;
  for (const double rho : {0.3, 0.6, 0.85}) {
    const double lambda = rho * 4 / mean;
    const auto results =
        run_replicated(single(lambda, 4, mean, kUnlimited), run_spec(20200, 200, 99, 12));
    CHECK_AGREES("M/M/4 utilisation rho=" + std::to_string(rho).substr(0, 4),
                 estimate(per_service(results, 0, utilisation)),
                 (theory::MMc{lambda, 1 / mean, 4}.utilisation()), 0.0);
  }
  // The same with lognormal durations (mean 0.5, sd 1): utilisation is insensitive to the shape.
  auto spec = single(0.75 * 4 / mean, 4, mean, kUnlimited);
  spec.services[0].duration = Distribution::lognormal(mean, 1.0);
  const auto results = run_replicated(spec, run_spec(20200, 200, 99, 12));
  CHECK_AGREES("M/LN/4 utilisation rho=0.75", estimate(per_service(results, 0, utilisation)), 0.75,
               0.0);
}
