#include "models/borough/front_door.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace pitstop::models::borough {
namespace {

using engine::Priority;
using engine::Time;

constexpr double kFourHours = 4.0 / 24.0;
constexpr double kDaysPerYear = 365.25;

/// Extra random-stream purposes of the front door (after population.hpp's).
enum class FrontDoorPurpose : std::uint64_t {
  kGpOutcome = 10,  // a consultation's time of day and outcome, one stream a replicate
  kThinning = 11,   // the hour-of-day profile's thinning, one stream a replicate
};
engine::Purpose purpose(FrontDoorPurpose p) {
  return static_cast<engine::Purpose>(
      static_cast<std::uint64_t>(engine::Purpose::kFirstModelPurpose) +
      static_cast<std::uint64_t>(p));
}

/// Index of the share `u` falls in (shares sum to 1; the last absorbs rounding).
template <std::size_t N>
std::size_t pick(const std::array<double, N>& shares, double u) {
  for (std::size_t i = 0; i + 1 < N; ++i) {
    if (u < shares[i]) return i;
    u -= shares[i];
  }
  return N - 1;
}

std::vector<std::string> joined(const std::vector<std::string>& a,
                                const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a)
    for (const auto& y : b)
      out.push_back(x + "/" + y);
  return out;
}

template <std::size_t N>
std::vector<std::string> names(const std::array<const char*, N>& a) {
  return {a.begin(), a.end()};
}

int start_year(Date d) {
  int y, m, day;
  d.to_ymd(y, m, day);
  return y;
}

}  // namespace

std::vector<engine::MetricDef> borough_metrics(const PopulationSpec& spec,
                                               const FinanceSpec* finance) {
  std::vector<std::string> sdfs;
  for (const SdfSpec& s : spec.sdfs)
    sdfs.push_back(s.label);
  const auto mean = engine::Rollup::kMean;
  const std::vector<std::string> total = {"all"};
  // By SDF; or by SDF and something more, named "sdf_<what>" with labels "<sdf>/<label>".
  const auto by_sdf = [&](const char* name, const char* units, const char* doc,
                          engine::Rollup rollup = engine::Rollup::kSum) {
    return engine::MetricDef{name, units, doc, rollup, "sdf", sdfs};
  };
  const auto by_sdf_and = [&](const char* name, const char* units, const char* doc,
                              const std::string& what, const std::vector<std::string>& labels,
                              engine::Rollup rollup = engine::Rollup::kSum) {
    return engine::MetricDef{name, units, doc, rollup, "sdf_" + what, joined(sdfs, labels)};
  };
  std::vector<engine::MetricDef> m(kBoroughMetricCount);
  m[kGpConsultations] = by_sdf("gp_consultations", "consultations",
                               "GP practice consultations held, on the appointment day");
  m[kGpWaitDays] = by_sdf("gp_wait_days", "days",
                          "Days from asking to the appointment, summed over the consultations held "
                          "that day (divide by gp_consultations for the mean wait)");
  m[kAmbulanceCalls] = by_sdf_and("ambulance_calls", "calls",
                                  "999 calls by outcome, on the day the outcome was decided",
                                  "call_outcome", names(kCallOutcomeNames));
  m[kAmbulanceConveyances] = by_sdf("ambulance_conveyances", "patients",
                                    "Patients brought to A&E by a crew, on arrival at the door");
  m[kHandoverDelayHours] =
      by_sdf("handover_delay_hours", "crew hours",
             "Hours crews waited at A&E to hand over (A&E full), on the day the handover happened");
  m[kCommunityResponseContacts] = by_sdf_and("community_response_contacts", "visits",
                                             "Community response visits by outcome, at their end",
                                             "visit_outcome", names(kVisitOutcomeNames));
  m[kComplexCareCaseload] =
      by_sdf("complex_care_caseload", "people",
             "Residents enrolled in complex care at the end of the day", mean);
  m[kAeAttendances] =
      by_sdf_and("ae_attendances", "attendances",
                 "A&E attendances on arrival at the door, by arrival mode and age band",
                 "mode_age_band", joined(names(kArrivalModeNames), names(kAgeBandNames)));
  m[kAe4hBreaches] = by_sdf("ae_4h_breaches", "attendances",
                            "A&E attendances that left more than 4 hours after arrival (admitted, "
                            "discharged or unseen), on the day they left");
  m[kAeLeftUnseen] = by_sdf("ae_left_unseen", "attendances",
                            "Walk-ins who left A&E before treatment after a long wait");
  m[kEmergencyAdmissions] = by_sdf("emergency_admissions", "admissions",
                                   "Emergency admissions into the bed pool (from A&E or a GP)");
  m[kBedsOccupied] = by_sdf("beds_occupied", "beds",
                            "Acute beds held by emergency patients at the end of the day "
                            "(including those ready to leave)",
                            mean);
  m[kBedOccupancyRate] = {"bed_occupancy_rate",
                          "share",
                          "Occupied ÷ places of the bed pool at the end of the day",
                          mean,
                          "total",
                          total};
  m[kTrolleyWaits] = by_sdf(
      "trolley_waits", "patients",
      "Admitted A&E patients who waited more than 4 hours for a bed, on the day they got one");
  m[kDelayedTransferDays] =
      by_sdf_and("delayed_transfer_days", "bed-days",
                 "Time patients ready to leave spent in an acute bed waiting for their destination "
                 "(the reason), on the days they waited",
                 "reason", names(kDelayReasonNames));
  m[kDelayedBedsPerDay] =
      by_sdf("delayed_beds_per_day", "beds",
             "Mean number of acute beds held by delayed patients each day", mean);
  m[kDelayedDaysByResponsibility] =
      by_sdf_and("delayed_transfer_days_by_responsibility", "bed-days",
                 "delayed_transfer_days attributed to the NHS, social care or both (each "
                 "reason's days shared as pathways.discharge.responsible says)",
                 "responsibility", names(kResponsibilityNames));
  m[kDischarges] = by_sdf_and("discharges", "patients",
                              "Patients leaving the bed pool, by destination, on the day they left",
                              "destination", names(kDestinationNames));
  m[kReablementStarts] = by_sdf("reablement_starts", "people", "Reablement episodes begun");
  m[kReadmissions30d] = by_sdf("readmissions_30d", "admissions",
                               "Emergency admissions within 30 days of leaving the bed pool");
  m[kCareHomeAdmissions] =
      by_sdf("care_home_admissions", "people",
             "Residents who moved into a care home from hospital or reablement");
  // Two borough-wide breakdowns (no SDF: the series are the bulk of a replicate's memory).
  m[kAdmissionsByRoute] = {
      "emergency_admissions_by_route",
      "admissions",
      "emergency_admissions by how they reached the bed pool: through A&E after an ambulance "
      "conveyance, walking into A&E, sent by a GP (directly or through A&E), or from reablement "
      "(the whole borough)",
      engine::Rollup::kSum,
      "route",
      names(kAdmissionRouteNames)};
  m[kCareHomeResidentAdmissions] =
      by_sdf("care_home_resident_admissions", "admissions",
             "Emergency admissions of residents who live in a care home (at admission)");
  m[kCareHomeResidents] = by_sdf("care_home_residents", "people",
                                 "Living residents in a care home at the end of the day", mean);
  m[kReablementChecks] =
      by_sdf("reablement_91d_checks", "people",
             "Residents aged 65+ discharged from hospital into reablement, checked "
             "pathways.discharge.at_home_check_days (91) days later, on the day of the check");
  m[kReablementAtHome] = by_sdf("reablement_91d_at_home", "people",
                                "Of reablement_91d_checks, those at home: alive, not in a care "
                                "home, not in an acute bed or intermediate care");
  m[kAtHomeAfterReablement] = by_sdf(
      "at_home_91d_after_reablement", "share",
      "reablement_91d_at_home ÷ reablement_91d_checks (ASCOF 2B(1)); the day's share, NaN on days "
      "without checks; a period's value is the ratio of the period's totals",
      engine::Rollup::kRatio);
  m[kAtHomeAfterReablement].numerator = "reablement_91d_at_home";
  m[kAtHomeAfterReablement].denominator = "reablement_91d_checks";
  m[kOlderDischarges] = {"discharges_65_plus",
                         "patients",
                         "discharges of patients aged 65+, by destination (the whole borough)",
                         engine::Rollup::kSum,
                         "destination",
                         names(kDestinationNames)};
  if (finance != nullptr) {
    std::vector<std::string> lines;
    for (const auto& line : finance->lines)
      lines.push_back(std::string(kFundNames[static_cast<std::size_t>(line.fund)]) + "/" +
                      line.name);
    m.push_back({"activity_cost_gbp", "GBP",
                 "Activity-based cost: each activity's count (or places in use) that day × "
                 "finance.unit_costs_gbp (the whole borough)",
                 engine::Rollup::kSum, "activity", names(kActivityNames)});
    m.push_back({"spend_gbp", "GBP",
                 "Budget spent, by fund and line: each line's finance.budget_lines amount "
                 "spread evenly over the days of each financial year",
                 engine::Rollup::kSum, "fund_line", lines});
  }
  m[kPopulation] = by_sdf_and("population", "people", "Living residents at the end of the day",
                              "age_band", names(kAgeBandNames), mean);
  return m;
}

