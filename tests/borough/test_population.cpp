// The synthetic population: the risk strata of the reference table exactly at the start, the
// projections met each year to 2030, and the start structure, deaths and ids behaving.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include "borough/fixture.hpp"
#include "models/borough/population.hpp"

using namespace pitstop::models::borough;
using pitstop::test::start_year;
using pitstop::test::wigan_baseline;

namespace {

const PopulationSpec& baseline() {
  return *wigan_baseline().population;
}

}  // namespace

TEST_CASE("risk strata equal the reference table at the start", "[borough][population]") {
  // place-facts.md, "Risk stratification per SDF": risk 10–25%, 25–50%, > 50% (Levels 1, 2, 3).
  const std::map<std::string, std::array<std::int64_t, 3>> table = {
      {"Hindley", {2512, 684, 300}},    {"Leigh", {3129, 783, 351}},
      {"LiGA", {1732, 440, 196}},       {"SWAN", {2321, 500, 252}},
      {"TABA+", {2723, 639, 293}},      {"Wigan Central", {3390, 881, 407}},
      {"Wigan North", {2425, 616, 264}}};
  const Population p(baseline(), start_year(), 1, 0);
  const auto counts = p.risk_counts();
  REQUIRE(counts.size() == table.size());
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const auto& sdf = baseline().sdfs[k];
    INFO(sdf.label);
    const auto& want = table.at(sdf.label);
    CHECK(counts[k][1] == want[0]);
    CHECK(counts[k][2] == want[1]);
    CHECK(counts[k][3] == want[2]);
    CHECK(counts[k][0] + counts[k][1] + counts[k][2] + counts[k][3] == sdf.people);
  }
  // The same for other seeds and replicates: the counts are exact, not expected values.
  const Population other(baseline(), start_year(), 99, 3);
  CHECK(other.risk_counts() == counts);
}

TEST_CASE("the start population has the configured structure", "[borough][population]") {
  const Population p(baseline(), start_year(), 1, 0);
  std::int64_t people = 0;
  for (const auto& sdf : baseline().sdfs)
    people += sdf.people;
  CHECK(p.alive_count() == people);
  CHECK(p.slots() == static_cast<std::size_t>(people));
  // Each SDF's bands are the shares of its people, rounded (largest remainder).
  const auto counts = p.counts();
  for (std::size_t k = 0; k < counts.size(); ++k) {
    for (std::size_t b = 0; b < kAgeBands; ++b) {
      const double want = static_cast<double>(baseline().sdfs[k].people) * baseline().age_shares[b];
      CHECK(std::abs(static_cast<double>(counts[k][b]) - want) < 1.0);
    }
  }
  // Frailty of the 65+: Clegg's split (calibration.md §11) within 1.5 points.
  std::array<double, kFrailtyLevels> frail{};
  double older = 0, care = 0, expected_care = 0, young_frail = 0;
  for (ResidentId i = 0; i < p.slots(); ++i) {
    const auto b = static_cast<std::size_t>(p.band(i));
    expected_care += baseline().care_homes.shares[b];
    care += p.setting(i) == Setting::kCareHome ? 1 : 0;
    if (p.age(i) < 65) {
      young_frail += p.frailty(i) == Frailty::kFit ? 0 : 1;
      continue;
    }
    ++frail[static_cast<std::size_t>(p.frailty(i))];
    ++older;
  }
  const std::array<double, kFrailtyLevels> clegg = {0.50, 0.35, 0.12, 0.03};
  for (std::size_t f = 0; f < kFrailtyLevels; ++f)
    CHECK(std::abs(frail[f] / older - clegg[f]) < 0.015);
  CHECK(young_frail == 0);                     // the eFI is counted from 65
  CHECK(std::abs(care - expected_care) < 10);  // rounded per SDF and band
}

TEST_CASE("65+, 75+ and 85+ follow the projections within 2% each year to 2030",
          "[borough][population]") {
  Population p(baseline(), start_year(), 1, 0);
  fmt::print("year   total (target)   65+ (target)   75+ (target)   85+ (target)\n");
  for (int step = 0; step <= 11; ++step) {
    if (step > 0) p.step_year();
    const int year = p.year();
    fmt::print("{}", year);
    for (int min_age : {0, 65, 75, 85}) {
      const auto target = p.target(min_age, year);
      REQUIRE(target);
      const auto n = static_cast<double>(p.count_aged(min_age));
      fmt::print("  {:>7} ({:>7.0f})", n, *target);
      INFO(year << " aged " << min_age << "+: " << n << " vs " << *target);
      CHECK(std::abs(n / *target - 1.0) <= 0.02);
    }
    fmt::print("\n");
  }
  CHECK(p.year() == 2030);
}

