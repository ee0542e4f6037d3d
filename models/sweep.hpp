// A parameter sweep (`pitstop sweep`): a scenario, a design over some of its numeric parameters
// (by key path, as pit stops name them), replicates and the outputs to keep. Loading checks the
// sweep file and every parameter against the scenario (file:line:col errors); the design's
// points become scenarios through sweep_scenario().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/raw_tree.hpp"
#include "models/scenario.hpp"

namespace pitstop::models {

/// One swept parameter: a key path and its range (or levels, for a grid).
struct SweepParameter {
  std::string path;            // e.g. services.community_response.capacity
  double min = 0, max = 0;     // the range (lhs, sobol; a grid's levels lie within it)
  bool integer = false;        // whole numbers only (each integer in [min, max] equally likely)
  bool scale = false;          // the value is a factor on the scenario's own value
  std::vector<double> levels;  // grid: the values to take
  std::string unit;            // from the key registry ("factor" when scale)
  SourceMark at;               // where `path` was written
};

struct SweepSpec {
  std::string file;           // the sweep file
  std::string text;           // its text, as written
  std::string scenario_path;  // the scenario file (relative paths resolved)
  enum class Design { kGrid, kLhs, kSobol } design = Design::kLhs;
  std::size_t points = 0;  // lhs, sobol: the number of base points (sobol runs points × (k + 2))
  std::uint32_t replicates = 1;
  std::uint64_t seed = 1;
  std::optional<double> horizon_days;  // a shorter (or longer) run of the scenario
  std::vector<SweepParameter> parameters;
  std::vector<std::string> outputs;  // metric names, one value per financial year each
  std::vector<SourceMark> output_marks;
  /// Identifies the sweep for a resume: the sweep file's resolved content and the resolved
  /// scenario (a change to either is a different sweep).
  std::string fingerprint;
};

const char* design_name(SweepSpec::Design d);

/// Loads and checks a sweep file: its keys, the scenario, and each parameter's key path and
/// range (the scenario is built with every parameter at its lowest and at its highest value).
/// Throws InputError naming the file, line and column.
SweepSpec load_sweep(const std::string& path);
/// The same from text; `file` names it in messages and resolves `scenario`.
SweepSpec load_sweep_text(const std::string& text, const std::string& file);

/// The scenario with the parameters at `values` (in their units, one per parameter), the
/// sweep's seed and replicates. Throws InputError (e.g. a value the scenario cannot take).
Scenario sweep_scenario(const SweepSpec& spec, const std::vector<double>& values);

}  // namespace pitstop::models