bool needs_discharge(BoroughMetric m) {
  switch (m) {
    case kDelayedTransferDays:
    case kDelayedBedsPerDay:
    case kDelayedDaysByResponsibility:
    case kReablementStarts:
    case kCareHomeAdmissions:
    case kReablementChecks:
    case kReablementAtHome:
    case kAtHomeAfterReablement:
      return true;
    default:
      return false;
  }
}

FrontDoor::FrontDoor(const Scenario& sc, const engine::NetworkGraph& graph, std::uint32_t replicate)
    : sc_(sc),
      pw_(&*sc.pathways),
      demand_(&*sc.demand),
      graph_(graph),
      replicate_(replicate),
      population_(*sc.population, start_year(sc.start), sc.run.seed, replicate),
      sampler_(*sc.demand, population_,
               engine::Stream(sc.run.seed, replicate, purpose(BoroughPurpose::kDemand))),
      thinning_(sc.run.seed, replicate, purpose(FrontDoorPurpose::kThinning)),
      gp_stream_(sc.run.seed, replicate, purpose(FrontDoorPurpose::kGpOutcome)) {
  const auto& services = graph.spec().services;
  role_.assign(services.size(), kNoService);
  for (std::size_t k = 0; k < kServices; ++k) {
    const auto it = std::find_if(services.begin(), services.end(),
                                 [&](const auto& s) { return s.name == kServiceNames[k]; });
    PITSTOP_ASSERT(it != services.end());  // checked by the loader
    node_[k] = static_cast<std::size_t>(it - services.begin());
    role_[node_[k]] = k;
  }
  discharge_node_.fill(kNoService);
  if (pw_->discharge) {
    for (std::size_t k = 0; k < kDischargeServices; ++k) {
      const auto it = std::find_if(services.begin(), services.end(), [&](const auto& s) {
        return s.name == kDischargeServiceNames[k];
      });
      PITSTOP_ASSERT(it != services.end());  // checked by the loader
      discharge_node_[k] = static_cast<std::size_t>(it - services.begin());
      role_[discharge_node_[k]] = kServices + k;  // after the front-door roles
    }
    if (pw_->discharge->has_assessment) {
      const auto it = std::find_if(services.begin(), services.end(),
                                   [&](const auto& s) { return s.name == kAssessmentServiceName; });
      PITSTOP_ASSERT(it != services.end());  // checked by the loader
      assessment_node_ = static_cast<std::size_t>(it - services.begin());
      role_[assessment_node_] = kAssessmentRole;
    }
  }
  beds_by_sdf_.assign(sc.population->sdfs.size(), 0);
  const auto [enrolled, after, both] = modifier_factors(*pw_);
  enrolled_ = sampler_.add_modifier(enrolled);
  if (pw_->discharge) {
    after_ = sampler_.add_modifier(after);
    enrolled_after_ = sampler_.add_modifier(both);
  }
  care_home_residents_.assign(sc.population->sdfs.size(), 0);
  size_per_resident();
  set_peak_hours();
  const std::size_t days = static_cast<std::size_t>(std::floor(sc.run.horizon_days));
  for (std::size_t s = 0; s < sc.population->sdfs.size(); ++s)
    gp_books_.emplace_back(days, sc.start.weekday());
  caseload_.assign(sc.population->sdfs.size(), 0);
  population_counts_ = population_.counts();
  set_gp_capacity(0);
  year_steps_ = yearly_step_times(sc.start, sc.run.horizon_days);
  defs_ = borough_metrics(*sc.population, sc.finance ? &*sc.finance : nullptr);
  if (sc.finance && pw_->discharge) places_in_use_.assign(days, {});
  series_.init(defs_, days);
}

