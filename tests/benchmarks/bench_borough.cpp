// Borough benchmarks (Google Benchmark): whole replicates of scenarios/borough/wigan-baseline.yaml
// (≈328k residents, April 2019 – March 2030). The budgets they check are in DESIGN.md
// "Performance budgets"; tools/bench runs them (tools/bench --only borough) and
// docs/performance.md records figures. A replicate takes seconds, so every benchmark runs one
// iteration per repetition; tools/bench asks for the repetitions. Not part of CTest.
//
//   BM_BoroughReplicate/recorder:0  one replicate on this thread: FrontDoor + Network
//   BM_BoroughReplicate/recorder:1  the same with the NetworkSeriesRecorder (what `pitstop run`
//                                   does for each replicate, less the HDF5 writer)
//   BM_BoroughScaling/threads:T/replicates:R
//                                   R replicates through engine::for_each_replicate on T threads
//                                   (each as BM_BoroughReplicate/recorder:1); wall time, and
//                                   process_cpu_s_per_replicate: CPU seconds of every thread
//                                   per replicate. On a busy machine the wall-clock speed-up
//                                   says little; the CPU per replicate at 2 threads against 1
//                                   still shows whether replicates slow each other down (shared
//                                   cache, memory, allocator, oneTBB), i.e. the speed-up the
//                                   2 cores would give were they free.
//
// A replicate's time includes building the FrontDoor (synthesising the residents), as in
// `pitstop run`; loading the YAML is done once, outside. Times are wall-clock (UseRealTime);
// the JSON has CPU time too. Counters of BM_BoroughReplicate:
//   events_per_s, demand_events_per_s  engine events dispatched and demand events drawn (GP,
//                                      999, A&E), per wall second of the replicate
//   residents                          FrontDoor::population().alive_count() before running
//   bytes_per_resident                 (FrontDoor::bytes() + the heap of the SeriesSets, the
//                                      recorder's included) / residents: what the model keeps
//   heap_per_resident                  malloc's bytes in use (mallinfo2) after the run, while
//                                      everything is alive, less before the FrontDoor was
//                                      built, / residents: adds the Network (calendar, people,
//                                      queues) and whatever bytes() does not count
//   build_s                            seconds of the replicate spent in FrontDoor's constructor
//
// The scenario is PITSTOP_BOROUGH_SCENARIO if set, else the source tree's wigan-baseline.yaml.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <time.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "models/borough/front_door.hpp"
#include "models/scenario.hpp"
#include "output/network_series.hpp"

namespace {

using namespace pitstop;

const models::Scenario& scenario() {
  static const models::Scenario sc = [] {
    const char* env = std::getenv("PITSTOP_BOROUGH_SCENARIO");
    const std::string path =
        env ? env : std::string(PITSTOP_SOURCE_DIR) + "/scenarios/borough/wigan-baseline.yaml";
    return models::load_scenario(path);
  }();
  return sc;
}

std::size_t series_bytes(const engine::SeriesSet& s) {
  std::size_t n = s.values.capacity() * sizeof(std::vector<double>);
  for (const auto& v : s.values)
    n += v.capacity() * sizeof(double);
  return n;
}

std::size_t heap_in_use() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;  // arena bytes in use + mmap'd blocks
}

/// CPU seconds of the whole process (every thread), user and system.
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

/// What one replicate measured.
struct Replicate {
  std::uint64_t events = 0;
  std::uint64_t demand_events = 0;
  std::int64_t residents = 0;
  std::size_t model_bytes = 0;  // FrontDoor::bytes() + series
  std::size_t heap_bytes = 0;   // malloc in use after the run, less before
  double build_seconds = 0;
};

/// One replicate as `pitstop run` runs it (less the writer); `recorder` attaches the
/// NetworkSeriesRecorder.
Replicate run_replicate(const models::Scenario& sc, const engine::NetworkGraph& graph,
                        std::uint32_t r, bool recorder, bool measure_heap) {
  Replicate out;
  const std::size_t heap_before = measure_heap ? heap_in_use() : 0;
  const auto t0 = std::chrono::steady_clock::now();
  std::optional<output::NetworkSeriesRecorder> rec;
  if (recorder) rec.emplace(graph, sc.run.horizon_days);
  models::borough::FrontDoor fd(sc, graph, r);
  out.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.residents = fd.population().alive_count();
  engine::Network net(graph, sc.run, r, rec ? &*rec : nullptr, &fd);
  const engine::ReplicateResult res = net.run();
  out.events = res.events;
  out.demand_events = fd.demand_events();
  if (measure_heap) out.heap_bytes = heap_in_use() - heap_before;
  const engine::SeriesSet s = fd.take_series();
  out.model_bytes = fd.bytes() + series_bytes(s);
  if (rec) {
    const output::SeriesSet rs = rec->take();
    out.model_bytes += series_bytes(rs);
    benchmark::DoNotOptimize(rs.values.data());
  }
  benchmark::DoNotOptimize(s.values.data());
  return out;
}

void BM_BoroughReplicate(benchmark::State& state) {
  const models::Scenario& sc = scenario();
  const engine::NetworkGraph graph(sc.network);
  const bool recorder = state.range(0) != 0;
  std::uint32_t replicate = 0;
  Replicate last;
  std::uint64_t events = 0, demand = 0;
  double build = 0;
  for (auto _ : state) {
    last = run_replicate(sc, graph, replicate++, recorder, /*measure_heap=*/true);
    events += last.events;
    demand += last.demand_events;
    build += last.build_seconds;
  }
  const auto iters = static_cast<double>(state.iterations());
  const auto residents = static_cast<double>(last.residents);
  if (last.residents <= 0) state.SkipWithError("no residents: not a borough scenario?");
  state.SetItemsProcessed(state.iterations());  // items/s = replicates/s
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["demand_events_per_s"] =
      benchmark::Counter(static_cast<double>(demand), benchmark::Counter::kIsRate);
  state.counters["events"] = static_cast<double>(events) / iters;
  state.counters["demand_events"] = static_cast<double>(demand) / iters;
  state.counters["residents"] = residents;
  state.counters["bytes_per_resident"] = static_cast<double>(last.model_bytes) / residents;
  state.counters["heap_per_resident"] = static_cast<double>(last.heap_bytes) / residents;
  state.counters["build_s"] = build / iters;
}
BENCHMARK(BM_BoroughReplicate)
    ->ArgName("recorder")
    ->Arg(0)
    ->Arg(1)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

void BM_BoroughScaling(benchmark::State& state) {
  const models::Scenario& sc = scenario();
  const engine::NetworkGraph graph(sc.network);
  engine::ReplicationOptions opt;
  opt.threads = static_cast<int>(state.range(0));
  const auto n = static_cast<std::uint32_t>(state.range(1));
  std::vector<std::uint64_t> events(n);
  double cpu = 0;
  for (auto _ : state) {
    const double cpu0 = process_cpu_seconds();
    engine::for_each_replicate(n, opt, [&](std::uint32_t r) {
      events[r] = run_replicate(sc, graph, r, /*recorder=*/true, /*measure_heap=*/false).events;
    });
    cpu += process_cpu_seconds() - cpu0;
  }
  std::uint64_t total = 0;
  for (std::uint64_t e : events)
    total += e;
  const auto iters = static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * n);  // items/s = replicates/s
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(total) * iters, benchmark::Counter::kIsRate);
  state.counters["process_cpu_s_per_replicate"] = cpu / iters / n;
}
BENCHMARK(BM_BoroughScaling)
    ->ArgNames({"threads", "replicates"})
    ->Args({1, 4})
    ->Args({2, 4})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
