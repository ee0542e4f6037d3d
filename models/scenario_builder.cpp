// ScenarioBuilder: validates the merged tree key by key and compiles it into engine specs.
#include "models/scenario_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <numeric>

#include "engine/error.hpp"
#include "engine/network_graph.hpp"
#include "models/borough/spec_reader.hpp"

namespace pitstop::models {
namespace {

bool all_zero(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return x == 0; });
}

template <std::size_t N>
std::array<double, N> to_array(const std::vector<double>& v) {
  std::array<double, N> out{};
  std::copy_n(v.begin(), N, out.begin());
  return out;
}

}  // namespace

engine::Distribution read_distribution(TreeReader& r_, const Cursor& c) {
  if (!c.node->is_map()) {
    r_.fail(c, "expected a distribution such as {dist: exponential, mean: 1}, got " +
                   describe(*c.node));
  }
  const std::string kind = r_.choice(r_.need(c, "dist"));
  const DistributionInfo* info = find_distribution(kind);
  PITSTOP_ASSERT(info != nullptr);
  std::vector<std::string> allowed = {"dist"};
  allowed.insert(allowed.end(), info->params.begin(), info->params.end());
  r_.check_keys(c, allowed, "the `" + kind + "` distribution");
  try {
    if (kind == "empirical") {
      const Cursor values = r_.need(c, "values");
      const Cursor weights = r_.need(c, "weights");
      auto v = r_.numbers(values);
      auto w = r_.numbers(weights);
      if (w.size() != v.size()) {
        r_.fail(weights,
                fmt::format("expected {} weights (one per value), got {}", v.size(), w.size()));
      }
      if (all_zero(w)) r_.fail(weights, "weights must not all be zero");
      return engine::Distribution::empirical(std::move(v), std::move(w));
    }
    std::vector<double> p;
    for (const auto& name : info->params)
      p.push_back(r_.number(r_.need(c, name)));
    if (kind == "exponential") return engine::Distribution::exponential(p[0]);
    if (kind == "lognormal") return engine::Distribution::lognormal(p[0], p[1]);
    if (kind == "gamma") return engine::Distribution::gamma(p[0], p[1]);
    if (kind == "weibull") return engine::Distribution::weibull(p[0], p[1]);
    return engine::Distribution::fixed(p[0]);
  } catch (const engine::SpecError& e) {
    r_.fail(c, "invalid " + kind + " distribution: " + e.what());
  }
}

ScenarioBuilder::ScenarioBuilder(const RawNode& root, Stage stage) : r_(root), stage_(stage) {}

