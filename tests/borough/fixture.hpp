// The borough baseline for the tests: scenarios/borough/wigan-baseline.yaml, loaded once.
#pragma once

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "models/borough/front_door.hpp"
#include "models/scenario.hpp"

namespace pitstop::test {

/// The loaded baseline scenario (population and demand sections present).
inline const models::Scenario& wigan_baseline() {
  static const models::Scenario s = models::load_scenario(
      (std::filesystem::path(PITSTOP_SOURCE_DIR) / "scenarios/borough/wigan-baseline.yaml")
          .string());
  return s;
}

/// The calendar year of the baseline's start.
inline int start_year() {
  int y = 0, m = 0, d = 0;
  wigan_baseline().start.to_ymd(y, m, d);
  return y;
}

/// Sum of metric m (`width` breakdown labels) of a series over days [from, to) and the labels
/// `keep` accepts.
inline double series_total(const engine::SeriesSet& s, std::size_t m, std::size_t width,
                           const std::function<bool(std::size_t)>& keep, std::size_t from,
                           std::size_t to) {
  to = std::min(to, s.days);
  double sum = 0;
  for (std::size_t day = from; day < to; ++day)
    for (std::size_t b = 0; b < width; ++b)
      if (keep(b)) sum += s.values[m][day * width + b];
  return sum;
}

/// Runs replicates 0 … runs − 1 of a borough scenario on 1 and on 2 threads and checks that the
/// FrontDoor's series and the event counts are bit-identical; returns the 1-thread series.
inline std::vector<engine::SeriesSet> same_at_1_and_2_threads(const models::Scenario& sc,
                                                              std::uint32_t runs) {
  const auto defs =
      models::borough::borough_metrics(*sc.population, sc.finance ? &*sc.finance : nullptr);
  const auto run_all = [&](int threads) {
    std::vector<engine::SeriesSet> series(runs);
    std::vector<std::uint64_t> events(runs);
    engine::ReplicationOptions options;
    options.threads = threads;
    engine::for_each_replicate(runs, options, [&](std::uint32_t r) {
      const engine::NetworkGraph graph(sc.network);
      models::borough::FrontDoor fd(sc, graph, r);
      engine::Network net(graph, sc.run, r, nullptr, &fd);
      events[r] = net.run().events;
      series[r] = fd.take_series();
    });
    return std::make_pair(series, events);
  };
  const auto [one, one_events] = run_all(1);
  const auto [two, two_events] = run_all(2);
  CHECK(one_events == two_events);
  for (std::uint32_t r = 0; r < runs; ++r) {
    INFO("replicate " << r);
    REQUIRE(one[r].values.size() == two[r].values.size());
    for (std::size_t m = 0; m < one[r].values.size(); ++m) {
      INFO("metric " << defs[m].name);
      const auto& a = one[r].values[m];
      const auto& b = two[r].values[m];
      REQUIRE(a.size() == b.size());
      // Bit for bit, not merely equal as doubles.
      CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
    }
  }
  return one;
}

}  // namespace pitstop::test
