// The borough baseline for the tests: scenarios/borough/wigan-baseline.yaml, loaded once.
#pragma once

#include <filesystem>
#include <string>

#include "models/scenario.hpp"

namespace pitstop::test {

/// The loaded baseline scenario (population and demand sections present).
inline const models::Scenario& wigan_baseline() {
  static const models::Scenario s = models::load_scenario(
      (std::filesystem::path(PITSTOP_SOURCE_DIR) / "scenarios/borough/wigan-baseline.yaml")
          .string());
  return s;
}

/// The calendar year of the baseline's start.
inline int start_year() {
  int y = 0, m = 0, d = 0;
  wigan_baseline().start.to_ymd(y, m, d);
  return y;
}

}  // namespace pitstop::test
