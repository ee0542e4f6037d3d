// Experimental designs over k parameters: a full factorial grid, a Latin hypercube, a Sobol
// low-discrepancy sequence and Saltelli's design for Sobol sensitivity indices. Designs other
// than the grid are made in the unit cube [0,1)^k; to_parameters() scales a point to each
// parameter's range.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pitstop::engine {

/// One parameter a design varies.
struct DesignParameter {
  std::string name;
  double min = 0, max = 1;     // range for the unit-cube designs (min <= max)
  bool integer = false;        // takes whole values only (min and max must be whole)
  std::vector<double> levels;  // the values the grid takes, in order (grid_design only)
};

/// Row-major points: design[r][p] is parameter p of point r.
using DesignPoints = std::vector<std::vector<double>>;

/// The full factorial product of every parameter's levels, in parameter units; the first
/// parameter varies slowest. Size: the product of the level counts. Throws SpecError for no
/// parameters, empty levels, non-finite or (for an integer parameter) fractional levels.
DesignPoints grid_design(const std::vector<DesignParameter>& parameters);

/// A Latin hypercube of n points over k parameters in [0,1): for each parameter the n strata
/// [s/n, (s+1)/n) each hold exactly one point (floor(x·n) == s, computed in double), in an
/// independent random order, at a uniform random position within the stratum. Deterministic
/// given the seed: parameter p draws from Stream(seed, 0, Purpose::kDesign, p, sub) with sub 0
/// for the order (Fisher–Yates) and sub 1 for the positions. Throws SpecError for n or k of 0.
DesignPoints latin_hypercube(std::size_t n, std::size_t k, std::uint64_t seed);

/// The largest dimension Boost's default Sobol table supports (3667 in Boost 1.74).
std::size_t sobol_max_dimension();

/// The first n points of boost::random::sobol in `dims` dimensions (Joe–Kuo direction numbers,
/// Gray-code order). Each 64-bit coordinate x maps to x·2^-64, which is what
/// boost::uniform_01<double> returns for this engine (its factor 1/(max − min + 1) is 2^-64);
/// it is exact, since point i < 2^m has only its top m bits set (m <= 53 for any n we can
/// hold), and so always < 1: no value is rejected, so no coordinate is skipped.
/// Note that Boost leaves out the sequence's first point, the origin: point 0 here is
/// (0.5, …, 0.5). We skip nothing more. (So the first 2^m points are the balanced 2^m-point net
/// with its origin replaced by the next point; the effect on estimates is of order 2^-m.)
/// Throws SpecError for n or dims of 0, or dims above sobol_max_dimension().
DesignPoints sobol_sequence(std::size_t n, std::size_t dims);

/// Saltelli's design for first-order and total Sobol indices of k parameters, from n points
/// of the 2k-dimensional Sobol sequence: A is its first k columns, B its last k, and AB_i is A
/// with column i taken from B. The n·(k+2) points are laid out in blocks of n rows:
///   rows [0, n)                 A      (row j = a(j))
///   rows [n, 2n)                B      (row j = b(j))
///   rows [(2+i)·n, (3+i)·n)     AB_i   (row j = ab(i, j)), for i = 0 … k−1.
/// Row j of every block comes from the same Sobol point j. Points are in the unit cube.
struct SaltelliDesign {
  std::size_t n = 0, k = 0;
  DesignPoints points;

  std::size_t a(std::size_t j) const { return j; }
  std::size_t b(std::size_t j) const { return n + j; }
  std::size_t ab(std::size_t i, std::size_t j) const { return (2 + i) * n + j; }
};

/// Saltelli's design for n base points and k parameters. Throws SpecError for n or k of 0, or
/// 2k above sobol_max_dimension().
SaltelliDesign saltelli_design(std::size_t n, std::size_t k);

/// One unit-cube point in parameter units: min + u·(max − min). An integer parameter gives each
/// whole value in [min, max] an equal share of [0,1): floor(min + u·(max − min + 1)), at most
/// max. Throws SpecError when the sizes differ, a u is outside [0,1], or a range is bad
/// (min > max, not finite, or not whole for an integer parameter).
std::vector<double> to_parameters(const std::vector<double>& unit,
                                  const std::vector<DesignParameter>& parameters);

/// Checks every parameter's range as to_parameters() needs it, so a caller can reject a bad
/// description before it runs anything. Throws SpecError with key path "parameters[i].min" etc.
void check_ranges(const std::vector<DesignParameter>& parameters);

}  // namespace pitstop::engine
