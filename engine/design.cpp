#include "engine/design.hpp"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "engine/error.hpp"
#include "engine/rng.hpp"

namespace pitstop::engine {
namespace {

std::string key(std::size_t i, const char* field) {
  return "parameters[" + std::to_string(i) + "]." + field;
}

std::string label(const DesignParameter& p, std::size_t i) {
  return p.name.empty() ? "parameter " + std::to_string(i) : "parameter '" + p.name + "'";
}

bool whole(double x) {
  return std::isfinite(x) && std::floor(x) == x;
}

void check_levels(const DesignParameter& p, std::size_t i) {
  if (p.levels.empty()) throw SpecError(key(i, "levels"), label(p, i) + " has no levels to grid");
  for (double x : p.levels) {
    if (!std::isfinite(x))
      throw SpecError(key(i, "levels"), label(p, i) + " has a level that is not finite");
    if (p.integer && !whole(x)) {
      throw SpecError(key(i, "levels"),
                      label(p, i) + " is whole-valued but has level " + std::to_string(x));
    }
  }
}

/// The number of grid points, refusing a product that does not fit in memory's index type.
std::size_t grid_size(const std::vector<DesignParameter>& ps) {
  std::size_t size = 1;
  for (const DesignParameter& p : ps) {
    if (size > std::numeric_limits<std::size_t>::max() / p.levels.size())
      throw SpecError("parameters", "the grid has too many points to hold");
    size *= p.levels.size();
  }
  return size;
}

void check_count(std::size_t value, const char* what) {
  if (value == 0) throw SpecError(what, std::string("a design needs ") + what + " of at least 1");
}

void check_sobol_dims(std::size_t dims, const char* what) {
  if (dims > sobol_max_dimension()) {
    throw SpecError(what, "a Sobol sequence has at most " + std::to_string(sobol_max_dimension()) +
                              " dimensions; " + std::to_string(dims) + " were asked for");
  }
}

/// A random order of 0 … n−1 (Fisher–Yates).
std::vector<std::size_t> permutation(std::size_t n, Stream s) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i)
    order[i] = i;
  for (std::size_t i = n - 1; i > 0; --i)
    std::swap(order[i], order[s.below(i + 1)]);
  return order;
}

/// (s + u)/n, the point at relative position u (0 < u < 1) in stratum s of n. Rounding can
/// carry it onto the stratum's upper edge (u is as large as 1 − 2^-53) or, where s/n is
/// inexact, just below the lower edge; step to the nearest double that is inside, as judged
/// by floor(x·n) == s.
double in_stratum(std::size_t s, std::size_t n, double u) {
  const double ds = static_cast<double>(s), dn = static_cast<double>(n);
  double x = (ds + u) / dn;
  while (x * dn >= ds + 1)
    x = std::nextafter(x, 0.0);
  while (x * dn < ds)
    x = std::nextafter(x, 1.0);
  return x;
}

double scale(double u, const DesignParameter& p) {
  if (p.integer) return std::min(std::floor(p.min + u * (p.max - p.min + 1)), p.max);
  // min + 1·(max − min) can round past max.
  return std::min(p.min + u * (p.max - p.min), p.max);
}

void check_range(const DesignParameter& p, std::size_t i) {
  if (!std::isfinite(p.min) || !std::isfinite(p.max)) {
    throw SpecError(key(i, "min"), label(p, i) + " needs a finite min and max");
  }
  if (p.min > p.max) {
    throw SpecError(key(i, "min"), label(p, i) + " has min " + std::to_string(p.min) +
                                       " above max " + std::to_string(p.max));
  }
  if (p.integer && (!whole(p.min) || !whole(p.max))) {
    throw SpecError(key(i, "min"), label(p, i) + " is whole-valued, so min and max must be whole");
  }
}

}  // namespace

