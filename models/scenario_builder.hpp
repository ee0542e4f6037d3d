// The loader's last stage: the merged, defaulted tree → a validated models::Scenario.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/network_spec.hpp"
#include "models/scenario.hpp"
#include "models/tree_reader.hpp"

namespace pitstop::models {

/// Reads a distribution map ({dist: …, parameters}) at `c`. Throws InputError.
engine::Distribution read_distribution(TreeReader& r, const Cursor& c);

/// Reads and validates every key of a merged tree and compiles it into engine specs, then
/// checks the network with engine::NetworkGraph, placing its errors at the offending key.
class ScenarioBuilder {
 public:
  /// kAtPitStop: the tree is the scenario as it stands from a pit stop's date, so checks of the
  /// first day alone (the places taken at the start) are left to the scenario's own build.
  enum Stage { kFromStart, kAtPitStop };
  explicit ScenarioBuilder(const RawNode& root, Stage stage = kFromStart);
  /// Throws InputError. `resolved_yaml` and `file` are left for the caller to fill.
  Scenario build();

 private:
  void read_run(const Cursor& root, Scenario& s);
  /// A borough's pathways drive the services named in borough::kServiceNames: each must exist
  /// and leave its routes to the pathways.
  void check_pathway_services(const Cursor& pathways, const std::vector<Cursor>& services);
  /// `pathways.discharge.initial_occupied` fits each service's places on the first day.
  void check_initial_occupied(const Cursor& pathways, const Scenario& s);
  engine::ServiceSpec read_service(const Cursor& c);
  engine::SourceSpec read_arrival(const Cursor& c);
  engine::Distribution read_distribution(const Cursor& c);
  engine::StepSchedule read_capacity(const Cursor& service, double base);
  std::vector<engine::WeeklyStep> read_rota(const Cursor& weekly);
  engine::RateProfile read_rate(const Cursor& arrival);
  /// The date at `c`, which must not be before the start and must follow `previous` (if any).
  Date read_from(const Cursor& c, const std::optional<Date>& previous);
  double days_since_start(Date d) const { return static_cast<double>(d.days - start_.days); }

  TreeReader r_;
  Stage stage_;
  Date start_;
  std::vector<std::string> service_names_;
};

}  // namespace pitstop::models
