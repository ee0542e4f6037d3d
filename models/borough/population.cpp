// The yearly step of the population (deaths, ageing, transitions, births, net migration solved
// to the projections) and the counts read from it.
#include "models/borough/population.hpp"

#include <algorithm>
#include <cmath>

#include "engine/error.hpp"

namespace pitstop::models::borough {
namespace {

/// floor(x), plus one with probability frac(x): an integer with mean x.
std::int64_t stochastic_round(double x, engine::Stream& s) {
  const double f = std::floor(x);
  return static_cast<std::int64_t>(f) + (s.uniform() < x - f ? 1 : 0);
}

}  // namespace

std::uint8_t pack_traits(Sex sex, RiskLevel risk, Frailty frailty, int ltc, Setting setting) {
  return static_cast<std::uint8_t>(static_cast<unsigned>(sex) | (static_cast<unsigned>(risk) << 1) |
                                   (static_cast<unsigned>(frailty) << 3) |
                                   (static_cast<unsigned>(std::min(ltc, 3)) << 5) |
                                   (static_cast<unsigned>(setting) << 7));
}

void Population::die(ResidentId i) {
  if (!alive(i)) return;
  flags_[i] = static_cast<std::uint8_t>(flags_[i] & ~kAlive);
  --alive_;
}

YearReport Population::step_year() {
  YearReport report;
  report.year = ++year_;
  const auto existing = static_cast<ResidentId>(slots());
  for (ResidentId i = 0; i < existing; ++i) {
    if (alive(i) && !live_one_year(i, report)) {
      die(i);
      ++report.deaths;
    }
  }
  fill_risk_levels(existing, report);
  // Room for a year's births and immigrants (≈2%) without doubling the arrays.
  const std::size_t room = slots() + slots() / 32 + 1024;
  for (auto* v : {&sdf_, &age_, &traits_, &flags_}) {
    if (v->capacity() < room) v->reserve(room);
  }
  engine::Stream s(seed_, replicate_, purpose(BoroughPurpose::kMigration),
                   static_cast<std::uint64_t>(year_));
  add_births(report, s);
  migrate(report, s);
  return report;
}

void Population::add_births(YearReport& report, engine::Stream& s) {
  const std::int64_t births = stochastic_round(spec_.birth_rate * static_cast<double>(alive_), s);
  // Each baby's SDF in proportion to the SDFs' living residents.
  std::vector<double> cum;
  double sum = 0;
  for (const auto& c : counts()) {
    for (auto n : c)
      sum += static_cast<double>(n);
    cum.push_back(sum);
  }
  for (std::int64_t n = 0; n < births && sum > 0; ++n) {
    const double x = s.uniform() * sum;
    const auto sdf = std::upper_bound(cum.begin(), cum.end(), x) - cum.begin();
    const Sex sex = s.uniform() < spec_.female_share[0] ? Sex::kFemale : Sex::kMale;
    add(static_cast<int>(std::min<std::ptrdiff_t>(sdf, std::ssize(cum) - 1)), 0,
        pack_traits(sex, RiskLevel::kNone, Frailty::kFit, 0, Setting::kOwnHome));
  }
  report.births = births;
}

std::optional<double> Population::target(int min_age, int year) const {
  const auto& p = spec_.projection;
  switch (min_age) {
    case 0:
      return projected(p.total, year);
    case 65:
      return projected(p.age_65_plus, year);
    case 75:
      return projected(p.age_75_plus, year);
    case 85:
      return projected(p.age_85_plus, year);
    default:
      return std::nullopt;
  }
}

// Net migration by band: the band counts implied by the projections (85+; 75+ − 85+; 65+ − 75+;
// total − 65+, shared between 0-17 and 18-64 in proportion to their sizes) minus those after
// deaths and births. Immigrants copy a random resident of the band (keeping the mix of SDF,
// age, sex, risk, frailty, LTCs and setting); emigrants are random residents of the band.
void Population::migrate(YearReport& report, engine::Stream& s) {
  // Counted first so that each band's list is allocated once at its size (part of the yearly
  // step's peak memory).
  std::array<std::size_t, kAgeBands> size{};
  for (ResidentId i = 0; i < slots(); ++i) {
    if (alive(i)) ++size[static_cast<std::size_t>(band(i))];
  }
  std::array<std::vector<ResidentId>, kAgeBands> members;
  for (std::size_t b = 0; b < kAgeBands; ++b)
    members[b].reserve(size[b]);
  for (ResidentId i = 0; i < slots(); ++i) {
    if (alive(i)) members[static_cast<std::size_t>(band(i))].push_back(i);
  }
  std::array<std::optional<double>, kAgeBands> want{};
  const std::array<std::optional<double>, 4> t = {target(0, year_), target(65, year_),
                                                  target(75, year_), target(85, year_)};
  for (std::size_t b = kFirstOlderBand; b < kAgeBands; ++b) {
    const std::size_t k = b - kFirstOlderBand + 1;  // the target of this band's lower age
    if (t[k] && (k == 3 || t[k + 1])) want[b] = *t[k] - (k == 3 ? 0.0 : *t[k + 1]);
  }
  if (t[0] && t[1]) {
    const double young = *t[0] - *t[1];
    const double n0 = static_cast<double>(members[0].size());
    const double n1 = static_cast<double>(members[1].size());
    if (n0 + n1 > 0) {
      want[0] = young * n0 / (n0 + n1);
      want[1] = young * n1 / (n0 + n1);
    }
  }
  for (std::size_t b = 0; b < kAgeBands; ++b) {
    auto& ids = members[b];
    if (!want[b] || ids.empty()) continue;
    const std::int64_t net = std::llround(*want[b]) - std::ssize(ids);
    report.net_migration[b] = net;
    for (std::int64_t n = 0; n < net; ++n) {
      const ResidentId donor = ids[s.below(ids.size())];
      add(sdf_[donor], age_[donor], traits_[donor]);
    }
    // Partial Fisher–Yates: the first |net| of a shuffle leave.
    for (std::int64_t n = 0; n < -net && n < std::ssize(ids); ++n) {
      const auto k = static_cast<std::size_t>(n);
      std::swap(ids[k], ids[k + s.below(ids.size() - k)]);
      die(ids[k]);
    }
  }
}

std::vector<BandCounts> Population::counts() const {
  std::vector<BandCounts> out(spec_.sdfs.size(), BandCounts{});
  for (ResidentId i = 0; i < slots(); ++i) {
    if (alive(i)) ++out[sdf_[i]][static_cast<std::size_t>(band(i))];
  }
  return out;
}

std::int64_t Population::count_aged(int min_age) const {
  std::int64_t n = 0;
  for (ResidentId i = 0; i < slots(); ++i)
    n += alive(i) && age_[i] >= min_age ? 1 : 0;
  return n;
}

std::vector<std::array<std::int64_t, kRiskLevels>> Population::risk_counts() const {
  std::vector<std::array<std::int64_t, kRiskLevels>> out(spec_.sdfs.size());
  for (ResidentId i = 0; i < slots(); ++i) {
    if (alive(i)) ++out[sdf_[i]][static_cast<std::size_t>(risk(i))];
  }
  return out;
}

std::int64_t Population::care_home_count() const {
  std::int64_t n = 0;
  for (ResidentId i = 0; i < slots(); ++i)
    n += alive(i) && setting(i) == Setting::kCareHome ? 1 : 0;
  return n;
}

std::size_t Population::bytes() const {
  return sdf_.capacity() + age_.capacity() + traits_.capacity() + flags_.capacity();
}

PopulationSpec scaled(const PopulationSpec& spec, double factor) {
  PopulationSpec out = spec;
  const auto scale = [&](std::int64_t n) {
    return static_cast<std::int64_t>(std::llround(static_cast<double>(n) * factor));
  };
  for (auto& sdf : out.sdfs) {
    sdf.people = std::max<std::int64_t>(1, scale(sdf.people));
    for (auto& n : sdf.risk_counts)
      n = scale(n);
  }
  auto& p = out.projection;
  for (auto* series : {&p.total, &p.age_65_plus, &p.age_75_plus, &p.age_85_plus}) {
    for (auto& point : *series)
      point.people *= factor;
  }
  return out;
}

std::vector<engine::Time> yearly_step_times(Date start, engine::Time horizon_days) {
  int y = 0, m = 0, d = 0;
  start.to_ymd(y, m, d);
  std::vector<engine::Time> out;
  for (int k = 1;; ++k) {
    Date next = Date::from_ymd(y + k, m, d);
    int ny = 0, nm = 0, nd = 0;
    next.to_ymd(ny, nm, nd);
    if (nm != m) next = Date::from_ymd(y + k, m, d - 1);  // 29 February in a common year
    const auto t = static_cast<engine::Time>(next.days - start.days);
    if (t >= horizon_days) break;
    out.push_back(t);
  }
  return out;
}

}  // namespace pitstop::models::borough
