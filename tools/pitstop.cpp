// The `pitstop` command line. Exit codes: 0 success, 1 runtime failure, 2 bad input (scenario
// or options), 3 internal error. Commands live in cmd_<name>.cpp.
#include <fmt/core.h>

#include <fstream>
#include <iostream>

#include "engine/error.hpp"
#include "models/scenario.hpp"
#include "tools/cli.hpp"

namespace pitstop::cli {

std::string tool_version() {
  std::string v = PITSTOP_VERSION;
  std::string rev = PITSTOP_GIT_REVISION;
  return rev.empty() ? v : v + " (" + rev + ")";
}

/// Writes `text` to FILE, or stdout for "-". Throws on failure.
void write_text(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text << std::flush;
    return;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write '" + path + "'");
}

}  // namespace pitstop::cli

int main(int argc, char** argv) {
  using namespace pitstop::cli;
  CLI::App app{
      "pitstop — a discrete-event simulator of health and social care system demand.\n"
      "Scenarios are YAML files (see scenarios/README.md)."};
  app.set_version_flag("--version", tool_version());
  app.require_subcommand(1);
  const std::vector<Command> commands = {add_run(app),     add_validate(app), add_graph(app),
                                         add_compare(app), add_sweep(app),    add_export(app),
                                         add_report(app)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitInput;
  }

  try {
    for (const Command& c : commands) {
      if (c.app->parsed()) return c.run();
    }
  } catch (const pitstop::models::InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitInput;
  } catch (const pitstop::engine::SpecError& e) {
    fmt::print(stderr, "error: {}: {}\n", e.key_path(), e.what());
    return kExitInput;
  } catch (const pitstop::engine::InternalError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return kExitInternal;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitRuntime;
  }
  return kExitInput;
}
