// Networks against theory: an open Jackson network with feedback, Little's law at every node of a
// network with blocking, and a two-station tandem line with blocking after service against its
// Markov chain. Each check accepts |sim − theory| ≤ k·SE (+ a stated allowance), see
// analytic/replicate_stats.hpp.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

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
Distribution expo(double mean) {
  return Distribution::exponential(mean);
}
}  // namespace

TEST_CASE("open Jackson network with feedback: per-node waits and utilisation",
          "[analytic][jackson]") {
  // in (4/day) → a; a → b 0.6, c 0.4; b → c 0.5, exit 0.5; c → a 0.2 (feedback), exit 0.8.
  // Traffic equations: λa = 4/0.86 ≈ 4.65, λb ≈ 2.79, λc ≈ 3.26; with 2, 3, 1 places and means
  // 0.3, 0.5, 0.25 days: ρ ≈ 0.70, 0.47, 0.81. By Jackson's theorem [J57] each node is the
  // M/M/c_i queue with arrival rate λ_i. Tolerance: k·SE over 16 replicates, no allowance: the
  // slowest node (c, ρ ≈ 0.81) relaxes in ≈ 1/(μ(1 − √ρ)²) ≈ 26 days; warm-up 500 days.
  const std::vector<std::string> names = {"a", "b", "c"};
  const std::vector<double> mean = {0.3, 0.5, 0.25};
  const std::vector<std::size_t> places = {2, 3, 1};
  const auto spec = SpecBuilder()
                        .service("a", 2, expo(mean[0]), {{"b", 0.6}, {"c", 0.4}})
                        .service("b", 3, expo(mean[1]), {{"c", 0.5}, {"exit", 0.5}})
                        .service("c", 1, expo(mean[2]), {{"a", 0.2}, {"exit", 0.8}})
                        .poisson("in", "a", 4)
                        .build();
  const auto nodes = theory::jackson({4, 0, 0}, {{0, 0.6, 0.4}, {0, 0, 0.5}, {0.2, 0, 0}},
                                     {1 / mean[0], 1 / mean[1], 1 / mean[2]}, places);
  const auto results = run_replicated(spec, run_spec(50500, 500, 1957, 16));
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string node = "Jackson " + names[i] + " ";
    CHECK_AGREES(node + "wait_mean_days", estimate(per_service(results, i, wait_mean_days)),
                 nodes[i].wait_mean(), 0.0);
    CHECK_AGREES(node + "utilisation", estimate(per_service(results, i, utilisation)),
                 nodes[i].utilisation(), 0.0);
    CHECK_AGREES(node + "mean_in_node", estimate(per_service(results, i, mean_in_node)),
                 nodes[i].in_node_mean(), 0.0);
    const auto arrival_rate = [i](const ReplicateResult& r) {
      return static_cast<double>(r.services[i].arrivals) / r.observed_days;
    };
    CHECK_AGREES(node + "arrival rate", estimate(per_replicate(results, arrival_rate)),
                 nodes[i].lambda, 0.0);
  }
}

TEST_CASE("Little's law at every node of a network with blocking and losses",
          "[analytic][little]") {
  // in (4/day) → a (3 places, unlimited queue) → b 0.6, exit 0.4;
  // b (2 places, queue 1) → c 0.5, a 0.1 (feedback), exit 0.4;
  // walk-in (1/day) → c (1 place, no queue: walk-ins lost when full) → exit.
  // a blocks when b is full; b blocks when c is full; c turns walk-ins away. The rates keep a
  // stable despite the blocking (were a's queue to grow, the people present at the end would
  // outweigh those at the start and L − λW below would fail: it did at 6/day).
  // Little [L61] for each node over the observed window: L = λ·W with L = mean_in_node,
  // λ = departures per day, W = sojourn_mean_days (entry to departure, blocked time included).
  // The identity holds exactly up to the people present at the window's two ends; in steady
  // state those edge terms have equal expectations, so L − λW has mean 0 and we check the
  // replicate mean of L − λW against 0 within k·SE, over 16 replicates, no allowance.
  // Two more forms of Little per node: the waiting line (mean_queue = started/day × Wq) and the
  // places (occupied place-days per day = started/day × E[S] + blocked place-days per day); the
  // latter checks that blocked time is counted as held places.
  const std::vector<double> mean = {0.3, 0.4, 0.3};
  const auto spec = SpecBuilder()
                        .service("a", 3, expo(mean[0]), {{"b", 0.6}, {"exit", 0.4}})
                        .service("b", 2, expo(mean[1]), {{"c", 0.5}, {"a", 0.1}, {"exit", 0.4}}, 1)
                        .service("c", 1, expo(mean[2]), {}, 0)
                        .poisson("in", "a", 4)
                        .poisson("walk-in", "c", 1)
                        .build();
  const auto results = run_replicated(spec, run_spec(50500, 500, 1961, 16));
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string node = std::string("Little ") + "abc"[i] + " ";
    const auto diff = [i](const ReplicateResult& r) {
      const ServiceCounters& c = r.services[i];
      const double lambda = static_cast<double>(c.departures) / r.observed_days;
      return mean_in_node(c, r.observed_days) - theory::little_l(lambda, sojourn_mean_days(c));
    };
    CHECK_AGREES(node + "L - lambda W", estimate(per_replicate(results, diff)), 0.0, 0.0);
    const auto queue_diff = [i](const ReplicateResult& r) {
      const ServiceCounters& c = r.services[i];
      const double lambda = static_cast<double>(c.started) / r.observed_days;
      const double wq = c.started > 0 ? wait_mean_days(c) : 0.0;
      return mean_queue(c, r.observed_days) - theory::little_l(lambda, wq);
    };
    CHECK_AGREES(node + "Lq - lambda Wq", estimate(per_replicate(results, queue_diff)), 0.0, 0.0);
    const double es = mean[i];
    const auto places_diff = [i, es](const ReplicateResult& r) {
      const ServiceCounters& c = r.services[i];
      const double lambda = static_cast<double>(c.started) / r.observed_days;
      return c.area_occupied / r.observed_days -
             (theory::little_l(lambda, es) + c.blocked_days / r.observed_days);
    };
    CHECK_AGREES(node + "occupied - (lambda E[S] + blocked)",
                 estimate(per_replicate(results, places_diff)), 0.0, 0.0);
  }
  // The network really blocks and loses, or the test would prove little.
  const auto& r0 = results.front();
  CHECK(r0.services[0].blocked_departures > 100);
  CHECK(r0.services[1].blocked_departures > 100);
  CHECK(r0.services[2].lost > 100);
}

