// The results file of a parameter sweep (`pitstop sweep -o sweep.h5`), schema in docs/output.md
// "Sweep files": the design (points × parameters, with names and units), each output metric's
// financial-year totals by point, replicate and year, and per-point summaries across replicates.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pitstop::output {

struct SweepResults {
  // What was swept.
  std::string sweep_file, sweep_yaml;   // the sweep file and its text
  std::string scenario, scenario_yaml;  // the scenario's name and resolved YAML
  std::string design_name;              // grid, lhs or sobol
  std::string fingerprint;              // identifies the sweep (resume)
  std::string tool_version;
  std::uint64_t seed = 0;
  std::uint32_t replicates = 0;
  std::size_t base_points = 0;          // lhs, sobol: N (sobol's Saltelli layout has N(k+2))
  std::vector<std::string> parameters;  // key paths
  std::vector<std::string> units;       // per parameter ("factor" for scale parameters)
  std::vector<std::int64_t> integer;    // per parameter: 1 = whole numbers
  std::vector<std::int64_t> scale;      // per parameter: 1 = a factor on the scenario's value
  std::size_t points = 0;
  std::vector<double> design;        // points × parameters, row-major, in their units
  std::vector<std::string> outputs;  // metric names
  std::vector<std::string> output_units;
  std::vector<std::string> financial_years;       // labels, e.g. "2019/20"
  std::vector<std::int64_t> financial_year_days;  // days observed in each (365/366 when whole)
  /// [point][replicate][output][financial year], row-major: value(p, r, o, y).
  std::vector<double> values;

  std::size_t index(std::size_t p, std::size_t r, std::size_t o, std::size_t y) const {
    return ((p * replicates + r) * outputs.size() + o) * financial_years.size() + y;
  }
  double value(std::size_t p, std::size_t r, std::size_t o, std::size_t y) const {
    return values[index(p, r, o, y)];
  }
};

/// Writes the file atomically (a temporary renamed into place). Throws on failure.
void write_sweep_file(const std::string& path, const SweepResults& results);
/// Reads a sweep file; throws std::runtime_error naming what is missing when it is not one.
SweepResults read_sweep_file(const std::string& path);
/// Whether `path` is a pitstop sweep file (an HDF5 file with /meta@kind = "sweep").
bool is_sweep_file(const std::string& path);

}  // namespace pitstop::output
