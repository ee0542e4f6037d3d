// Distributions: closed-form moments, samples against them with tolerances derived from
// standard errors, empirical frequencies, descriptions and parameter errors.
//
// Tolerances. With n = 200,000 independent draws:
//  - the sample mean has standard error sqrt(σ²/n);
//  - the sample variance s² has standard error sqrt((μ4 − σ⁴)/n) up to O(1/n²) terms, where μ4
//    is the fourth central moment (the large-sample variance of s², e.g. Kendall & Stuart,
//    The Advanced Theory of Statistics, vol. 1, §10.5);
//  - an empirical CDF value or frequency p has standard error sqrt(p(1 − p)/n).
// Every check allows 4 standard errors (two-sided normal tail ≈ 6e-5), over three fixed seeds.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/distribution.hpp"
#include "engine/error.hpp"

using pitstop::engine::Distribution;
using pitstop::engine::Purpose;
using pitstop::engine::SpecError;
using pitstop::engine::Stream;

namespace {

constexpr int kN = 200'000;
constexpr double kZ = 4.0;
const std::vector<std::uint64_t> kSeeds = {1, 20240401, 987654321};

// The fourth central moment from the first four raw moments.
double central4(double m1, double m2, double m3, double m4) {
  return m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 * m1 * m1 * m1;
}

// kN draws of d from the test stream of `seed`.
std::vector<double> sample(const Distribution& d, std::uint64_t seed) {
  Stream s(seed, 0, Purpose::kTest, 0);
  std::vector<double> xs(kN);
  for (double& x : xs)
    x = d.sample(s);
  return xs;
}

// Sample mean and variance against d.mean() and d.variance(), given the fourth central moment.
void check_moments(const Distribution& d, double mu4) {
  for (std::uint64_t seed : kSeeds) {
    CAPTURE(d.describe(), seed);
    const auto xs = sample(d, seed);
    double mean = 0, m2 = 0;  // Welford
    bool non_negative = true;
    for (int i = 0; i < kN; ++i) {
      non_negative = non_negative && xs[i] >= 0;
      const double delta = xs[i] - mean;
      mean += delta / (i + 1);
      m2 += delta * (xs[i] - mean);
    }
    CHECK(non_negative);
    const double var = m2 / (kN - 1);
    const double sigma2 = d.variance();
    CHECK(std::abs(mean - d.mean()) <= kZ * std::sqrt(sigma2 / kN));
    CHECK(std::abs(var - sigma2) <= kZ * std::sqrt((mu4 - sigma2 * sigma2) / kN));
  }
}

// The fraction of draws <= x against a closed-form CDF, at each of the points xs.
void check_cdf(const Distribution& d, const std::function<double(double)>& cdf,
               const std::vector<double>& points) {
  const auto xs = sample(d, kSeeds[0]);
  for (double x : points) {
    const double p = cdf(x);
    double below = 0;
    for (double v : xs)
      below += v <= x ? 1 : 0;
    CAPTURE(d.describe(), x, p);
    CHECK(std::abs(below / kN - p) <= kZ * std::sqrt(p * (1 - p) / kN));
  }
}

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

// Checks that make() throws SpecError with an empty key path and a message containing `text`.
void check_rejects(const std::function<Distribution()>& make, const std::string& text) {
  try {
    make();
    FAIL("no SpecError for: " << text);
  } catch (const SpecError& e) {
    CHECK(e.key_path().empty());
    CHECK_THAT(e.what(), Catch::Contains(text));
  }
}

}  // namespace

TEST_CASE("standard_normal has the moments and CDF of N(0, 1)", "[distribution]") {
  for (std::uint64_t seed : kSeeds) {
    Stream s(seed, 0, Purpose::kTest);
    double sum = 0, sum2 = 0;
    std::vector<int> below(5, 0);
    for (int i = 0; i < kN; ++i) {
      const double z = pitstop::engine::standard_normal(s);
      sum += z;
      sum2 += z * z;
      for (int k = 0; k < 5; ++k)
        below[k] += z <= k - 2 ? 1 : 0;
    }
    CAPTURE(seed);
    CHECK(std::abs(sum / kN) <= kZ * std::sqrt(1.0 / kN));
    // μ4 = 3 so Var(s²) = (3 − 1)/n.
    CHECK(std::abs(sum2 / kN - 1.0) <= kZ * std::sqrt(2.0 / kN));
    for (int k = 0; k < 5; ++k) {
      const double p = normal_cdf(k - 2);
      CHECK(std::abs(below[k] / double(kN) - p) <= kZ * std::sqrt(p * (1 - p) / kN));
    }
  }
  // It draws only from the stream: the same key gives the same normals.
  Stream a(5, 0, Purpose::kTest), b(5, 0, Purpose::kTest);
  for (int i = 0; i < 100; ++i)
    REQUIRE(pitstop::engine::standard_normal(a) == pitstop::engine::standard_normal(b));
}

