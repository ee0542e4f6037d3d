// DemandSampler: strata of residents with equal hazards, a sum tree over the strata, and the
// draw of (time, stratum, event type, resident) for the next event.
#include "models/borough/demand.hpp"

#include <cmath>

#include "engine/error.hpp"

namespace pitstop::models::borough {

DemandSampler::DemandSampler(const DemandSpec& spec, const Population& population,
                             engine::Stream stream)
    : spec_(spec), stream_(stream) {
  for (std::size_t e = 0; e < kEventTypes; ++e)
    multiplier_[e] = spec_.events[e].multiplier;
  modifiers_.push_back(EventFactors{1, 1, 1});
  const auto strata = static_cast<std::size_t>(kStrataPerModifier * kMaxModifiers);
  members_.resize(strata);
  rate_.resize(strata);
  while (leaves_ < strata)
    leaves_ *= 2;
  tree_.assign(2 * leaves_, 0.0);

  // The start population by (band, risk, frailty, setting): base rates are fitted to it.
  start_counts_.assign(static_cast<std::size_t>(kStrataPerModifier), 0.0);
  for (ResidentId i = 0; i < population.slots(); ++i) {
    if (population.alive(i))
      ++start_counts_[static_cast<std::size_t>(stratum_of(i, population, 0))];
  }
  // Base rates: the configured band average divided by the band's mean relative hazard (summed
  // resident by resident here; fit_base_rates does the same from the counts for set_spec).
  std::array<EventFactors, kAgeBands> mean{};
  std::array<double, kAgeBands> people{};
  for (ResidentId i = 0; i < population.slots(); ++i) {
    if (!population.alive(i)) continue;
    const auto b = static_cast<std::size_t>(population.band(i));
    const auto r = static_cast<std::size_t>(population.risk(i));
    const auto f = static_cast<std::size_t>(population.frailty(i));
    const bool home = population.setting(i) == Setting::kOwnHome;
    for (std::size_t e = 0; e < kEventTypes; ++e) {
      const EventHazards& h = spec_.events[e];
      mean[b][e] += h.risk[r] * h.frailty[f] * (home ? 1.0 : h.care_home);
    }
    people[b] += 1;
  }
  for (std::size_t b = 0; b < kAgeBands; ++b) {
    for (std::size_t e = 0; e < kEventTypes; ++e) {
      const double m = people[b] > 0 ? mean[b][e] / people[b] : 1.0;
      base_[b][e] = m > 0 ? spec_.events[e].per_person_year[b] / m : 0.0;
    }
  }
  for (int s = 0; s < kStrataPerModifier; ++s)
    refresh_rates(s);
  rebuild(population);
}

void DemandSampler::fit_base_rates() {
  // Base rates: the configured band average divided by the band's mean relative hazard over the
  // start population.
  std::array<EventFactors, kAgeBands> mean{};
  std::array<double, kAgeBands> people{};
  for (int s = 0; s < kStrataPerModifier; ++s) {
    const double n = start_counts_[static_cast<std::size_t>(s)];
    if (n == 0) continue;
    int k = s;
    const auto setting = static_cast<std::size_t>(k % kSettings);
    k /= kSettings;
    const auto f = static_cast<std::size_t>(k % kFrailtyLevels);
    k /= kFrailtyLevels;
    const auto r = static_cast<std::size_t>(k % kRiskLevels);
    const auto b = static_cast<std::size_t>(k / kRiskLevels);
    for (std::size_t e = 0; e < kEventTypes; ++e) {
      const EventHazards& h = spec_.events[e];
      mean[b][e] += n * h.risk[r] * h.frailty[f] * (setting == 0 ? 1.0 : h.care_home);
    }
    people[b] += n;
  }
  for (std::size_t b = 0; b < kAgeBands; ++b) {
    for (std::size_t e = 0; e < kEventTypes; ++e) {
      const double m = people[b] > 0 ? mean[b][e] / people[b] : 1.0;
      base_[b][e] = m > 0 ? spec_.events[e].per_person_year[b] / m : 0.0;
    }
  }
}

void DemandSampler::set_spec(const DemandSpec& spec) {
  spec_ = spec;
  for (std::size_t e = 0; e < kEventTypes; ++e)
    multiplier_[e] = spec_.events[e].multiplier;
  fit_base_rates();
  refresh_all();
}

void DemandSampler::set_modifier_factors(ModifierId m, const EventFactors& factors) {
  PITSTOP_ASSERT(m > 0 && m < modifiers_.size());
  modifiers_[m] = factors;
  refresh_all();
}

void DemandSampler::refresh_all() {
  for (int s = 0; s < static_cast<int>(modifiers_.size()) * kStrataPerModifier; ++s)
    refresh_rates(s);
  rebuild_tree();
}

int DemandSampler::stratum_of(ResidentId i, const Population& p, ModifierId m) const {
  int s = m;
  s = s * kAgeBands + static_cast<int>(p.band(i));
  s = s * kRiskLevels + static_cast<int>(p.risk(i));
  s = s * kFrailtyLevels + static_cast<int>(p.frailty(i));
  return s * kSettings + static_cast<int>(p.setting(i));
}

void DemandSampler::refresh_rates(int stratum) {
  int s = stratum;
  const auto setting = static_cast<std::size_t>(s % kSettings);
  s /= kSettings;
  const auto frailty = static_cast<std::size_t>(s % kFrailtyLevels);
  s /= kFrailtyLevels;
  const auto risk = static_cast<std::size_t>(s % kRiskLevels);
  s /= kRiskLevels;
  const auto band = static_cast<std::size_t>(s % kAgeBands);
  const auto m = static_cast<std::size_t>(s / kAgeBands);
  auto& rate = rate_[static_cast<std::size_t>(stratum)];
  for (std::size_t e = 0; e < kEventTypes; ++e) {
    const EventHazards& h = spec_.events[e];
    rate[e] = base_[band][e] * h.risk[risk] * h.frailty[frailty] *
              (setting == 0 ? 1.0 : h.care_home) * modifiers_[m][e] * multiplier_[e];
  }
}

void DemandSampler::refresh_leaf(int stratum) {
  const auto s = static_cast<std::size_t>(stratum);
  const auto& r = rate_[s];
  std::size_t p = leaves_ + s;
  tree_[p] = static_cast<double>(members_[s].size()) * (r[0] + r[1] + r[2]);
  for (p /= 2; p >= 1; p /= 2)
    tree_[p] = tree_[2 * p] + tree_[2 * p + 1];
}

void DemandSampler::rebuild_tree() {
  for (std::size_t s = 0; s < members_.size(); ++s) {
    const auto& r = rate_[s];
    tree_[leaves_ + s] = static_cast<double>(members_[s].size()) * (r[0] + r[1] + r[2]);
  }
  for (std::size_t p = leaves_ - 1; p >= 1; --p)
    tree_[p] = tree_[2 * p] + tree_[2 * p + 1];
  ++version_;
}

void DemandSampler::insert(ResidentId i, int stratum) {
  auto& list = members_[static_cast<std::size_t>(stratum)];
  stratum_[i] = static_cast<std::uint16_t>(stratum);
  slot_[i] = static_cast<std::uint32_t>(list.size());
  list.push_back(i);
}

void DemandSampler::remove(ResidentId i) {
  if (stratum_[i] == kAbsent) return;
  auto& list = members_[stratum_[i]];
  const ResidentId last = list.back();
  list[slot_[i]] = last;
  slot_[last] = slot_[i];
  list.pop_back();
  stratum_[i] = kAbsent;
}

void DemandSampler::rebuild(const Population& population) {
  const std::size_t n = population.slots();
  if (stratum_.capacity() < n) {  // exact sizes: resize() alone would double the capacity
    stratum_.reserve(n);
    slot_.reserve(n);
    modifier_.reserve(n);
  }
  stratum_.assign(n, kAbsent);
  slot_.resize(n);
  modifier_.resize(n, 0);
  // Count each stratum's members first so that every list is sized exactly.
  std::vector<std::uint32_t> size(members_.size(), 0);
  for (ResidentId i = 0; i < n; ++i) {
    if (population.alive(i)) {
      stratum_[i] = static_cast<std::uint16_t>(stratum_of(i, population, modifier_[i]));
      ++size[stratum_[i]];
    }
  }
  for (std::size_t s = 0; s < members_.size(); ++s) {
    auto& list = members_[s];
    list.clear();
    if (list.capacity() < size[s] || list.capacity() > size[s] + size[s] / 8 + 16) {
      std::vector<ResidentId>().swap(list);
      list.reserve(size[s] + size[s] / 32);  // a little room for moves between strata
    }
  }
  for (ResidentId i = 0; i < n; ++i) {
    if (stratum_[i] != kAbsent) insert(i, stratum_[i]);
  }
  rebuild_tree();
}

void DemandSampler::update(ResidentId i, const Population& population) {
  PITSTOP_ASSERT(i < stratum_.size());
  const int old = stratum_[i] == kAbsent ? -1 : stratum_[i];
  remove(i);
  if (old >= 0) refresh_leaf(old);
  if (population.alive(i)) {
    const int now = stratum_of(i, population, modifier_[i]);
    insert(i, now);
    refresh_leaf(now);
  } else {
    modifier_[i] = 0;
  }
  ++version_;
}

ModifierId DemandSampler::add_modifier(const EventFactors& factors) {
  if (modifiers_.size() >= kMaxModifiers) {
    throw engine::RuntimeError("demand: more than 15 hazard modifiers");
  }
  modifiers_.push_back(factors);
  const int m = static_cast<int>(modifiers_.size()) - 1;
  for (int s = m * kStrataPerModifier; s < (m + 1) * kStrataPerModifier; ++s)
    refresh_rates(s);
  return static_cast<ModifierId>(m);
}

void DemandSampler::set_modifier(ResidentId i, ModifierId m) {
  PITSTOP_ASSERT(i < stratum_.size() && m < modifiers_.size());
  if (stratum_[i] == kAbsent || modifier_[i] == m) return;
  const int old = stratum_[i];
  const int now = old + (m - modifier_[i]) * kStrataPerModifier;
  modifier_[i] = m;
  remove(i);
  insert(i, now);
  refresh_leaf(old);
  refresh_leaf(now);
  ++version_;
}

void DemandSampler::set_multiplier(EventType e, double multiplier) {
  multiplier_[static_cast<std::size_t>(e)] = multiplier;
  refresh_all();
}

DemandEvent DemandSampler::next_event(engine::Time now) {
  DemandEvent ev;
  const double total = tree_[1];
  if (!(total > 0)) return ev;
  ev.time = now - std::log(stream_.uniform()) * kDaysPerYear / total;
  // Descend the sum tree to a stratum in proportion to its weight; never into an empty subtree.
  double x = stream_.uniform() * total;
  std::size_t p = 1;
  while (p < leaves_) {
    const bool left = x < tree_[2 * p] || !(tree_[2 * p + 1] > 0);
    if (!left) x -= tree_[2 * p];
    p = 2 * p + (left ? 0 : 1);
  }
  const std::size_t s = p - leaves_;
  const auto& r = rate_[s];
  const double y = stream_.uniform() * (r[0] + r[1] + r[2]);
  ev.type = EventType::kAeSelfPresentation;
  if (y < r[0]) {
    ev.type = EventType::kGpConsultation;
  } else if (y < r[0] + r[1] || !(r[2] > 0)) {
    ev.type = EventType::kCall999;
  }
  const auto& list = members_[s];
  PITSTOP_ASSERT(!list.empty());
  ev.resident = list[stream_.below(list.size())];
  return ev;
}

double DemandSampler::hazard(ResidentId i, EventType e) const {
  if (i >= stratum_.size() || stratum_[i] == kAbsent) return 0.0;
  return rate_[stratum_[i]][static_cast<std::size_t>(e)];
}

double DemandSampler::rate(EventType e) const {
  double sum = 0;
  for (std::size_t s = 0; s < members_.size(); ++s)
    sum += static_cast<double>(members_[s].size()) * rate_[s][static_cast<std::size_t>(e)];
  return sum;
}

double DemandSampler::base_rate(AgeBand b, EventType e) const {
  return base_[static_cast<std::size_t>(b)][static_cast<std::size_t>(e)] *
         multiplier_[static_cast<std::size_t>(e)];
}

std::size_t DemandSampler::bytes() const {
  std::size_t n = stratum_.capacity() * sizeof(std::uint16_t) +
                  slot_.capacity() * sizeof(std::uint32_t) + modifier_.capacity();
  for (const auto& list : members_)
    n += list.capacity() * sizeof(ResidentId) + sizeof(list);
  return n + rate_.capacity() * sizeof(EventFactors) + tree_.capacity() * sizeof(double);
}

}  // namespace pitstop::models::borough