Scenario ScenarioBuilder::build() {
  const Cursor root = r_.root();
  if (root.node->is_null()) r_.fail(root, "the scenario is empty");
  if (!root.node->is_map()) {
    r_.fail(root, "a scenario must be a map of keys, got " + describe(*root.node));
  }
  r_.check_map(root);
  Scenario s;
  const Cursor name = r_.need(root, "name");
  s.name = r_.text(name);
  if (s.name.empty()) r_.fail(name, "must not be empty");
  if (auto d = r_.child(root, "description")) s.description = r_.text(*d);
  start_ = r_.date(r_.need(root, "start"));
  s.start = start_;
  read_run(root, s);

  // A borough scenario (one with `population`) may leave out the queueing network.
  const auto population = r_.child(root, "population");
  const auto required = [&](const std::string& key) {
    return population ? r_.child(root, key) : std::optional<Cursor>(r_.need(root, key));
  };
  const auto services_key = required("services");
  const auto services = services_key ? r_.named(*services_key) : std::vector<Cursor>{};
  for (const auto& c : services)
    service_names_.push_back(c.path.substr(c.path.find('.') + 1));
  for (const auto& c : services)
    s.network.services.push_back(read_service(c));

  std::map<std::string, std::string> arrival_names;  // name → path of its first use
  const auto arrivals_key = required("arrivals");
  for (const auto& c : arrivals_key ? r_.items(*arrivals_key) : std::vector<Cursor>{}) {
    s.network.sources.push_back(read_arrival(c));
    const std::string& n = s.network.sources.back().name;
    if (auto [it, fresh] = arrival_names.emplace(n, c.path); !fresh) {
      r_.fail(*r_.child(c, "name"), "duplicate arrival name `" + n + "` (also " + it->second +
                                        ", line " + std::to_string(r_.mark_for(it->second).line) +
                                        ")");
    }
  }
  s.network.name = s.name;
  s.network.start_weekday = start_.weekday();
  if (population) s.population = borough::read_population(r_, *population);
  if (auto demand = r_.child(root, "demand")) {
    if (!population) r_.fail_key(*demand, "`demand` needs a `population` section");
    s.demand = borough::read_demand(r_, *demand);
  }
  if (auto pathways = r_.child(root, "pathways")) {
    if (!s.demand) r_.fail_key(*pathways, "`pathways` needs `population` and `demand` sections");
    s.pathways = borough::read_pathways(r_, *pathways);
    check_pathway_services(*pathways, services);
    borough::add_pathway_routes(*s.pathways, s.network);
    if (s.pathways->discharge && stage_ == kFromStart) check_initial_occupied(*pathways, s);
  }
  if (auto finance = r_.child(root, "finance")) {
    if (!s.pathways) r_.fail_key(*finance, "`finance` needs a `pathways` section");
    s.finance = borough::read_finance(r_, *finance, s.network, start_);
  }
  if (s.network.services.empty() && s.population) return s;  // no pathways yet
  try {
    engine::NetworkGraph graph(s.network);
  } catch (const engine::SpecError& e) {
    fail_at(r_.mark_for(e.key_path()), e.key_path(), e.what());
  }
  return s;
}

void ScenarioBuilder::check_pathway_services(const Cursor& pathways,
                                             const std::vector<Cursor>& services) {
  std::vector<const char*> roles(borough::kServiceNames.begin(), borough::kServiceNames.end());
  if (auto discharge = r_.child(pathways, "discharge")) {
    roles.insert(roles.end(), borough::kDischargeServiceNames.begin(),
                 borough::kDischargeServiceNames.end());
    if (r_.child(*discharge, "assessment")) roles.push_back(borough::kAssessmentServiceName);
  }
  for (const char* role : roles) {
    const auto it = std::find(service_names_.begin(), service_names_.end(), role);
    if (it == service_names_.end()) {
      r_.fail_key(pathways, fmt::format("needs a service `{}` in `services` (its capacity, queue "
                                        "and duration; see scenarios/README.md)",
                                        role));
    }
    const Cursor& service = services[static_cast<std::size_t>(it - service_names_.begin())];
    if (auto routes = r_.child(service, "routes")) {
      r_.fail_key(*routes,
                  fmt::format("the routes of `{}` are set by `pathways`: remove them", role));
    }
  }
}

void ScenarioBuilder::check_initial_occupied(const Cursor& pathways, const Scenario& s) {
  const auto occupied = r_.child(*r_.child(pathways, "discharge"), "initial_occupied");
  if (!occupied) return;
  for (std::size_t k = 0; k < borough::kDischargeServices; ++k) {
    const char* name = borough::kDischargeServiceNames[k];
    for (const auto& service : s.network.services) {
      if (service.name != name) continue;
      const double places = service.capacity.value_at(0);
      const auto n = static_cast<double>(s.pathways->discharge->initial_occupied[k]);
      if (n > places) {
        r_.fail(*r_.child(*occupied, name),
                fmt::format("{:g} people on the first day, more than the {:g} places of "
                            "`services.{}` then",
                            n, places, name));
      }
    }
  }
}

