// Bad-input files that state their expected error in their first comment lines:
//   # expect-line: 16
//   # expect-key: services.clinic.capacity
//   # expect-message: must be a positive integer, got -3
//   # expect-file: include/bad_base.yaml     (optional: when the error is in another file)
// and the check that loading one fails exactly so.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace pitstop::test {

/// What one bad file says its error must be.
struct Expectation {
  int line = -1;
  std::string key, message, file;
  bool has_key = false;
};

inline Expectation read_expectation(const std::filesystem::path& path) {
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

/// The *.yaml files directly in `dir` (relative to the source tree), sorted.
inline std::vector<std::filesystem::path> bad_files(const std::string& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(PITSTOP_SOURCE_DIR) / dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Loading `path` must raise an InputError at the expected file, line, key and message.
inline void check_bad_file(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  const Expectation want = read_expectation(path);
  REQUIRE(want.line >= 0);
  REQUIRE(want.has_key);
  try {
    pitstop::models::load_scenario(path.string());
    FAIL("loaded without an error");
  } catch (const pitstop::models::InputError& e) {
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

}  // namespace pitstop::test
