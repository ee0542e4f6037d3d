// A loaded scenario: the immutable, validated description that a run is built from.
// YAML → raw tree with source marks → `extends` merged → defaults → validation → Scenario.
// Nothing reads YAML after this.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/network_spec.hpp"
#include "models/borough/finance.hpp"
#include "models/borough/pathways.hpp"
#include "models/borough/spec.hpp"
#include "models/date.hpp"
#include "models/key_path.hpp"

namespace pitstop::models {

/// A user's input is wrong. Carries where: file, line and column (1-based; 0 = unknown) and
/// the key path (e.g. "services.clinic.capacity"). what() is the full, printable message:
///   "scenarios/x.yaml:12:5: services.clinic.capacity: must be a non-negative integer, got -3"
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, int line, int column, std::string key_path, std::string message);
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  int line_, column_;
  std::string key_path_;
  std::string message_;
};

/// What changes at one pit-stop date (every pit stop on that date), for the borough model: its
/// demand, pathways and finance from then on. (The network's dated changes are in `network`
/// itself: capacity schedules, ServiceSpec::later and arrival rates.)
struct PitStopSpecs {
  Date date;
  double day = 0;  // days since the start
  std::vector<std::string> names, whys;
  std::vector<std::string> changes;  // each as "key.path = value" or "key.path × factor"
  std::optional<borough::DemandSpec> demand;
  std::optional<borough::PathwaysSpec> pathways;
  std::optional<borough::FinanceSpec> finance;
  bool demand_changed = false, pathways_changed = false, finance_changed = false;
};

/// Everything needed to run a scenario, validated.
struct Scenario {
  std::string name;
  std::string description;      // the scenario's own `description` ("" when none)
  std::string file;             // path it was loaded from
  Date start;                   // day 0 of simulation time
  engine::NetworkSpec network;  // no services when a borough scenario has no pathways
  engine::RunSpec run;
  std::optional<borough::PopulationSpec> population;  // the `population:` section, if any
  std::optional<borough::DemandSpec> demand;          // the `demand:` section, if any
  std::optional<borough::PathwaysSpec> pathways;      // the `pathways:` section, if any
  std::optional<borough::FinanceSpec> finance;        // the `finance:` section, if any
  std::vector<PitStopSpecs> pit_stops;                // by date (`pit_stops:`), if any
  std::string resolved_yaml;  // the fully merged scenario (after `extends`), as YAML text
};

/// Command-line overrides applied after loading (and validated like the file's own values).
struct Overrides {
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replicates;
  std::optional<double> horizon_days;  // a shorter (or longer) run of the same scenario
};

/// Loads, merges (`extends`), validates and compiles a scenario file. Throws InputError.
Scenario load_scenario(const std::string& path, const Overrides& overrides = {});
/// Same, from YAML text; `file` is used in messages and to resolve `extends`. `changes` (e.g. a
/// sweep's parameter values) apply to the merged, defaulted tree from the start, before the
/// scenario is checked and built; its pit stops apply after them.
Scenario load_scenario_text(const std::string& yaml_text, const std::string& file,
                            const Overrides& overrides = {},
                            const std::vector<KeyPathChange>& changes = {});

}  // namespace pitstop::models
