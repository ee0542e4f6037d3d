// Population synthesis: the start population of each SDF — age, sex, frailty, long-term
// conditions, care-home residents and the risk levels (exact counts) — and the rates frozen at
// the start (death and care-home entry normalised to the band averages; risk step-up rates).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/error.hpp"
#include "models/borough/population.hpp"

namespace pitstop::models::borough {
namespace {

constexpr int kOldestAtStart = 104;  // the 85+ band spans 85–104 at the start (assumption)
// Ages at which a band's risk weight applies in full; between them the weight changes
// log-linearly with age (assumption: mid-points; 90 ≈ the mean age of the 85+).
constexpr std::array<double, kAgeBands> kWeightAge = {9, 41, 70, 80, 90};

/// A band-valued weight at a single year of age, interpolated log-linearly between kWeightAge.
double weight_at_age(const BandValues& w, int age) {
  const auto a = static_cast<double>(age);
  if (a <= kWeightAge.front()) return w.front();
  if (a >= kWeightAge.back()) return w.back();
  std::size_t k = 1;
  while (a > kWeightAge[k])
    ++k;
  const double f = (a - kWeightAge[k - 1]) / (kWeightAge[k] - kWeightAge[k - 1]);
  return std::exp((1 - f) * std::log(w[k - 1]) + f * std::log(w[k]));
}

/// Largest-remainder rounding of total × shares: integers summing to `total`.
template <std::size_t N>
std::array<std::int64_t, N> apportion(std::int64_t total, const std::array<double, N>& shares) {
  std::array<std::int64_t, N> out{};
  std::array<double, N> rest{};
  std::int64_t given = 0;
  for (std::size_t i = 0; i < N; ++i) {
    const double exact = static_cast<double>(total) * shares[i];
    out[i] = static_cast<std::int64_t>(std::floor(exact));
    rest[i] = exact - static_cast<double>(out[i]);
    given += out[i];
  }
  std::array<std::size_t, N> order{};
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return rest[a] > rest[b]; });
  for (std::size_t k = 0; given < total; ++k, ++given)
    ++out[order[k % N]];
  return out;
}

/// Index drawn from a discrete distribution given by its cumulative weights.
template <class Cumulative>
int draw(const Cumulative& cumulative, engine::Stream& s) {
  const double x = s.uniform() * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), x);
  return static_cast<int>(
      std::min<std::ptrdiff_t>(it - cumulative.begin(), std::ssize(cumulative) - 1));
}

template <std::size_t N>
std::array<double, N> cumulative(const std::array<double, N>& w) {
  std::array<double, N> c{};
  std::partial_sum(w.begin(), w.end(), c.begin());
  return c;
}

/// Cumulative weights of the single years of age in band `b`: (1 − decline)^(age − low).
std::vector<double> age_profile(int b, double decline) {
  const int lo = kAgeBandLow[static_cast<std::size_t>(b)];
  const int hi =
      b + 1 < kAgeBands ? kAgeBandLow[static_cast<std::size_t>(b) + 1] - 1 : kOldestAtStart;
  std::vector<double> c;
  double sum = 0;
  for (int a = lo; a <= hi; ++a)
    c.push_back(sum += std::pow(1.0 - decline, a - lo));
  return c;
}

/// The `count` ids with the smallest keys E/w (E exponential): a weighted sample without
/// replacement, in the order a sequential draw would pick them (Efraimidis & Spirakis 2006).
std::vector<ResidentId> weighted_sample(const std::vector<ResidentId>& ids,
                                        const std::vector<double>& weight, std::size_t count,
                                        engine::Stream& s) {
  std::vector<std::pair<double, ResidentId>> keyed;
  keyed.reserve(ids.size());
  for (std::size_t k = 0; k < ids.size(); ++k)
    keyed.emplace_back(-std::log(s.uniform()) / weight[k], ids[k]);
  count = std::min(count, keyed.size());
  std::nth_element(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(count), keyed.end());
  keyed.resize(count);
  std::sort(keyed.begin(), keyed.end());
  std::vector<ResidentId> out;
  for (const auto& [key, id] : keyed)
    out.push_back(id);
  return out;
}

