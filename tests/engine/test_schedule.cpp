// Step schedules (dated periods and weekly rotas) and arrival-rate profiles: values, changes,
// exact averages and integrals, normalisation of the hour/day weights, and input errors.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/error.hpp"
#include "engine/schedule.hpp"

using pitstop::engine::kNever;
using pitstop::engine::RateProfile;
using pitstop::engine::SchedulePeriod;
using pitstop::engine::SpecError;
using pitstop::engine::StepSchedule;
using pitstop::engine::Time;
using pitstop::engine::WeeklyStep;

namespace {

constexpr double kHour = 1.0 / 24.0;

// A rota given out of order: Mon 08:00 → 10, Mon 20:00 → 4, Fri 08:00 → 12, Sat 00:00 → 2.
// Its weekly integral: Mon 00–08 at 2 (wrapped from Saturday) + Mon 08–20 at 10 + Mon 20 – Fri
// 08 at 4 + Fri 08 – Sat 00 at 12 + Sat–Sun at 2 = 2/3 + 5 + 14 + 8 + 4 = 95/3.
std::vector<WeeklyStep> rota() {
  return {{4, 8, 12}, {0, 20, 4}, {5, 0, 2}, {0, 8, 10}};
}
constexpr double kRotaWeekIntegral = 95.0 / 3.0;

// ∫ f over [a, b] for an f that is constant on every hour [h/24, (h+1)/24): the midpoint of each
// piece between hour boundaries (independent of the code under test, exact for such f).
double integrate_hourly(const std::function<double(double)>& f, double a, double b) {
  double sum = 0;
  double lo = a;
  for (double h = std::floor(a * 24) + 1;; h += 1) {
    const double hi = std::min(h / 24, b);
    if (hi > lo) sum += f(0.5 * (lo + hi)) * (hi - lo);
    if (hi >= b) break;
    lo = hi;
  }
  return sum;
}

// Checks that make() throws SpecError with the given key path and a message containing `text`.
void check_rejects(const std::function<void()>& make, const std::string& key,
                   const std::string& text) {
  try {
    make();
    FAIL("no SpecError for " << key << ": " << text);
  } catch (const SpecError& e) {
    CHECK(e.key_path() == key);
    CHECK_THAT(e.what(), Catch::Contains(text));
  }
}

}  // namespace

TEST_CASE("a constant schedule", "[schedule]") {
  const StepSchedule s(5);
  CHECK(s.value_at(0) == 5);
  CHECK(s.value_at(1e6) == 5);
  CHECK(s.next_change_after(0) == kNever);
  CHECK(s.max_value() == 5);
  CHECK(s.average(3, 17.5) == 5);
  CHECK(s.is_constant());
  const StepSchedule empty;
  CHECK(empty.value_at(3) == 0);
  CHECK(empty.next_change_after(3) == kNever);
  CHECK(empty.is_constant());
}

TEST_CASE("a dated schedule", "[schedule]") {
  const StepSchedule s({{0, 10, {}}, {30, 15, {}}, {100, 5, {}}}, 0);
  CHECK(s.value_at(-3) == 10);  // the first period also covers earlier times
  CHECK(s.value_at(0) == 10);
  CHECK(s.value_at(29.999) == 10);
  CHECK(s.value_at(30) == 15);
  CHECK(s.value_at(99.5) == 15);
  CHECK(s.value_at(100) == 5);
  CHECK(s.value_at(1e6) == 5);
  CHECK(s.next_change_after(0) == 30);
  CHECK(s.next_change_after(29.9) == 30);
  CHECK(s.next_change_after(30) == 100);  // strictly after
  CHECK(s.next_change_after(100) == kNever);
  CHECK(s.max_value() == 15);
  CHECK_FALSE(s.is_constant());
  // (10·30 + 15·70 + 5·100)/200 and (10·10 + 15·10)/20.
  CHECK(s.average(0, 200) == Approx(9.25).epsilon(1e-15));
  CHECK(s.average(20, 40) == Approx(12.5).epsilon(1e-15));
  CHECK(s.average(35, 35) == 15);

  // A boundary that keeps the value is not a change.
  const StepSchedule same({{0, 10, {}}, {30, 10, {}}, {60, 20, {}}}, 0);
  CHECK(same.next_change_after(0) == 60);
  CHECK(StepSchedule({{0, 3, {}}, {30, 3, {}}}, 0).is_constant());
  // max_value looks only at time >= 0.
  CHECK(StepSchedule({{-10, 50, {}}, {0, 3, {}}}, 0).max_value() == 3);
  CHECK(StepSchedule({{-10, 50, {}}, {0.5, 3, {}}}, 0).max_value() == 50);
}

