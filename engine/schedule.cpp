// Step schedules (dated periods, each constant or a weekly rota) and arrival-rate profiles.
//
// Weeks: Monday 00:00 of week k falls at W_k = 7k − start_weekday (day 0 is `start_weekday`).
// A rota step at (day, hour) happens at W_k + (day + hour/24); every lookup computes a step's
// time with that one expression, so value_at(next_change_after(t)) sees the new value.
#include "engine/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "engine/error.hpp"

namespace pitstop::engine {

namespace {

constexpr double kDaysPerWeekD = kDaysPerWeek;
constexpr int kSlotsPerWeek = kDaysPerWeek * 24;

// The week containing t: its number k and its Monday 00:00, W = 7k − start_weekday <= t < W + 7.
struct Week {
  double k;
  double start;
};

Week week_of(Time t, int start_weekday) {
  PITSTOP_ASSERT(std::isfinite(t));
  double k = std::floor((t + start_weekday) / kDaysPerWeekD);
  double w = kDaysPerWeekD * k - start_weekday;
  if (t < w) {  // guard against rounding in the division
    k -= 1;
    w -= kDaysPerWeekD;
  } else if (t >= w + kDaysPerWeekD) {
    k += 1;
    w += kDaysPerWeekD;
  }
  return {k, w};
}

std::string fmt_num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

std::string step_key(std::size_t period, std::size_t step, const char* field) {
  return "[" + std::to_string(period) + "].weekly[" + std::to_string(step) + "]." + field;
}

void check_weekday(int start_weekday) {
  if (start_weekday < 0 || start_weekday >= kDaysPerWeek) {
    throw SpecError(
        "", "start weekday must be 0 (Monday) to 6 (Sunday), got " + std::to_string(start_weekday));
  }
}

void check_value(const std::string& key, double v) {
  if (!(std::isfinite(v) && v >= 0)) {
    throw SpecError(key, "value must be a finite number >= 0, got " + fmt_num(v));
  }
}

// Checks a list of weights (finite, >= 0, positive mean) and returns it normalised to mean 1.
template <std::size_t N>
std::array<double, N> normalised(const std::array<double, N>& w, const char* name) {
  double sum = 0;
  for (std::size_t i = 0; i < N; ++i) {
    if (!(std::isfinite(w[i]) && w[i] >= 0)) {
      throw SpecError("", std::string(name) + "[" + std::to_string(i) +
                              "] must be a finite number >= 0, got " + fmt_num(w[i]));
    }
    sum += w[i];
  }
  if (!(sum > 0 && std::isfinite(sum))) {
    throw SpecError("", std::string(name) + " must have a positive mean (they are all 0)");
  }
  std::array<double, N> out{};
  const double mean = sum / static_cast<double>(N);
  for (std::size_t i = 0; i < N; ++i)
    out[i] = w[i] / mean;
  return out;
}

}  // namespace

// ---- StepSchedule: construction and validation ------------------------------------------------

StepSchedule StepSchedule::plus_from(Time from, double delta) const {
  std::vector<SchedulePeriod> out = periods_;
  const std::size_t at = period_index(from);
  if (out[at].from < from) {  // split the period in force at `from`
    SchedulePeriod tail = out[at];
    tail.from = from;
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(at) + 1, tail);
  }
  for (SchedulePeriod& p : out) {
    if (p.from < from) continue;
    if (p.rota.empty()) p.constant += delta;  // (a rota period's constant is not used)
    for (WeeklyStep& s : p.rota)
      s.value += delta;
    const bool negative = p.rota.empty()
                              ? p.constant < 0
                              : std::any_of(p.rota.begin(), p.rota.end(),
                                            [](const WeeklyStep& s) { return s.value < 0; });
    if (negative) {
      throw SpecError("", "a change of " + fmt_num(delta) + " from day " + fmt_num(from) +
                              " takes the value below 0");
    }
  }
  return StepSchedule(std::move(out), start_weekday_);
}