std::size_t FrontDoor::bytes() const {
  std::size_t b = population_.bytes() + sampler_.bytes();
  for (const auto& book : gp_books_)
    b += book.days() * 2 * sizeof(std::int64_t);
  b += episodes_.bytes() + referrals_.bytes();
  b += last_leave_.capacity() * sizeof(float) + away_.capacity() +
       (beds_by_sdf_.capacity() + care_home_residents_.capacity()) * sizeof(std::int64_t);
  return b;
}

double& FrontDoor::at(BoroughMetric m, Time t, std::size_t b) {
  const auto day = static_cast<std::size_t>(t);
  if (day >= series_.days) return sink_ = 0;  // at the horizon itself
  return series_.values[m][day * defs_[m].breakdown.size() + b];
}

// ---- Demand ----

void FrontDoor::start(engine::Network& net) {
  net_ = &net;
  if (pw_->discharge) {
    for (std::size_t k = 0; k < kDischargeServices; ++k) {
      for (std::int64_t i = 0; i < pw_->discharge->initial_occupied[k]; ++i) {
        const std::uint32_t id = new_episode(
            0, (std::uint64_t{1} << 47) | (std::uint64_t{k} << 32) | static_cast<std::uint64_t>(i));
        episodes_[id].placeholder = true;
        inject(discharge_node_[k], id);
      }
    }
  }
  count_care_home_residents();
  draw_next_demand(0);
  for (std::uint32_t k = 0; k < sc_.pit_stops.size(); ++k) {
    if (sc_.pit_stops[k].day <= net.horizon()) {
      net.schedule_model(sc_.pit_stops[k].day, Priority::kScheduleChange, kPitStop, k);
    }
  }
  if (next_year_ < year_steps_.size()) {
    net.schedule_model(year_steps_[next_year_], Priority::kScheduleChange, kYearlyStep, 0);
  }
  if (series_.days > 0) net.schedule_model(1.0, Priority::kSnapshot, kDayEnd, 0);
}

void FrontDoor::draw_next_demand(Time from) {
  for (;;) {
    pending_ = sampler_.next_event(from);
    if (pending_.time > net_->horizon()) break;
    // Thinning to the hour-of-day profile: the sampler runs at each type's peak hourly rate;
    // an event is kept with (weight of its hour) / (peak weight).
    const auto e = static_cast<std::size_t>(pending_.type);
    if (peak_hour_[e] > 1) {
      const double hour_of = (pending_.time - std::floor(pending_.time)) * 24.0;
      const auto hour = std::min<std::size_t>(23, static_cast<std::size_t>(hour_of));
      const double keep = demand_->events[e].hour_of_day[hour] / peak_hour_[e];
      if (thinning_.uniform() >= keep) {
        from = pending_.time;
        continue;
      }
    }
    // A GP consultation due before anything else on the calendar touches nothing but its SDF's
    // appointment book (and may schedule its outcome, later): handle it at once instead of
    // through the calendar. Same result, two calendar operations fewer for most demand events.
    if (pending_.type == EventType::kGpConsultation && pending_.time < net_->next_event_time()) {
      ++demand_count_;
      on_gp_consultation(pending_);
      from = pending_.time;
      continue;
    }
    break;
  }
  ++generation_;
  if (pending_.time <= net_->horizon()) {
    net_->schedule_model(pending_.time, Priority::kArrival, kDemand, generation_);
  }
}

void FrontDoor::on_model_event(engine::Network& net, std::uint32_t kind, std::uint32_t target) {
  switch (kind) {
    case kDemand: {
      if (target != generation_) return;  // drawn under rates that have changed since
      const DemandEvent ev = pending_;
      ++demand_count_;
      on_demand(ev);
      // Handling may already have redrawn (a change of rates); otherwise draw the next now.
      if (target == generation_) draw_next_demand(net.now());
      break;
    }
    case kGpOutcomeDue:
      on_gp_outcome(target);
      break;
    case kYearlyStep:
      on_yearly_step();
      break;
    case kAfterDischargeEnds: {
      // Unless a later discharge started a new period (or they died or moved meanwhile).
      const ResidentId r = target;
      if (population_.alive(r) && after_discharge(r) &&
          net.now() >= static_cast<double>(last_leave_[r]) + pw_->discharge->after_days - 1e-3) {
        set_hazards(r, enrolled(r), false);
      }
      break;
    }
    case kAtHomeCheck:
      on_at_home_check(target);
      break;
    case kPitStop:
      on_pit_stop(sc_.pit_stops[target]);
      break;
    case kDayEnd:
      on_day_end(std::lround(net.now()) - 1);
      if (net.now() + 1 <= net.horizon()) {
        net.schedule_model(net.now() + 1, Priority::kSnapshot, kDayEnd, 0);
      }
      break;
    default:
      PITSTOP_ASSERT(false);
  }
}

void FrontDoor::on_demand(const DemandEvent& ev) {
  switch (ev.type) {
    case EventType::kGpConsultation:
      on_gp_consultation(ev);
      break;
    case EventType::kCall999: {
      const std::uint32_t id = new_episode(ev.resident, demand_count_);
      episodes_[id].from_999 = true;
      inject(node_[static_cast<int>(Service::kCallHandling)], id);
      break;
    }
    case EventType::kAeSelfPresentation: {
      const std::uint32_t id = new_episode(ev.resident, demand_count_);
      arrive_at_ae(id, ArrivalMode::kWalkIn, ev.time);
      inject(node_[static_cast<int>(Service::kAeMinors)], id);
      break;
    }
  }
}

