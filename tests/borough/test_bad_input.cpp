// Bad input in the `population:`, `demand:` and `pathways:` sections (and the services the
// pathways drive): every tests/borough/bad/*.yaml must fail with an InputError naming the
// expected line, key path and message. Most extend the baseline and break one key. Each file
// states what it expects in its first comment lines:
//   # expect-line: 7
//   # expect-key: population.age_shares
//   # expect-message: shares must sum to 1, got 0.95
//   # expect-file: ../../../scenarios/borough/wigan-baseline.yaml   (optional: when the error is in
//   another file)
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "borough/fixture.hpp"
#include "models/borough/pathways.hpp"
#include "models/scenario.hpp"
#include "support/bad_input.hpp"

namespace fs = std::filesystem;

TEST_CASE("bad population, demand and pathways keys fail at the right line and key",
          "[borough][bad]") {
  const auto files = pitstop::test::bad_files("tests/borough/bad");
  REQUIRE(files.size() >= 20);
  for (const auto& path : files) {
    DYNAMIC_SECTION(path.filename().string()) {
      pitstop::test::check_bad_file(path);
    }
  }
}

TEST_CASE("the baseline loads; a network scenario still needs no population", "[borough][bad]") {
  const auto& s = pitstop::test::wigan_baseline();
  REQUIRE(s.population);
  REQUIRE(s.demand);
  REQUIRE(s.pathways);
  // The services the pathways drive, each once: the front door's, the discharge destinations
  // and the assessment.
  namespace b = pitstop::models::borough;
  REQUIRE(s.pathways->discharge);
  REQUIRE(s.network.services.size() == b::kServices + b::kDischargeServices + 1);
  std::vector<const char*> names(b::kServiceNames.begin(), b::kServiceNames.end());
  names.insert(names.end(), b::kDischargeServiceNames.begin(), b::kDischargeServiceNames.end());
  names.push_back(b::kAssessmentServiceName);
  for (const char* name : names) {
    INFO(name);
    CHECK(std::count_if(s.network.services.begin(), s.network.services.end(),
                        [&](const auto& svc) { return svc.name == name; }) == 1);
  }
  CHECK(s.population->sdfs.size() == 7);
  CHECK(s.population->sdfs[4].label == "TABA+");
  CHECK(s.run.horizon_days == 4018);
  const auto network = pitstop::models::load_scenario(
      (fs::path(PITSTOP_SOURCE_DIR) / "scenarios/validation/mmc.yaml").string());
  CHECK_FALSE(network.population);
  CHECK_FALSE(network.demand);
  CHECK_FALSE(network.pathways);
  // Without `population`, `services` and `arrivals` stay required.
  CHECK_THROWS_WITH(pitstop::models::load_scenario_text("name: x\nstart: 2020-01-01\n"
                                                        "horizon_days: 10\n",
                                                        "x.yaml"),
                    Catch::Contains("missing required key `services`"));
}
