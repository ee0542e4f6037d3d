// The theory helpers themselves, against published values, independent evaluations and cases
// solved by hand, before any simulation is compared with them.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "analytic/queueing_formulas.hpp"
#include "engine/engine.hpp"
#include "support/spec_builder.hpp"

using namespace pitstop::test::theory;

namespace {
/// Erlang B from its definition (a^c/c!) / Σ_k a^k/k!, in log space so it cannot overflow.
double erlang_b_direct(std::size_t c, double a) {
  std::vector<double> logs;
  for (std::size_t k = 0; k <= c; ++k) {
    logs.push_back(static_cast<double>(k) * std::log(a) - std::lgamma(static_cast<double>(k) + 1));
  }
  double top = logs[0];
  for (double x : logs)
    top = std::max(top, x);
  double sum = 0;
  for (double x : logs)
    sum += std::exp(x - top);
  return std::exp(logs[c] - top) / sum;
}
}  // namespace

TEST_CASE("Erlang B matches published values and its definition", "[analytic][formulas]") {
  // Published tables (e.g. [K75] §3.7): B(10, 5) = 0.01838.
  CHECK(erlang_b(10, 5.0) == Approx(0.0183846).epsilon(1e-5));
  CHECK(erlang_b(0, 3.0) == 1.0);
  CHECK(erlang_b(1, 2.0) == Approx(2.0 / 3.0));
  CHECK(erlang_b(2, 1.0) == Approx(0.2));  // (1/2) / (1 + 1 + 1/2)
  for (std::size_t c : {1u, 5u, 10u, 40u}) {
    for (double a : {0.5, 3.0, 9.0, 35.0}) {
      CHECK(erlang_b(c, a) == Approx(erlang_b_direct(c, a)).epsilon(1e-12));
    }
  }
  // The recursion stays accurate where a^c/c! overflows a double.
  const double big = erlang_b(1000, 950.0);
  CHECK(big > 0);
  CHECK(big < 1);
  CHECK(big == Approx(erlang_b_direct(1000, 950.0)).epsilon(1e-10));
}

TEST_CASE("Erlang C and M/M/c measures match known values", "[analytic][formulas]") {
  CHECK(erlang_c(2, 1.0) == Approx(1.0 / 3.0).epsilon(1e-14));
  CHECK(erlang_c(1, 0.7) == Approx(0.7));  // M/M/1: P(wait) = ρ
  CHECK(erlang_c(10, 9.0) == Approx(0.668731524).epsilon(1e-8));
  CHECK_THROWS(erlang_c(2, 2.0));

  // M/M/1 as M/M/c with c = 1: Wq = ρ/(μ − λ), L = ρ/(1 − ρ).
  const MMc one{0.8, 1.0, 1};
  CHECK(one.wait_mean() == Approx(mm1_wait_mean(0.8, 1.0)));
  CHECK(one.wait_mean() == Approx(4.0));
  CHECK(one.in_node_mean() == Approx(0.8 / 0.2));
  CHECK(one.utilisation() == Approx(0.8));

  // M/M/2 with λ = 1, μ = 1: C = 1/3, Wq = (1/3)/(2 − 1), Lq = 1/3, L = 1/3 + 1 = 4/3.
  const MMc two{1.0, 1.0, 2};
  CHECK(two.wait_mean() == Approx(1.0 / 3.0));
  CHECK(two.queue_mean() == Approx(1.0 / 3.0));
  CHECK(two.in_node_mean() == Approx(4.0 / 3.0));
  CHECK(two.sojourn_mean() == Approx(4.0 / 3.0));
  CHECK(little_l(2.0, 1.5) == 3.0);
}

TEST_CASE("the dense solver and the stationary distribution of a small chain",
          "[analytic][formulas]") {
  Dense a(3);
  a(0, 0) = 0;  // needs a pivot swap
  a(0, 1) = 2;
  a(0, 2) = 1;
  a(1, 0) = 1;
  a(1, 1) = 1;
  a(1, 2) = 0;
  a(2, 0) = 3;
  a(2, 1) = 0;
  a(2, 2) = 1;
  const auto x = solve(a, {5, 3, 4});  // x = (1, 2, 1)
  CHECK(x[0] == Approx(1));
  CHECK(x[1] == Approx(2));
  CHECK(x[2] == Approx(1));
  CHECK_THROWS(solve(Dense(2), {1, 1}));

  // Two-state chain 0 ⇄ 1 with rates α = 2 (0→1), β = 3 (1→0): π = (β, α)/(α + β).
  Dense q(2);
  q(0, 1) = 2;
  q(0, 0) = -2;
  q(1, 0) = 3;
  q(1, 1) = -3;
  const auto pi = stationary(q);
  CHECK(pi[0] == Approx(0.6));
  CHECK(pi[1] == Approx(0.4));
}