StepSchedule StepSchedule::spliced(Time from, const StepSchedule& later) const {
  std::vector<SchedulePeriod> out;
  for (const SchedulePeriod& p : periods_) {
    if (p.from < from) out.push_back(p);
  }
  SchedulePeriod joint = later.period_at(from);
  joint.from = out.empty() ? std::min(from, 0.0) : from;
  const bool same = !out.empty() && out.back().constant == joint.constant &&
                    out.back().rota.size() == joint.rota.size() &&
                    std::equal(joint.rota.begin(), joint.rota.end(), out.back().rota.begin(),
                               [](const WeeklyStep& a, const WeeklyStep& b) {
                                 return a.day == b.day && a.hour == b.hour && a.value == b.value;
                               });
  if (!same) out.push_back(std::move(joint));
  for (const SchedulePeriod& p : later.periods_) {
    if (p.from > from) out.push_back(p);
  }
  return StepSchedule(std::move(out), start_weekday_);
}

StepSchedule::Stretch StepSchedule::stretch_at(Time t) const {
  const std::size_t i = period_index(t);
  Stretch s;
  s.end = period_end(i);
  const Rota& r = rotas_[i];
  if (r.at.empty()) {
    s.max = periods_[i].constant;
  } else {
    s.max = r.max;
    s.constant = r.min == r.max;
  }
  return s;
}

StepSchedule::StepSchedule(std::vector<SchedulePeriod> periods, int start_weekday)
    : periods_(std::move(periods)), start_weekday_(start_weekday) {
  check_weekday(start_weekday);
  if (periods_.empty()) throw SpecError("", "a schedule needs at least one period");
  rotas_.resize(periods_.size());
  for (std::size_t i = 0; i < periods_.size(); ++i) {
    SchedulePeriod& p = periods_[i];
    const std::string at = "[" + std::to_string(i) + "]";
    if (!std::isfinite(p.from)) throw SpecError(at + ".from", "`from` must be a finite day");
    if (i == 0 && p.from > 0) {
      throw SpecError(at + ".from",
                      "the first period must start at or before day 0, got day " + fmt_num(p.from));
    }
    if (i > 0 && !(p.from > periods_[i - 1].from)) {
      throw SpecError(at + ".from", "periods must start in strictly increasing order: day " +
                                        fmt_num(p.from) + " is not after day " +
                                        fmt_num(periods_[i - 1].from));
    }
    check_value(at + ".value", p.constant);
    // Validate each step under its own index, then sort by (day, hour).
    std::vector<std::size_t> order(p.rota.size());
    for (std::size_t j = 0; j < p.rota.size(); ++j) {
      const WeeklyStep& s = p.rota[j];
      if (s.day < 0 || s.day >= kDaysPerWeek) {
        throw SpecError(step_key(i, j, "day"),
                        "day must be 0 (Monday) to 6 (Sunday), got " + std::to_string(s.day));
      }
      if (!(std::isfinite(s.hour) && s.hour >= 0 && s.hour < kHoursPerDay)) {
        throw SpecError(step_key(i, j, "hour"),
                        "hour must be >= 0 and < 24, got " + fmt_num(s.hour));
      }
      check_value(step_key(i, j, "value"), s.value);
      order[j] = j;
    }
    auto when = [&](std::size_t j) { return p.rota[j].day + p.rota[j].hour / kHoursPerDay; };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return when(x) < when(y); });
    Rota& r = rotas_[i];
    for (std::size_t n = 0; n < order.size(); ++n) {
      if (n > 0 && when(order[n]) == when(order[n - 1])) {
        throw SpecError(step_key(i, order[n], "hour"),
                        "two steps at the same time of the week (weekly[" +
                            std::to_string(order[n - 1]) + "] and weekly[" +
                            std::to_string(order[n]) + "])");
      }
      r.at.push_back(when(order[n]));
      r.value.push_back(p.rota[order[n]].value);
    }
    std::vector<WeeklyStep> sorted;
    for (std::size_t j : order)
      sorted.push_back(p.rota[j]);
    p.rota = std::move(sorted);
    if (r.at.empty()) continue;
    // Prefix integrals from Monday 00:00; before the first step the last step's value holds.
    r.prefix.resize(r.at.size());
    double acc = r.value.back() * r.at[0];
    for (std::size_t n = 0; n < r.at.size(); ++n) {
      r.prefix[n] = acc;
      const double next = n + 1 < r.at.size() ? r.at[n + 1] : kDaysPerWeekD;
      acc += r.value[n] * (next - r.at[n]);
    }
    r.week_integral = acc;
    r.min = *std::min_element(r.value.begin(), r.value.end());
    r.max = *std::max_element(r.value.begin(), r.value.end());
  }
}

