// The cross-replicate summary as JSON: services.<name>.<stat> = {mean, lo, hi} (95% interval) and
// metrics.<metric>.<financial year> = {mean, lo, hi} of the year's total (of a ratio metric: the
// mean of the replicates' ratios of the year, skipping replicates where it is undefined).
#pragma once

#include <string>

#include "output/run_output.hpp"

namespace pitstop::output {

/// The JSON summary of a run described by `d` whose replicates gave `totals`.
std::string summary_json(const RunDescription& d, const RunTotals& totals);

}  // namespace pitstop::output