TEST_CASE("a weekly rota starting on a Monday", "[schedule]") {
  const StepSchedule s({{0, 0, rota()}}, 0);
  CHECK(s.value_at(0) == 2);  // Monday 00:00 wraps around from Saturday's step
  CHECK(s.value_at(8 * kHour - 1e-9) == 2);
  CHECK(s.value_at(8.0 / 24) == 10);
  CHECK(s.value_at(0.5) == 10);
  CHECK(s.value_at(20.0 / 24) == 4);
  CHECK(s.value_at(3.9) == 4);
  CHECK(s.value_at(4 + 8.0 / 24) == 12);  // Friday
  CHECK(s.value_at(5) == 2);              // Saturday
  CHECK(s.value_at(6.99) == 2);
  CHECK(s.value_at(7) == 2);
  CHECK(s.value_at(7 + 8.0 / 24) == 10);
  CHECK(s.value_at(-1) == 2);  // the Sunday before day 0

  CHECK(s.next_change_after(0) == Approx(8.0 / 24));
  CHECK(s.next_change_after(8.0 / 24) == Approx(20.0 / 24));
  CHECK(s.next_change_after(20.0 / 24) == Approx(4 + 8.0 / 24));
  CHECK(s.next_change_after(4.5) == Approx(5));
  CHECK(s.next_change_after(5) == Approx(7 + 8.0 / 24));  // across the week's end
  CHECK(s.max_value() == 12);
  CHECK_FALSE(s.is_constant());

  // Walking the changes for a long time: each is a real change and the value holds in between.
  Time t = 0;
  for (int i = 0; i < 2000; ++i) {
    const Time next = s.next_change_after(t);
    REQUIRE(next > t);
    REQUIRE(s.value_at(next) != s.value_at(t));
    REQUIRE(s.value_at(0.5 * (t + next)) == s.value_at(t));
    t = next;
  }
  CHECK(t == Approx(2000 / 4 * 7.0).margin(7));  // four changes a week
}

TEST_CASE("a weekly rota when day 0 is a Wednesday", "[schedule]") {
  const StepSchedule s({{0, 0, rota()}}, 2);
  CHECK(s.value_at(0) == 4);              // Wednesday 00:00: Monday 20:00's value
  CHECK(s.value_at(2.3) == 4);            // Friday 07:12
  CHECK(s.value_at(2 + 8.0 / 24) == 12);  // Friday 08:00
  CHECK(s.value_at(3.5) == 2);            // Saturday
  CHECK(s.value_at(5.2) == 2);            // Monday 04:48, before the first step
  CHECK(s.value_at(5 + 8.0 / 24) == 10);  // Monday 08:00
  CHECK(s.value_at(-1.5) == 10);          // the Monday noon before day 0
  CHECK(s.next_change_after(0) == Approx(2 + 8.0 / 24));
  CHECK(s.next_change_after(2.5) == Approx(3));
  CHECK(s.next_change_after(3) == Approx(5 + 8.0 / 24));
  // A step that keeps the value is not a change.
  const StepSchedule t({{0, 0, {{0, 0, 3}, {1, 0, 3}, {2, 0, 5}}}}, 2);
  CHECK(t.value_at(0) == 5);                   // Wednesday
  CHECK(t.next_change_after(0) == Approx(5));  // Monday 00:00, to 3
  CHECK(t.next_change_after(5) == Approx(7));  // Tuesday's step keeps 3; Wednesday is 5
}

