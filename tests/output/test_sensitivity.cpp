// Sobol indices on functions whose indices are known: Ishigami's (strongly non-additive, one
// parameter acting only through an interaction) and a linear model; the bootstrap's
// determinism; undefined indices when the outputs do not vary; bad input refused.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "engine/design.hpp"
#include "engine/error.hpp"
#include "output/sensitivity.hpp"

using namespace pitstop::output;
using pitstop::engine::saltelli_design;
using pitstop::engine::SaltelliDesign;
using pitstop::engine::SpecError;

namespace {

constexpr double kPi = 3.14159265358979323846;

/// The model's output at every point of the design.
std::vector<double> evaluate(const SaltelliDesign& d,
                             const std::function<double(const std::vector<double>&)>& f) {
  std::vector<double> out;
  for (const auto& x : d.points)
    out.push_back(f(x));
  return out;
}

/// Ishigami & Homma (1990) with a = 7, b = 0.1, on unit-cube coordinates mapped to (−π, π).
double ishigami(const std::vector<double>& u) {
  const double x1 = -kPi + 2 * kPi * u[0], x2 = -kPi + 2 * kPi * u[1], x3 = -kPi + 2 * kPi * u[2];
  const double s2 = std::sin(x2);
  return std::sin(x1) + 7 * s2 * s2 + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

/// Its analytic indices (e.g. Saltelli et al. 2008, Global Sensitivity Analysis, §4.6).
struct Analytic {
  double s[3], st[3];
};
Analytic ishigami_indices() {
  const double a = 7, b = 0.1, pi4 = std::pow(kPi, 4), pi8 = pi4 * pi4;
  const double v1 = 0.5 * std::pow(1 + b * pi4 / 5, 2);
  const double v2 = a * a / 8;
  const double v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  return {{v1 / v, v2 / v, 0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

std::string spec_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const SpecError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Sobol indices of the Ishigami function", "[sensitivity]") {
  const Analytic exact = ishigami_indices();
  // The values usually quoted.
  CHECK(exact.s[0] == Approx(0.3139).margin(1e-4));
  CHECK(exact.s[1] == Approx(0.4424).margin(1e-4));
  CHECK(exact.st[0] == Approx(0.5576).margin(1e-4));
  CHECK(exact.st[2] == Approx(0.2437).margin(1e-4));

  const SaltelliDesign d = saltelli_design(1u << 13, 3);
  const std::vector<SobolIndex> idx = sobol_indices(d, evaluate(d, ishigami));
  REQUIRE(idx.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i, idx[i].first, idx[i].first_lo, idx[i].first_hi, idx[i].total, idx[i].total_lo,
            idx[i].total_hi);
    // Tolerance: the bootstrap treats the 2^13 rows as independent, so its interval is that of
    // plain Monte Carlo with these estimators. The widest 95% half-width here is about 0.031
    // (ST_1; S_1 0.021, S_2 0.020, S_3 0.020), a standard error of at most 0.016, so 0.05 is
    // over three standard errors for every index. The Sobol points do better than Monte Carlo:
    // the actual errors are about 0.001.
    CHECK(idx[i].first == Approx(exact.s[i]).margin(0.05));
    CHECK(idx[i].total == Approx(exact.st[i]).margin(0.05));
    CHECK(idx[i].first_lo <= idx[i].first);
    CHECK(idx[i].first <= idx[i].first_hi);
    CHECK(idx[i].total_lo <= idx[i].total);
    CHECK(idx[i].total <= idx[i].total_hi);
    // The 95% intervals cover the truth (S_3 = 0 too, though that is not required).
    if (i < 2) {
      CHECK(idx[i].first_lo <= exact.s[i]);
      CHECK(exact.s[i] <= idx[i].first_hi);
    }
    CHECK(idx[i].total_lo <= exact.st[i]);
    CHECK(exact.st[i] <= idx[i].total_hi);
  }
  // Parameter 3 acts only with parameter 1: no first-order effect, a sizeable total one.
  CHECK(idx[2].total - idx[2].first > 0.15);
}

TEST_CASE("Sobol indices of a linear model are its squared-weight shares", "[sensitivity]") {
  // f = Σ a_i x_i with x_i ~ U(0, 1): V_i = a_i² / 12, additive, so S_i = ST_i = a_i² / Σa².
  const std::vector<double> a = {1, 2, 3, 0.5, 0};
  const double sum_sq = std::inner_product(a.begin(), a.end(), a.begin(), 0.0);
  const SaltelliDesign d = saltelli_design(1u << 12, a.size());
  const auto f = [&](const std::vector<double>& x) {
    return std::inner_product(a.begin(), a.end(), x.begin(), 0.0);
  };
  const std::vector<SobolIndex> idx = sobol_indices(d, evaluate(d, f), {500, 0.95, 3});
  for (std::size_t i = 0; i < a.size(); ++i) {
    CAPTURE(i, idx[i].first, idx[i].first_lo, idx[i].first_hi, idx[i].total, idx[i].total_lo,
            idx[i].total_hi);
    const double s = a[i] * a[i] / sum_sq;
    // The widest 95% bootstrap half-width here is 0.029 (S_3 and ST_3, the largest weight), a
    // standard error of 0.015: 0.045 is three of them. The actual errors are about 0.001.
    CHECK(idx[i].first == Approx(s).margin(0.045));
    CHECK(idx[i].total == Approx(s).margin(0.045));
    CHECK(idx[i].first_lo <= s);
    CHECK(s <= idx[i].first_hi);
    CHECK(idx[i].total_lo <= s);
    CHECK(s <= idx[i].total_hi);
  }
  // A parameter with no weight changes nothing: exactly zero, with a zero-width interval.
  CHECK(idx[4].first == 0);
  CHECK(idx[4].total == 0);
  CHECK(idx[4].total_hi == 0);
}

TEST_CASE("Sobol indices do not depend on the output's offset", "[sensitivity]") {
  // Model outputs such as costs sit far from 0; an offset must not add noise to S_i.
  const SaltelliDesign d = saltelli_design(1024, 3);
  const std::vector<double> y = evaluate(d, ishigami);
  std::vector<double> shifted = y;
  for (double& v : shifted)
    v += 1e6;
  const auto base = sobol_indices(d, y, {100, 0.95, 1});
  const auto moved = sobol_indices(d, shifted, {100, 0.95, 1});
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    // Equal up to the rounding of outputs near 10⁶ (ulp 1.2e-10, over a variance near 14).
    CHECK(moved[i].first == Approx(base[i].first).margin(1e-6));
    CHECK(moved[i].total == Approx(base[i].total).margin(1e-6));
    CHECK(moved[i].first_hi == Approx(base[i].first_hi).margin(1e-6));
  }
}

TEST_CASE("the bootstrap is deterministic given its seed", "[sensitivity]") {
  const SaltelliDesign d = saltelli_design(256, 3);
  const std::vector<double> y = evaluate(d, ishigami);
  const auto run = [&](std::uint64_t seed) { return sobol_indices(d, y, {200, 0.9, seed}); };
  const auto same = [](const std::vector<SobolIndex>& x, const std::vector<SobolIndex>& z) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (x[i].first_lo != z[i].first_lo || x[i].first_hi != z[i].first_hi ||
          x[i].total_lo != z[i].total_lo || x[i].total_hi != z[i].total_hi)
        return false;
    }
    return true;
  };
  const auto a = run(11), b = run(11), c = run(12);
  CHECK(same(a, b));
  CHECK_FALSE(same(a, c));
  // The point estimates do not depend on the seed.
  CHECK(a[0].first == c[0].first);
  CHECK(a[2].total == c[2].total);

