// Closed forms and the tandem-line Markov chain; see queueing_formulas.hpp for the sources.
#include "analytic/queueing_formulas.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pitstop::test::theory {

double erlang_b(std::size_t c, double a) {
  // [J74]: B(k) = a·B(k−1) / (k + a·B(k−1)), B(0) = 1. Every term stays in (0, 1].
  double b = 1.0;
  for (std::size_t k = 1; k <= c; ++k)
    b = a * b / (static_cast<double>(k) + a * b);
  return b;
}

double erlang_c(std::size_t c, double a) {
  const double cc = static_cast<double>(c);
  if (!(a < cc)) throw std::domain_error("erlang_c: needs a < c (a stable queue)");
  const double b = erlang_b(c, a);
  return cc * b / (cc - a * (1.0 - b));  // [GSTH] §2.3
}

double MMc::prob_wait() const {
  return erlang_c(c, offered_load());
}
double MMc::wait_mean() const {
  return prob_wait() / (static_cast<double>(c) * mu - lambda);  // [K75] §3.5
}
double MMc::queue_mean() const {
  return little_l(lambda, wait_mean());
}
double MMc::sojourn_mean() const {
  return wait_mean() + 1.0 / mu;
}
double MMc::in_node_mean() const {
  return little_l(lambda, sojourn_mean());
}

double mm1_wait_mean(double lambda, double mu) {
  if (!(lambda < mu)) throw std::domain_error("mm1_wait_mean: needs λ < μ");
  const double rho = lambda / mu;
  return rho / (mu - lambda);  // [K75] §3.2
}

std::vector<double> solve(Dense m, std::vector<double> b) {
  const std::size_t n = m.n;
  if (b.size() != n) throw std::invalid_argument("solve: size mismatch");
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r) {
      if (std::abs(m(r, col)) > std::abs(m(pivot, col))) pivot = r;
    }
    if (!(std::abs(m(pivot, col)) > 1e-300)) throw std::runtime_error("solve: singular matrix");
    if (pivot != col) {
      for (std::size_t j = 0; j < n; ++j)
        std::swap(m(col, j), m(pivot, j));
      std::swap(b[col], b[pivot]);
    }
    const double d = m(col, col);
    for (std::size_t r = col + 1; r < n; ++r) {
      const double f = m(r, col) / d;
      if (f == 0.0) continue;
      for (std::size_t j = col; j < n; ++j)
        m(r, j) -= f * m(col, j);
      b[r] -= f * b[col];
    }
  }
  std::vector<double> x(n);
  for (std::size_t i = n; i-- > 0;) {
    double s = b[i];
    for (std::size_t j = i + 1; j < n; ++j)
      s -= m(i, j) * x[j];
    x[i] = s / m(i, i);
  }
  return x;
}

std::vector<double> stationary(const Dense& q) {
  // π·Q = 0 ⇔ Qᵀ·πᵀ = 0; one equation is redundant, so the last is replaced by Σπ = 1 [S94].
  const std::size_t n = q.n;
  Dense a(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j)
      a(i, j) = q(j, i);
  }
  for (std::size_t j = 0; j < n; ++j)
    a(n - 1, j) = 1.0;
  std::vector<double> rhs(n, 0.0);
  rhs[n - 1] = 1.0;
  return solve(std::move(a), std::move(rhs));
}

std::vector<double> traffic_rates(const std::vector<double>& gamma,
                                  const std::vector<std::vector<double>>& p) {
  // λ = γ + λ·P ⇔ (I − Pᵀ)·λ = γ [J57].
  const std::size_t n = gamma.size();
  if (p.size() != n) throw std::invalid_argument("traffic_rates: size mismatch");
  Dense a(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i].size() != n) throw std::invalid_argument("traffic_rates: routing not square");
    for (std::size_t j = 0; j < n; ++j)
      a(j, i) -= p[i][j];
    a(i, i) += 1.0;
  }
  return solve(std::move(a), gamma);
}

std::vector<MMc> jackson(const std::vector<double>& gamma,
                         const std::vector<std::vector<double>>& p, const std::vector<double>& mu,
                         const std::vector<std::size_t>& c) {
  const std::vector<double> lambda = traffic_rates(gamma, p);
  if (mu.size() != lambda.size() || c.size() != lambda.size()) {
    throw std::invalid_argument("jackson: size mismatch");
  }
  std::vector<MMc> nodes;
  for (std::size_t i = 0; i < lambda.size(); ++i) {
    MMc node{lambda[i], mu[i], c[i]};
    if (!(node.utilisation() < 1)) throw std::domain_error("jackson: a node is unstable");
    nodes.push_back(node);
  }
  return nodes;
}

