// The `pitstop` command line, run as a user would: exit codes, messages, JSON, determinism.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>

namespace {

struct Result {
  int code = -1;
  std::string out;  // stdout and stderr together
};

/// Runs `pitstop <args>` from the source directory and captures its output and exit code.
Result pitstop(const std::string& args) {
  const std::string cmd = std::string("cd '") + PITSTOP_SOURCE_DIR + "' && '" + PITSTOP_BINARY_DIR +
                          "/tools/pitstop' " + args + " 2>&1";
  Result r;
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

std::string temp_path(const std::string& name) {
  return std::string(PITSTOP_BINARY_DIR) + "/tests/" + name;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("--help works for the program and every command", "[cli]") {
  for (const char* args : {"--help", "run --help", "validate --help", "graph --help"}) {
    Result r = pitstop(args);
    INFO(args << "\n" << r.out);
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("Usage"));
  }
  CHECK(pitstop("--version").code == 0);
}

TEST_CASE("usage errors exit with code 2", "[cli]") {
  CHECK(pitstop("").code == 2);
  CHECK(pitstop("frobnicate").code == 2);
  CHECK(pitstop("run").code == 2);
  CHECK(pitstop("run scenarios/validation/mm1.yaml --replicates 0").code == 2);
  CHECK(pitstop("graph scenarios/validation/mm1.yaml --format jpeg").code == 2);
}

TEST_CASE("a missing or bad scenario exits 2 with file, line and key", "[cli]") {
  Result missing = pitstop("run no/such/file.yaml");
  CHECK(missing.code == 2);
  CHECK_THAT(missing.out, Catch::Contains("no/such/file.yaml"));

  const std::string bad = temp_path("cli-bad.yaml");
  write_file(bad,
             "name: bad\nstart: 2020-01-01\nhorizon_days: 10\narrivals:\n"
             "  - {name: a, to: s, rate_per_day: 1}\nservices:\n  s:\n    capacity: -3\n");
  Result r = pitstop("run '" + bad + "'");
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("cli-bad.yaml:8:") && Catch::Contains("services.s.capacity"));
  CHECK(pitstop("validate '" + bad + "'").code == 2);
}

TEST_CASE("run prints a summary and writes the JSON summary", "[cli]") {
  const std::string json = temp_path("cli-mm1.json");
  std::remove(json.c_str());
  Result r = pitstop("run scenarios/validation/mm1.yaml --replicates 2 --json '" + json + "'");
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("server") && Catch::Contains("utilisation"));
  const std::string j = read_file(json);
  for (const char* stat : {"arrivals", "completions", "lost_fraction", "wait_mean_days",
                           "utilisation", "blocked_mean_days", "blocked_fraction"}) {
    INFO(stat);
    CHECK_THAT(j, Catch::Contains(std::string("\"") + stat + "\": {"));
  }
  CHECK_THAT(j, Catch::Contains("\"services\": {") && Catch::Contains("\"server\": {") &&
                    Catch::Contains("\"mean\": ") && Catch::Contains("\"lo\": ") &&
                    Catch::Contains("\"hi\": ") && Catch::Contains("\"replicates\": 2"));
}

TEST_CASE("the JSON summary is identical at 1 and 2 threads and changes with the seed", "[cli]") {
  const std::string base = "run scenarios/validation/jackson-feedback.yaml --replicates 4 --quiet ";
  Result one = pitstop(base + "--threads 1 --json -");
  Result two = pitstop(base + "--threads 2 --json -");
  Result other = pitstop(base + "--threads 2 --seed 5 --json -");
  REQUIRE(one.code == 0);
  CHECK(one.out == two.out);
  CHECK(one.out != other.out);
}

TEST_CASE("validate prints offered loads and warns when a queue would grow without bound",
          "[cli]") {
  Result ok = pitstop("validate scenarios/validation/mmc.yaml");
  CHECK(ok.code == 0);
  CHECK_THAT(ok.out, Catch::Contains("clinic") && Catch::Contains("0.900"));
  CHECK_THAT(ok.out, !Catch::Contains("warning"));

  const std::string hot = temp_path("cli-overloaded.yaml");
  write_file(hot,
             "name: hot\nstart: 2020-01-01\nhorizon_days: 10\narrivals:\n"
             "  - {name: a, to: s, rate_per_day: 3}\nservices:\n  s:\n    capacity: 2\n"
             "    duration_days: {dist: exponential, mean: 1}\n");
  Result warn = pitstop("validate '" + hot + "'");
  CHECK(warn.code == 0);
  CHECK_THAT(warn.out, Catch::Contains("warning: s: offered load 1.500"));
}

TEST_CASE("graph writes Graphviz DOT of the pathway", "[cli]") {
  Result r = pitstop("graph scenarios/validation/jackson-feedback.yaml");
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("digraph") && Catch::Contains("\"treat\" -> \"assess\"") &&
                        Catch::Contains("\"src:referrals\" -> \"assess\""));
}

TEST_CASE("an impossible --output path is refused before anything runs", "[cli]") {
  Result folder = pitstop("run scenarios/validation/mm1.yaml -q -o tests");
  CHECK(folder.code == 2);
  CHECK_THAT(folder.out, Catch::Contains("--output") && Catch::Contains("is a folder"));
  Result missing = pitstop("run scenarios/validation/mm1.yaml -q -o no/such/folder/x.h5");
  CHECK(missing.code == 2);
  CHECK_THAT(missing.out, Catch::Contains("does not exist"));
}

TEST_CASE("a population-only borough scenario validates; run says why it cannot run yet", "[cli]") {
  Result v = pitstop("validate tests/borough/data/wigan-baseline.yaml");
  CHECK(v.code == 0);
  CHECK_THAT(v.out, Catch::Contains("Wigan Central") && Catch::Contains("328400"));
  Result r = pitstop("run tests/borough/data/wigan-baseline.yaml -q");
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("pathways"));
}