void FrontDoor::on_gp_consultation(const DemandEvent& ev) {
  const auto s = static_cast<std::size_t>(population_.sdf(ev.resident));
  const auto [open, close] = pw_->gp.day_hours;
  // Asking after closing time books from the next day on.
  const double today = std::floor(ev.time);
  const double hour = (ev.time - today) * 24.0;
  const auto earliest = static_cast<std::size_t>(today) + (hour >= close ? 1 : 0);
  const auto day = gp_books_[s].book(earliest);
  if (day >= gp_books_[s].days()) return;  // no appointment before the horizon
  engine::Stream& st = gp_stream_;
  // Appointments are spread evenly over the opening hours; one booked for today is not before
  // the asking.
  const Time when =
      std::max(ev.time, static_cast<double>(day) + (open + st.uniform() * (close - open)) / 24.0);
  at(kGpConsultations, when, s) += 1;
  at(kGpWaitDays, when, s) += when - ev.time;
  auto outcome = static_cast<GpOutcome>(pick(pw_->gp.outcomes, st.uniform()));
  if (outcome == GpOutcome::kComplexCare &&
      (population_.risk(ev.resident) < pw_->complex_care.min_risk || enrolled(ev.resident))) {
    outcome = GpOutcome::kResolved;
  }
  if (outcome == GpOutcome::kResolved) return;
  const std::uint32_t slot = referrals_.take();
  referrals_[slot] = {ev.resident, outcome, demand_count_};
  net_->schedule_model(when, Priority::kArrival, kGpOutcomeDue, slot);
}

void FrontDoor::on_gp_outcome(std::uint32_t slot) {
  const GpReferral ref = referrals_[slot];
  referrals_.release(slot);
  if (!population_.alive(ref.resident)) return;  // died before the appointment
  if (ref.outcome == GpOutcome::kComplexCare && enrolled(ref.resident)) {
    return;  // enrolled meanwhile, after another referral
  }
  const std::uint32_t id = new_episode(ref.resident, ref.key);
  episodes_[id].from_gp = true;
  switch (ref.outcome) {
    case GpOutcome::kComplexCare:
      inject(node_[static_cast<int>(Service::kComplexCare)], id);
      break;
    case GpOutcome::kCommunityResponse:
      inject(node_[static_cast<int>(Service::kCommunityResponse)], id);
      break;
    case GpOutcome::kAe:
      arrive_at_ae(id, ArrivalMode::kWalkIn, net_->now());
      inject(node_[static_cast<int>(Service::kAeMinors)], id);
      break;
    case GpOutcome::kAdmission:
      inject(node_[static_cast<int>(Service::kBeds)], id);
      break;
    case GpOutcome::kResolved:
      end_episode(id);
      break;
  }
}

void FrontDoor::set_gp_capacity(std::size_t from_day) {
  for (std::size_t s = 0; s < gp_books_.size(); ++s) {
    std::int64_t people = 0;
    for (std::int64_t n : population_counts_[s])
      people += n;
    std::array<double, 7> per_day{};
    for (std::size_t w = 0; w < 7; ++w)
      per_day[w] = pw_->gp.per_1000_by_weekday[w] * static_cast<double>(people) / 1000.0;
    gp_books_[s].set_weekly(from_day, per_day);
  }
}

void FrontDoor::on_yearly_step() {
  // The day ending now is recorded with the levels it had (its own end-of-day event comes after
  // this one at the same instant and is then skipped).
  const long ending = std::lround(net_->now()) - 1;
  if (ending >= 0) on_day_end(ending);
  population_.step_year();
  sampler_.rebuild(population_);
  population_counts_ = population_.counts();
  size_per_resident();
  count_care_home_residents();
  const auto today = static_cast<std::size_t>(net_->now());
  set_gp_capacity(today);
  draw_next_demand(net_->now());
  if (++next_year_ < year_steps_.size()) {
    net_->schedule_model(year_steps_[next_year_], Priority::kScheduleChange, kYearlyStep, 0);
  }
}

void FrontDoor::set_peak_hours() {
  for (std::size_t e = 0; e < kEventTypes; ++e) {
    const auto& h = demand_->events[e];
    peak_hour_[e] = *std::max_element(h.hour_of_day.begin(), h.hour_of_day.end());
    if (peak_hour_[e] > 1)
      sampler_.set_multiplier(static_cast<EventType>(e), h.multiplier * peak_hour_[e]);
  }
}

std::array<EventFactors, 3> FrontDoor::modifier_factors(const PathwaysSpec& pw) {
  const auto& f = pw.complex_care.hazard_factor;
  std::array<double, kEventTypes> a{1, 1, 1};
  if (pw.discharge) std::copy_n(pw.discharge->after_hazard_factor.begin(), kEventTypes, a.begin());
  return {EventFactors{f[0], f[1], f[2]}, EventFactors{a[0], a[1], a[2]},
          EventFactors{f[0] * a[0], f[1] * a[1], f[2] * a[2]}};
}

void FrontDoor::on_pit_stop(const PitStopSpecs& p) {
  // Decisions read pw_ and demand_ as they are made; what was derived from them at the start is
  // derived again (the money is priced day by day at the end, fill_costs). Nothing else changes (so
  // a pit stop that changes nothing leaves every draw where it was).
  bool redraw = false;
  if (p.demand_changed) {
    demand_ = &*p.demand;
    sampler_.set_spec(*demand_);
    set_peak_hours();
    redraw = true;
  }
  if (p.pathways_changed) {
    const PathwaysSpec& before = *pw_;
    pw_ = &*p.pathways;
    // Hazards and GP capacity are derived at the start: derive them again only if they change,
    // so a pit stop on anything else leaves the demand sequence (and every draw) as it was.
    const auto factors = modifier_factors(*pw_);
    if (factors != modifier_factors(before)) {
      sampler_.set_modifier_factors(enrolled_, factors[0]);
      if (after_ != 0) {
        sampler_.set_modifier_factors(after_, factors[1]);
        sampler_.set_modifier_factors(enrolled_after_, factors[2]);
      }
      redraw = true;
    }
    if (before.gp.per_1000_by_weekday != pw_->gp.per_1000_by_weekday) {
      set_gp_capacity(static_cast<std::size_t>(net_->now()));
    }
  }
  // Rates changed: the pending demand event was drawn under the old ones (memoryless redraw).
  if (redraw) draw_next_demand(net_->now());
}