  // The blockwise and the design overloads agree.
  const std::size_t n = d.n;
  std::vector<std::vector<double>> ab;
  for (std::size_t i = 0; i < d.k; ++i)
    ab.emplace_back(y.begin() + static_cast<std::ptrdiff_t>(d.ab(i, 0)),
                    y.begin() + static_cast<std::ptrdiff_t>(d.ab(i, 0) + n));
  const auto blocks =
      sobol_indices(std::vector<double>(y.begin(), y.begin() + n),
                    std::vector<double>(y.begin() + n, y.begin() + 2 * n), ab, {200, 0.9, 11});
  CHECK(same(blocks, a));
}

TEST_CASE("Sobol indices are NaN when the outputs do not vary", "[sensitivity]") {
  const SaltelliDesign d = saltelli_design(64, 2);
  const std::vector<double> flat(d.points.size(), 4.2);
  const std::vector<SobolIndex> idx = sobol_indices(d, flat);
  REQUIRE(idx.size() == 2);
  for (const SobolIndex& s : idx) {
    CHECK(std::isnan(s.first));
    CHECK(std::isnan(s.first_lo));
    CHECK(std::isnan(s.first_hi));
    CHECK(std::isnan(s.total));
    CHECK(std::isnan(s.total_lo));
    CHECK(std::isnan(s.total_hi));
  }
  // No resamples: point estimates with NaN intervals.
  const SaltelliDesign d2 = saltelli_design(64, 2);
  const auto noboot = sobol_indices(d2, evaluate(d2, [](const auto& x) { return x[0]; }), {0});
  CHECK(noboot[0].first == Approx(1).margin(0.1));
  CHECK(std::isnan(noboot[0].first_lo));
}

TEST_CASE("Sobol indices refuse bad input with a clear SpecError", "[sensitivity]") {
  const std::vector<double> three = {1, 2, 3}, two = {1, 2};
  CHECK_THAT(spec_error([&] { sobol_indices(three, two, {three}); }),
             Catch::Contains("3 outputs in f_B (as many as in f_A), not 2"));
  CHECK_THAT(spec_error([&] {
               sobol_indices(three, three, {three, two});
             }),
             Catch::Contains("outputs in f_AB[1]"));
  CHECK_THAT(spec_error([&] { sobol_indices(three, three, {}); }),
             Catch::Contains("at least one parameter"));
  CHECK_THAT(spec_error([&] { sobol_indices(std::vector<double>{}, {}, {{}}); }),
             Catch::Contains("at least one row"));
  CHECK_THAT(spec_error([&] {
               sobol_indices(three, {1, NAN, 3}, {three});
             }),
             Catch::Contains("output f_B[1] is nan"));
  CHECK_THAT(spec_error([&] {
               sobol_indices(three, three, {three}, {10, 1.5, 0});
             }),
             Catch::Contains("confidence must be in (0, 1)"));
  const SaltelliDesign d = saltelli_design(8, 2);
  CHECK_THAT(spec_error([&] { sobol_indices(d, std::vector<double>(31, 1.0)); }),
             Catch::Contains("has 32 points but 31 outputs"));
}