TEST_CASE("periods mixing constants and rotas", "[schedule]") {
  const StepSchedule s({{0, 5, {}}, {14, 0, rota()}, {28, 5, {}}}, 0);
  CHECK(s.value_at(13.9) == 5);
  CHECK(s.value_at(14) == 2);  // a Monday, wrapped value
  CHECK(s.next_change_after(13) == 14);
  CHECK(s.next_change_after(27.5) == 28);  // Sunday: no rota step before the period ends
  CHECK(s.max_value() == 12);
  CHECK(s.average(14, 28) == Approx(kRotaWeekIntegral / 7).epsilon(1e-14));
  CHECK(s.average(0, 42) == Approx((5 * 28 + 2 * kRotaWeekIntegral) / 42).epsilon(1e-14));

  // A rota whose every value equals what came before never changes anything.
  const StepSchedule flat({{0, 3, {}}, {10, 0, {{1, 4, 3}, {4, 9, 3}}}}, 0);
  CHECK(flat.next_change_after(0) == kNever);
  CHECK(flat.is_constant());
  // max_value over a rota period shorter than a week counts only the steps it reaches.
  CHECK(StepSchedule({{0, 0, rota()}, {1, 1, {}}}, 0).max_value() == 10);
  CHECK(StepSchedule({{0, 0, rota()}, {0.3, 1, {}}}, 0).max_value() == 2);
}

TEST_CASE("average() is the exact integral", "[schedule]") {
  const StepSchedule s({{0, 5, {}}, {10.25, 0, rota()}, {60.5, 7, {}}}, 3);
  auto f = [&s](double t) { return s.value_at(t); };
  // By hand: [0.1, 1/3) at 2, [1/3, 0.5) at 10 for the Monday rota.
  const StepSchedule r({{0, 0, rota()}}, 0);
  CHECK(r.average(0.1, 0.5) == Approx((2 * (1.0 / 3 - 0.1) + 10 * (0.5 - 1.0 / 3)) / 0.4));
  // Against the hourly midpoint integral over many spans, fractional ends included.
  for (auto [a, b] : std::vector<std::pair<double, double>>{
           {0, 100}, {0.1, 0.2}, {3.7, 11.01}, {9.9, 10.3}, {12.34, 59.87}, {60, 61}}) {
    CAPTURE(a, b);
    CHECK(s.average(a, b) == Approx(integrate_hourly(f, a, b) / (b - a)).epsilon(1e-12));
  }
  // A 20,000-day horizon: 2857 whole weeks plus one Monday (Mon 00–08 at 2, 08–20 at 10,
  // 20–24 at 4 = 19/3).
  CHECK(r.average(0, 20000) ==
        Approx((2857 * kRotaWeekIntegral + 19.0 / 3) / 20000).epsilon(1e-12));
}

TEST_CASE("bad schedules throw SpecError naming the key", "[schedule]") {
  using P = std::vector<SchedulePeriod>;
  check_rejects([] { StepSchedule(P{}, 0); }, "", "at least one period");
  check_rejects([] { StepSchedule(P{{2, 1, {}}}, 0); }, "[0].from", "at or before day 0");
  check_rejects(
      [] {
        StepSchedule(P{{0, 1, {}}, {5, 1, {}}, {5, 2, {}}}, 0);
      },
      "[2].from", "strictly increasing");
  check_rejects(
      [] {
        StepSchedule(P{{0, 1, {}}, {-1, 1, {}}}, 0);
      },
      "[1].from", "strictly increasing");
  check_rejects([] { StepSchedule(P{{0, 1, {}}, {NAN, 1, {}}}, 0); }, "[1].from", "finite");
  check_rejects([] { StepSchedule(P{{0, 1, {}}, {3, -2, {}}}, 0); }, "[1].value", ">= 0, got -2");
  check_rejects([] { StepSchedule(P{{0, INFINITY, {}}}, 0); }, "[0].value", ">= 0");
  check_rejects(
      [] {
        StepSchedule(P{{0, 0, {{0, 1, 1}, {7, 0, 1}}}}, 0);
      },
      "[0].weekly[1].day", "0 (Monday) to 6 (Sunday), got 7");
  check_rejects([] { StepSchedule(P{{0, 0, {{-1, 1, 1}}}}, 0); }, "[0].weekly[0].day", "got -1");
  check_rejects(
      [] {
        StepSchedule(P{{0, 1, {}}, {1, 0, {{2, 24, 1}}}}, 0);
      },
      "[1].weekly[0].hour", "< 24, got 24");
  check_rejects(
      [] {
        StepSchedule(P{{0, 0, {{2, -0.5, 1}}}}, 0);
      },
      "[0].weekly[0].hour", "got -0.5");
  check_rejects(
      [] {
        StepSchedule(P{{-1, 1, {}}, {0, 1, {}}, {1, 0, {{2, 3, -4}}}}, 0);
      },
      "[2].weekly[0].value", "got -4");
  check_rejects(
      [] {
        StepSchedule(P{{0, 0, {{2, 3, 1}, {0, 0, 1}, {2, 3, 5}}}}, 0);
      },
      "[0].weekly[2].hour", "same time of the week (weekly[0] and weekly[2])");
  check_rejects([] { StepSchedule(P{{0, 1, {}}}, 7); }, "", "start weekday");
  check_rejects([] { StepSchedule(-1.0); }, "[0].value", "got -1");
}

