// The pathway graph (Boost.Graph): vertices are sources, services and `exit`; edges are routes
// with probabilities. Building one checks the NetworkSpec: unknown destinations, probabilities
// that do not sum to 1, services that can never reach exit, cycles of zero duration, and
// keeps_origin services routing to themselves or to another keeps_origin service.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/network_spec.hpp"

namespace pitstop::engine {

/// A route resolved to a service index (or kExitIndex) with its probability.
struct ResolvedRoute {
  std::size_t to = 0;
  double p = 0;
};

/// One service's offered load from the traffic equations (open Jackson network).
struct OfferedLoad {
  std::string service;
  double arrival_rate = 0;   // λ_i per day, external plus routed
  double mean_capacity = 0;  // time-averaged over the first `horizon` days
  double load = 0;  // ρ_i = λ_i · E[S_i] / c_i (≥ 1 means the queue grows without bound); E[S_i]
                    // includes the mean time at keeps_origin services routed to (place held)
};

/// The checked, index-resolved network. Throws SpecError (with the key path) when invalid.
class NetworkGraph {
 public:
  static constexpr std::size_t kExitIndex = static_cast<std::size_t>(-1);

  explicit NetworkGraph(const NetworkSpec& spec);

  const NetworkSpec& spec() const { return spec_; }
  std::size_t service_count() const { return spec_.services.size(); }
  std::size_t service_index(const std::string& name) const;  // kExitIndex for "exit"
  /// Destination of each source (service index).
  const std::vector<std::size_t>& source_targets() const { return source_to_; }
  /// Resolved routes of each service (an empty spec list becomes {exit, 1}).
  const std::vector<std::vector<ResolvedRoute>>& routes() const { return routes_; }
  /// Resolved routes of a service under its terms: 0 = its own, k = ServiceSpec::later[k − 1].
  const std::vector<ResolvedRoute>& routes_in_terms(std::size_t service, std::size_t terms) const;

  /// Solves λ = γ + λP for the mean rates over [0, horizon] and divides by mean capacity.
  std::vector<OfferedLoad> offered_loads(Time horizon) const;

  /// Graphviz DOT text of the pathway (sources as ellipses, services as boxes with capacity,
  /// routes labelled with their probabilities).
  std::string to_dot() const;

 private:
  /// Checks the services as given (their own terms; `later` ignored) and resolves their routes.
  /// `when` ends every message (which terms were checked).
  static std::vector<std::vector<ResolvedRoute>> check_services(
      const NetworkSpec& spec, const std::unordered_map<std::string, std::size_t>& index,
      const std::function<void(const std::string&, const std::string&)>& unknown,
      const std::string& when);

  NetworkSpec spec_;
  std::vector<std::size_t> source_to_;
  std::vector<std::vector<ResolvedRoute>> routes_;
  std::vector<std::vector<std::vector<ResolvedRoute>>> later_routes_;  // [service][k] for later[k]
};

}  // namespace pitstop::engine