namespace {

/// The state space of a TandemLine: (n1, b, n2) with b ≤ min(n1, c1), and b > 0 only when
/// station 2 is full (a blocked customer moves the instant station 2 has room).
class TandemStates {
 public:
  explicit TandemStates(const TandemLine& l)
      : n1_max_(l.c1 + l.k1),
        b_max_(l.c1),
        n2_max_(l.c2 + l.k2),
        index_((n1_max_ + 1) * (b_max_ + 1) * (n2_max_ + 1), kNone) {
    for (std::size_t n1 = 0; n1 <= n1_max_; ++n1) {
      for (std::size_t b = 0; b <= std::min(n1, b_max_); ++b) {
        for (std::size_t n2 = 0; n2 <= n2_max_; ++n2) {
          if (b > 0 && n2 != n2_max_) continue;
          index_[key(n1, b, n2)] = states_.size();
          states_.push_back({n1, b, n2});
        }
      }
    }
  }

  struct State {
    std::size_t n1, b, n2;
  };
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  std::size_t size() const { return states_.size(); }
  const State& operator[](std::size_t i) const { return states_[i]; }
  std::size_t index(std::size_t n1, std::size_t b, std::size_t n2) const {
    const std::size_t i = index_[key(n1, b, n2)];
    if (i == kNone) throw std::logic_error("TandemStates: transition to an impossible state");
    return i;
  }
  std::size_t n1_max() const { return n1_max_; }
  std::size_t n2_max() const { return n2_max_; }

 private:
  std::size_t key(std::size_t n1, std::size_t b, std::size_t n2) const {
    return (n1 * (b_max_ + 1) + b) * (n2_max_ + 1) + n2;
  }
  std::size_t n1_max_, b_max_, n2_max_;
  std::vector<std::size_t> index_;
  std::vector<State> states_;
};

}  // namespace

TandemMeasures solve_tandem(const TandemLine& l) {
  if (l.c1 == 0 || l.c2 == 0) throw std::invalid_argument("solve_tandem: needs c1, c2 ≥ 1");
  const TandemStates states(l);
  const std::size_t n = states.size();
  if (n > 4000) throw std::invalid_argument("solve_tandem: too many states for a dense solve");
  Dense q(n);
  auto add = [&](std::size_t from, std::size_t to, double rate) {
    q(from, to) += rate;
    q(from, from) -= rate;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const auto [n1, b, n2] = states[i];
    const std::size_t serving1 = std::min(n1, l.c1) - b;  // places not held by blocked people
    const std::size_t serving2 = std::min(n2, l.c2);
    const bool full2 = n2 == states.n2_max();
    // An arrival joins station 1 (a place or the waiting room) unless it is full: then lost.
    if (n1 < states.n1_max()) add(i, states.index(n1 + 1, b, n2), l.lambda);
    // A station-1 completion moves on if station 2 has room, else blocks in its place.
    if (serving1 > 0) {
      const double rate = static_cast<double>(serving1) * l.mu1;
      add(i, full2 ? states.index(n1, b + 1, n2) : states.index(n1 - 1, b, n2 + 1), rate);
    }
    // A station-2 completion frees room; the first blocked customer takes it at once (station 2
    // stays full) and a station-1 waiter, if any, takes the freed station-1 place.
    if (serving2 > 0) {
      const double rate = static_cast<double>(serving2) * l.mu2;
      add(i, b > 0 ? states.index(n1 - 1, b - 1, n2) : states.index(n1, b, n2 - 1), rate);
    }
  }
  const std::vector<double> pi = stationary(q);

  TandemMeasures m;
  m.states = n;
  for (std::size_t j = 0; j < n; ++j) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i)
      s += pi[i] * q(i, j);
    m.residual = std::max(m.residual, std::abs(s));
  }
  double block_rate = 0;  // rate of station-1 completions that find station 2 full
  for (std::size_t i = 0; i < n; ++i) {
    const auto [n1, b, n2] = states[i];
    const double p = pi[i];
    const auto d = [](std::size_t x) { return static_cast<double>(x); };
    if (n1 == states.n1_max()) m.loss_probability += p;
    m.blocked_mean += p * d(b);
    if (n2 == states.n2_max()) block_rate += p * d(std::min(n1, l.c1) - b) * l.mu1;
    m.in_node1_mean += p * d(n1);
    m.in_node2_mean += p * d(n2);
    m.queue1_mean += p * d(n1 - std::min(n1, l.c1));
    m.queue2_mean += p * d(n2 - std::min(n2, l.c2));
    m.utilisation1 += p * d(std::min(n1, l.c1)) / d(l.c1);
    m.utilisation2 += p * d(std::min(n2, l.c2)) / d(l.c2);
  }
  m.throughput = l.lambda * (1 - m.loss_probability);
  m.blocked_fraction = block_rate / m.throughput;
  m.wait1_mean = m.queue1_mean / m.throughput;  // Little [L61], per admitted customer
  m.wait2_mean = m.queue2_mean / m.throughput;
  m.sojourn1_mean = m.in_node1_mean / m.throughput;
  m.sojourn2_mean = m.in_node2_mean / m.throughput;
  return m;
}

}  // namespace pitstop::test::theory