// ---- StepSchedule: lookups --------------------------------------------------------------------

std::size_t StepSchedule::period_index(Time t) const {
  // The last period with from <= t (the first one also covers any earlier time).
  auto it = std::upper_bound(periods_.begin(), periods_.end(), t,
                             [](Time x, const SchedulePeriod& p) { return x < p.from; });
  return it == periods_.begin() ? 0 : static_cast<std::size_t>(it - periods_.begin()) - 1;
}

const SchedulePeriod& StepSchedule::period_at(Time t) const {
  return periods_[period_index(t)];
}

Time StepSchedule::period_end(std::size_t i) const {
  return i + 1 < periods_.size() ? periods_[i + 1].from : kNever;
}

double StepSchedule::rota_value(const Rota& r, Time t) const {
  const Week w = week_of(t, start_weekday_);
  // The last step at or before t in this week; none means the previous week's last step.
  const auto it =
      std::partition_point(r.at.begin(), r.at.end(), [&](double at) { return w.start + at <= t; });
  return it == r.at.begin() ? r.value.back()
                            : r.value[static_cast<std::size_t>(it - r.at.begin()) - 1];
}

Time StepSchedule::rota_next_step(const Rota& r, Time t) const {
  const Week w = week_of(t, start_weekday_);
  const auto it =
      std::partition_point(r.at.begin(), r.at.end(), [&](double at) { return w.start + at <= t; });
  return it != r.at.end() ? w.start + *it : (w.start + kDaysPerWeekD) + r.at[0];
}

double StepSchedule::rota_integral(const Rota& r, Time t0, Time t1) const {
  // ∫ from Monday 00:00 to `pos` days into the week.
  auto partial = [&r](double pos) {
    const auto it = std::upper_bound(r.at.begin(), r.at.end(), pos);
    if (it == r.at.begin()) return r.value.back() * pos;
    const std::size_t n = static_cast<std::size_t>(it - r.at.begin()) - 1;
    return r.prefix[n] + r.value[n] * (pos - r.at[n]);
  };
  const Week w0 = week_of(t0, start_weekday_);
  const Week w1 = week_of(t1, start_weekday_);
  return (w1.k - w0.k) * r.week_integral + partial(t1 - w1.start) - partial(t0 - w0.start);
}

double StepSchedule::value_at(Time t) const {
  if (periods_.empty()) return 0;
  const std::size_t i = period_index(t);
  return rotas_[i].at.empty() ? periods_[i].constant : rota_value(rotas_[i], t);
}

Time StepSchedule::next_change_after(Time t) const {
  if (periods_.empty() || t == kNever) return kNever;
  const double v = value_at(t);
  Time cur = t;
  for (std::size_t i = period_index(t); i < periods_.size(); ++i) {
    const Rota& r = rotas_[i];
    const Time end = period_end(i);
    if (!r.at.empty() && !(r.min == v && r.max == v)) {
      // A value other than v comes within one cycle of the rota, unless the period ends first.
      Time x = cur;
      for (std::size_t n = 0; n <= r.at.size(); ++n) {
        x = rota_next_step(r, x);
        if (x >= end) break;
        if (rota_value(r, x) != v) return x;
      }
    }
    if (end == kNever) return kNever;
    if (value_at(end) != v) return end;
    cur = end;
  }
  return kNever;
}

double StepSchedule::max_value() const {
  double m = 0;
  for (std::size_t i = periods_.empty() ? 0 : period_index(0); i < periods_.size(); ++i) {
    const Rota& r = rotas_[i];
    const Time lo = std::max(periods_[i].from, 0.0);
    const Time hi = period_end(i);
    if (r.at.empty()) {
      m = std::max(m, periods_[i].constant);
    } else if (hi - lo >= kDaysPerWeekD) {
      m = std::max(m, r.max);  // a whole week: every step is taken
    } else {
      m = std::max(m, rota_value(r, lo));
      for (Time x = rota_next_step(r, lo); x < hi; x = rota_next_step(r, x)) {
        m = std::max(m, rota_value(r, x));
      }
    }
  }
  return m;
}