TEST_CASE("exponential", "[distribution]") {
  const double m = 2.5;
  const auto d = Distribution::exponential(m);
  CHECK(d.kind() == Distribution::Kind::kExponential);
  CHECK(d.mean() == m);
  CHECK(d.variance() == m * m);
  CHECK_FALSE(d.can_be_zero());
  check_moments(d, 9 * std::pow(m, 4));  // μ4 = 9 m⁴
  check_cdf(d, [m](double x) { return 1 - std::exp(-x / m); }, {0.25, 1.0, 2.5, 5.0, 10.0});
}

TEST_CASE("lognormal", "[distribution]") {
  const double mean = 3, sd = 1.5;
  const auto d = Distribution::lognormal(mean, sd);
  // The underlying normal: σ² = ln(1 + sd²/mean²), μ = ln(mean) − σ²/2.
  const double s2 = std::log(1 + sd * sd / (mean * mean));
  const double mu = std::log(mean) - s2 / 2;
  auto raw = [&](double r) { return std::exp(r * mu + r * r * s2 / 2); };  // E[X^r]
  CHECK(d.mean() == Approx(raw(1)).epsilon(1e-12));
  CHECK(d.variance() == Approx(raw(2) - raw(1) * raw(1)).epsilon(1e-12));
  CHECK(d.variance() == Approx(sd * sd).epsilon(1e-12));
  CHECK_FALSE(d.can_be_zero());
  check_moments(d, central4(raw(1), raw(2), raw(3), raw(4)));
  check_cdf(d, [&](double x) { return normal_cdf((std::log(x) - mu) / std::sqrt(s2)); },
            {1.0, 2.0, 3.0, 4.0, 7.0});

  // sd = 0 is allowed and degenerate at the mean.
  const auto point = Distribution::lognormal(4.2, 0);
  CHECK(point.variance() == 0);
  Stream s(1, 0, Purpose::kTest);
  for (int i = 0; i < 100; ++i)
    REQUIRE(point.sample(s) == 4.2);
}

TEST_CASE("gamma", "[distribution]") {
  // shape k = mean²/sd², scale θ = sd²/mean; μ4 = 3k(k + 2)θ⁴.
  auto mu4 = [](double k, double theta) { return 3 * k * (k + 2) * std::pow(theta, 4); };
  SECTION("shape 2, scale 1 (Marsaglia–Tsang), with its closed-form CDF") {
    const auto d = Distribution::gamma(2, std::sqrt(2.0));
    CHECK(d.mean() == 2);
    CHECK(d.variance() == Approx(2).epsilon(1e-12));
    check_moments(d, mu4(2, 1));
    check_cdf(d, [](double x) { return 1 - std::exp(-x) * (1 + x); }, {0.5, 1, 2, 4, 8});
  }
  SECTION("shape 0.25 (the U^(1/k) boost)") {
    const auto d = Distribution::gamma(1, 2);  // k = 0.25, θ = 4
    CHECK(d.variance() == 4);
    CHECK_FALSE(d.can_be_zero());
    check_moments(d, mu4(0.25, 4));
  }
  SECTION("shape 100") {
    const auto d = Distribution::gamma(10, 1);  // k = 100, θ = 0.1
    check_moments(d, mu4(100, 0.1));
  }
}

TEST_CASE("weibull", "[distribution]") {
  auto raw = [](double k, double lambda, double r) {  // E[X^r] = λ^r Γ(1 + r/k)
    return std::pow(lambda, r) * std::tgamma(1 + r / k);
  };
  auto mu4 = [&](double k, double l) {
    return central4(raw(k, l, 1), raw(k, l, 2), raw(k, l, 3), raw(k, l, 4));
  };
  // Shape 1 is the exponential with mean = scale.
  const auto e = Distribution::weibull(1, 2);
  CHECK(e.mean() == Approx(2).epsilon(1e-14));
  CHECK(e.variance() == Approx(4).epsilon(1e-14));
  // Shape 2 (Rayleigh): mean = λ√π/2, variance = λ²(1 − π/4).
  const double pi = std::acos(-1.0);
  const auto d = Distribution::weibull(2, 3);
  CHECK(d.mean() == Approx(3 * std::sqrt(pi) / 2).epsilon(1e-14));
  CHECK(d.variance() == Approx(9 * (1 - pi / 4)).epsilon(1e-12));
  check_moments(d, mu4(2, 3));
  check_cdf(d, [](double x) { return 1 - std::exp(-std::pow(x / 3, 2)); }, {0.5, 1, 3, 5});
  // Shape below 1: a heavier tail.
  const auto h = Distribution::weibull(0.7, 1.5);
  check_moments(h, mu4(0.7, 1.5));
  check_cdf(h, [](double x) { return 1 - std::exp(-std::pow(x / 1.5, 0.7)); }, {0.1, 1, 5});
  CHECK_FALSE(h.can_be_zero());
}

