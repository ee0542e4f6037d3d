// Pit stops: dated changes of a scenario's numeric parameters by key path. The loader takes the
// `pit_stops` list out of the merged tree and makes one tree per date with every change up to
// that date applied (checked key path by key path against the registry, with the pit stop's
// file:line:col in every error); each tree is built and validated as a whole scenario; then the
// builds are folded into one Scenario: the engine's dated mechanisms for the network (capacity
// schedules spliced, ServiceSpec::later terms, arrival rates spliced) and, for the borough model,
// the demand, pathways and finance in force from each date (Scenario::pit_stops).
#pragma once

#include <string>
#include <vector>

#include "models/date.hpp"
#include "models/key_path.hpp"
#include "models/raw_tree.hpp"
#include "models/scenario.hpp"

namespace pitstop::models {

/// The scenario as it stands from one date: every pit stop up to that date applied.
struct PitStopStage {
  Date date;
  std::vector<std::string> names;  // the pit stops on this date, in the order written
  std::vector<std::string> whys;
  std::vector<std::string> changes;  // "services.beds.capacity = 600", "… × 1.5", in order
  RawNode tree;                      // the whole scenario (without `pit_stops`)
  SourceMark at;                     // the last of these pit stops, where it is written
  std::vector<SourceMark> marks;     // where each change of these pit stops is written
};

/// The registry pattern of a key path ("services.beds.capacity" → "services.*.capacity"), by the
/// registry alone (named items and routes become `[*]`); "" when there is none.
std::string registry_pattern(const std::string& path);

/// Applies one change to a merged, defaulted scenario tree. Throws InputError.
void apply_change(RawNode& tree, const KeyPathChange& change);

/// Reads and checks `pit_stops` in the merged, defaulted `tree`, removes it from `tree` (which
/// is then the scenario from the start) and returns the stages by date, one per distinct date.
/// Throws InputError: a key path that does not exist, names something that cannot change at a
/// pit stop, or is not a number (or numbers); a bad factor; a date not after `start`.
std::vector<PitStopStage> take_pit_stops(RawNode& tree);

/// Folds a stage (its tree built into `stage`) into `s`, the scenario so far: from the stage's
/// date on, the network's capacities, terms and arrival rates, and the borough's demand,
/// pathways and finance, are the stage's (marked changed only where they differ from before).
void add_pit_stop(Scenario& s, const PitStopStage& stage, const Scenario& built);

}  // namespace pitstop::models