/// The base hazard h for which the mean over the groups (people, hazard ratio r) of
/// 1 − exp(−h·r) is `share`: a heterogeneous band then loses that share in a year.
double solve_base(const std::vector<std::pair<double, double>>& groups, double share) {
  double people = 0;
  for (const auto& [count, ratio] : groups)
    people += count;
  if (people <= 0 || share <= 0) return share > 0 ? -std::log1p(-std::min(share, 0.999)) : 0;
  const auto mean = [&](double h) {
    double dying = 0;
    for (const auto& [count, ratio] : groups)
      dying += count * -std::expm1(-h * ratio);
    return dying / people;
  };
  double lo = 0, hi = 1;
  for (int k = 0; k < 60 && mean(hi) < share; ++k)
    hi *= 2;
  for (int k = 0; k < 100; ++k) {
    const double mid = 0.5 * (lo + hi);
    (mean(mid) < share ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

Population::Population(const PopulationSpec& spec, int start_year, std::uint64_t seed,
                       std::uint64_t replicate)
    : spec_(spec), year_(start_year), seed_(seed), replicate_(replicate) {
  for (std::size_t a = 0; a < risk_age_weight_.size(); ++a)
    risk_age_weight_[a] = weight_at_age(spec_.risk.age_weight, static_cast<int>(a));
  PITSTOP_ASSERT(spec_.sdfs.size() <= 255);
  std::int64_t total = 0;
  for (const auto& sdf : spec_.sdfs)
    total += sdf.people;
  for (auto* v : {&sdf_, &age_, &traits_, &flags_})
    v->reserve(static_cast<std::size_t>(total));
  for (std::size_t k = 0; k < spec_.sdfs.size(); ++k) {
    engine::Stream s(seed_, replicate_, purpose(BoroughPurpose::kSynthesis), k);
    synthesise_sdf(static_cast<int>(k), s);
  }
  freeze_rates();
}

ResidentId Population::add(int sdf, int age, std::uint8_t traits) {
  const auto id = static_cast<ResidentId>(sdf_.size());
  sdf_.push_back(static_cast<std::uint8_t>(sdf));
  age_.push_back(static_cast<std::uint8_t>(age));
  traits_.push_back(traits);
  flags_.push_back(kAlive);
  ++alive_;
  return id;
}

void Population::synthesise_sdf(int sdf, engine::Stream& s) {
  const SdfSpec& spec = spec_.sdfs[static_cast<std::size_t>(sdf)];
  const auto by_band = apportion(spec.people, spec.age_shares.value_or(spec_.age_shares));
  std::vector<ResidentId> everyone;
  for (int b = 0; b < kAgeBands; ++b) {
    const auto bi = static_cast<std::size_t>(b);
    const auto ages = age_profile(b, spec_.within_band_decline[bi]);
    const bool older = b >= kFirstOlderBand;
    const auto frailty_cdf =
        older ? cumulative(spec_.frailty.shares[bi - kFirstOlderBand]) : FrailtyValues{1, 1, 1, 1};
    const auto ltc_cdf = cumulative(spec_.ltc.shares[bi]);
    std::vector<ResidentId> band;
    for (std::int64_t n = 0; n < by_band[bi]; ++n) {
      const int age = kAgeBandLow[bi] + draw(ages, s);
      const Sex sex = s.uniform() < spec_.female_share[bi] ? Sex::kFemale : Sex::kMale;
      const auto frailty = static_cast<Frailty>(draw(frailty_cdf, s));
      const int ltc = draw(ltc_cdf, s);
      band.push_back(
          add(sdf, age, pack_traits(sex, RiskLevel::kNone, frailty, ltc, Setting::kOwnHome)));
    }
    if (!older) order_by_age(band, s);
    assign_care_homes(band, s);
    everyone.insert(everyone.end(), band.begin(), band.end());
  }
  assign_risk(sdf, everyone, s);
}

// Long-term conditions rise with age inside the wide bands under 65 too: the band's counts
// (drawn from its shares) go in ascending order to its residents ranked by age plus uniform
// noise as wide as the band (assumption: rank correlation with age ≈ 0.7). The ten-year bands
// from 65 are left unordered, so that no step in LTCs appears at 75 and 85.
void Population::order_by_age(const std::vector<ResidentId>& ids, engine::Stream& s) {
  if (ids.empty()) return;
  const auto b = static_cast<std::size_t>(band(ids.front()));
  const double width =
      b + 1 < kAgeBands ? kAgeBandLow[b + 1] - kAgeBandLow[b] : kOldestAtStart + 1 - kAgeBandLow[b];
  std::vector<std::pair<double, ResidentId>> keyed;
  std::vector<int> counts;
  for (ResidentId i : ids) {
    keyed.emplace_back(age(i) + width * s.uniform(), i);
    counts.push_back(ltc(i));
  }
  std::sort(keyed.begin(), keyed.end());
  std::sort(counts.begin(), counts.end());
  for (std::size_t k = 0; k < keyed.size(); ++k)
    set_ltc(keyed[k].second, counts[k]);
}

void Population::assign_care_homes(const std::vector<ResidentId>& ids, engine::Stream& s) {
  if (ids.empty()) return;
  const auto bi = static_cast<std::size_t>(band(ids.front()));
  const auto count = static_cast<std::size_t>(
      std::llround(static_cast<double>(ids.size()) * spec_.care_homes.shares[bi]));
  if (count == 0) return;
  std::vector<double> w;
  for (ResidentId i : ids)
    w.push_back(spec_.care_homes.frailty_weight[static_cast<std::size_t>(frailty(i))]);
  for (ResidentId i : weighted_sample(ids, w, count, s))
    set_setting(i, Setting::kCareHome);
}

void Population::assign_risk(int sdf, const std::vector<ResidentId>& ids, engine::Stream& s) {
  const auto& counts = spec_.sdfs[static_cast<std::size_t>(sdf)].risk_counts;
  std::vector<double> w;
  for (ResidentId i : ids)
    w.push_back(risk_weight(i));
  const auto total = static_cast<std::size_t>(counts[0] + counts[1] + counts[2]);
  const auto chosen = weighted_sample(ids, w, total, s);
  PITSTOP_ASSERT(chosen.size() == total);  // the loader checks the levels fit in the SDF
  // Level 3 first (the highest weights tend to come first), then Level 2, then Level 1.
  std::size_t k = 0;
  for (int level = 3; level >= 1; --level) {
    for (std::int64_t n = 0; n < counts[static_cast<std::size_t>(level - 1)]; ++n)
      set_risk(chosen[k++], static_cast<RiskLevel>(level));
  }
}

void Population::freeze_rates() {
  // Residents at the start by band, risk level, frailty and setting.
  using BySetting = std::array<double, kSettings>;
  std::array<std::array<std::array<BySetting, kFrailtyLevels>, kRiskLevels>, kAgeBands> n{};
  for (ResidentId i = 0; i < slots(); ++i) {
    n[static_cast<std::size_t>(band(i))][static_cast<std::size_t>(risk(i))]
     [static_cast<std::size_t>(frailty(i))][static_cast<std::size_t>(setting(i))] += 1;
  }
  const auto& m = spec_.mortality;
  for (std::size_t b = 0; b < kAgeBands; ++b) {
    // Deaths: the base hazard that makes the band's share dying in the first year the
    // configured (crude) rate × multiplier.
    std::vector<std::pair<double, double>> groups;  // (people, hazard ratio)
    double people = 0, own_home = 0, entry_weight = 0;
    for (std::size_t r = 0; r < kRiskLevels; ++r) {
      for (std::size_t f = 0; f < kFrailtyLevels; ++f) {
        for (std::size_t s = 0; s < kSettings; ++s) {
          groups.emplace_back(n[b][r][f][s], m.frailty_hr[f] * (s == 0 ? 1.0 : m.care_home_hr));
          people += n[b][r][f][s];
          risk_share_[b][r] += n[b][r][f][s];
        }
        own_home += n[b][r][f][0];
        entry_weight += n[b][r][f][0] * spec_.care_homes.frailty_weight[f];
      }
    }
    mortality_base_[b] = solve_base(groups, m.rate[b] * m.multiplier);
    // Care-home entry: the band average over own-home residents is the configured rate.
    care_entry_base_[b] =
        entry_weight > 0 ? spec_.care_homes.entry[b] * own_home / entry_weight : 0;
    // Risk levels: each band keeps its start mix (see solve_risk_steps()).
    for (double& share : risk_share_[b])
      share = people > 0 ? share / people : 0;
  }
}

}  // namespace pitstop::models::borough
