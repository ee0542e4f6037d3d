#include "engine/results.hpp"

#include <limits>

#include "engine/error.hpp"

namespace pitstop::engine {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double ratio(double a, double b) {
  return b > 0 ? a / b : kNaN;
}
double count(std::uint64_t x) {
  return static_cast<double>(x);
}
}  // namespace

double lost_fraction(const ServiceCounters& c) {
  return ratio(count(c.lost), count(c.arrivals));
}
double wait_mean_days(const ServiceCounters& c) {
  return ratio(c.wait_sum, count(c.started));
}
double utilisation(const ServiceCounters& c) {
  return ratio(c.area_occupied, c.area_capacity);
}
double blocked_mean_days(const ServiceCounters& c) {
  return ratio(c.blocked_days, count(c.departures));
}
double blocked_fraction(const ServiceCounters& c) {
  return ratio(count(c.blocked_departures), count(c.departures));
}
double sojourn_mean_days(const ServiceCounters& c) {
  return ratio(c.sojourn_sum, count(c.departures));
}
double mean_in_node(const ServiceCounters& c, double observed_days) {
  return ratio(c.area_in_node, observed_days);
}
double mean_queue(const ServiceCounters& c, double observed_days) {
  return ratio(c.area_queue, observed_days);
}

const std::vector<std::string>& service_stat_names() {
  static const std::vector<std::string> names = {
      "arrivals",          "completions",      "lost",
      "lost_fraction",     "wait_mean_days",   "utilisation",
      "blocked_mean_days", "blocked_fraction", "blocked_days",
      "sojourn_mean_days", "mean_in_node",     "mean_queue"};
  return names;
}

double service_stat(const std::string& stat, const ServiceCounters& c, double observed_days) {
  if (stat == "arrivals") return count(c.arrivals);
  if (stat == "completions") return count(c.completions);
  if (stat == "lost") return count(c.lost);
  if (stat == "lost_fraction") return lost_fraction(c);
  if (stat == "wait_mean_days") return wait_mean_days(c);
  if (stat == "utilisation") return utilisation(c);
  if (stat == "blocked_mean_days") return blocked_mean_days(c);
  if (stat == "blocked_fraction") return blocked_fraction(c);
  if (stat == "blocked_days") return c.blocked_days;
  if (stat == "sojourn_mean_days") return sojourn_mean_days(c);
  if (stat == "mean_in_node") return mean_in_node(c, observed_days);
  if (stat == "mean_queue") return mean_queue(c, observed_days);
  throw InternalError("unknown service statistic '" + stat + "'");
}

NetworkSummary summarize(const std::vector<std::string>& service_names,
                         const std::vector<ReplicateResult>& results) {
  NetworkSummary s;
  s.services = service_names;
  s.replicates = results.size();
  s.stats.resize(service_names.size());
  for (std::size_t i = 0; i < service_names.size(); ++i) {
    for (const std::string& stat : service_stat_names()) {
      std::vector<double> values;
      values.reserve(results.size());
      for (const ReplicateResult& r : results) {
        PITSTOP_ASSERT(r.services.size() == service_names.size());
        values.push_back(service_stat(stat, r.services[i], r.observed_days));
      }
      s.stats[i][stat] = mean_interval(values);
    }
  }
  return s;
}

}  // namespace pitstop::engine