TEST_CASE("fixed", "[distribution]") {
  const auto d = Distribution::fixed(4);
  CHECK(d.mean() == 4);
  CHECK(d.variance() == 0);
  CHECK_FALSE(d.can_be_zero());
  Stream s(1, 0, Purpose::kTest);
  for (int i = 0; i < 100; ++i)
    REQUIRE(d.sample(s) == 4);
  CHECK(Distribution::fixed(0).can_be_zero());
  const Distribution def;  // the default is fixed(0)
  CHECK(def.kind() == Distribution::Kind::kFixed);
  CHECK(def.mean() == 0);
  CHECK(def.can_be_zero());
}

TEST_CASE("empirical", "[distribution]") {
  const std::vector<double> values = {1, 2, 5, 7, 10};
  const std::vector<double> weights = {1, 2, 3, 0, 4};  // 7 has weight 0: never drawn
  const auto d = Distribution::empirical(values, weights);
  // mean = (1 + 4 + 15 + 40)/10 = 6; E[X²] = (1 + 8 + 75 + 400)/10 = 48.4; variance = 12.4.
  CHECK(d.mean() == Approx(6).epsilon(1e-15));
  CHECK(d.variance() == Approx(12.4).epsilon(1e-14));
  CHECK_FALSE(d.can_be_zero());
  double m[5] = {0, 0, 0, 0, 0};  // raw moments by hand, for μ4
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (int r = 1; r <= 4; ++r)
      m[r] += weights[i] / 10 * std::pow(values[i], r);
  }
  check_moments(d, central4(m[1], m[2], m[3], m[4]));

  // Only listed values, at frequencies within 4 standard errors of the weights.
  for (std::uint64_t seed : kSeeds) {
    std::vector<int> counts(values.size(), 0);
    int unlisted = 0;
    for (double x : sample(d, seed)) {
      const auto it = std::find(values.begin(), values.end(), x);
      if (it == values.end()) {
        ++unlisted;
      } else {
        ++counts[static_cast<std::size_t>(it - values.begin())];
      }
    }
    CAPTURE(seed);
    CHECK(unlisted == 0);
    CHECK(counts[3] == 0);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double p = weights[i] / 10;
      CHECK(std::abs(counts[i] / double(kN) - p) <= kZ * std::sqrt(p * (1 - p) / kN));
    }
  }

  CHECK(Distribution::empirical({0, 1}, {1, 1}).can_be_zero());
  CHECK_FALSE(Distribution::empirical({0, 1}, {0, 1}).can_be_zero());
  // A single value with zero-weight neighbours is always drawn.
  const auto one = Distribution::empirical({3, 4, 5}, {0, 2, 0});
  Stream s(3, 0, Purpose::kTest);
  for (int i = 0; i < 1000; ++i)
    REQUIRE(one.sample(s) == 4);
  CHECK(one.variance() == 0);
}

TEST_CASE("describe() shows the parameters", "[distribution]") {
  CHECK(Distribution::exponential(1).describe() == "exponential(mean=1)");
  CHECK(Distribution::gamma(2, 0.5).describe() == "gamma(mean=2, sd=0.5)");
  CHECK(Distribution::lognormal(3, 1.5).describe() == "lognormal(mean=3, sd=1.5)");
  CHECK(Distribution::weibull(2, 3).describe() == "weibull(shape=2, scale=3)");
  CHECK(Distribution::fixed(0.25).describe() == "fixed(value=0.25)");
  CHECK(Distribution::empirical({1, 2}, {1, 3}).describe() ==
        "empirical(values=[1, 2], weights=[1, 3])");
  CHECK(Distribution().describe() == "fixed(value=0)");
}

