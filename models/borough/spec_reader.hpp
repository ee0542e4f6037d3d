// Reading the `population:` and `demand:` sections of a merged scenario tree into their specs,
// with the checks the registry cannot express (shares summing to 1, strata fitting the SDF,
// projections nested and in year order).
#pragma once

#include "models/borough/spec.hpp"
#include "models/tree_reader.hpp"

namespace pitstop::models::borough {

/// Reads and validates `population` (at `c`). Throws InputError.
PopulationSpec read_population(TreeReader& r, const Cursor& c);
/// Reads and validates `demand` (at `c`). Throws InputError.
DemandSpec read_demand(TreeReader& r, const Cursor& c);

}  // namespace pitstop::models::borough
