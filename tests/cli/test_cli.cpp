// The `pitstop` command line, run as a user would: exit codes, messages, JSON, determinism.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "support/run_pitstop.hpp"

namespace {

using Result = pitstop::test::CommandResult;

/// Runs `pitstop <args>` from the source directory.
Result run_cli(const std::string& args) {
  return pitstop::test::run_pitstop_in(PITSTOP_SOURCE_DIR, args);
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
    Result r = run_cli(args);
    INFO(args << "\n" << r.out);
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("Usage"));
  }
  CHECK(run_cli("--version").code == 0);
}

TEST_CASE("usage errors exit with code 2", "[cli]") {
  CHECK(run_cli("").code == 2);
  CHECK(run_cli("frobnicate").code == 2);
  CHECK(run_cli("run").code == 2);
  CHECK(run_cli("run scenarios/validation/mm1.yaml --replicates 0").code == 2);
  CHECK(run_cli("graph scenarios/validation/mm1.yaml --format jpeg").code == 2);
}

TEST_CASE("a missing or bad scenario exits 2 with file, line and key", "[cli]") {
  Result missing = run_cli("run no/such/file.yaml");
  CHECK(missing.code == 2);
  CHECK_THAT(missing.out, Catch::Contains("no/such/file.yaml"));

  const std::string bad = temp_path("cli-bad.yaml");
  write_file(bad,
             "name: bad\nstart: 2020-01-01\nhorizon_days: 10\narrivals:\n"
             "  - {name: a, to: s, rate_per_day: 1}\nservices:\n  s:\n    capacity: -3\n");
  Result r = run_cli("run '" + bad + "'");
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("cli-bad.yaml:8:") && Catch::Contains("services.s.capacity"));
  CHECK(run_cli("validate '" + bad + "'").code == 2);
}

TEST_CASE("run prints a summary and writes the JSON summary", "[cli]") {
  const std::string json = temp_path("cli-mm1.json");
  std::remove(json.c_str());
  Result r = run_cli("run scenarios/validation/mm1.yaml --replicates 2 --json '" + json + "'");
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
  Result one = run_cli(base + "--threads 1 --json -");
  Result two = run_cli(base + "--threads 2 --json -");
  Result other = run_cli(base + "--threads 2 --seed 5 --json -");
  REQUIRE(one.code == 0);
  CHECK(one.out == two.out);
  CHECK(one.out != other.out);
}

TEST_CASE("validate prints offered loads and warns when a queue would grow without bound",
          "[cli]") {
  Result ok = run_cli("validate scenarios/validation/mmc.yaml");
  CHECK(ok.code == 0);
  CHECK_THAT(ok.out, Catch::Contains("clinic") && Catch::Contains("0.900"));
  CHECK_THAT(ok.out, !Catch::Contains("warning"));

  const std::string hot = temp_path("cli-overloaded.yaml");
  write_file(hot,
             "name: hot\nstart: 2020-01-01\nhorizon_days: 10\narrivals:\n"
             "  - {name: a, to: s, rate_per_day: 3}\nservices:\n  s:\n    capacity: 2\n"
             "    duration_days: {dist: exponential, mean: 1}\n");
  Result warn = run_cli("validate '" + hot + "'");
  CHECK(warn.code == 0);
  CHECK_THAT(warn.out, Catch::Contains("warning: s: offered load 1.500"));
}

