// Bad input in the `population:` and `demand:` sections: every tests/borough/bad/*.yaml must fail
// with an InputError naming the expected line, key path and message. Most extend the baseline
// and break one key. Each file states what it expects in its first comment lines:
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
#include "models/scenario.hpp"
#include "support/bad_input.hpp"

namespace fs = std::filesystem;

TEST_CASE("bad population and demand keys fail at the right line and key", "[borough][bad]") {
  const auto files = pitstop::test::bad_files("tests/borough/bad");
  REQUIRE(files.size() >= 12);
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
  CHECK(s.network.services.empty());
  CHECK(s.population->sdfs.size() == 7);
  CHECK(s.population->sdfs[4].label == "TABA+");
  CHECK(s.run.horizon_days == 4018);
  const auto network = pitstop::models::load_scenario(
      (fs::path(PITSTOP_SOURCE_DIR) / "scenarios/validation/mmc.yaml").string());
  CHECK_FALSE(network.population);
  CHECK_FALSE(network.demand);
  // Without `population`, `services` and `arrivals` stay required.
  CHECK_THROWS_WITH(pitstop::models::load_scenario_text("name: x\nstart: 2020-01-01\n"
                                                        "horizon_days: 10\n",
                                                        "x.yaml"),
                    Catch::Contains("missing required key `services`"));
}