namespace {
/// Simulates a TandemLine and compares every measure the chain gives.
void check_tandem(const std::string& label, const theory::TandemLine& line, double horizon,
                  double warmup, std::uint64_t seed) {
  const auto spec =
      SpecBuilder()
          .service("one", static_cast<double>(line.c1), expo(1 / line.mu1), {{"two", 1.0}}, line.k1)
          .service("two", static_cast<double>(line.c2), expo(1 / line.mu2), {}, line.k2)
          .poisson("in", "one", line.lambda)
          .build();
  const theory::TandemMeasures m = theory::solve_tandem(line);
  const auto results = run_replicated(spec, run_spec(horizon, warmup, seed, 16));
  const double observed = horizon - warmup;
  const auto per_day = [&](auto f) { return estimate(per_replicate(results, f)); };

  CHECK_AGREES(label + " one lost_fraction", estimate(per_service(results, 0, lost_fraction)),
               m.loss_probability, 0.0);
  CHECK_AGREES(label + " throughput (two departures/day)", per_day([](const ReplicateResult& r) {
                 return static_cast<double>(r.services[1].departures) / r.observed_days;
               }),
               m.throughput, 0.0);
  // Blocked place-days per day ≈ E[number blocked]. Episodes still running at the horizon are
  // not yet counted: while anyone is blocked station 2 is full and frees a place at rate c2·μ2,
  // so each of at most c1 running episodes is short of ≤ c1/(c2·μ2) days in expectation. That
  // bound, divided by the observed days, is the allowance.
  const double edge =
      static_cast<double>(line.c1 * line.c1) / (static_cast<double>(line.c2) * line.mu2) / observed;
  CHECK_AGREES(label + " one blocked_days per day", per_day([](const ReplicateResult& r) {
                 return r.services[0].blocked_days / r.observed_days;
               }),
               m.blocked_mean, edge);
  CHECK_AGREES(label + " one blocked_fraction", estimate(per_service(results, 0, blocked_fraction)),
               m.blocked_fraction, 0.0);
  CHECK_AGREES(label + " one utilisation", estimate(per_service(results, 0, utilisation)),
               m.utilisation1, 0.0);
  CHECK_AGREES(label + " two utilisation", estimate(per_service(results, 1, utilisation)),
               m.utilisation2, 0.0);
  CHECK_AGREES(label + " one sojourn_mean_days",
               estimate(per_service(results, 0, sojourn_mean_days)), m.sojourn1_mean, 0.0);
  CHECK_AGREES(label + " two sojourn_mean_days",
               estimate(per_service(results, 1, sojourn_mean_days)), m.sojourn2_mean, 0.0);
  if (line.k1 > 0) {
    CHECK_AGREES(label + " one wait_mean_days", estimate(per_service(results, 0, wait_mean_days)),
                 m.wait1_mean, 0.0);
  }
  CHECK_AGREES(label + " two wait_mean_days", estimate(per_service(results, 1, wait_mean_days)),
               m.wait2_mean, 0.0);
}
}  // namespace

TEST_CASE("tandem line with blocking after service against its Markov chain",
          "[analytic][tandem][blocking]") {
  // Tolerance: k·SE over 16 replicates; no warm-up allowance (these finite chains of 22–33
  // states mix within a few days, and the warm-up is 200 days); the blocked-days check adds the
  // stated edge allowance. The chain (queueing_formulas.hpp, [HB67]/[P94]) is exact for the
  // engine's rule: blocked holders keep their place and move FIFO the instant room frees.
  SECTION("loss at station 1, small waiting room at station 2") {
    // λ = 2.4; station 1: 3 places, no queue, mean 1; station 2: 2 places, queue 1, mean 0.8.
    // Chain: loss ≈ 0.308, E[blocked] ≈ 0.205, utilisation ≈ 0.62 and 0.66.
    check_tandem("tandem A", {2.4, 3, 0, 1.0, 2, 1, 1 / 0.8}, 50200, 200, 2024);
  }
  SECTION("a waiting room at station 1 too") {
    // λ = 1.6; station 1: 2 places, queue 3, mean 1; station 2: 1 place, queue 2, mean 0.5.
    // Chain: loss ≈ 0.139, E[blocked] ≈ 0.184, station-1 wait ≈ 0.67 days.
    check_tandem("tandem B", {1.6, 2, 3, 1.0, 1, 2, 1 / 0.5}, 50200, 200, 2030);
  }
}
