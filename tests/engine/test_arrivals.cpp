// Arrivals with a rate profile (hour of day × day of week × dated changes), sampled exactly by
// thinning, against the expected counts per hour.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "engine/engine.hpp"
#include "support/spec_builder.hpp"

using namespace pitstop::engine;

namespace {

/// Counts arrivals into service 0 by hour of the week and before/after a date.
class HourCounter : public Observer {
 public:
  HourCounter(int start_weekday, double split) : start_weekday_(start_weekday), split_(split) {}
  void on_arrival(std::size_t node, Time t) override {
    if (node != 0) return;
    const int hour = static_cast<int>((t - std::floor(t)) * 24);
    by_hour_of_week[static_cast<std::size_t>(weekday_at(t, start_weekday_) * 24 + hour)] += 1;
    (t < split_ ? before : after) += 1;
  }
  std::vector<double> by_hour_of_week = std::vector<double>(168, 0.0);
  double before = 0, after = 0;

 private:
  int start_weekday_;
  double split_;
};

}  // namespace

TEST_CASE("thinning reproduces the expected count in every hour of the week", "[arrivals]") {
  std::array<double, 24> hours{};
  for (int h = 0; h < 24; ++h)
    hours[static_cast<std::size_t>(h)] = h < 8 ? 0.5 : (h < 20 ? 3.0 : 1.0);
  const std::array<double, 7> days{1, 1, 1, 1.2, 1.3, 0.6, 0.4};
  const int start_weekday = 2;  // day 0 is a Wednesday
  const double horizon = 1400, change = 700;
  StepSchedule daily({{0, 40.0, {}}, {change, 60.0, {}}}, start_weekday);
  RateProfile profile(daily, hours, days, start_weekday);
  REQUIRE_FALSE(profile.is_constant());

  NetworkSpec spec = pitstop::test::SpecBuilder()
                         .service("s", 1000, Distribution::fixed(0.001))
                         .poisson("a", "s", 1)
                         .build();
  spec.sources[0].rate = profile;
  spec.start_weekday = start_weekday;
  HourCounter counter(start_weekday, change);
  pitstop::test::run_once(spec, pitstop::test::run_spec(horizon), 0, &counter);

  // Expected counts per hour of the week, by integrating the profile hour by hour.
  std::vector<double> expected(168, 0.0);
  double expected_before = 0, expected_after = 0;
  for (int d = 0; d < static_cast<int>(horizon); ++d) {
    for (int h = 0; h < 24; ++h) {
      const double t0 = d + h / 24.0, t1 = d + (h + 1) / 24.0;
      const double e = profile.expected_count(t0, t1);
      expected[static_cast<std::size_t>(weekday_at(t0, start_weekday) * 24 + h)] += e;
      (t0 < change ? expected_before : expected_after) += e;
    }
  }
  // Each bin is Poisson: |observed − expected| ≤ 4.5 √expected holds for all 168 bins with
  // probability ≈ 1 − 168 · 6.8e-6 ≈ 0.999.
  double chi2 = 0;
  for (std::size_t b = 0; b < 168; ++b) {
    INFO("hour of week " << b << ": observed " << counter.by_hour_of_week[b] << ", expected "
                         << expected[b]);
    CHECK(std::fabs(counter.by_hour_of_week[b] - expected[b]) <= 4.5 * std::sqrt(expected[b]));
    chi2 += std::pow(counter.by_hour_of_week[b] - expected[b], 2) / expected[b];
  }
  // χ² with 168 bins has mean 168 and sd √336 ≈ 18.3; 168 + 5 sd ≈ 260.
  CHECK(chi2 < 260);
  // The dated change raises the daily mean from 40 to 60: counts before/after agree.
  CHECK(std::fabs(counter.before - expected_before) <= 4 * std::sqrt(expected_before));
  CHECK(std::fabs(counter.after - expected_after) <= 4 * std::sqrt(expected_after));
  CHECK(expected_after / expected_before == Approx(1.5).epsilon(0.01));
}

TEST_CASE("a constant-rate source produces Poisson counts with the right mean and variance",
          "[arrivals]") {
  // Counts per day of a rate-9 Poisson process: mean 9 and variance 9. Over 20,000 days the
  // SE of the mean is √(9/20000) = 0.021; the sample variance has SE ≈ √((2σ⁴ + κ)/n) ≈ 0.095
  // (κ = fourth cumulant = 9 for Poisson).
  struct DayCounter : Observer {
    void on_arrival(std::size_t, Time t) override { ++per_day[static_cast<std::size_t>(t)]; }
    std::vector<double> per_day = std::vector<double>(20000, 0.0);
  } counter;
  auto spec = pitstop::test::SpecBuilder()
                  .service("s", 100, Distribution::fixed(0.01))
                  .poisson("a", "s", 9.0)
                  .build();
  pitstop::test::run_once(spec, pitstop::test::run_spec(20000), 0, &counter);
  double sum = 0, ss = 0;
  for (double c : counter.per_day)
    sum += c;
  const double mean = sum / 20000;
  for (double c : counter.per_day)
    ss += (c - mean) * (c - mean);
  const double var = ss / 19999;
  CHECK(std::fabs(mean - 9) < 4 * 0.021);
  CHECK(std::fabs(var - 9) < 4 * 0.095);
}
