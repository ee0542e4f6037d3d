// The hour-of-day profiles of demand: 999 calls and walk-ins arrive by the hour as the scenario's
// `hour_of_day` weights say (sampled by thinning), and a bad profile is a clear input error.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <string>

#include "borough/fixture.hpp"
#include "engine/engine.hpp"
#include "models/borough/front_door.hpp"
#include "models/scenario.hpp"

using namespace pitstop;
using models::borough::EventType;
using models::borough::FrontDoor;

namespace {

/// Counts arrivals at two services by hour of the day.
struct HourCounter : engine::Observer {
  std::size_t calls_node = 0, walk_in_node = 0;
  std::array<double, 24> calls{}, walk_ins{};
  void on_arrival(std::size_t node, engine::Time t) override {
    const auto hour = static_cast<std::size_t>((t - std::floor(t)) * 24.0) % 24;
    if (node == calls_node) calls[hour] += 1;
    if (node == walk_in_node) walk_ins[hour] += 1;
  }
};

std::size_t index_of(const engine::NetworkSpec& n, const std::string& name) {
  for (std::size_t i = 0; i < n.services.size(); ++i)
    if (n.services[i].name == name) return i;
  FAIL("no service " << name);
  return 0;
}

/// Arrivals in the six four-hour blocks of the day against the weights' shares: binomial, 4 sd.
void check_blocks(const std::array<double, 24>& counts, const std::array<double, 24>& weights,
                  const char* what) {
  double n = 0;
  for (double c : counts)
    n += c;
  REQUIRE(n > 2000);
  for (std::size_t block = 0; block < 6; ++block) {
    double got = 0, share = 0;
    for (std::size_t h = 4 * block; h < 4 * block + 4; ++h) {
      got += counts[h];
      share += weights[h] / 24.0;  // weights have mean 1
    }
    INFO(what << ", hours " << 4 * block << "–" << 4 * block + 4 << ": " << got << " of " << n
              << ", expected share " << share);
    CHECK(std::abs(got / n - share) <= 4 * std::sqrt(share * (1 - share) / n));
  }
}

}  // namespace

TEST_CASE("999 calls and walk-ins follow their hour-of-day profiles", "[borough][hours]") {
  models::Scenario sc = test::wigan_baseline();
  sc.population = models::borough::scaled(*sc.population, 0.05);
  sc.run.horizon_days = 365;
  const auto& calls_w = (*sc.demand)[EventType::kCall999].hour_of_day;
  const auto& walk_w = (*sc.demand)[EventType::kAeSelfPresentation].hour_of_day;
  // The baseline's profiles are not flat (else this test could not fail): night < day.
  REQUIRE(calls_w[3] < 0.7 * calls_w[11]);
  REQUIRE(walk_w[3] < 0.5 * walk_w[11]);
  const engine::NetworkGraph graph(sc.network);
  HourCounter counter;
  counter.calls_node = index_of(sc.network, "call_handling");
  counter.walk_in_node = index_of(sc.network, "ae_minors");
  double calls = 0;
  for (std::uint32_t r = 0; r < 3; ++r) {
    FrontDoor fd(sc, graph, r);
    engine::Network net(graph, sc.run, r, &counter, &fd);
    const engine::ReplicateResult res = net.run();
    calls += static_cast<double>(res.services[counter.calls_node].arrivals);
  }
  check_blocks(counter.calls, calls_w, "999 calls");
  // ae_minors also takes GP referrals (at appointment times): a few percent, within tolerance
  // only because they too fall in the day; the walk-in profile dominates.
  check_blocks(counter.walk_ins, walk_w, "walk-ins");
  // Thinning keeps the daily total: ≈ 48,500 × 5% calls a year (4 sd of Poisson for 3 years).
  const double expected = 3 * 48511.0 * 0.05;
  CHECK(std::abs(calls - expected) <= 4 * std::sqrt(expected) + 0.02 * expected);
}

TEST_CASE("an hour-of-day profile must have 24 weights, not all zero", "[borough][hours][bad]") {
  const std::string base =
      "extends: " + std::string(PITSTOP_SOURCE_DIR) + "/scenarios/borough/wigan-baseline.yaml\n";
  CHECK_THROWS_WITH(models::load_scenario_text(
                        base + "demand:\n  call_999:\n    hour_of_day: [1, 2, 3]\n", "short.yaml"),
                    Catch::Contains("demand.call_999.hour_of_day") && Catch::Contains("24"));
  std::string zeros = "[0";
  for (int k = 1; k < 24; ++k)
    zeros += ", 0";
  CHECK_THROWS_WITH(models::load_scenario_text(
                        base + "demand:\n  call_999:\n    hour_of_day: " + zeros + "]\n", "z.yaml"),
                    Catch::Contains("not all 0"));
}
