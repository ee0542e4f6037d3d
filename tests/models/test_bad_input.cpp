// Bad input: every tests/models/bad/*.yaml must fail with an InputError naming the expected
// line, key path and message. Each file states what it expects in its first comment lines:
//   # expect-line: 16
//   # expect-key: services.clinic.capacity
//   # expect-message: must be a positive integer, got -3
//   # expect-file: include/bad_base.yaml     (optional: when the error is in another file)
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace fs = std::filesystem;
using pitstop::models::InputError;

namespace {

/// What one bad file says its error must be.
struct Expectation {
  int line = -1;
  std::string key, message, file;
  bool has_key = false;
};

Expectation read_expectation(const fs::path& path) {
  Expectation e;
  std::ifstream in(path);
  std::string text;
  while (std::getline(in, text) && text.rfind("# expect-", 0) == 0) {
    const auto colon = text.find(':');
    const std::string tag = text.substr(9, colon - 9);
    std::string value = colon + 1 < text.size() ? text.substr(colon + 1) : "";
    if (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (tag == "line") e.line = std::stoi(value);
    if (tag == "key") e.key = value, e.has_key = true;
    if (tag == "message") e.message = value;
    if (tag == "file") e.file = value;
  }
  return e;
}

std::vector<fs::path> bad_files() {
  std::vector<fs::path> out;
  for (const auto& entry :
       fs::directory_iterator(fs::path(PITSTOP_SOURCE_DIR) / "tests/models/bad")) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("every bad scenario fails with the expected position, key and message", "[models][bad]") {
  const auto files = bad_files();
  REQUIRE(files.size() >= 15);
  for (const auto& path : files) {
    DYNAMIC_SECTION(path.filename().string()) {
      const Expectation want = read_expectation(path);
      REQUIRE(want.line >= 0);
      REQUIRE(want.has_key);
      try {
        pitstop::models::load_scenario(path.string());
        FAIL("loaded without an error");
      } catch (const InputError& e) {
        INFO(e.what());
        const fs::path where = want.file.empty() ? path : path.parent_path() / want.file;
        CHECK(fs::path(e.file()).lexically_normal() == where.lexically_normal());
        CHECK(e.line() == want.line);
        CHECK(e.column() >= (e.line() > 0 ? 1 : 0));
        CHECK(e.key_path() == want.key);
        CHECK_THAT(e.message(), Catch::Contains(want.message));
        CHECK_THAT(std::string(e.what()),
                   Catch::StartsWith(e.file() + ":" + std::to_string(e.line()) + ":"));
      }
    }
  }
}