DesignPoints grid_design(const std::vector<DesignParameter>& parameters) {
  if (parameters.empty()) throw SpecError("parameters", "a grid needs at least one parameter");
  for (std::size_t i = 0; i < parameters.size(); ++i)
    check_levels(parameters[i], i);
  DesignPoints out(grid_size(parameters));
  // An odometer over level indices, the last parameter's wheel turning fastest.
  std::vector<std::size_t> at(parameters.size(), 0);
  for (std::vector<double>& point : out) {
    for (std::size_t p = 0; p < parameters.size(); ++p)
      point.push_back(parameters[p].levels[at[p]]);
    for (std::size_t p = parameters.size(); p-- > 0;) {
      if (++at[p] < parameters[p].levels.size()) break;
      at[p] = 0;
    }
  }
  return out;
}

DesignPoints latin_hypercube(std::size_t n, std::size_t k, std::uint64_t seed) {
  check_count(n, "points");
  check_count(k, "parameters");
  DesignPoints out(n, std::vector<double>(k));
  for (std::size_t p = 0; p < k; ++p) {
    const std::vector<std::size_t> strata = permutation(n, Stream(seed, 0, Purpose::kDesign, p, 0));
    Stream position(seed, 0, Purpose::kDesign, p, 1);
    for (std::size_t r = 0; r < n; ++r)
      out[r][p] = in_stratum(strata[r], n, position.uniform());
  }
  return out;
}

std::size_t sobol_max_dimension() {
  return boost::random::default_sobol_table::max_dimension;
}

DesignPoints sobol_sequence(std::size_t n, std::size_t dims) {
  check_count(n, "points");
  check_count(dims, "dimensions");
  check_sobol_dims(dims, "dimensions");
  boost::random::sobol engine(dims);
  DesignPoints out(n, std::vector<double>(dims));
  for (std::vector<double>& point : out) {
    for (double& x : point)
      x = static_cast<double>(engine()) * 0x1.0p-64;
  }
  return out;
}

SaltelliDesign saltelli_design(std::size_t n, std::size_t k) {
  check_count(n, "points");
  check_count(k, "parameters");
  if (k > sobol_max_dimension() / 2) {
    throw SpecError("parameters", "Saltelli's design needs 2k Sobol dimensions, at most " +
                                      std::to_string(sobol_max_dimension()) + ", so at most " +
                                      std::to_string(sobol_max_dimension() / 2) + " parameters; " +
                                      std::to_string(k) + " were asked for");
  }
  const DesignPoints base = sobol_sequence(n, 2 * k);
  SaltelliDesign d{n, k, DesignPoints(n * (k + 2))};
  for (std::size_t j = 0; j < n; ++j) {
    const auto mid = base[j].begin() + static_cast<std::ptrdiff_t>(k);
    d.points[d.a(j)].assign(base[j].begin(), mid);
    d.points[d.b(j)].assign(mid, base[j].end());
    for (std::size_t i = 0; i < k; ++i) {
      d.points[d.ab(i, j)] = d.points[d.a(j)];
      d.points[d.ab(i, j)][i] = base[j][k + i];
    }
  }
  return d;
}

void check_ranges(const std::vector<DesignParameter>& parameters) {
  for (std::size_t i = 0; i < parameters.size(); ++i)
    check_range(parameters[i], i);
}

std::vector<double> to_parameters(const std::vector<double>& unit,
                                  const std::vector<DesignParameter>& parameters) {
  if (unit.size() != parameters.size()) {
    throw SpecError("parameters", "a design point has " + std::to_string(unit.size()) +
                                      " coordinates for " + std::to_string(parameters.size()) +
                                      " parameters");
  }
  check_ranges(parameters);
  std::vector<double> out(unit.size());
  for (std::size_t i = 0; i < unit.size(); ++i) {
    if (!(unit[i] >= 0 && unit[i] <= 1)) {
      throw SpecError("parameters[" + std::to_string(i) + "]",
                      label(parameters[i], i) + ": design coordinate " + std::to_string(unit[i]) +
                          " is outside [0, 1]");
    }
    out[i] = scale(unit[i], parameters[i]);
  }
  return out;
}

}  // namespace pitstop::engine