TEST_CASE("a constant rate profile", "[schedule][rate]") {
  const RateProfile r(9.0);
  CHECK(r.rate_at(0) == 9);
  CHECK(r.rate_at(1234.567) == 9);
  CHECK(r.max_rate() == 9);
  CHECK(r.is_constant());
  CHECK(r.expected_count(1.3, 2.7) == Approx(9 * 1.4).epsilon(1e-14));
  CHECK(r.expected_count(0, 20000) == Approx(180000).epsilon(1e-14));
  CHECK(r.expected_count(5, 5) == 0);
  CHECK(RateProfile().expected_count(0, 10) == 0);
}

TEST_CASE("hour and day weights shape the rate and keep the daily mean", "[schedule][rate]") {
  std::array<double, 24> hw{};
  for (int h = 0; h < 24; ++h)
    hw[h] = 1 + h % 6;                                         // mean 3.5
  const std::array<double, 7> dw = {1, 1, 1, 1, 1, 0.5, 0.5};  // mean 6/7
  const int start = 3;                                         // day 0 is a Thursday
  const RateProfile r(StepSchedule(24), hw, dw, start);

  for (double t : {0.01, 0.52, 1.99, 2.5, 3.25, 6.8, 100.123}) {
    const int hour = static_cast<int>((t - std::floor(t)) * 24);
    const int weekday = pitstop::engine::weekday_at(t, start);
    CAPTURE(t, hour, weekday);
    CHECK(r.rate_at(t) == Approx(24 * hw[hour] / 3.5 * dw[weekday] / (6.0 / 7)).epsilon(1e-14));
  }
  CHECK(r.max_rate() == Approx(24 * (6 / 3.5) * (1 / (6.0 / 7))).epsilon(1e-14));
  CHECK_FALSE(r.is_constant());
  for (double t = 0.5 / 24; t < 21; t += 1.0 / 24)
    REQUIRE(r.rate_at(t) <= r.max_rate());

  // Any 7 whole days hold exactly 7 × the daily rate; one whole day its weekday's share.
  for (double t0 : {0.0, 0.3, 123.77, 19990.1}) {
    CAPTURE(t0);
    CHECK(r.expected_count(t0, t0 + 7) == Approx(7 * 24).epsilon(1e-12));
  }
  CHECK(r.expected_count(0, 1) == Approx(24 * 1 / (6.0 / 7)).epsilon(1e-13));    // Thursday
  CHECK(r.expected_count(2, 3) == Approx(24 * 0.5 / (6.0 / 7)).epsilon(1e-13));  // Saturday
  // 20,000 days = 2857 weeks + one more day (day 19999 is a Thursday again, 19999 ≡ 0 mod 7).
  CHECK(r.expected_count(0, 20000) == Approx(24 * (2857 * 7 + 1 / (6.0 / 7))).epsilon(1e-12));
}