void ScenarioBuilder::read_run(const Cursor& root, Scenario& s) {
  s.run.horizon_days = r_.number(r_.need(root, "horizon_days"));
  const Cursor warmup = r_.need(root, "warmup_days");
  s.run.warmup_days = r_.number(warmup);
  if (s.run.warmup_days >= s.run.horizon_days) {
    r_.fail(warmup, fmt::format("must be less than horizon_days ({}), got {}", s.run.horizon_days,
                                warmup.node->scalar));
  }
  s.run.seed = r_.unsigned_integer(r_.need(root, "seed"));
  s.run.replicates = static_cast<std::uint32_t>(r_.integer(r_.need(root, "replicates")));
}

engine::ServiceSpec ScenarioBuilder::read_service(const Cursor& c) {
  r_.check_map(c);
  engine::ServiceSpec s;
  s.name = c.path.substr(c.path.find('.') + 1);
  if (auto d = r_.child(c, "description")) r_.text(*d);
  const auto capacity = static_cast<double>(r_.integer(r_.need(c, "capacity")));
  const auto queue = r_.integer_or_unlimited(r_.need(c, "queue_capacity"));
  s.queue_capacity = queue ? static_cast<std::size_t>(*queue) : engine::kUnlimited;
  s.discipline = r_.choice(r_.need(c, "discipline")) == "priority" ? engine::Discipline::kPriority
                                                                   : engine::Discipline::kFifo;
  s.duration = read_distribution(r_.need(c, "duration_days"));
  if (auto renege = r_.child(c, "renege_after_days")) s.renege_after_days = r_.number(*renege);
  if (auto keeps = r_.child(c, "keeps_origin")) s.keeps_origin = r_.boolean(*keeps);
  if (auto routes = r_.child(c, "routes")) {
    for (const auto& route : r_.items(*routes)) {
      r_.check_map(route);
      const Cursor to = r_.need(route, "to");
      engine::RouteSpec spec{r_.name(to), r_.number(r_.need(route, "p"))};
      const bool known =
          spec.to == engine::kExitName ||
          std::find(service_names_.begin(), service_names_.end(), spec.to) != service_names_.end();
      if (!known) {
        auto candidates = service_names_;
        candidates.emplace_back(engine::kExitName);
        std::string msg = "unknown destination `" + spec.to + "`";
        if (auto guess = closest_match(spec.to, candidates))
          msg += "; did you mean `" + *guess + "`?";
        r_.fail(to, msg + " (routes go to a service or `exit`)");
      }
      s.routes.push_back(std::move(spec));
    }
  }
  s.capacity = read_capacity(c, capacity);
  return s;
}

engine::SourceSpec ScenarioBuilder::read_arrival(const Cursor& c) {
  if (!c.node->is_map())
    r_.fail(c, "expected a map describing an arrival stream, got " + describe(*c.node));
  r_.check_map(c);
  engine::SourceSpec s;
  s.name = r_.name(r_.need(c, "name"));
  if (auto d = r_.child(c, "description")) r_.text(*d);
  const Cursor to = r_.need(c, "to");
  s.to = r_.name(to);
  if (std::find(service_names_.begin(), service_names_.end(), s.to) == service_names_.end()) {
    std::string msg = s.to == engine::kExitName ? "arrivals must join a service, not `exit`"
                                                : "unknown service `" + s.to + "`";
    if (auto guess = closest_match(s.to, service_names_)) msg += "; did you mean `" + *guess + "`?";
    r_.fail(to, msg);
  }
  s.priority_class = static_cast<int>(r_.integer(r_.need(c, "priority")));
  s.rate = read_rate(c);
  return s;
}

engine::Distribution ScenarioBuilder::read_distribution(const Cursor& c) {
  return models::read_distribution(r_, c);
}

Date ScenarioBuilder::read_from(const Cursor& c, const std::optional<Date>& previous) {
  const Date d = r_.date(c);
  if (d < start_) r_.fail(c, d.iso() + " is before the scenario's start (" + start_.iso() + ")");
  if (previous && d <= *previous) {
    r_.fail(c, "dates must increase: " + d.iso() + " is not after " + previous->iso());
  }
  return d;
}