void FrontDoor::on_day_end(long day) {
  if (day <= last_day_recorded_) return;
  last_day_recorded_ = day;
  const Time t = static_cast<double>(day);
  const std::size_t beds = node_[static_cast<int>(Service::kBeds)];
  const auto places = static_cast<double>(net_->capacity(beds));
  at(kBedOccupancyRate, t, 0) =
      places > 0 ? static_cast<double>(net_->occupied(beds)) / places : 0.0;
  for (std::size_t s = 0; s < caseload_.size(); ++s) {
    at(kBedsOccupied, t, s) = static_cast<double>(beds_by_sdf_[s]);
    at(kComplexCareCaseload, t, s) = static_cast<double>(caseload_[s]);
    at(kCareHomeResidents, t, s) = static_cast<double>(care_home_residents_[s]);
    for (std::size_t b = 0; b < kAgeBands; ++b)
      at(kPopulation, t, s * kAgeBands + b) = static_cast<double>(population_counts_[s][b]);
  }
  if (!places_in_use_.empty() && static_cast<std::size_t>(day) < places_in_use_.size()) {
    for (std::size_t k = 0; k < kDischargeServices; ++k) {
      places_in_use_[static_cast<std::size_t>(day)][k] =
          static_cast<double>(net_->occupied(discharge_node_[k]));
    }
  }
}

// ---- Episodes ----

std::uint32_t FrontDoor::new_episode(ResidentId r, std::uint64_t key) {
  const std::uint32_t id = episodes_.take();
  episodes_[id].resident = r;
  episodes_[id].key = key;
  return id;
}

void FrontDoor::inject(std::size_t service, std::uint32_t episode) {
  Episode& ep = episodes_[episode];
  // Each service visit of an episode draws from its own engine streams.
  ep.key += std::uint64_t{1} << 48;
  net_->inject(static_cast<std::uint32_t>(service), episode, ep.key);
}

void FrontDoor::arrive_at_ae(std::uint32_t episode, ArrivalMode mode, Time at_door) {
  Episode& ep = episodes_[episode];
  ep.mode = mode;
  ep.ae_arrival = at_door;
  const auto band = static_cast<std::size_t>(population_.band(ep.resident));
  at(kAeAttendances, at_door,
     (sdf(ep) * kArrivalModes + static_cast<std::size_t>(mode)) * kAgeBands + band) += 1;
  if (mode == ArrivalMode::kAmbulance) at(kAmbulanceConveyances, at_door, sdf(ep)) += 1;
}

void FrontDoor::leave_ae(const Episode& ep) {
  if (net_->now() - ep.ae_arrival > kFourHours) at(kAe4hBreaches, net_->now(), sdf(ep)) += 1;
}

// ---- Choices ----

std::size_t FrontDoor::route(std::size_t node, std::uint64_t tag, engine::Stream& s) {
  Episode& ep = episodes_[tag];
  const auto exit = engine::NetworkGraph::kExitIndex;
  if (const std::size_t k = discharge_role(node); k != kNoService) {
    if (ep.placeholder || static_cast<Destination>(k + 1) != Destination::kReablement) return exit;
    switch (
        static_cast<ReablementOutcome>(pick(pw_->discharge->reablement_outcomes, s.uniform()))) {
      case ReablementOutcome::kNoFurtherSupport:
        ep.dest = Destination::kHome;
        return exit;
      case ReablementOutcome::kHomecare:
        ep.dest = Destination::kHomecare;
        return discharge_node_[0];
      case ReablementOutcome::kCareHome:
        ep.dest = Destination::kResidentialHome;
        return discharge_node_[3];
      case ReablementOutcome::kReadmission:
        ep.readmitted = true;
        return node_[static_cast<int>(Service::kBeds)];
    }
    return exit;
  }
  if (is_assessment(node)) {
    // Assessed: back to the bed they kept (at once), to wait there for the destination.
    ep.assessed = true;
    return node_[static_cast<int>(Service::kBeds)];
  }
  switch (static_cast<Service>(role_[node])) {
    case Service::kCallHandling: {
      if (s.uniform() < pw_->ambulance.hear_and_treat) {
        at(kAmbulanceCalls, net_->now(),
           sdf(ep) * kCallOutcomes + static_cast<std::size_t>(CallOutcome::kHearAndTreat)) += 1;
        return exit;
      }
      const auto& crt = pw_->community_response;
      const ResidentId r = ep.resident;
      const bool eligible =
          population_.age(r) >= crt.min_age && population_.frailty(r) >= crt.min_frailty;
      const std::size_t team = node_[static_cast<int>(Service::kCommunityResponse)];
      if (eligible && s.uniform() < crt.referral_share && net_->has_room(team)) {
        return team;  // the call's outcome is counted when the team starts the visit
      }
      return node_[static_cast<int>(Service::kAmbulance)];
    }
    case Service::kAmbulance:
      return ep.plan == CallOutcome::kConveyedAe ? node_[static_cast<int>(Service::kAeMajors)]
                                                 : exit;
    case Service::kCommunityResponse: {
      const auto outcome =
          static_cast<VisitOutcome>(pick(pw_->community_response.outcomes, s.uniform()));
      at(kCommunityResponseContacts, net_->now(),
         sdf(ep) * kVisitOutcomes + static_cast<std::size_t>(outcome)) += 1;
      if (outcome != VisitOutcome::kConveyed) return exit;
      ep.must_convey = true;
      return node_[static_cast<int>(Service::kAmbulance)];
    }
    case Service::kAeMajors:
    case Service::kAeMinors: {
      const auto band = static_cast<std::size_t>(population_.band(ep.resident));
      const bool admit = ep.needs_bed || s.uniform() < pw_->ae.admit[band];
      return admit ? node_[static_cast<int>(Service::kBeds)] : exit;
    }
    case Service::kBeds: {
      if (!pw_->discharge) return exit;
      if (ep.assessed) return discharge_node_[static_cast<std::size_t>(ep.dest) - 1];
      ep.dest = choose_destination(ep, s);
      const auto d = static_cast<std::size_t>(ep.dest);
      if (ep.dest == Destination::kHome || ep.dest == Destination::kDeath) return exit;
      if (assessment_node_ != kNoService && s.uniform() < pw_->discharge->assessed[d - 1]) {
        ep.assess = true;
        return assessment_node_;  // assessed in the bed, then on to the destination
      }
      return discharge_node_[d - 1];
    }
    case Service::kComplexCare:
      return exit;
  }
  return exit;
}

