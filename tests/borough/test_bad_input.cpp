// Bad input in the `population:` and `demand:` sections: every tests/borough/bad/*.yaml must fail
// with an InputError naming the expected line, key path and message. Most extend the baseline
// and break one key. Each file states what it expects in its first comment lines:
//   # expect-line: 7
//   # expect-key: population.age_shares
//   # expect-message: shares must sum to 1, got 0.95
//   # expect-file: ../data/wigan-baseline.yaml   (optional: when the error is in another file)
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "borough/fixture.hpp"
#include "models/scenario.hpp"

namespace fs = std::filesystem;
using pitstop::models::InputError;

namespace {

/// What one bad file says its error must be.
struct Expectation {
  int line = -1;
  std::string key, message, file;
};

Expectation read_expectation(const fs::path& path) {
  Expectation e;
  std::ifstream in(path);
  std::string text;
  while (std::getline(in, text) && text.rfind("# expect-", 0) == 0) {
    const auto colon = text.find(':');
    const std::string tag = text.substr(9, colon - 9);
    std::string value = colon + 1 < text.size() ? text.substr(colon + 2) : "";
    if (tag == "line") e.line = std::stoi(value);
    if (tag == "key") e.key = value;
    if (tag == "message") e.message = value;
    if (tag == "file") e.file = value;
  }
  return e;
}

}  // namespace

TEST_CASE("bad population and demand keys fail at the right line and key", "[borough][bad]") {
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(fs::path(PITSTOP_SOURCE_DIR) / "tests/borough/bad")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 12);
  for (const auto& path : files) {
    DYNAMIC_SECTION(path.filename().string()) {
      const Expectation want = read_expectation(path);
      REQUIRE(want.line > 0);
      REQUIRE_FALSE(want.key.empty());
      try {
        pitstop::models::load_scenario(path.string());
        FAIL("loaded without an error");
      } catch (const InputError& e) {
        INFO(e.what());
        const fs::path where = want.file.empty() ? path : path.parent_path() / want.file;
        CHECK(fs::path(e.file()).lexically_normal() == where.lexically_normal());
        CHECK(e.line() == want.line);
        CHECK(e.column() >= 1);
        CHECK(e.key_path() == want.key);
        CHECK_THAT(e.message(), Catch::Contains(want.message));
      }
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
