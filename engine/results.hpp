// What one replicate of a Network measured (after warm-up), the statistics derived from it,
// and their summary across replicates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/stats.hpp"
#include "engine/time.hpp"

namespace pitstop::engine {

/// Counters and time integrals of one service over the observed window [warm-up, horizon].
struct ServiceCounters {
  std::uint64_t arrivals = 0;            // attempts to enter (admitted + turned away)
  std::uint64_t lost = 0;                // turned away when full, plus reneged
  std::uint64_t reneged = 0;             // left the queue unseen
  std::uint64_t started = 0;             // began service
  std::uint64_t completions = 0;         // finished service
  std::uint64_t departures = 0;          // left the node after service (incl. after being blocked)
  std::uint64_t blocked_departures = 0;  // of which had to wait for room downstream
  double wait_sum = 0;                   // queue waits of those who started service
  double sojourn_sum = 0;                // entry → departure, of those who departed
  // (A place kept while its holder is at a keeps_origin service stays occupied here, and its
  // departure, with the held time in its sojourn, counts when it is released.)
  double blocked_days = 0;                     // total place-days held while blocked
  std::vector<double> blocked_days_by_reason;  // by destination service index
  double area_in_node = 0;                     // ∫ (queue + places occupied) dt
  double area_queue = 0;                       // ∫ queue length dt
  double area_occupied = 0;                    // ∫ places occupied (serving or blocked) dt
  double area_capacity = 0;                    // ∫ capacity dt
  std::int64_t in_node_at_start = 0;           // present when observation began
  std::int64_t in_node_at_end = 0;             // present at the horizon
};

/// Everything one replicate measured.
struct ReplicateResult {
  std::uint32_t replicate = 0;
  double observed_days = 0;  // horizon − warm-up
  std::uint64_t events = 0;  // events dispatched
  std::vector<ServiceCounters> services;
  // Whole-run conservation: created = exited + lost + inside at the end. inside_at_end counts
  // people once: Σ in_node_at_end less the places held for people at keeps_origin services.
  std::uint64_t created = 0;
  std::uint64_t exited = 0;
  std::uint64_t lost = 0;
  std::uint64_t inside_at_end = 0;
};

// Derived statistics of one service in one replicate (NaN when undefined, e.g. no arrivals).
double lost_fraction(const ServiceCounters& c);
double wait_mean_days(const ServiceCounters& c);
double utilisation(const ServiceCounters& c);
double blocked_mean_days(const ServiceCounters& c);  // per departure, zeros included
double blocked_fraction(const ServiceCounters& c);   // share of departures that were blocked
double sojourn_mean_days(const ServiceCounters& c);
double mean_in_node(const ServiceCounters& c, double observed_days);
double mean_queue(const ServiceCounters& c, double observed_days);

/// The named per-service statistics, in a fixed order (the JSON summary's `services.<name>`).
const std::vector<std::string>& service_stat_names();
/// One replicate's value of a named statistic.
double service_stat(const std::string& stat, const ServiceCounters& c, double observed_days);

/// Cross-replicate summary: per service, per statistic, the mean and its 95% interval.
struct NetworkSummary {
  std::vector<std::string> services;
  std::vector<std::map<std::string, Interval>> stats;  // aligned with `services`
  std::size_t replicates = 0;
};
NetworkSummary summarize(const std::vector<std::string>& service_names,
                         const std::vector<ReplicateResult>& results);

}  // namespace pitstop::engine
