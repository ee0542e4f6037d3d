// Sobol sensitivity indices from a model's outputs on Saltelli's design (engine/design.hpp):
// how much of the output's variance each parameter explains alone (first order) and with all
// its interactions (total), with bootstrap percentile intervals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/design.hpp"

namespace pitstop::output {

/// One parameter's indices and their intervals. NaN when the outputs do not vary (V = 0, or
/// a spread within rounding of their size): no parameter explains any of a variance of zero,
/// and the ratio 0/0 has no value.
struct SobolIndex {
  double first = 0, first_lo = 0, first_hi = 0;  // S_i (Saltelli et al. 2010)
  double total = 0, total_lo = 0, total_hi = 0;  // ST_i (Jansen 1999)
};

struct SobolOptions {
  std::size_t resamples = 1000;  // bootstrap resamples; 0 leaves the intervals NaN
  double confidence = 0.95;      // of the two-sided percentile interval
  std::uint64_t seed = 0;        // resample b draws from Stream(seed, 0, kBootstrap, b)
};

/// Indices of k parameters from the outputs at the n rows of A, of B and of each AB_i
/// (f_AB[i][j] is the output at row j of AB_i). With m and V the mean and variance (divisor
/// 2n) of the 2n values f_A ∪ f_B:
///   S_i  = mean_j (f_B[j] − m)·(f_AB[i][j] − f_A[j]) / V     (Saltelli et al. 2010)
///   ST_i = mean_j (f_A[j] − f_AB[i][j])² / 2 / V              (Jansen 1999)
/// Centring f_B on m does not change what S_i estimates (E[f_ABi − f_A] = 0) but makes it,
/// like ST_i, blind to the output's offset; uncentred, its noise grows with m²/V (a cost of
/// 10⁶ ± 10³ would need about 10⁶ times the runs).
/// The bootstrap resamples the n rows with replacement, the same row j for A, B and every AB_i
/// (they come from one Sobol point), and takes the percentile interval of each index; a
/// resample whose outputs do not vary gives no value and is left out. Deterministic given the
/// seed. Throws engine::SpecError when the sizes disagree, n or k is 0, an output is not
/// finite, or the confidence is not in (0, 1).
std::vector<SobolIndex> sobol_indices(const std::vector<double>& f_A,
                                      const std::vector<double>& f_B,
                                      const std::vector<std::vector<double>>& f_AB,
                                      const SobolOptions& options = {});

/// The same from one output per row of `design.points`, in its layout (A, B, AB_0 … AB_k−1).
std::vector<SobolIndex> sobol_indices(const engine::SaltelliDesign& design,
                                      const std::vector<double>& outputs,
                                      const SobolOptions& options = {});

}  // namespace pitstop::output
