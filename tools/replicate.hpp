// Running one replicate of a scenario with everything `pitstop run` records, shared by `run` and
// `sweep`: the network's daily series and, for a borough, the model's.
#pragma once

#include <cstdint>
#include <functional>

#include "engine/engine.hpp"
#include "models/scenario.hpp"
#include "output/run_output.hpp"

namespace pitstop::cli {

/// The run's description (metrics, dates, pit stops) for the results file and the totals.
output::RunDescription describe_run(const models::Scenario& sc, const engine::NetworkGraph& graph);

/// Replicate `r` of `sc` (graph = sc.network compiled): its result and daily series, the
/// network's metrics first, then the borough's. `day_done` (if any) is called at each simulated
/// day's end, from the thread running the replicate.
output::ReplicateOutput run_replicate(const models::Scenario& sc, const engine::NetworkGraph& graph,
                                      std::uint32_t r, const std::function<void()>& day_done = {});

}  // namespace pitstop::cli