double StepSchedule::average(Time t0, Time t1) const {
  PITSTOP_ASSERT(std::isfinite(t0) && std::isfinite(t1) && t0 <= t1);
  if (periods_.empty()) return 0;
  if (t1 == t0) return value_at(t0);
  double sum = 0;
  Time a = t0;
  for (std::size_t i = period_index(t0); a < t1; ++i) {
    const Time b = std::min(period_end(i), t1);
    sum += rotas_[i].at.empty() ? periods_[i].constant * (b - a) : rota_integral(rotas_[i], a, b);
    a = b;
  }
  return sum / (t1 - t0);
}

bool StepSchedule::is_constant() const {
  return next_change_after(0) == kNever;
}

// ---- RateProfile ------------------------------------------------------------------------------

RateProfile::RateProfile(StepSchedule daily_rate, std::array<double, 24> hour_weights,
                         std::array<double, 7> day_weights, int start_weekday)
    : daily_(std::move(daily_rate)),
      hour_(normalised(hour_weights, "hour_weights")),
      day_(normalised(day_weights, "day_weights")),
      start_weekday_(start_weekday) {
  check_weekday(start_weekday);
  for (int s = 0; s < kSlotsPerWeek; ++s) {
    slot_[s] = day_[s / 24] * hour_[s % 24];
    slot_prefix_[s + 1] = slot_prefix_[s] + slot_[s] / kHoursPerDay;
  }
  const double hmax = *std::max_element(hour_.begin(), hour_.end());
  const double dmax = *std::max_element(day_.begin(), day_.end());
  const double dmax_value = daily_.max_value();
  shape_max_ = hmax * dmax;
  max_rate_ = dmax_value * shape_max_;
  flat_ = std::all_of(slot_.begin(), slot_.end(), [&](double w) { return w == slot_[0]; });
  constant_ = daily_.is_constant() && (flat_ || dmax_value == 0);
}

RateProfile::RateProfile(double rate_per_day)
    : RateProfile(
          [&] {
            if (!(std::isfinite(rate_per_day) && rate_per_day >= 0)) {
              throw SpecError(
                  "", "rate per day must be a finite number >= 0, got " + fmt_num(rate_per_day));
            }
            return StepSchedule(rate_per_day);
          }(),
          [] {
            std::array<double, 24> w;
            w.fill(1.0);
            return w;
          }(),
          {1, 1, 1, 1, 1, 1, 1}, 0) {}

StepSchedule::Stretch RateProfile::stretch_at(Time t) const {
  StepSchedule::Stretch s = daily_.stretch_at(t);
  s.constant = s.constant && (flat_ || s.max == 0);
  s.max *= shape_max_;
  return s;
}

double RateProfile::rate_at(Time t) const {
  const double day = std::floor(t);
  const int hour = std::min(23, static_cast<int>((t - day) * kHoursPerDay));
  const int weekday = static_cast<int>(
      std::fmod(std::fmod(day + start_weekday_, kDaysPerWeekD) + kDaysPerWeekD, kDaysPerWeekD));
  return daily_.value_at(t) * hour_[static_cast<std::size_t>(hour)] *
         day_[static_cast<std::size_t>(weekday)];
}

double RateProfile::weight_integral(Time t0, Time t1) const {
  // ∫ from Monday 00:00 to `pos` days into the week, by hour slots.
  auto partial = [this](double pos) {
    const int s = std::clamp(static_cast<int>(pos * kHoursPerDay), 0, kSlotsPerWeek - 1);
    return slot_prefix_[s] + slot_[s] * (pos - s / kHoursPerDay);
  };
  const Week w0 = week_of(t0, start_weekday_);
  const Week w1 = week_of(t1, start_weekday_);
  return (w1.k - w0.k) * slot_prefix_[kSlotsPerWeek] + partial(t1 - w1.start) -
         partial(t0 - w0.start);
}

double RateProfile::expected_count(Time t0, Time t1) const {
  PITSTOP_ASSERT(std::isfinite(t0) && std::isfinite(t1) && t0 <= t1);
  double sum = 0;
  // Between changes of the daily rate, integrate the hour × day multiplier in closed form.
  for (Time a = t0; a < t1;) {
    const Time b = std::min(daily_.next_change_after(a), t1);
    const double v = daily_.value_at(a);
    if (v != 0) sum += v * weight_integral(a, b);
    a = b;
  }
  return sum;
}

}  // namespace pitstop::engine
