// The cross-replicate summary as JSON: services.<name>.<stat> = {mean, lo, hi} (95% interval).
#pragma once

#include <string>
#include <vector>

#include "engine/results.hpp"
#include "models/scenario.hpp"

namespace pitstop::output {

/// The JSON summary of a run of `scenario` that produced `results` (one per replicate).
std::string summary_json(const models::Scenario& scenario,
                         const std::vector<engine::ReplicateResult>& results,
                         const std::string& tool_version);

}  // namespace pitstop::output