TEST_CASE("each age band keeps its start mix of risk levels", "[borough][population]") {
  Population p(baseline(), start_year(), 3, 0);
  const auto start = p.risk_mix();
  for (int year = 0; year < 11; ++year)
    p.step_year();
  std::array<std::array<double, kRiskLevels>, kAgeBands> n{};
  for (ResidentId i = 0; i < p.slots(); ++i) {
    if (p.alive(i)) ++n[static_cast<std::size_t>(p.band(i))][static_cast<std::size_t>(p.risk(i))];
  }
  for (std::size_t b = 0; b < kAgeBands; ++b) {
    const double people = n[b][0] + n[b][1] + n[b][2] + n[b][3];
    for (std::size_t r = 1; r < kRiskLevels; ++r) {
      INFO(kAgeBandNames[b] << " " << kRiskNames[r] << ": " << n[b][r] / people << " vs "
                            << start[b][r]);
      // Births (none) and migrants (copies) dilute a little between the fills.
      CHECK(std::abs(n[b][r] / people - start[b][r]) <= 0.05 * start[b][r] + 0.0005);
    }
  }
  // No step-ups: the levels drain by regression to the mean and deaths.
  auto spec = baseline();
  spec.risk.step_up_multiplier = 0;
  Population slow(spec, start_year(), 3, 0);
  const auto before = slow.risk_counts()[0];
  slow.step_year();
  CHECK(slow.risk_counts()[0][3] < 0.7 * static_cast<double>(before[3]));
}

TEST_CASE("first-year deaths match the configured rates", "[borough][population]") {
  // The band rates are crude death rates: the expected deaths of the first year are
  // Σ rate × multiplier × people; the draw is a sum of Bernoullis, so within 4 SE of Poisson.
  Population p(baseline(), start_year(), 7, 0);
  double expected = 0;
  const auto counts = p.counts();
  for (const auto& sdf : counts) {
    for (std::size_t b = 0; b < kAgeBands; ++b)
      expected += static_cast<double>(sdf[b]) * baseline().mortality.rate[b] *
                  baseline().mortality.multiplier;
  }
  const auto report = p.step_year();
  INFO("deaths " << report.deaths << ", expected " << expected);
  CHECK(std::abs(static_cast<double>(report.deaths) - expected) < 4 * std::sqrt(expected));
  CHECK(report.births > 0);
}

TEST_CASE("resident ids are stable and the dead leave the counts", "[borough][population]") {
  Population p(scaled(baseline(), 0.02), start_year(), 1, 0);
  const ResidentId someone = 123;
  const int age = p.age(someone);
  const int sdf = p.sdf(someone);
  const auto before = p.alive_count();
  p.die(someone);
  p.die(someone);  // twice is once
  CHECK(p.alive_count() == before - 1);
  CHECK_FALSE(p.alive(someone));
  p.step_year();
  CHECK(p.age(someone) == age);  // the dead do not age
  CHECK(p.sdf(someone) == sdf);
  std::int64_t counted = 0;
  for (const auto& c : p.counts())
    for (auto n : c)
      counted += n;
  CHECK(counted == p.alive_count());
  CHECK(p.slots() >= static_cast<std::size_t>(before));
}

TEST_CASE("pathways can change a resident's attributes", "[borough][population]") {
  Population p(scaled(baseline(), 0.01), start_year(), 1, 0);
  const ResidentId i = 10;
  const Sex sex = p.sex(i);
  p.set_setting(i, Setting::kCareHome);
  p.set_frailty(i, Frailty::kSevere);
  p.set_risk(i, RiskLevel::kLevel3);
  p.set_ltc(i, 2);
  CHECK(p.setting(i) == Setting::kCareHome);
  CHECK(p.frailty(i) == Frailty::kSevere);
  CHECK(p.risk(i) == RiskLevel::kLevel3);
  CHECK(p.ltc(i) == 2);
  CHECK(p.sex(i) == sex);
}

TEST_CASE("yearly steps fall on the start's anniversaries", "[borough][population]") {
  using pitstop::models::Date;
  const auto& s = wigan_baseline();
  const auto steps = yearly_step_times(s.start, s.run.horizon_days);
  REQUIRE(steps.size() == 10);  // 2020-04-01 … 2029-04-01; 2030-04-01 is the horizon's end
  CHECK(steps.front() == 366);  // 2020 is a leap year
  CHECK(steps.back() == static_cast<double>(Date::from_ymd(2029, 4, 1).days - s.start.days));
  const auto leap = yearly_step_times(Date::from_ymd(2020, 2, 29), 4 * 365 + 1);
  REQUIRE(leap.size() == 3);  // 2021-02-28, 2022-02-28, 2023-02-28; 2024-02-29 is the end
  CHECK(leap[0] == 365);
  CHECK(leap[2] == 3 * 365);
}

TEST_CASE("scaled() scales people, strata and projections", "[borough][population]") {
  const auto small = scaled(baseline(), 0.05);
  CHECK(small.sdfs[0].people == std::llround(baseline().sdfs[0].people * 0.05));
  CHECK(small.sdfs[0].risk_counts[2] == std::llround(baseline().sdfs[0].risk_counts[2] * 0.05));
  CHECK(small.projection.age_85_plus.back().people ==
        Approx(baseline().projection.age_85_plus.back().people * 0.05));
  const Population p(small, start_year(), 1, 0);
  CHECK(p.risk_counts()[0][3] == small.sdfs[0].risk_counts[2]);
}
