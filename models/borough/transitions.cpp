// One resident's year (death, frailty, risk step-down, long-term conditions, care-home entry,
// ageing) and the yearly filling of the risk levels so that each age band keeps its start mix.
#include <algorithm>
#include <cmath>

#include "models/borough/population.hpp"

namespace pitstop::models::borough {
namespace {

constexpr int kMaxAge = 110;  // nobody lives past this (assumption; affects a handful)
// Marks the sub-key of the stream that ranks a resident for a step up (vs the year's fate).
constexpr std::uint64_t kRankStream = std::uint64_t{1} << 32;

}  // namespace

// Draws are keyed by (resident, year), so a scenario and its baseline give the same person the
// same fate. Transitions use the band lived in during the year; then the resident turns a year
// older. Returns false when the resident dies.
bool Population::live_one_year(ResidentId i, YearReport& report) {
  engine::Stream s(seed_, replicate_, purpose(BoroughPurpose::kYearlyStep), i,
                   static_cast<std::uint64_t>(year_));
  const auto b = static_cast<std::size_t>(band(i));
  const auto f = static_cast<std::size_t>(frailty(i));
  const bool home = setting(i) == Setting::kOwnHome;
  const auto& m = spec_.mortality;
  const double hazard = mortality_base_[b] * m.frailty_hr[f] * (home ? 1.0 : m.care_home_hr);
  if (s.uniform() < chance_in_year(hazard)) return false;

  // Frailty (65+): fit → mild → moderate → severe, and mild → fit.
  const double u_frailty = s.uniform();
  if (b >= kFirstOlderBand) {
    const auto& fs = spec_.frailty;
    const std::size_t o = b - kFirstOlderBand;
    if (f == 0 && u_frailty < chance_in_year(fs.fit_to_mild[o])) set_frailty(i, Frailty::kMild);
    if (f == 1) {
      const double worse = fs.mild_to_moderate[o], better = fs.mild_to_fit[o];
      const double p = chance_in_year(worse + better);
      if (u_frailty < p) {
        set_frailty(i,
                    u_frailty < p * worse / (worse + better) ? Frailty::kModerate : Frailty::kFit);
      }
    }
    if (f == 2 && u_frailty < chance_in_year(fs.moderate_to_severe[o])) {
      set_frailty(i, Frailty::kSevere);
    }
  }

  // Risk level: regression to the mean, one level down (steps up come in fill_risk_levels()).
  const auto r = static_cast<std::size_t>(risk(i));
  if (s.uniform() < (r > 0 ? chance_in_year(spec_.risk.step_down[r - 1]) : 0.0)) {
    set_risk(i, static_cast<RiskLevel>(r - 1));
  }

  // One more long-term condition.
  if (s.uniform() < chance_in_year(spec_.ltc.onset[b]) && ltc(i) < kLtcLevels - 1) {
    set_ltc(i, ltc(i) + 1);
  }

  // Moving into a care home.
  const double entry = care_entry_base_[b] * spec_.care_homes.frailty_weight[f];
  if (s.uniform() < chance_in_year(entry) && home) {
    set_setting(i, Setting::kCareHome);
    ++report.care_home_entries;
  }

  const int age = age_[i] + 1;
  if (age > kMaxAge) return false;
  age_[i] = static_cast<std::uint8_t>(age);
  if (age == kAgeBandLow[kFirstOlderBand]) {
    const auto& w = spec_.frailty.at_65;
    double x = s.uniform() * (w[0] + w[1] + w[2] + w[3]);
    std::size_t k = 0;
    while (k + 1 < kFrailtyLevels && x >= w[k])
      x -= w[k++];
    set_frailty(i, static_cast<Frailty>(k));
  }
  return true;
}

// After deaths, step-downs and ageing, each band's shortfall at each level against its start
// share of the band is filled from the level below: Level 3's shortfall from Level 2, Level 2's
// (plus what it gave up) from Level 1, and so on. Who steps up is a weighted draw without
// replacement by risk_weight() — the frail and multimorbid first — ranked by keys from each
// resident's own stream. step_up_multiplier scales the numbers (1: the band mixes hold).
void Population::fill_risk_levels(ResidentId existing, YearReport& report) {
  // Band by band: count the levels; the shortfall of each level above k (from those counts)
  // says how many of level k step up; they are the residents of level k with the smallest rank
  // keys (exponential / risk weight, from each resident's own stream), kept in a bounded heap of
  // that many, so that only the chosen are held, not every candidate.
  using Ranked = std::pair<double, ResidentId>;
  for (std::size_t b = 0; b < kAgeBands; ++b) {
    std::array<double, kRiskLevels> n{};
    for (ResidentId i = 0; i < existing; ++i) {
      if (!alive(i) || static_cast<std::size_t>(band(i)) != b) continue;
      n[static_cast<std::size_t>(risk(i))] += 1;
    }
    const double people = n[0] + n[1] + n[2] + n[3];
    std::array<std::size_t, kRiskLevels - 1> want{};
    double shortfall = 0;  // of the levels above k
    for (std::size_t k = kRiskLevels - 1; k-- > 0;) {
      shortfall += risk_share_[b][k + 1] * people - n[k + 1];
      want[k] = static_cast<std::size_t>(
          std::llround(std::max(0.0, shortfall) * spec_.risk.step_up_multiplier));
    }
    std::array<std::vector<Ranked>, kRiskLevels - 1> chosen{};  // max-heaps on the key
    for (std::size_t k = 0; k + 1 < kRiskLevels; ++k)
      chosen[k].reserve(want[k]);
    for (ResidentId i = 0; i < existing; ++i) {
      if (!alive(i) || static_cast<std::size_t>(band(i)) != b) continue;
      const auto r = static_cast<std::size_t>(risk(i));
      if (r + 1 >= kRiskLevels || want[r] == 0) continue;
      engine::Stream s(seed_, replicate_, purpose(BoroughPurpose::kYearlyStep), i,
                       kRankStream | static_cast<std::uint64_t>(year_));
      const Ranked key{-std::log(s.uniform()) / risk_weight(i), i};
      auto& heap = chosen[r];
      if (heap.size() < want[r]) {
        heap.push_back(key);
        std::push_heap(heap.begin(), heap.end());
      } else if (key < heap.front()) {
        std::pop_heap(heap.begin(), heap.end());
        heap.back() = key;
        std::push_heap(heap.begin(), heap.end());
      }
    }
    for (std::size_t k = kRiskLevels - 1; k-- > 0;) {
      for (const Ranked& c : chosen[k])
        set_risk(c.second, static_cast<RiskLevel>(k + 1));
      report.risk_step_ups += static_cast<std::int64_t>(chosen[k].size());
    }
  }
}

}  // namespace pitstop::models::borough
