// Hidden: prints the tables of docs/calibration.md (population and demand) for seed 1,
// replicate 0 of the baseline.   build/dev/tests/test_borough "[.report]"
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cmath>

#include "borough/fixture.hpp"
#include "models/borough/demand.hpp"

using namespace pitstop::models::borough;
using pitstop::engine::Stream;
using pitstop::test::start_year;
using pitstop::test::wigan_baseline;

namespace {

std::string pct(double n, double target) {
  return fmt::format("{:+.2f}%", 100.0 * (n / target - 1.0));
}

BandCounts by_band(const Population& p) {
  BandCounts out{};
  for (const auto& sdf : p.counts())
    for (std::size_t b = 0; b < kAgeBands; ++b)
      out[b] += sdf[b];
  return out;
}

void print_projection(Population& p) {
  fmt::print(
      "| year | total (target) | 65+ (target) | 75+ (target) | 85+ (target) | net migration "
      "0-17 / 18-64 / 65-74 / 75-84 / 85+ | deaths | births | care homes | Level 1 / 2 / 3 "
      "| 65+ fit / mild / moderate / severe |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|---|\n");
  YearReport report;
  for (int step = 0; step <= 11; ++step) {
    if (step > 0) report = p.step_year();
    fmt::print("| {} |", p.year());
    for (int min_age : {0, 65, 75, 85}) {
      const auto n = static_cast<double>(p.count_aged(min_age));
      const double t = *p.target(min_age, p.year());
      fmt::print(" {:.0f} ({:.0f}; {}) |", n, t, pct(n, t));
    }
    std::array<std::int64_t, kRiskLevels> risk{};
    for (const auto& r : p.risk_counts())
      for (std::size_t k = 0; k < kRiskLevels; ++k)
        risk[k] += r[k];
    std::array<double, kFrailtyLevels> frail{};
    double older = 0;
    for (ResidentId i = 0; i < p.slots(); ++i) {
      if (!p.alive(i) || p.age(i) < 65) continue;
      ++frail[static_cast<std::size_t>(p.frailty(i))];
      ++older;
    }
    if (step == 0) {
      fmt::print(" (start) | – | – |");
    } else {
      fmt::print(" {} | {} | {} |", fmt::join(report.net_migration, " / "), report.deaths,
                 report.births);
    }
    fmt::print(" {} | {} / {} / {} | {:.1f} / {:.1f} / {:.1f} / {:.1f}% |\n", p.care_home_count(),
               risk[1], risk[2], risk[3], 100 * frail[0] / older, 100 * frail[1] / older,
               100 * frail[2] / older, 100 * frail[3] / older);
  }
}

void print_demand(const Population& p, const DemandSpec& spec) {
  DemandSampler d(spec, p, Stream(wigan_baseline().run.seed, 0, purpose(BoroughPurpose::kDemand)));
  std::array<std::array<double, kEventTypes>, kAgeBands> events{};
  std::array<double, kEventTypes> care_home{};
  for (double t = 0;;) {
    const auto ev = d.next_event(t);
    if (ev.time > DemandSampler::kDaysPerYear) break;
    t = ev.time;
    ++events[static_cast<std::size_t>(p.band(ev.resident))][static_cast<std::size_t>(ev.type)];
    if (p.setting(ev.resident) == Setting::kCareHome)
      ++care_home[static_cast<std::size_t>(ev.type)];
  }
  const BandCounts people = by_band(p);
  fmt::print(
      "\n| event | band | configured per 1,000 | sampled per 1,000 (first year) | events |\n");
  fmt::print("|---|---|---|---|---|\n");
  for (std::size_t e = 0; e < kEventTypes; ++e) {
    double total = 0;
    for (std::size_t b = 0; b < kAgeBands; ++b) {
      const double n = static_cast<double>(people[b]);
      fmt::print("| `{}` | {} | {:.0f} | {:.1f} | {:.0f} |\n", kEventTypeNames[e], kAgeBandNames[b],
                 1000 * spec.events[e].per_person_year[b] * spec.events[e].multiplier,
                 1000 * events[b][e] / n, events[b][e]);
      total += events[b][e];
    }
    fmt::print("| `{}` | all | | | **{:.0f}** |\n", kEventTypeNames[e], total);
  }
  const auto homes = static_cast<double>(p.care_home_count());
  fmt::print(
      "\ncare-home residents ({}): per person-year GP {:.2f}, 999 {:.2f}, A&E on foot {:.2f}\n",
      homes, care_home[0] / homes, care_home[1] / homes, care_home[2] / homes);
}

}  // namespace

TEST_CASE("calibration report", "[.report]") {
  const auto& s = wigan_baseline();
  Population p(*s.population, start_year(), s.run.seed, 0);
  const BandCounts start = by_band(p);
  fmt::print("start by band: {}\n", fmt::join(start, " / "));
  fmt::print("strata by SDF at the start (none / L1 / L2 / L3):\n");
  const auto risk = p.risk_counts();
  for (std::size_t k = 0; k < risk.size(); ++k)
    fmt::print("  {}: {}\n", s.population->sdfs[k].label, fmt::join(risk[k], " / "));
  fmt::print("start mix by band (none / L1 / L2 / L3):\n");
  for (std::size_t b = 0; b < kAgeBands; ++b)
    fmt::print("  {}: {:.4f}\n", kAgeBandNames[b], fmt::join(p.risk_mix()[b], " / "));
  print_demand(p, *s.demand);
  fmt::print("\n");
  print_projection(p);
  // Expected demand a year as the population ages (no service changes).
  Population q(*s.population, start_year(), s.run.seed, 0);
  DemandSampler d(*s.demand, q, Stream(s.run.seed, 0, purpose(BoroughPurpose::kDemand)));
  fmt::print(
      "\n| year | GP consultations | 999 incidents | A&E on foot | 999 incidents aged 75+ |\n");
  fmt::print("|---|---|---|---|---|\n");
  for (int step = 0; step <= 11; ++step) {
    if (step > 0) {
      q.step_year();
      d.rebuild(q);
    }
    double old_calls = 0;
    for (ResidentId i = 0; i < q.slots(); ++i)
      if (q.alive(i) && q.age(i) >= 75) old_calls += d.hazard(i, EventType::kCall999);
    fmt::print("| {} | {:.0f} | {:.0f} | {:.0f} | {:.0f} |\n", q.year(),
               d.rate(EventType::kGpConsultation), d.rate(EventType::kCall999),
               d.rate(EventType::kAeSelfPresentation), old_calls);
  }
  fmt::print("\nstrata by SDF in {} (none / L1 / L2 / L3):\n", p.year());
  const auto later = p.risk_counts();
  for (std::size_t k = 0; k < later.size(); ++k)
    fmt::print("  {}: {}\n", s.population->sdfs[k].label, fmt::join(later[k], " / "));
}
