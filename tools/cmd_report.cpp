// `pitstop report results.h5 [--baseline base.h5] -o report.html`: an HTML page of charts and
// tables, drawn by tools/report.py (Python, h5py + matplotlib), which this command finds and runs.
#include <fmt/core.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "tools/cli.hpp"

extern char** environ;

namespace pitstop::cli {
namespace {

namespace fs = std::filesystem;

/// The value of environment variable `name`, or empty when unset.
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

/// Where report.py may be, in the order tried: $PITSTOP_REPORT_SCRIPT alone when set; else beside
/// the binary (the build copies the scripts there), then the source tree of a build
/// (<repo>/build/<kind>/tools/pitstop → <repo>/tools/report.py).
std::vector<fs::path> report_script_candidates() {
  if (const std::string s = env("PITSTOP_REPORT_SCRIPT"); !s.empty()) return {fs::path(s)};
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const fs::path dir = exe.parent_path();
  return {dir / "report.py", (dir / ".." / ".." / ".." / "tools" / "report.py").lexically_normal()};
}

/// The first candidate that is a regular file, or nothing.
std::optional<fs::path> find_report_script(const std::vector<fs::path>& candidates) {
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p;
  }
  return std::nullopt;
}

/// Runs argv[0] with the given arguments and this process's environment; returns its exit code
/// (kExitRuntime when it could not start or died from a signal).
int run_program(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (const int err = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ)) {
    fmt::print(stderr,
               "error: cannot run '{}': {} (set PITSTOP_PYTHON to a python3 with h5py "
               "and matplotlib)\n",
               args[0], std::strerror(err));
    return kExitRuntime;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return kExitRuntime;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  fmt::print(stderr, "error: '{}' was stopped by signal {}\n", args[0], WTERMSIG(status));
  return kExitRuntime;
}

struct ReportOptions {
  std::string results, baseline, output, title;
};

int cmd_report(const ReportOptions& o) {
  const std::vector<fs::path> candidates = report_script_candidates();
  const std::optional<fs::path> script = find_report_script(candidates);
  if (!script) {
    fmt::print(stderr, "error: cannot find the report script report.py; looked in:\n");
    for (const fs::path& p : candidates)
      fmt::print(stderr, "  {}\n", p.string());
    fmt::print(stderr, "Set PITSTOP_REPORT_SCRIPT to the path of tools/report.py.\n");
    return kExitRuntime;
  }
  std::string python = env("PITSTOP_PYTHON");
  if (python.empty()) python = "/usr/bin/python3";
  std::vector<std::string> args = {python, script->string(), o.results, "-o", o.output};
  if (!o.baseline.empty()) args.insert(args.end(), {"--baseline", o.baseline});
  if (!o.title.empty()) args.insert(args.end(), {"--title", o.title});
  return run_program(args);
}

}  // namespace

Command add_report(CLI::App& app) {
  auto o = std::make_shared<ReportOptions>();
  auto* cmd = app.add_subcommand(
      "report", "Render a results file (from `pitstop run -o`) as one self-contained HTML page");
  cmd->footer(
      "For every metric: a fan chart by month (median and 5–95% band across replicates), small\n"
      "multiples per breakdown label (up to 8), and a table by financial year; then a table of\n"
      "service statistics. With --baseline, the baseline is drawn in a second colour and the\n"
      "tables show paired differences (same seed = common random numbers) and % change.\n"
      "The page embeds its charts and opens offline. Drawn by tools/report.py with Debian's\n"
      "python3 (h5py, matplotlib); set PITSTOP_PYTHON to use another interpreter and\n"
      "PITSTOP_REPORT_SCRIPT to use another report.py. Exit code 2 when a file cannot be read.\n\n"
      "Example: pitstop report pitstop-2024.h5 --baseline baseline.h5 -o pitstop-2024.html");
  cmd->add_option("results", o->results, "Results file of the scenario")->required();
  cmd->add_option("--baseline", o->baseline, "Results file of the baseline to compare against");
  cmd->add_option("-o,--output", o->output, "HTML file to write")->required();
  cmd->add_option("--title", o->title, "Page title (default: from the scenario name)");
  return {cmd, [o] { return cmd_report(*o); }};
}

}  // namespace pitstop::cli