Destination FrontDoor::choose_destination(const Episode& ep, engine::Stream& s) const {
  const auto& d = *pw_->discharge;
  const auto band = static_cast<std::size_t>(population_.band(ep.resident));
  std::array<double, kDestinations> shares = d.destinations[band];
  const double death = shares[static_cast<std::size_t>(Destination::kDeath)];
  if (population_.setting(ep.resident) == Setting::kCareHome) {
    // Care-home residents go back to their home: no supported destination.
    for (std::size_t k = 1; k <= kDischargeServices; ++k)
      shares[k] = 0;
  } else {
    const double f = d.support_factor[static_cast<std::size_t>(population_.frailty(ep.resident))];
    double supported = 0;
    for (std::size_t k = 1; k <= kDischargeServices; ++k)
      supported += shares[k] * f;
    // The supported shares grow (or shrink) by the factor, at most to all but the deaths.
    const double scale = supported > 1 - death ? (1 - death) / supported : 1.0;
    for (std::size_t k = 1; k <= kDischargeServices; ++k)
      shares[k] *= f * scale;
  }
  double rest = 1;
  for (std::size_t k = 1; k < kDestinations; ++k)
    rest -= shares[k];
  shares[static_cast<std::size_t>(Destination::kHome)] = std::max(0.0, rest);
  return static_cast<Destination>(pick(shares, s.uniform()));
}

double FrontDoor::duration(std::size_t node, std::uint64_t tag, engine::Stream& s) {
  Episode& ep = episodes_[tag];
  const Time now = net_->now();
  if (const std::size_t k = discharge_role(node); k != kNoService) {
    // Someone already there at the start has part of their time behind them.
    if (ep.placeholder) return graph_.spec().services[node].duration.sample_residual(s);
    if (static_cast<Destination>(k + 1) == Destination::kReablement) {
      at(kReablementStarts, now, sdf(ep)) += 1;
    }
    return -1;
  }
  if (is_assessment(node)) return -1;
  switch (static_cast<Service>(role_[node])) {
    case Service::kAmbulance: {
      if (ep.must_convey) {
        ep.plan = CallOutcome::kConveyedAe;  // the team asked for a conveyance: not a new call
      } else {
        ep.plan = static_cast<CallOutcome>(static_cast<std::size_t>(CallOutcome::kSeeAndTreat) +
                                           pick(pw_->ambulance.attended, s.uniform()));
        at(kAmbulanceCalls, now, sdf(ep) * kCallOutcomes + static_cast<std::size_t>(ep.plan)) += 1;
      }
      double d = graph_.spec().services[node].duration.sample(s);
      if (ep.plan == CallOutcome::kConveyedAe) d += pw_->ambulance.travel_to_ae_days.sample(s);
      return d;
    }
    case Service::kComplexCare: {
      const auto sdf_index = sdf(ep);
      ++caseload_[sdf_index];
      if (population_.alive(ep.resident)) {
        set_hazards(ep.resident, true, after_discharge(ep.resident));
      }
      return -1;
    }
    case Service::kCommunityResponse:
      if (ep.from_999) {
        // A 999 call the team reached: its outcome. One the team could not reach in time is
        // counted by the crew sent instead.
        at(kAmbulanceCalls, now,
           sdf(ep) * kCallOutcomes + static_cast<std::size_t>(CallOutcome::kCommunityResponse)) +=
            1;
      }
      return -1;
    case Service::kBeds: {
      if (ep.assessed) return 0.0;  // back in the bed after the assessment: ready to leave
      const ResidentId r = ep.resident;
      at(kEmergencyAdmissions, now, sdf(ep)) += 1;
      const AdmissionRoute via = ep.readmitted                        ? AdmissionRoute::kReablement
                                 : ep.from_gp                         ? AdmissionRoute::kGp
                                 : ep.mode == ArrivalMode::kAmbulance ? AdmissionRoute::kAmbulance
                                                                      : AdmissionRoute::kWalkIn;
      at(kAdmissionsByRoute, now, static_cast<std::size_t>(via)) += 1;
      if (population_.setting(r) == Setting::kCareHome) {
        at(kCareHomeResidentAdmissions, now, sdf(ep)) += 1;
      }
      ++beds_by_sdf_[sdf(ep)];
      ++away_[r];
      if (last_leave_[r] >= 0 && std::floor(now) - std::floor(last_leave_[r]) <= 30.0) {
        at(kReadmissions30d, now, sdf(ep)) += 1;
      }
      const auto band = static_cast<std::size_t>(population_.band(r));
      const double factor =
          pw_->beds.frailty_factor[static_cast<std::size_t>(population_.frailty(r))];
      return pw_->beds.length_of_stay_days[band].sample(s) * factor;
    }
    default:
      return -1;
  }
}

std::size_t FrontDoor::discharge_role(std::size_t node) const {
  const std::size_t role = role_[node];
  return role >= kServices && role < kAssessmentRole ? role - kServices : kNoService;
}

void FrontDoor::set_hazards(ResidentId r, bool in_complex_care, bool recently_discharged) {
  const ModifierId m = in_complex_care && recently_discharged ? enrolled_after_
                       : in_complex_care                      ? enrolled_
                       : recently_discharged                  ? after_
                                                              : ModifierId{0};
  if (m == sampler_.modifier(r)) return;
  sampler_.set_modifier(r, m);
  draw_next_demand(net_->now());  // the resident's hazards changed
}

void FrontDoor::size_per_resident() {
  // Exactly as many as there are residents' ids (new ones come only at the yearly step):
  // reserve() first, since resize() alone would double the capacity.
  const std::size_t n = population_.slots();
  if (last_leave_.capacity() < n) {
    last_leave_.reserve(n);
    away_.reserve(n);
  }
  last_leave_.resize(n, -1.0f);
  away_.resize(n, 0);
}

void FrontDoor::count_care_home_residents() {
  std::fill(care_home_residents_.begin(), care_home_residents_.end(), 0);
  for (ResidentId r = 0; r < population_.slots(); ++r) {
    if (population_.alive(r) && population_.setting(r) == Setting::kCareHome) {
      ++care_home_residents_[static_cast<std::size_t>(population_.sdf(r))];
    }
  }
}

