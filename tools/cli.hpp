// Shared pieces of the `pitstop` command line: exit codes, version, the command registry,
// and small helpers. Each command lives in its own cmd_<name>.cpp and registers itself here.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace pitstop::models {
struct Scenario;
}

namespace pitstop::cli {

inline constexpr int kExitOk = 0, kExitRuntime = 1, kExitInput = 2, kExitInternal = 3;

/// "0.1.0 (abc123)": version and git revision.
std::string tool_version();

/// Writes `text` to FILE, or stdout for "-". Throws std::runtime_error on failure.
void write_text(const std::string& path, const std::string& text);

/// Prints a scenario's pit stops (date, names, why, what changes), if it has any.
void print_pit_stops(const models::Scenario& sc);

/// A subcommand and what to do when it was chosen (returns the exit code).
struct Command {
  CLI::App* app;
  std::function<int()> run;
};

// Each adds its subcommand (options bound to state it owns) to `app`.
Command add_run(CLI::App& app);
Command add_validate(CLI::App& app);
Command add_graph(CLI::App& app);
Command add_compare(CLI::App& app);
Command add_export(CLI::App& app);
Command add_report(CLI::App& app);
Command add_sweep(CLI::App& app);

}  // namespace pitstop::cli
