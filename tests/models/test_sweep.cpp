// Sweep files (models/sweep.hpp): what a sweep reads, the scenario at a design point, the
// fingerprint that guards a resume, and bad sweep files refused with file:line:col. (Running
// sweeps, their results and resume: tests/python/test_sweep.py.)
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "models/scenario.hpp"
#include "models/sweep.hpp"

namespace fs = std::filesystem;
using namespace pitstop;
using models::load_sweep_text;
using models::SweepSpec;

namespace {

// Beside the shipped sweeps, so `../validation/mmc.yaml` is the M/M/c validation clinic
// (capacity 10, 9 arrivals a day, mean duration 1 day).
const std::string kFile = (fs::path(PITSTOP_SOURCE_DIR) / "scenarios/sweeps/inline.yaml").string();

const std::string kSweep = R"(sweep:
  scenario: ../validation/mmc.yaml
  design: lhs
  points: 8
  replicates: 3
  seed: 11
  horizon_days: 1400
  parameters:
    - {path: services.clinic.capacity, min: 10, max: 14, integer: true}
    - {path: arrivals.walk-ins.rate_per_day, min: 0.5, max: 1.1, scale: true}
    - {path: services.clinic.duration_days.mean, min: 0.8, max: 1.0}
  outputs: [arrivals, occupied]
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

/// The message of the InputError that loading `text` throws ("" if none).
std::string error_of(const std::string& text) {
  try {
    (void)load_sweep_text(text, kFile);
  } catch (const models::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a sweep file is read with its parameters, units and overrides", "[sweep]") {
  const SweepSpec s = load_sweep_text(kSweep, kFile);
  CHECK(s.design == SweepSpec::Design::kLhs);
  CHECK(s.points == 8);
  CHECK(s.replicates == 3);
  CHECK(s.seed == 11);
  REQUIRE(s.horizon_days.has_value());
  CHECK(*s.horizon_days == 1400);
  CHECK(fs::path(s.scenario_path).filename() == "mmc.yaml");
  REQUIRE(s.parameters.size() == 3);
  CHECK(s.parameters[0].integer);
  CHECK_FALSE(s.parameters[0].scale);
  CHECK(s.parameters[0].min == 10);
  CHECK(s.parameters[0].max == 14);
  CHECK(s.parameters[1].scale);
  CHECK(s.parameters[1].unit == "factor");
  CHECK_FALSE(s.parameters[0].unit.empty());  // from the key registry
  CHECK_FALSE(s.parameters[2].unit.empty());
  CHECK(s.parameters[0].at.line == 9);
  CHECK(s.outputs == std::vector<std::string>{"arrivals", "occupied"});
}

TEST_CASE("the scenario at a design point: values set, factors applied, overrides in force",
          "[sweep]") {
  const SweepSpec s = load_sweep_text(kSweep, kFile);
  const models::Scenario sc = models::sweep_scenario(s, {12, 0.8, 0.9});
  REQUIRE(sc.network.services.size() == 1);
  const auto& clinic = sc.network.services[0];
  CHECK(clinic.capacity.value_at(0) == 12);
  CHECK(clinic.capacity.value_at(300) == 12);
  CHECK(clinic.duration.mean() == Approx(0.9).epsilon(1e-12));
  REQUIRE(sc.network.sources.size() == 1);
  CHECK(sc.network.sources[0].rate.daily_rate().value_at(0) == Approx(9.0 * 0.8).epsilon(1e-12));
  CHECK(sc.run.seed == 11);
  CHECK(sc.run.replicates == 3);
  CHECK(sc.run.horizon_days == 1400);
  // Another point is another scenario; the same point is the same one.
  const models::Scenario other = models::sweep_scenario(s, {14, 1.1, 0.8});
  CHECK(other.network.services[0].capacity.value_at(0) == 14);
  CHECK(other.network.sources[0].rate.daily_rate().value_at(0) == Approx(9.9).epsilon(1e-12));
  CHECK(models::sweep_scenario(s, {12, 0.8, 0.9}).resolved_yaml == sc.resolved_yaml);
  CHECK(other.resolved_yaml != sc.resolved_yaml);
}

TEST_CASE("the fingerprint: the same sweep whatever its layout, another sweep otherwise",
          "[sweep]") {
  const std::string fp = load_sweep_text(kSweep, kFile).fingerprint;
  CHECK(fp.size() == 16);
  // Comments and spacing are not the sweep.
  CHECK(load_sweep_text("# a comment\n" + replaced(kSweep, "points: 8", "points:   8  # eight"),
                        kFile)
            .fingerprint == fp);
  // A range, the replicates, the seed or the outputs are.
  CHECK(load_sweep_text(replaced(kSweep, "max: 14", "max: 15"), kFile).fingerprint != fp);
  CHECK(load_sweep_text(replaced(kSweep, "replicates: 3", "replicates: 4"), kFile).fingerprint !=
        fp);
  CHECK(load_sweep_text(replaced(kSweep, "seed: 11", "seed: 12"), kFile).fingerprint != fp);
  CHECK(
      load_sweep_text(replaced(kSweep, "[arrivals, occupied]", "[arrivals]"), kFile).fingerprint !=
      fp);
}

TEST_CASE("a grid takes levels and no points", "[sweep]") {
  const std::string grid = R"(sweep:
  scenario: ../validation/mmc.yaml
  design: grid
  parameters:
    - {path: services.clinic.capacity, levels: [12, 10, 14], integer: true}
    - {path: arrivals.walk-ins.rate_per_day, levels: [6, 9]}
  outputs: [arrivals]
)";
  const SweepSpec s = load_sweep_text(grid, kFile);
  CHECK(s.design == SweepSpec::Design::kGrid);
  REQUIRE(s.parameters.size() == 2);
  CHECK(s.parameters[0].levels == std::vector<double>{12, 10, 14});
  CHECK(s.parameters[0].min == 10);
  CHECK(s.parameters[0].max == 14);
  CHECK(error_of(replaced(grid, "design: grid", "design: grid\n  points: 6"))
            .find("a grid takes the product of its parameters' `levels`") != std::string::npos);
  CHECK(error_of(replaced(grid, "levels: [6, 9]", "min: 6, max: 9"))
            .find("a grid parameter needs `levels: [...]`") != std::string::npos);
}

TEST_CASE("bad sweep files are refused with the file, line and column", "[sweep]") {
  const std::string at = kFile + ":";
  struct Case {
    std::string from, to, where, message;
  };
  const std::vector<Case> cases = {
      // a key path the scenario does not have, with the place it was written
      {"services.clinic.capacity,", "services.clinc.capacity,",
       at + "9:14:", "services.clinc.capacity"},
      {"design: lhs", "design: sobl", at + "3:11:", "did you mean `sobol`?"},
      {"replicates: 3", "replicate: 3", at + "5:3:", "did you mean `replicates`?"},
      {"points: 8", "points: 0", at + "4:11:", "expected a whole number ≥ 1"},
      {"points: 8", "points: eight", at + "4:11:", "expected a number"},
      {"min: 0.8, max: 1.0", "min: 0.8, max: 0.7", at + "11:65:", "must be at least min (0.8)"},
      {"min: 10, max: 14, integer: true", "min: 10, max: 14.5, integer: true",
       at + "9:7:", "`integer: true` needs whole-number bounds"},
      {"min: 0.5, max: 1.1, scale: true", "min: -0.5, max: 1.1, scale: true",
       at + "10:7:", "must be ≥ 0"},
      {"services.clinic.duration_days.mean,", "services.clinic.capacity,",
       at + "11:14:", "is swept twice"},
      {"min: 10, max: 14, integer: true", "levels: [10, 14], integer: true",
       at + "9:40:", "`levels` is for `design: grid`"},
      {"  outputs: [arrivals, occupied]\n", "", at, "missing required key `outputs`"},
      {"horizon_days: 1400", "horizon_days: 0", at + "7:17:", "must be more than 0"},
      // a value the scenario itself cannot take, found by building it at the range's ends and
      // reported at the parameter's path in the sweep file
      {"min: 10, max: 14, integer: true", "min: -2, max: 14, integer: true",
       at + "9:14:", "services.clinic.capacity: must be a positive integer, got -2"},
  };
  for (const Case& c : cases) {
    INFO(c.from << " → " << c.to);
    const std::string e = error_of(replaced(kSweep, c.from, c.to));
    INFO(e);
    CHECK(e.rfind(c.where, 0) == 0);
    CHECK(e.find(c.message) != std::string::npos);
  }
  CHECK(error_of("scenario: x.yaml\n").find("a sweep file has one top-level key, `sweep:`") !=
        std::string::npos);
  CHECK(error_of(replaced(kSweep, "../validation/mmc.yaml", "../validation/nope.yaml"))
            .find("nope.yaml") != std::string::npos);
}
