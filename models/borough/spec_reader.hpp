// Reading the `population:`, `demand:` and `pathways:` sections of a merged scenario tree into
// their specs, with the checks the registry cannot express (shares summing to 1, strata fitting the
// SDF, projections nested and in year order).
#pragma once

#include "engine/network_spec.hpp"
#include "models/borough/finance.hpp"
#include "models/borough/pathways.hpp"
#include "models/borough/spec.hpp"
#include "models/tree_reader.hpp"

namespace pitstop::models::borough {

/// Reads and validates `population` (at `c`). Throws InputError.
PopulationSpec read_population(TreeReader& r, const Cursor& c);
/// Reads and validates `demand` (at `c`). Throws InputError.
DemandSpec read_demand(TreeReader& r, const Cursor& c);
/// Reads and validates `pathways` (at `c`). Throws InputError.
PathwaysSpec read_pathways(TreeReader& r, const Cursor& c);
/// Reads and validates `finance` (at `c`) against the scenario's services, and applies its
/// shifts to the capacity of the services the lines fund (dated steps of their schedules).
/// `start` is the date of day 0. Throws InputError.
FinanceSpec read_finance(TreeReader& r, const Cursor& c, engine::NetworkSpec& network, Date start);
/// Gives the pathway services (kServiceNames, present in `network`) the routes the pathways can
/// take, so that the graph, its drawing and the blocked-days schema know every edge. Each
/// route's probability is the configured share where the pathway has one (for an eligible
/// resident, where eligibility matters) and a plain average of the age bands for admission; the
/// model itself decides each person's route from who they are.
void add_pathway_routes(const PathwaysSpec& p, engine::NetworkSpec& network);

}  // namespace pitstop::models::borough
