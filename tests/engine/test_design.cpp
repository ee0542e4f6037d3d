// Experimental designs: the factorial grid's size and order, the Latin hypercube's strata and
// determinism, the Sobol sequence against Boost's own engine, Saltelli's block layout, the
// scaling to parameter units (equal shares for whole values) and the refusal of bad input.
#include <algorithm>
#include <boost/random/sobol.hpp>
#include <boost/random/uniform_01.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "engine/design.hpp"
#include "engine/error.hpp"

using namespace pitstop::engine;

namespace {

DesignParameter param(std::string name, double min, double max, bool integer = false) {
  DesignParameter p;
  p.name = std::move(name);
  p.min = min;
  p.max = max;
  p.integer = integer;
  return p;
}

DesignParameter levels(std::string name, std::vector<double> values) {
  DesignParameter p;
  p.name = std::move(name);
  p.levels = std::move(values);
  return p;
}

/// The SpecError message `f` throws ("" when it throws none); any other exception fails.
std::string spec_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const SpecError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("grid: the full factorial, first parameter slowest", "[design]") {
  const DesignPoints d =
      grid_design({levels("a", {1, 2}), levels("b", {10, 20, 30}), levels("c", {0.5})});
  REQUIRE(d.size() == 2 * 3 * 1);
  const DesignPoints expected = {{1, 10, 0.5}, {1, 20, 0.5}, {1, 30, 0.5},
                                 {2, 10, 0.5}, {2, 20, 0.5}, {2, 30, 0.5}};
  CHECK(d == expected);

  const DesignPoints big = grid_design(
      {levels("x", {1, 2, 3}), levels("y", {1, 2, 3, 4}), levels("z", {1, 2, 3, 4, 5})});
  REQUIRE(big.size() == 60);
  // Every combination exactly once.
  std::map<std::vector<double>, int> seen;
  for (const auto& row : big)
    ++seen[row];
  CHECK(seen.size() == 60);
  CHECK(big.front() == std::vector<double>{1, 1, 1});
  CHECK(big[1] == std::vector<double>{1, 1, 2});
  CHECK(big[5] == std::vector<double>{1, 2, 1});
  CHECK(big[20] == std::vector<double>{2, 1, 1});
  CHECK(big.back() == std::vector<double>{3, 4, 5});
}

TEST_CASE("Latin hypercube: one point in every stratum of every parameter", "[design]") {
  using Case = std::tuple<std::size_t, std::size_t, std::uint64_t>;
  // Includes n = 1, odd and prime n (inexact s/n), and a large n where rounding (s + u)/n onto
  // a stratum edge is likeliest.
  for (const auto& [n, k, seed] : {Case{1, 1, 0}, Case{2, 3, 1}, Case{10, 4, 42}, Case{97, 5, 7},
                                   Case{1000, 3, 123456789}, Case{1u << 18, 1, 99}}) {
    CAPTURE(n, k, seed);
    const DesignPoints d = latin_hypercube(n, k, seed);
    REQUIRE(d.size() == n);
    for (std::size_t p = 0; p < k; ++p) {
      CAPTURE(p);
      std::vector<int> count(n, 0);
      bool in_unit = true;
      for (const auto& row : d) {
        const double x = row.at(p);
        in_unit = in_unit && x >= 0 && x < 1;
        if (x >= 0 && x < 1)
          ++count[static_cast<std::size_t>(std::floor(x * static_cast<double>(n)))];
      }
      CHECK(in_unit);
      CHECK(std::count(count.begin(), count.end(), 1) == static_cast<std::ptrdiff_t>(n));
    }
    CHECK(latin_hypercube(n, k, seed) == d);
    if (n > 1) CHECK(latin_hypercube(n, k, seed + 1) != d);
  }
}

TEST_CASE("Latin hypercube: parameters are ordered independently", "[design]") {
  // The same strata order in two columns would make them perfectly correlated.
  const DesignPoints d = latin_hypercube(50, 2, 5);
  int same = 0;
  for (const auto& row : d)
    same += std::floor(row[0] * 50) == std::floor(row[1] * 50);
  CHECK(same < 10);
}

TEST_CASE("Sobol: the points of Boost's own engine, mapped by uniform_01", "[design]") {
  for (std::size_t dims : {1u, 2u, 5u, 40u}) {
    CAPTURE(dims);
    const std::size_t n = 300;
    const DesignPoints d = sobol_sequence(n, dims);
    REQUIRE(d.size() == n);
    boost::random::sobol engine(dims);
    boost::random::uniform_01<double> u01;
    for (std::size_t j = 0; j < n; ++j) {
      REQUIRE(d[j].size() == dims);
      for (std::size_t i = 0; i < dims; ++i)
        REQUIRE(d[j][i] == u01(engine));
    }
  }
}

TEST_CASE("Sobol: Boost starts after the origin", "[design]") {
  // The sequence proper starts at 0; Boost's first point is the sequence's second.
  const DesignPoints one = sobol_sequence(8, 1);
  const std::vector<double> first = {0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125, 0.1875};
  for (std::size_t j = 0; j < first.size(); ++j)
    CHECK(one[j][0] == first[j]);
  const DesignPoints two = sobol_sequence(5, 2);
  const DesignPoints expected = {
      {0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}, {0.875, 0.875}};
  CHECK(two == expected);

  // So its first 2^m − 1 points in one dimension are the multiples of 2^-m but 0.
  const std::size_t m = 10, n = (1u << m) - 1;
  std::vector<int> hit(n + 1, 0);
  for (const auto& row : sobol_sequence(n, 1)) {
    const double scaled = row[0] * static_cast<double>(n + 1);
    REQUIRE(scaled == std::floor(scaled));
    ++hit[static_cast<std::size_t>(scaled)];
  }
  CHECK(hit[0] == 0);
  for (std::size_t i = 1; i <= n; ++i)
    REQUIRE(hit[i] == 1);
}

TEST_CASE("Saltelli: A, B and each AB_i in their documented blocks", "[design]") {
  const std::size_t n = 32, k = 3;
  const SaltelliDesign d = saltelli_design(n, k);
  const DesignPoints base = sobol_sequence(n, 2 * k);
  REQUIRE(d.n == n);
  REQUIRE(d.k == k);
  REQUIRE(d.points.size() == n * (k + 2));
  CHECK(d.a(5) == 5);
  CHECK(d.b(5) == n + 5);
  CHECK(d.ab(0, 5) == 2 * n + 5);
  CHECK(d.ab(2, 5) == 4 * n + 5);
  for (std::size_t j = 0; j < n; ++j) {
    const std::vector<double>& a = d.points[d.a(j)];
    const std::vector<double>& b = d.points[d.b(j)];
    REQUIRE(a == std::vector<double>(base[j].begin(), base[j].begin() + k));
    REQUIRE(b == std::vector<double>(base[j].begin() + k, base[j].end()));
    for (std::size_t i = 0; i < k; ++i) {
      const std::vector<double>& ab = d.points[d.ab(i, j)];
      REQUIRE(ab.size() == k);
      for (std::size_t c = 0; c < k; ++c)
        REQUIRE(ab[c] == (c == i ? b[c] : a[c]));
    }
  }
}

TEST_CASE("to_parameters: ranges, bounds and equal shares for whole values", "[design]") {
  const std::vector<DesignParameter> ps = {param("rate", 0.1, 0.3), param("beds", 4, 24, true),
                                           param("fixed", 7, 7, true), param("neg", -2, 2)};
  CHECK(to_parameters({0, 0, 0, 0}, ps) == std::vector<double>{0.1, 4, 7, -2});
  CHECK(to_parameters({1, 1, 1, 1}, ps) == std::vector<double>{0.3, 24, 7, 2});
  const std::vector<double> mid = to_parameters({0.5, 0.5, 0.5, 0.5}, ps);
  CHECK(mid[0] == Approx(0.2));
  CHECK(mid[1] == 14);  // 4 + floor(0.5·21) = 14, the middle of 4 … 24
  CHECK(mid[3] == 0);

  // Over a fine even grid of u, each of the 21 whole values 4 … 24 gets the same count.
  const std::vector<DesignParameter> beds = {param("beds", 4, 24, true)};
  const int per = 1000, values = 21, steps = per * values;
  std::map<double, int> count;
  for (int s = 0; s < steps; ++s)
    ++count[to_parameters({(s + 0.5) / steps}, beds)[0]];
  REQUIRE(count.size() == static_cast<std::size_t>(values));
  for (const auto& [value, c] : count) {
    CAPTURE(value);
    CHECK(c == per);
  }
  // Near the top of [0, 1] the last value, never beyond it.
  CHECK(to_parameters({std::nextafter(1.0, 0.0)}, beds)[0] == 24);
}

TEST_CASE("designs refuse bad input with a clear SpecError", "[design]") {
  CHECK_THAT(spec_error([] {
               grid_design({levels("a", {1}), levels("b", {})});
             }),
             Catch::Contains("parameter 'b' has no levels"));
  CHECK_THAT(spec_error([] { grid_design({}); }), Catch::Contains("at least one parameter"));
  CHECK_THAT(spec_error([] {
               DesignParameter p = levels("n", {1, 2.5});
               p.integer = true;
               grid_design({p});
             }),
             Catch::Contains("whole-valued but has level 2.5"));
  CHECK_THAT(spec_error([] { latin_hypercube(0, 2, 1); }), Catch::Contains("points of at least 1"));
  CHECK_THAT(spec_error([] { latin_hypercube(5, 0, 1); }),
             Catch::Contains("parameters of at least 1"));
  CHECK_THAT(spec_error([] { sobol_sequence(0, 2); }), Catch::Contains("points of at least 1"));
  CHECK_THAT(spec_error([] { sobol_sequence(4, sobol_max_dimension() + 1); }),
             Catch::Contains("at most 3667 dimensions; 3668 were asked for"));
  CHECK(sobol_sequence(1, sobol_max_dimension()).front().size() == 3667);
  CHECK_THAT(spec_error([] { saltelli_design(4, 0); }),
             Catch::Contains("parameters of at least 1"));
  CHECK_THAT(spec_error([] { saltelli_design(0, 2); }), Catch::Contains("points of at least 1"));
  CHECK_THAT(spec_error([] { saltelli_design(4, 1834); }),
             Catch::Contains("at most 1833 parameters"));
  CHECK_THAT(spec_error([] { to_parameters({0.5}, {param("p", 3, 1)}); }),
             Catch::Contains("parameter 'p' has min 3.000000 above max 1.000000"));
  CHECK_THAT(spec_error([] { to_parameters({0.5}, {param("p", 0.5, 3, true)}); }),
             Catch::Contains("whole-valued, so min and max must be whole"));
  CHECK_THAT(spec_error([] { to_parameters({1.5}, {param("p", 0, 1)}); }),
             Catch::Contains("outside [0, 1]"));
  CHECK_THAT(spec_error([] {
               to_parameters({0.5, 0.5}, {param("p", 0, 1)});
             }),
             Catch::Contains("2 coordinates for 1 parameters"));
  CHECK_THAT(spec_error([] {
               check_ranges({param("a", 0, 1), param("b", 2, 1)});
             }),
             Catch::Contains("parameter 'b'"));
  try {
    check_ranges({param("a", 0, 1), param("b", 2, 1)});
  } catch (const SpecError& e) {
    CHECK(e.key_path() == "parameters[1].min");
  }
}