TEST_CASE("bad parameters throw SpecError with a clear message", "[distribution]") {
  const double nan = std::nan(""), inf = INFINITY;
  check_rejects([] { return Distribution::exponential(-1); }, "mean must be > 0, got -1");
  check_rejects([] { return Distribution::exponential(0); }, "mean must be > 0, got 0");
  check_rejects([&] { return Distribution::exponential(nan); }, "mean must be > 0");
  check_rejects([&] { return Distribution::exponential(inf); }, "mean must be > 0");
  check_rejects([] { return Distribution::lognormal(0, 1); }, "mean must be > 0");
  check_rejects([] { return Distribution::lognormal(1, -0.5); }, "sd must be >= 0, got -0.5");
  check_rejects([&] { return Distribution::lognormal(1, inf); }, "sd must be >= 0");
  check_rejects([] { return Distribution::gamma(1, 0); }, "sd must be > 0, got 0");
  check_rejects([] { return Distribution::gamma(-2, 1); }, "mean must be > 0, got -2");
  check_rejects([&] { return Distribution::gamma(1, nan); }, "sd must be > 0");
  check_rejects([] { return Distribution::weibull(0, 1); }, "shape must be > 0, got 0");
  check_rejects([] { return Distribution::weibull(1, -3); }, "scale must be > 0, got -3");
  check_rejects([] { return Distribution::weibull(0.001, 1); }, "infinite mean or variance");
  check_rejects([] { return Distribution::fixed(-0.5); }, "value must be >= 0, got -0.5");
  check_rejects([&] { return Distribution::fixed(nan); }, "value must be >= 0");
  check_rejects([] { return Distribution::empirical({}, {}); }, "values must not be empty");
  check_rejects([] { return Distribution::empirical({1, 2}, {1}); }, "same length");
  check_rejects(
      [] {
        return Distribution::empirical({1, -2}, {1, 1});
      },
      "values[1] must be >= 0, got -2");
  check_rejects(
      [] {
        return Distribution::empirical({1, 2}, {1, -1});
      },
      "weights[1] must be >= 0, got -1");
  check_rejects([] { return Distribution::empirical({1, 2}, {0, 0}); }, "positive, finite sum");
  check_rejects([&] { return Distribution::empirical({1}, {inf}); }, "weights[0] must be >= 0");
}

TEST_CASE("sample_residual has the equilibrium residual life's mean E[S²] / (2 E[S])",
          "[distribution]") {
  // The residual life R has E[R] = E[S²] / (2 E[S]) and E[R²] = E[S³] / (3 E[S]); the check
  // allows kZ standard errors sqrt(Var R / n) of the sample mean.
  struct Case {
    Distribution d;
    double m1, m2, m3;  // raw moments of S
  };
  const double s2 = std::log(1 + 1.5 * 1.5 / 9.0), mu = std::log(3.0) - s2 / 2;
  auto ln = [&](double r) { return std::exp(r * mu + r * r * s2 / 2); };
  const double k = 2.0, theta = 1.5;  // gamma(mean 3, sd sqrt(4.5))
  const double wk = 1.5, wl = 2.0;    // weibull(shape, scale)
  auto wr = [&](double r) { return std::pow(wl, r) * std::tgamma(1 + r / wk); };
  const std::vector<Case> cases = {
      {Distribution::exponential(2.0), 2.0, 8.0, 48.0},
      {Distribution::lognormal(3, 1.5), ln(1), ln(2), ln(3)},
      {Distribution::gamma(k * theta, std::sqrt(k) * theta), k * theta, k * (k + 1) * theta * theta,
       k * (k + 1) * (k + 2) * theta * theta * theta},
      {Distribution::weibull(wk, wl), wr(1), wr(2), wr(3)},
      {Distribution::fixed(42.0), 42.0, 42.0 * 42.0, 42.0 * 42.0 * 42.0},
      {Distribution::empirical({1.0, 4.0}, {3.0, 1.0}), 0.75 + 1.0, 0.75 + 4.0, 0.75 + 16.0}};
  for (const Case& c : cases) {
    const double r1 = c.m2 / (2 * c.m1), r2 = c.m3 / (3 * c.m1);
    const double se = std::sqrt((r2 - r1 * r1) / kN);
    Stream s(kSeeds[1], 0, Purpose::kTest, 7);
    double sum = 0;
    bool non_negative = true;
    for (int i = 0; i < kN; ++i) {
      const double x = c.d.sample_residual(s);
      non_negative = non_negative && x >= 0;
      sum += x;
    }
    CAPTURE(c.d.describe(), r1, se);
    CHECK(non_negative);
    CHECK(std::abs(sum / kN - r1) <= kZ * se);
  }
}