engine::StepSchedule ScenarioBuilder::read_capacity(const Cursor& service, double base) {
  const auto schedule = r_.child(service, "capacity_schedule");
  if (!schedule) return engine::StepSchedule(base);
  std::vector<engine::SchedulePeriod> periods = {{0, base, {}}};
  std::optional<Date> previous;
  for (const auto& item : r_.items(*schedule)) {
    r_.check_map(item);
    previous = read_from(r_.need(item, "from"), previous);
    engine::SchedulePeriod p{days_since_start(*previous), 0, {}};
    if (auto cap = r_.child(item, "capacity")) {
      p.constant = static_cast<double>(r_.integer(*cap));
    } else {
      p.rota = read_rota(r_.need(item, "weekly"));
    }
    if (p.from == 0) {
      periods.front() = std::move(p);
    } else {
      periods.push_back(std::move(p));
    }
  }
  try {
    return engine::StepSchedule(std::move(periods), start_.weekday());
  } catch (const engine::SpecError& e) {
    r_.fail(*schedule, e.what());
  }
}

std::vector<engine::WeeklyStep> ScenarioBuilder::read_rota(const Cursor& weekly) {
  const auto& days = find_key(weekly.pattern + "[*].day")->choices;  // mon … sun, daily
  std::vector<engine::WeeklyStep> rota;
  for (const auto& step : r_.items(weekly)) {
    r_.check_map(step);
    const std::string day = r_.choice(r_.need(step, "day"));
    const double hour = r_.number(r_.need(step, "hour"));
    const auto value = static_cast<double>(r_.integer(r_.need(step, "capacity")));
    const int d = static_cast<int>(std::find(days.begin(), days.end(), day) - days.begin());
    // `daily` is the same step on each of the seven days.
    for (int w = (d < 7 ? d : 0); w <= (d < 7 ? d : 6); ++w) {
      for (const auto& other : rota) {
        if (other.day == w && other.hour == hour) {
          r_.fail(step, fmt::format("two steps start on {} at hour {}",
                                    days[static_cast<std::size_t>(w)], hour));
        }
      }
      rota.push_back({w, hour, value});
    }
  }
  return rota;
}

engine::RateProfile ScenarioBuilder::read_rate(const Cursor& arrival) {
  const Cursor rate_cursor = r_.need(arrival, "rate_per_day");
  const double rate = r_.number(rate_cursor);
  const auto profile = r_.child(arrival, "profile");
  const auto changes = r_.child(arrival, "changes");
  std::vector<double> hours(24, 1.0), days(7, 1.0);
  if (profile) {
    r_.check_map(*profile);
    for (auto [key, weights] :
         {std::pair{"hour_of_day", &hours}, std::pair{"day_of_week", &days}}) {
      if (auto w = r_.child(*profile, key)) {
        *weights = r_.numbers(*w);
        if (all_zero(*weights)) r_.fail(*w, "weights must not all be zero");
      }
    }
  }
  std::vector<engine::SchedulePeriod> periods = {{0, rate, {}}};
  if (changes) {
    std::optional<Date> previous;
    for (const auto& item : r_.items(*changes)) {
      r_.check_map(item);
      previous = read_from(r_.need(item, "from"), previous);
      engine::SchedulePeriod p{
          days_since_start(*previous), r_.number(r_.need(item, "rate_per_day")), {}};
      if (p.from == 0) {
        periods.front() = p;
      } else {
        periods.push_back(p);
      }
    }
  }
  try {
    if (!profile && !changes) return engine::RateProfile(rate);
    const int weekday = start_.weekday();
    return engine::RateProfile(engine::StepSchedule(std::move(periods), weekday),
                               to_array<24>(hours), to_array<7>(days), weekday);
  } catch (const engine::SpecError& e) {
    r_.fail(profile ? *profile : changes ? *changes : rate_cursor, e.what());
  }
}

}  // namespace pitstop::models