TEST_CASE("traffic equations agree with the engine's own", "[analytic][formulas]") {
  // a → b (0.6), c (0.4); b → c (0.5), exit; c → a (0.2), exit. External 4/day into a.
  // λa = 4 + 0.2 λc, λb = 0.6 λa, λc = 0.4 λa + 0.5 λb = 0.7 λa ⇒ λa = 4/0.86.
  const std::vector<std::vector<double>> p = {{0, 0.6, 0.4}, {0, 0, 0.5}, {0.2, 0, 0}};
  const auto lambda = traffic_rates({4, 0, 0}, p);
  CHECK(lambda[0] == Approx(4 / 0.86));
  CHECK(lambda[1] == Approx(0.6 * 4 / 0.86));
  CHECK(lambda[2] == Approx(0.7 * 4 / 0.86));

  using pitstop::engine::Distribution;
  const auto spec =
      pitstop::test::SpecBuilder()
          .service("a", 2, Distribution::exponential(0.3), {{"b", 0.6}, {"c", 0.4}})
          .service("b", 3, Distribution::exponential(0.5), {{"c", 0.5}, {"exit", 0.5}})
          .service("c", 1, Distribution::exponential(0.25), {{"a", 0.2}, {"exit", 0.8}})
          .poisson("in", "a", 4)
          .build();
  const auto loads = pitstop::engine::NetworkGraph(spec).offered_loads(100);
  const auto nodes = jackson({4, 0, 0}, p, {1 / 0.3, 1 / 0.5, 1 / 0.25}, {2, 3, 1});
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(loads[i].arrival_rate == Approx(lambda[i]));
    CHECK(loads[i].load == Approx(nodes[i].utilisation()));
  }
}

TEST_CASE("tandem chain: one place each, solved by hand", "[analytic][formulas][tandem]") {
  // λ = μ1 = μ2 = 1, c1 = c2 = 1, no waiting rooms. States (n1, b, n2):
  // A(0,0,0) B(1,0,0) C(0,0,1) D(1,0,1) E(1,1,1). Balance: A = C, B = A + D, 2C = B + E,
  // 2D = C, E = D ⇒ π = (2, 3, 2, 1, 1)/9.
  const TandemMeasures m = solve_tandem({1, 1, 0, 1, 1, 0, 1});
  CHECK(m.states == 5);
  CHECK(m.residual < 1e-12);
  CHECK(m.loss_probability == Approx(5.0 / 9));  // B + D + E
  CHECK(m.throughput == Approx(4.0 / 9));
  CHECK(m.blocked_mean == Approx(1.0 / 9));   // E
  CHECK(m.blocked_fraction == Approx(0.25));  // D·μ1 / X
  CHECK(m.utilisation1 == Approx(5.0 / 9));   // blocked places count as occupied
  CHECK(m.utilisation2 == Approx(4.0 / 9));   // C + D + E
  CHECK(m.sojourn1_mean == Approx(1.25));     // one service plus 1/4 day blocked on average
  CHECK(m.sojourn2_mean == Approx(1.0));
  CHECK(m.wait1_mean == 0);
}

TEST_CASE("tandem chain reduces to independent queues when station 2 never fills",
          "[analytic][formulas][tandem]") {
  SECTION("loss station then a queue: station 1 is Erlang's loss system") {
    // k2 = 40 at ρ2 ≈ 0.26: P(station 2 full) < 1e-20, so blocking never happens.
    const TandemLine line{3.0, 4, 0, 1.0, 2, 40, 5.0};
    const TandemMeasures m = solve_tandem(line);
    CHECK(m.residual < 1e-12);
    CHECK(m.loss_probability == Approx(erlang_b(4, 3.0)).epsilon(1e-10));
    CHECK(m.blocked_mean < 1e-15);
    CHECK(m.utilisation1 == Approx(3.0 * (1 - erlang_b(4, 3.0)) / 4));
    CHECK(m.utilisation2 == Approx(m.throughput / (2 * 5.0)));  // Little at station 2's places
  }
  SECTION("two M/M/c queues in series (Burke)") {
    // Truncated waiting rooms: at ρ1 = 0.2, ρ2 ≈ 0.17 the mass beyond them is below 1e-12.
    const TandemLine line{0.4, 2, 18, 1.0, 3, 18, 0.8};
    const TandemMeasures m = solve_tandem(line);
    const MMc one{0.4, 1.0, 2}, two{0.4, 0.8, 3};
    CHECK(m.residual < 1e-12);
    CHECK(m.loss_probability < 1e-12);
    CHECK(m.blocked_mean < 1e-12);
    CHECK(m.wait1_mean == Approx(one.wait_mean()).epsilon(1e-9));
    CHECK(m.wait2_mean == Approx(two.wait_mean()).epsilon(1e-9));
    CHECK(m.in_node1_mean == Approx(one.in_node_mean()).epsilon(1e-9));
    CHECK(m.in_node2_mean == Approx(two.in_node_mean()).epsilon(1e-9));
    CHECK(m.utilisation2 == Approx(two.utilisation()).epsilon(1e-9));
  }
}
