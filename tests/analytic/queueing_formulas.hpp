// The closed forms of queueing theory that the analytic validation tests use as "theory", each
// with its source, in one place. The two-station tandem line with blocking has no closed form:
// its small continuous-time Markov chain is built and solved numerically here.
//
// Sources (cited again at each formula):
//   [K75]  L. Kleinrock, Queueing Systems, Vol. 1: Theory, Wiley 1975, ch. 3 (M/M/1 §3.2,
//          M/M/m §3.5 with Erlang's C formula, M/M/m/m §3.7 with Erlang's B formula).
//   [GSTH] D. Gross, J. Shortle, J. Thompson, C. Harris, Fundamentals of Queueing Theory,
//          4th ed., Wiley 2008, ch. 2 (birth–death queues) and ch. 4 (Jackson networks).
//   [J74]  D. L. Jagerman, "Some properties of the Erlang loss function", Bell System Technical
//          Journal 53(3):525–551, 1974 (the recursion for B).
//   [J57]  J. R. Jackson, "Networks of waiting lines", Operations Research 5(4):518–521, 1957.
//   [L61]  J. D. C. Little, "A proof for the queuing formula: L = λW", Operations Research
//          9(3):383–387, 1961.
//   [B56]  P. J. Burke, "The output of a queuing system", Operations Research 4(6):699–704, 1956.
//   [HB67] F. S. Hillier, R. W. Boling, "Finite queues in series with exponential or Erlang
//          service times — a numerical approach", Operations Research 15(2):286–303, 1967
//          (tandem lines with blocking solved as a Markov chain).
//   [P94]  H. G. Perros, Queueing Networks with Blocking, Oxford University Press 1994, ch. 1
//          (blocking after service, "BAS").
//   [S94]  W. J. Stewart, Introduction to the Numerical Solution of Markov Chains, Princeton
//          University Press 1994, ch. 2 (direct solution of π·Q = 0).
//
// Conventions: rates are per day, durations in days; `mu` is a service rate per place
// (1 / mean duration); `a = λ/μ` is the offered load in Erlangs; `c` counts places (servers).
#pragma once

#include <cstddef>
#include <vector>

namespace pitstop::test::theory {

/// Erlang's loss formula B(c, a): the probability that an arrival to an M/M/c/c (or M/G/c/c)
/// system finds every place taken. Evaluated by the numerically stable recursion
/// B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)) instead of the ratio of power sums.
/// Source: [K75] §3.7 (the formula), [J74] (the recursion).
double erlang_b(std::size_t c, double a);

/// Erlang's delay formula C(c, a): the probability that an arrival to an M/M/c queue must wait.
/// Requires a < c. Computed from B: C = c·B / (c − a·(1 − B)).
/// Source: [K75] §3.5 (C as the probability of queueing); the identity linking C to B follows
/// from the two formulas and is given in [GSTH] §2.3.
double erlang_c(std::size_t c, double a);

/// Steady state of one M/M/c queue: Poisson arrivals at `lambda`, `c` places each serving at
/// rate `mu` (exponential durations), FIFO, unlimited waiting room. Requires λ < cμ.
/// Source: [K75] §3.5, [GSTH] §2.3: Wq = C(c, a)/(cμ − λ); L and W by Little [L61].
struct MMc {
  double lambda = 0;
  double mu = 1;
  std::size_t c = 1;

