// Hidden: timings of the residents and their demand over the full borough (not a timed test;
// figures for docs/performance.md).   build/dev/tests/test_borough "[.perf]"
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <chrono>

#include "borough/fixture.hpp"
#include "models/borough/demand.hpp"

using namespace pitstop::models::borough;
using pitstop::engine::Stream;
using pitstop::test::start_year;
using pitstop::test::wigan_baseline;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("timings of synthesis, a yearly step and the demand sampler", "[.perf]") {
  const auto& s = wigan_baseline();
  double synth = 1e9, step = 1e9, rebuild = 1e9;
  for (int rep = 0; rep < 5; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    Population p(*s.population, start_year(), 1, static_cast<std::uint64_t>(rep));
    synth = std::min(synth, seconds_since(t0));
    DemandSampler d(*s.demand, p, Stream(1, 0, purpose(BoroughPurpose::kDemand)));
    t0 = std::chrono::steady_clock::now();
    p.step_year();
    step = std::min(step, seconds_since(t0));
    t0 = std::chrono::steady_clock::now();
    d.rebuild(p);
    rebuild = std::min(rebuild, seconds_since(t0));
  }
  Population p(*s.population, start_year(), 1, 0);
  DemandSampler d(*s.demand, p, Stream(1, 0, purpose(BoroughPurpose::kDemand)));
  constexpr int kEvents = 5'000'000;
  auto t0 = std::chrono::steady_clock::now();
  double t = 0;
  std::uint64_t check = 0;
  for (int k = 0; k < kEvents; ++k) {
    const auto ev = d.next_event(t);
    t = ev.time;
    check += ev.resident;
  }
  const double sampling = seconds_since(t0);
  // The whole horizon: synthesis, ten yearly steps with rebuilds, every event to March 2030.
  t0 = std::chrono::steady_clock::now();
  Population q(*s.population, start_year(), 2, 0);
  DemandSampler dq(*s.demand, q, Stream(2, 0, purpose(BoroughPurpose::kDemand)));
  std::uint64_t events = 0;
  double now = 0;
  auto steps = yearly_step_times(s.start, s.run.horizon_days);
  steps.push_back(s.run.horizon_days);
  for (double until : steps) {
    for (auto ev = dq.next_event(now); ev.time <= until; ev = dq.next_event(ev.time))
      ++events;
    now = until;
    if (until < s.run.horizon_days) {
      q.step_year();
      dq.rebuild(q);
    }
  }
  const double whole = seconds_since(t0);
  fmt::print("synthesise {} residents: {:.1f} ms (best of 5)\n", p.alive_count(), 1e3 * synth);
  fmt::print("one yearly step: {:.1f} ms; demand rebuild: {:.1f} ms\n", 1e3 * step, 1e3 * rebuild);
  fmt::print(
      "demand sampler: {:.2f} M events/s over the full borough ({} events, {:.0f} days; "
      "checksum {})\n",
      kEvents / sampling / 1e6, kEvents, t, check % 1000);
  fmt::print("2019-04-01 to 2030-03-31, residents and demand only: {:.2f} s, {} events\n", whole,
             events);
}