TEST_CASE("expected_count integrates rate_at exactly", "[schedule][rate]") {
  std::array<double, 24> hw{};
  for (int h = 0; h < 24; ++h)
    hw[h] = h < 7 ? 0.2 : (h < 19 ? 2 : 1);
  const std::array<double, 7> dw = {1.2, 1, 1, 1, 1.3, 0.7, 0.6};
  const StepSchedule daily({{0, 24, {}}, {10.25, 48, {}}, {20, 0, {{0, 6, 10}, {4, 18, 30}}}}, 5);
  const RateProfile r(daily, hw, dw, 5);
  auto f = [&r](double t) { return r.rate_at(t); };
  for (auto [a, b] : std::vector<std::pair<double, double>>{
           {0, 40}, {0.1, 0.2}, {3.7, 11.01}, {9.9, 10.3}, {12.34, 59.87}, {19.5, 21.5}}) {
    CAPTURE(a, b);
    CHECK(r.expected_count(a, b) == Approx(integrate_hourly(f, a, b)).epsilon(1e-12));
  }
  // Additive over a long horizon split into years.
  double by_year = 0;
  for (int y = 0; y < 55; ++y)
    by_year += r.expected_count(y * 365.25, std::min(20000.0, (y + 1) * 365.25));
  CHECK(r.expected_count(0, 20000) == Approx(by_year).epsilon(1e-12));
  // Daily maximum 48, top hour weight 2 of mean 30.4/24, top day weight 1.3 of mean 6.8/7.
  CHECK(r.max_rate() == Approx(48 * (2 / (30.4 / 24)) * (1.3 / (6.8 / 7))).epsilon(1e-14));
}

TEST_CASE("bad rate profiles throw SpecError", "[schedule][rate]") {
  std::array<double, 24> hw{};
  hw.fill(1);
  std::array<double, 7> dw{};
  dw.fill(1);
  auto bad_hour = hw;
  bad_hour[3] = -1;
  check_rejects([&] { RateProfile(StepSchedule(1), bad_hour, dw, 0); }, "",
                "hour_weights[3] must be a finite number >= 0, got -1");
  auto nan_day = dw;
  nan_day[6] = NAN;
  check_rejects([&] { RateProfile(StepSchedule(1), hw, nan_day, 0); }, "", "day_weights[6]");
  check_rejects([&] { RateProfile(StepSchedule(1), hw, std::array<double, 7>{}, 0); }, "",
                "day_weights must have a positive mean");
  check_rejects([&] { RateProfile(StepSchedule(1), hw, dw, -1); }, "", "start weekday");
  check_rejects([] { RateProfile(-2.0); }, "", "rate per day must be a finite number >= 0");
}

TEST_CASE("plus_from adds a step to every value from a day on", "[schedule]") {
  // A constant 10 until day 5, then a rota (Mon–Sun: 4 by day from 08:00, 2 from 20:00).
  const std::vector<WeeklyStep> rota = {{0, 8, 4},  {0, 20, 2}, {1, 8, 4},  {1, 20, 2}, {2, 8, 4},
                                        {2, 20, 2}, {3, 8, 4},  {3, 20, 2}, {4, 8, 4},  {4, 20, 2},
                                        {5, 8, 4},  {5, 20, 2}, {6, 8, 4},  {6, 20, 2}};
  const StepSchedule s({SchedulePeriod{0, 10, {}}, SchedulePeriod{5, 0, rota}}, 0);
  // Inside the constant period: split at day 2.5.
  const StepSchedule a = s.plus_from(2.5, 3);
  CHECK(a.value_at(2.4) == 10);
  CHECK(a.value_at(2.5) == 13);
  CHECK(a.value_at(4.9) == 13);
  CHECK(a.value_at(5.5) == 7);    // Saturday 12:00: 4 + 3
  CHECK(a.value_at(5.9) == 5);    // Saturday 21:36: 2 + 3
  CHECK(a.value_at(100.5) == 7);  // the rota's shape holds, raised
  // Inside the rota: a cut of 2 from day 10 keeps the rota and takes 2 off every step.
  const StepSchedule b = s.plus_from(10, -2);
  CHECK(b.value_at(9.5) == 4);
  CHECK(b.value_at(10.5) == 2);
  CHECK(b.value_at(10.9) == 0);
  CHECK(b.average(0, 1) == Approx(10));
  // Below 0 is refused.
  CHECK_THROWS_AS(s.plus_from(10, -3), SpecError);
  // Adding 0 changes no value.
  const StepSchedule c = s.plus_from(7, 0);
  for (double t = 0; t < 30; t += 0.1)
    REQUIRE(c.value_at(t) == s.value_at(t));
}