void FrontDoor::on_at_home_check(ResidentId r) {
  const Time now = net_->now();
  const auto s = static_cast<std::size_t>(population_.sdf(r));
  at(kReablementChecks, now, s) += 1;
  const bool at_home =
      population_.alive(r) && population_.setting(r) != Setting::kCareHome && away_[r] == 0;
  if (at_home) at(kReablementAtHome, now, s) += 1;
}

void FrontDoor::fill_ratios() {
  const auto& num = series_.values[kReablementAtHome];
  const auto& den = series_.values[kReablementChecks];
  auto& share = series_.values[kAtHomeAfterReablement];
  for (std::size_t i = 0; i < share.size(); ++i)
    share[i] = den[i] > 0 ? num[i] / den[i] : std::numeric_limits<double>::quiet_NaN();
}

void FrontDoor::fill_costs() {
  // The money in force on each day: the scenario's own, or the last pit stop's up to that day.
  std::size_t stop = 0;
  const FinanceSpec* in_force = &*sc_.finance;
  const auto cost = [&](Activity a) {
    return in_force->unit_cost_gbp[static_cast<std::size_t>(a)];
  };
  // The day's total of metric m over the breakdown entries `keep` accepts.
  const auto day_total = [&](BoroughMetric m, std::size_t d, auto keep) {
    const std::size_t width = defs_[m].breakdown.size();
    double x = 0;
    for (std::size_t b = 0; b < width; ++b)
      if (keep(b)) x += series_.values[m][d * width + b];
    return x;
  };
  const auto all = [](std::size_t) { return true; };
  const auto outcome = [](CallOutcome o) {
    return [o](std::size_t b) { return b % kCallOutcomes == static_cast<std::size_t>(o); };
  };
  auto& out = series_.values[kActivityCost];
  auto& spend = series_.values[kSpend];
  const std::size_t lines = in_force->lines.size();
  for (std::size_t d = 0; d < series_.days; ++d) {
    for (; stop < sc_.pit_stops.size() && sc_.pit_stops[stop].day <= static_cast<double>(d);
         ++stop) {
      in_force = &*sc_.pit_stops[stop].finance;
    }
    const FinanceSpec& f = *in_force;
    std::array<double, kActivities> c{};
    const auto set = [&](Activity a, double units) {
      c[static_cast<std::size_t>(a)] = units * cost(a);
    };
    set(Activity::kGpConsultation, day_total(kGpConsultations, d, all));
    set(Activity::kAmbulanceHearAndTreat,
        day_total(kAmbulanceCalls, d, outcome(CallOutcome::kHearAndTreat)));
    set(Activity::kAmbulanceSeeAndTreat,
        day_total(kAmbulanceCalls, d, outcome(CallOutcome::kSeeAndTreat)));
    // Every crew conveyance: to A&E (the team's requests included) or elsewhere.
    set(Activity::kAmbulanceConveyance,
        day_total(kAmbulanceConveyances, d, all) +
            day_total(kAmbulanceCalls, d, outcome(CallOutcome::kConveyedElsewhere)));
    set(Activity::kCommunityResponseContact, day_total(kCommunityResponseContacts, d, all));
    set(Activity::kComplexCareDay, day_total(kComplexCareCaseload, d, all));
    set(Activity::kAeAttendance, day_total(kAeAttendances, d, all));
    set(Activity::kEmergencyAdmission, day_total(kEmergencyAdmissions, d, all));
    set(Activity::kExcessBedDay, day_total(kDelayedBedsPerDay, d, all));
    set(Activity::kReablementEpisode, day_total(kReablementStarts, d, all));
    if (!places_in_use_.empty()) {
      const auto& p = places_in_use_[d];
      set(Activity::kHomecareWeek, p[0] / 7.0);
      set(Activity::kIntermediateCareDay, p[2]);
      set(Activity::kResidentialHomeWeek, p[3] / 7.0);
      set(Activity::kNursingHomeWeek, p[4] / 7.0);
    }
    std::copy(c.begin(), c.end(), out.begin() + static_cast<std::ptrdiff_t>(d * kActivities));
    // A line's amount over the days of the day's financial year.
    const Date date{sc_.start.days + static_cast<long>(d)};
    const int fy = date.financial_year();
    const auto year_days =
        static_cast<double>(Date::from_ymd(fy + 1, 4, 1).days - Date::from_ymd(fy, 4, 1).days);
    for (std::size_t l = 0; l < lines; ++l)
      spend[d * lines + l] = f.amount_on(l, static_cast<double>(d)) / year_days;
  }
}

void FrontDoor::enter_discharge_service(std::uint32_t id, std::size_t service) {
  const Episode& ep = episodes_[id];
  const ResidentId r = ep.resident;
  const auto dest = static_cast<Destination>(service + 1);
  if (dest == Destination::kIntermediateCare) {
    ++away_[r];
  }
  if (dest == Destination::kReablement && population_.age(r) >= 65 && population_.alive(r)) {
    const Time check = net_->now() + pw_->discharge->at_home_check_days;
    if (check <= net_->horizon()) net_->schedule_model(check, Priority::kControl, kAtHomeCheck, r);
  }
}

void FrontDoor::leave_bed(Episode& ep) {
  const Time now = net_->now();
  const ResidentId r = ep.resident;
  --beds_by_sdf_[sdf(ep)];
  --away_[r];
  // Out of the bed: a later readmission of this episode (from reablement) is a new stay.
  ep.assess = false;
  ep.assessed = false;
  at(kDischarges, now, sdf(ep) * kDestinations + static_cast<std::size_t>(ep.dest)) += 1;
  if (population_.age(r) >= 65) {
    at(kOlderDischarges, now, static_cast<std::size_t>(ep.dest)) += 1;
  }
  last_leave_[r] = static_cast<float>(now);  // readmission is counted by calendar days
  if (pw_->discharge && ep.dest != Destination::kDeath && population_.alive(r)) {
    set_hazards(r, enrolled(r), true);
    const Time end = now + pw_->discharge->after_days;
    if (end <= net_->horizon()) {
      net_->schedule_model(end, Priority::kControl, kAfterDischargeEnds, r);
    }
  }
}

