// Running the built `pitstop` binary from a test, as a user would, capturing what it prints.
#pragma once

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

namespace pitstop::test {

/// What a command printed (stdout and stderr together) and its exit code.
struct CommandResult {
  int code = -1;
  std::string out;
};

/// Runs `pitstop <args>` in folder `cwd` and captures its output and exit code.
inline CommandResult run_pitstop_in(const std::string& cwd, const std::string& args) {
  const std::string cmd =
      "cd '" + cwd + "' && '" + PITSTOP_BINARY_DIR + "/tools/pitstop' " + args + " 2>&1";
  CommandResult r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
    r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace pitstop::test
