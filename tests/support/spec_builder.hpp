// Builders for engine NetworkSpecs in tests, without YAML.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/engine.hpp"

namespace pitstop::test {

/// A fluent NetworkSpec builder: add services and sources, then build().
class SpecBuilder {
 public:
  SpecBuilder& service(const std::string& name, double capacity, engine::Distribution duration,
                       std::vector<engine::RouteSpec> routes = {},
                       std::size_t queue_capacity = engine::kUnlimited) {
    engine::ServiceSpec s;
    s.name = name;
    s.capacity = engine::StepSchedule(capacity);
    s.duration = std::move(duration);
    s.routes = std::move(routes);
    s.queue_capacity = queue_capacity;
    spec_.services.push_back(std::move(s));
    return *this;
  }
  /// The last service added, for further settings.
  engine::ServiceSpec& last() { return spec_.services.back(); }

  SpecBuilder& poisson(const std::string& name, const std::string& to, double rate_per_day,
                       int priority_class = 0) {
    engine::SourceSpec src;
    src.name = name;
    src.to = to;
    src.rate = engine::RateProfile(rate_per_day);
    src.priority_class = priority_class;
    spec_.sources.push_back(std::move(src));
    return *this;
  }
  SpecBuilder& scripted(const std::string& name, const std::string& to, std::vector<double> times,
                        int priority_class = 0) {
    engine::SourceSpec src;
    src.name = name;
    src.to = to;
    src.at_days = std::move(times);
    src.priority_class = priority_class;
    spec_.sources.push_back(std::move(src));
    return *this;
  }
  engine::NetworkSpec build() const { return spec_; }

 private:
  engine::NetworkSpec spec_;
};

inline engine::RunSpec run_spec(double horizon, double warmup = 0, std::uint64_t seed = 1,
                                std::uint32_t replicates = 1) {
  engine::RunSpec r;
  r.horizon_days = horizon;
  r.warmup_days = warmup;
  r.seed = seed;
  r.replicates = replicates;
  return r;
}

/// Runs one replicate of `spec` and returns its result.
inline engine::ReplicateResult run_once(const engine::NetworkSpec& spec, const engine::RunSpec& run,
                                        std::uint32_t replicate = 0,
                                        engine::Observer* observer = nullptr) {
  engine::NetworkGraph graph(spec);
  engine::Network net(graph, run, replicate, observer);
  return net.run();
}

}  // namespace pitstop::test