void FrontDoor::finish(engine::Network& net) {
  const std::size_t beds = node_[static_cast<int>(Service::kBeds)];
  net.for_each_blocked([&](std::uint64_t tag, std::size_t node, std::size_t to, Time since) {
    // Blocked in a bed, for an assessor or a destination.
    const std::size_t reason =
        is_assessment(to) ? std::size_t{kAssessmentReason} : discharge_role(to);
    if (node != beds || reason == kNoService) return;
    count_delay(sdf(episodes_[tag]), reason, since, net.now());
  });
  if (pw_->discharge) fill_ratios();
  if (sc_.finance) fill_costs();
}

void FrontDoor::count_delay(std::size_t sdf_index, std::size_t reason, Time from, Time to) {
  // Spread over the days it covers, so that each day holds that day's delayed bed-days.
  const auto& responsible = pw_->discharge->responsible[reason];
  for (Time day = std::floor(from); day < to; day += 1) {
    const double days = std::min(to, day + 1) - std::max(from, day);
    if (days <= 0) continue;
    at(kDelayedTransferDays, day, sdf_index * kDelayReasons + reason) += days;
    at(kDelayedBedsPerDay, day, sdf_index) += days;
    for (std::size_t q = 0; q < kResponsibilities; ++q) {
      if (responsible[q] > 0) {
        at(kDelayedDaysByResponsibility, day, sdf_index * kResponsibilities + q) +=
            days * responsible[q];
      }
    }
  }
}

void FrontDoor::move_to_care_home(const Episode& ep) {
  if (!population_.alive(ep.resident)) return;
  if (population_.setting(ep.resident) == Setting::kCareHome) return;  // moved in meanwhile
  at(kCareHomeAdmissions, net_->now(), sdf(ep)) += 1;
  ++care_home_residents_[sdf(ep)];
  population_.set_setting(ep.resident, Setting::kCareHome);
  sampler_.update(ep.resident, population_);
  draw_next_demand(net_->now());  // the resident's hazards changed
}

void FrontDoor::on_move(engine::Network& net, std::uint64_t tag, std::size_t from, std::size_t to,
                        Time ready) {
  const auto id = static_cast<std::uint32_t>(tag);
  Episode& ep = episodes_[id];
  const auto src = static_cast<Service>(role_[from]);
  const auto dst = static_cast<Service>(role_[to]);
  if (src == Service::kBeds && is_assessment(to)) {
    // Ready at `ready`, assessed (still in the bed) from now: waiting for an assessor.
    count_delay(sdf(ep), kAssessmentReason, ready, net.now());
    return;
  }
  if (src == Service::kBeds && discharge_role(to) != kNoService) {
    // Ready at `ready` (after the assessment, if any), out of the bed now: the time between is
    // a delayed transfer of care awaiting the destination.
    count_delay(sdf(ep), discharge_role(to), ready, net.now());
    leave_bed(ep);
    if (ep.dest == Destination::kResidentialHome || ep.dest == Destination::kNursingHome) {
      move_to_care_home(ep);
    }
    enter_discharge_service(id, discharge_role(to));
    return;
  }
  if (discharge_role(from) != kNoService) {  // after reablement
    if (discharge_role(to) == 3) move_to_care_home(ep);
    return;
  }
  if (is_assessment(from)) return;  // back in the bed they kept
  if ((src == Service::kAeMajors || src == Service::kAeMinors) && dst == Service::kBeds &&
      net.now() - ready > kFourHours) {
    at(kTrolleyWaits, net.now(), sdf(ep)) += 1;  // decided to admit, 4 hours on a trolley
  }
  if (src == Service::kAmbulance && dst == Service::kAeMajors) {
    arrive_at_ae(id, ArrivalMode::kAmbulance, ready);
    at(kHandoverDelayHours, net.now(), sdf(ep)) += (net.now() - ready) * 24.0;
  } else if ((src == Service::kAeMajors || src == Service::kAeMinors) && dst == Service::kBeds) {
    leave_ae(ep);
  }
}

void FrontDoor::on_leave(engine::Network& net, std::uint64_t tag, std::size_t node, bool lost) {
  const auto id = static_cast<std::uint32_t>(tag);
  Episode& ep = episodes_[id];
  switch (static_cast<Service>(role_[node])) {
    case Service::kCommunityResponse:
      if (lost) {
        // No room for the team, or not reached within its promise: a 999 caller gets a crew,
        // a GP's urgent referral goes to A&E.
        if (ep.from_999) {
          inject(node_[static_cast<int>(Service::kAmbulance)], id);
        } else {
          arrive_at_ae(id, ArrivalMode::kWalkIn, net.now());
          inject(node_[static_cast<int>(Service::kAeMinors)], id);
        }
        return;
      }
      break;
    case Service::kBeds:
      if (lost) {  // a GP's direct admission with no bed free: sent to A&E, to be admitted
        ep.needs_bed = true;
        arrive_at_ae(id, ArrivalMode::kWalkIn, net.now());
        inject(node_[static_cast<int>(Service::kAeMinors)], id);
        return;
      }
      if (!pw_->discharge) ep.dest = Destination::kHome;
      leave_bed(ep);  // home (or back to their care home), or died
      if (ep.dest == Destination::kDeath && population_.alive(ep.resident)) {
        if (population_.setting(ep.resident) == Setting::kCareHome) --care_home_residents_[sdf(ep)];
        population_.die(ep.resident);
        sampler_.update(ep.resident, population_);
        draw_next_demand(net.now());
      }
      break;
    case Service::kAeMajors:
    case Service::kAeMinors:
      leave_ae(ep);
      if (lost) at(kAeLeftUnseen, net.now(), sdf(ep)) += 1;
      break;
    case Service::kComplexCare:
      if (!lost) {
        --caseload_[sdf(ep)];
        if (population_.alive(ep.resident) && enrolled(ep.resident)) {
          set_hazards(ep.resident, false, after_discharge(ep.resident));
        }
      }
      break;
    default:
      if (is_assessment(node)) {
        ep.dest = Destination::kHome;  // lost at the assessment (reneged from its queue)
        leave_bed(ep);
      } else if (!ep.placeholder &&
                 discharge_role(node) ==
                     static_cast<std::size_t>(Destination::kIntermediateCare) - 1) {
        --away_[ep.resident];
      }
      break;
  }
  end_episode(id);
}

}  // namespace pitstop::models::borough