  double offered_load() const { return lambda / mu; }                            // a, Erlangs
  double utilisation() const { return lambda / (static_cast<double>(c) * mu); }  // ρ = λ/(cμ)
  double prob_wait() const;                                                      // C(c, a)
  double wait_mean() const;     // Wq = C(c, a) / (cμ − λ)
  double queue_mean() const;    // Lq = λ·Wq (Little)
  double sojourn_mean() const;  // W = Wq + 1/μ
  double in_node_mean() const;  // L = λ·W = Lq + a
};

/// M/M/1 mean wait in queue Wq = ρ / (μ − λ), written out on its own as a cross-check of MMc.
/// Source: [K75] §3.2.
double mm1_wait_mean(double lambda, double mu);

/// Little's law L = λ·W, for any stable system where λ is the rate through it and W the mean
/// time spent in it. Source: [L61].
inline double little_l(double lambda, double w) {
  return lambda * w;
}

/// A dense square matrix, row-major; enough for the small systems solved here.
struct Dense {
  std::size_t n = 0;
  std::vector<double> a;
  explicit Dense(std::size_t size) : n(size), a(size * size, 0.0) {}
  double& operator()(std::size_t i, std::size_t j) { return a[i * n + j]; }
  double operator()(std::size_t i, std::size_t j) const { return a[i * n + j]; }
};

/// Solves A·x = b by Gaussian elimination with partial pivoting. Throws std::runtime_error if
/// A is singular to working precision.
std::vector<double> solve(Dense a, std::vector<double> b);

/// The stationary distribution π of an irreducible CTMC with generator Q (rows sum to 0):
/// π·Q = 0 with Σπ = 1, solved directly by replacing one balance equation with the
/// normalisation (Stewart 1994, ch. 2).
std::vector<double> stationary(const Dense& q);

/// Open Jackson network: external Poisson arrivals `gamma[i]` per day to node i, routing
/// matrix `p[i][j]` (row sums ≤ 1; the remainder leaves), node i has `c[i]` places serving at
/// rate `mu[i]`. Solves the traffic equations λ = γ + λ·P and returns each node as the M/M/c_i
/// queue it behaves like in steady state (Jackson's theorem). Requires every ρ_i < 1.
/// Source: [J57]; [GSTH] §4.1. (FIFO, exponential durations, Markov routing independent of
/// the past: exactly what the engine does with exponential durations and unlimited queues.)
std::vector<double> traffic_rates(const std::vector<double>& gamma,
                                  const std::vector<std::vector<double>>& p);
std::vector<MMc> jackson(const std::vector<double>& gamma,
                         const std::vector<std::vector<double>>& p, const std::vector<double>& mu,
                         const std::vector<std::size_t>& c);

/// A two-station tandem line with blocking after service (delayed transfer):
/// Poisson arrivals at `lambda` to station 1 (`c1` places, waiting room `k1`; an arrival that
/// finds both full is lost); then station 2 (`c2` places, waiting room `k2`), then exit. A
/// station-1 customer who finishes while station 2 is full keeps the station-1 place until
/// station 2 has room (FIFO). Durations exponential with rates `mu1`, `mu2`.
/// Blocking after service as defined in [P94]; the Markov-chain method of [HB67]. With k2 large
/// enough that station 2 is never full, station 1 is an M/M/c1/(c1+k1) queue and, when k1 is
/// also large, station 2 sees a Poisson stream (Burke [B56]) and both are M/M/c queues.
struct TandemLine {
  double lambda = 1;
  std::size_t c1 = 1, k1 = 0;
  double mu1 = 1;
  std::size_t c2 = 1, k2 = 0;
  double mu2 = 1;
};

/// Steady-state measures of a TandemLine from its Markov chain.
struct TandemMeasures {
  std::size_t states = 0;
  double residual = 0;          // max |(π·Q)_j|, how well balance holds
  double loss_probability = 0;  // P(station 1 full) = share of arrivals lost (PASTA)
  double throughput = 0;        // X = λ·(1 − loss), customers per day through both stations
  double blocked_mean = 0;      // E[places held by blocked customers] = blocked place-days/day
  double blocked_fraction = 0;  // share of station-1 departures that were blocked first
  double in_node1_mean = 0;     // E[N1]: in places (serving or blocked) or waiting at 1
  double in_node2_mean = 0;     // E[N2]
  double queue1_mean = 0;       // E[waiting at 1]
  double queue2_mean = 0;       // E[waiting at 2]
  double utilisation1 = 0;      // E[places occupied at 1 (serving or blocked)] / c1
  double utilisation2 = 0;      // E[places occupied at 2] / c2
  double wait1_mean = 0;        // queue wait of admitted customers at 1 = E[q1]/X (Little)
  double wait2_mean = 0;        // E[q2]/X
  double sojourn1_mean = 0;     // entry to departure at 1 (incl. blocked time) = E[N1]/X
  double sojourn2_mean = 0;     // E[N2]/X
};

/// Builds the generator over states (n1, b, n2) — n1 at station 1 (places and waiting room), b
/// of them blocked, n2 at station 2 — and solves it. Keep (c1+k1+1)·(c2+k2+1) below ~1,500
/// states: the solver is dense.
TandemMeasures solve_tandem(const TandemLine& line);

}  // namespace pitstop::test::theory