TEST_CASE("validate --resolved prints the merged scenario, which loads to the same text", "[cli]") {
  const std::string base = temp_path("cli-resolved-base.yaml");
  const std::string derived = temp_path("cli-resolved.yaml");
  const std::string printed = temp_path("cli-resolved-printed.yaml");
  write_file(base,
             "name: base\nstart: 2020-01-01\nhorizon_days: 10\narrivals:\n"
             "  - {name: a, to: s, rate_per_day: 1}\n  - {name: b, to: s, rate_per_day: 2}\n"
             "services:\n  s:\n    capacity: 3\n    duration_days: {dist: fixed, value: 0.5}\n");
  write_file(derived,
             "extends: cli-resolved-base.yaml\nname: derived\narrivals:\n"
             "  - {name: c, to: s, rate_per_day: 4}\n  - {name: a, remove: true}\n"
             "  - {name: b, rate_per_day: 5}\nservices:\n  s:\n    capacity: 6\n");
  Result r = run_cli("validate --resolved '" + derived + "'");
  INFO(r.out);
  CHECK(r.code == 0);
  // Only the YAML: the merged values, defaults made explicit, no `extends`, no table.
  CHECK_THAT(r.out, Catch::StartsWith("name: derived\n"));
  CHECK_THAT(r.out, Catch::Contains("  - {name: b, to: s, rate_per_day: 5, priority: 0}\n"
                                    "  - {name: c, to: s, rate_per_day: 4, priority: 0}\n"));
  CHECK_THAT(r.out, Catch::Contains("capacity: 6") && Catch::Contains("discipline: fifo") &&
                        Catch::Contains("seed: 1"));
  CHECK_THAT(r.out, !Catch::Contains("extends") && !Catch::Contains("name: a") &&
                        !Catch::Contains("remove") && !Catch::Contains("arrivals/day"));
  // A fixed point: the printed file validates and prints the same text again.
  write_file(printed, r.out);
  Result again = run_cli("validate --resolved '" + printed + "'");
  CHECK(again.code == 0);
  CHECK(again.out == r.out);
  CHECK(run_cli("validate '" + printed + "'").code == 0);
  // Without the flag, validate prints its usual summary.
  Result plain = run_cli("validate '" + derived + "'");
  CHECK(plain.code == 0);
  CHECK_THAT(plain.out, Catch::Contains("valid scenario 'derived'") &&
                            Catch::Contains("arrivals/day") && !Catch::Contains("discipline"));
  // Bad input: exit 2, with the file and line, and nothing printed as YAML.
  write_file(derived,
             "extends: cli-resolved-base.yaml\nname: derived\narrivals:\n"
             "  - {name: x, remove: true}\n");
  Result bad = run_cli("validate --resolved '" + derived + "'");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::StartsWith("error: ") && Catch::Contains("cli-resolved.yaml:4:") &&
                          Catch::Contains("arrivals[0].remove") &&
                          !Catch::Contains("name: derived"));
  Result help = run_cli("validate --help");
  CHECK_THAT(help.out, Catch::Contains("--resolved"));
  for (const auto& f : {base, derived, printed})
    std::remove(f.c_str());
}

TEST_CASE("graph writes Graphviz DOT of the pathway", "[cli]") {
  Result r = run_cli("graph scenarios/validation/jackson-feedback.yaml");
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("digraph") && Catch::Contains("\"treat\" -> \"assess\"") &&
                        Catch::Contains("\"src:referrals\" -> \"assess\""));
}

TEST_CASE("an impossible --output path is refused before anything runs", "[cli]") {
  Result folder = run_cli("run scenarios/validation/mm1.yaml -q -o tests");
  CHECK(folder.code == 2);
  CHECK_THAT(folder.out, Catch::Contains("--output") && Catch::Contains("is a folder"));
  Result missing = run_cli("run scenarios/validation/mm1.yaml -q -o no/such/folder/x.h5");
  CHECK(missing.code == 2);
  CHECK_THAT(missing.out, Catch::Contains("does not exist"));
}

TEST_CASE("a population-only borough scenario validates; run says it needs pathways", "[cli]") {
  // The baseline without its `services` and `pathways` (they come last in the file).
  std::ifstream in(std::string(PITSTOP_SOURCE_DIR) + "/scenarios/borough/wigan-baseline.yaml");
  std::stringstream text;
  text << in.rdbuf();
  const std::string full = text.str();
  const auto cut = full.find("\nservices:");
  REQUIRE(cut != std::string::npos);
  const std::string path = temp_path("population-only.yaml");
  write_file(path, full.substr(0, cut) + "\n");
  Result v = run_cli("validate " + path);
  CHECK(v.code == 0);
  CHECK_THAT(v.out, Catch::Contains("Wigan Central") && Catch::Contains("328400"));
  Result r = run_cli("run " + path + " -q");
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("pathways"));
  std::remove(path.c_str());
}

TEST_CASE("run --horizon-days shortens a run and is checked like the file's value", "[cli]") {
  // jackson-feedback runs 20,000 days after a 500-day warm-up: 1,000 days observe fewer.
  Result full = run_cli("run scenarios/validation/jackson-feedback.yaml -r 2 -q --json -");
  Result part = run_cli(
      "run scenarios/validation/jackson-feedback.yaml -r 2 -q --horizon-days 1000 --json -");
  REQUIRE(full.code == 0);
  REQUIRE(part.code == 0);
  CHECK(full.out != part.out);
  // mm1's warm-up is 2,000 days: a 100-day run is refused at the file's warm-up line.
  Result bad = run_cli("run scenarios/validation/mm1.yaml --horizon-days 100 -q");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("warmup_days: must be less than horizon_days (100)"));
}
