// Bad input: every tests/models/bad/*.yaml must fail with an InputError naming the expected
// line, key path and message, as stated in its first comment lines (tests/support/bad_input.hpp).
#include <catch2/catch.hpp>

#include "support/bad_input.hpp"

TEST_CASE("every bad scenario fails with the expected position, key and message", "[models][bad]") {
  const auto files = pitstop::test::bad_files("tests/models/bad");
  REQUIRE(files.size() >= 15);
  for (const auto& path : files) {
    DYNAMIC_SECTION(path.filename().string()) {
      pitstop::test::check_bad_file(path);
    }
  }
}
