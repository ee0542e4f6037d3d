// Kernel and whole-model benchmarks (Google Benchmark). The budgets they check are in
// DESIGN.md "Performance budgets"; tools/bench runs them and docs/performance.md records figures.
//
//   BM_HoldSimulator/N  the hold model through Simulator::schedule / run_until (the real path)
//   BM_HoldBareQueue/N  the same hold model on a bare std::priority_queue of 16-byte events
//   BM_MMc              a whole M/M/c run through engine::Network (customers/s)
//   BM_BlockingLine     emergency → ward → reablement with finite rooms (replications/s)
//
// The hold model: pre-fill N pending events, then repeatedly pop the earliest and schedule one
// at t + Exp(1). Both hold benchmarks draw Exp(1) identically (-log u from a Philox Stream), so
// only the pending-event set and its dispatch differ. The M/M/c and blocking-line parameters
// are mirrored in tests/benchmarks/bench_simpy.py: change both together.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <queue>
#include <vector>

#include "engine/engine.hpp"
#include "support/spec_builder.hpp"

namespace {

using namespace pitstop::engine;
using pitstop::test::SpecBuilder;

// Events per benchmark iteration in the hold model: amortises the per-iteration bookkeeping.
constexpr std::int64_t kHoldBatch = 4096;

inline double exp1(Stream& s) {
  return -std::log(s.uniform());
}

// ---- (a) hold model through the Simulator ------------------------------------------------------

void BM_HoldSimulator(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  Simulator sim(1, 0);
  sim.reserve(pending + 1);
  Stream rng(1, 0, Purpose::kTest);
  for (std::size_t i = 0; i < pending; ++i) {
    sim.schedule(exp1(rng), Priority::kArrival, 0, static_cast<std::uint32_t>(i));
  }
  std::int64_t left = 0;
  auto hold = [&](const Event& e) {
    sim.schedule(sim.now() + exp1(rng), Priority::kArrival, e.kind, e.target);
    if (--left == 0) sim.stop();
  };
  for (auto _ : state) {
    left = kHoldBatch;
    sim.run_until(kNever, hold);
  }
  if (sim.pending() != pending) state.SkipWithError("pending count drifted");
  benchmark::DoNotOptimize(sim.now());
  state.SetItemsProcessed(state.iterations() * kHoldBatch);
}

// ---- (b) the same hold model on a bare std::priority_queue ------------------------------------

struct BareEvent {
  double time;
  std::uint64_t seq;
};
static_assert(sizeof(BareEvent) == 16, "the bare loop's events are 16 bytes");

struct Later {
  bool operator()(const BareEvent& a, const BareEvent& b) const {
    return a.time > b.time || (a.time == b.time && a.seq > b.seq);
  }
};

void BM_HoldBareQueue(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  std::vector<BareEvent> storage;
  storage.reserve(pending + 1);
  std::priority_queue<BareEvent, std::vector<BareEvent>, Later> queue(Later{}, std::move(storage));
  Stream rng(1, 0, Purpose::kTest);
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < pending; ++i)
    queue.push(BareEvent{exp1(rng), seq++});
  for (auto _ : state) {
    for (std::int64_t i = 0; i < kHoldBatch; ++i) {
      const BareEvent e = queue.top();
      queue.pop();
      queue.push(BareEvent{e.time + exp1(rng), seq++});
    }
  }
  benchmark::DoNotOptimize(queue.top());
  state.SetItemsProcessed(state.iterations() * kHoldBatch);
}

BENCHMARK(BM_HoldSimulator)->Arg(1'000)->Arg(100'000);
BENCHMARK(BM_HoldBareQueue)->Arg(1'000)->Arg(100'000);

// ---- (c) M/M/c through engine::Network
// -----------------------------------------------------------

// c = 10 places, service Exp(mean 1 day), Poisson arrivals λ = 9/day: ρ = 0.9.
constexpr int kServers = 10;
constexpr double kArrivalRate = 9.0;
constexpr double kMeanService = 1.0;
constexpr double kMMcHorizon = 10'000.0;  // days: about 90,000 customers per run

void BM_MMc(benchmark::State& state) {
  const NetworkGraph graph(SpecBuilder()
                               .service("server", kServers, Distribution::exponential(kMeanService))
                               .poisson("arrivals", "server", kArrivalRate)
                               .build());
  const RunSpec run = pitstop::test::run_spec(kMMcHorizon);
  std::uint32_t replicate = 0;
  std::uint64_t customers = 0;
  std::uint64_t events = 0;
  for (auto _ : state) {
    Network net(graph, run, replicate++);
    const ReplicateResult r = net.run();
    customers += r.created;
    events += r.events;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(customers));
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["customers_per_run"] =
      static_cast<double>(customers) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_MMc)->Unit(benchmark::kMillisecond);

// ---- (d) a blocking line: emergency → ward → reablement ------------------------------------

// Emergency department: 100 arrivals/day, 20 cubicles, 4-hour mean stay, 30 may wait (further
// arrivals are diverted, i.e. lost); 30% are admitted to a ward. Ward: 150 beds, 4.5-day mean
// stay, no waiting room, so an admitted patient without a bed is blocked in their cubicle; 20%
// go on to reablement. Reablement: 85 places, 14-day mean, no waiting room, so patients ready
// to leave the ward wait in their bed. Loads: ward ρ = 0.90, reablement ρ ≈ 0.99.
constexpr double kLineHorizon = 365.0;

NetworkSpec blocking_line() {
  return SpecBuilder()
      .service("emergency", 20, Distribution::exponential(4.0 / kHoursPerDay),
               {{"ward", 0.3}, {"exit", 0.7}}, /*queue_capacity=*/30)
      .service("ward", 150, Distribution::exponential(4.5), {{"reablement", 0.2}, {"exit", 0.8}},
               /*queue_capacity=*/0)
      .service("reablement", 85, Distribution::exponential(14.0), {}, /*queue_capacity=*/0)
      .poisson("arrivals", "emergency", 100.0)
      .build();
}

void BM_BlockingLine(benchmark::State& state) {
  const NetworkGraph graph(blocking_line());
  const RunSpec run = pitstop::test::run_spec(kLineHorizon);
  std::uint32_t replicate = 0;
  std::uint64_t customers = 0;
  std::uint64_t events = 0;
  double blocked_days = 0;
  std::uint64_t lost = 0;
  for (auto _ : state) {
    Network net(graph, run, replicate++);
    const ReplicateResult r = net.run();
    customers += r.created;
    events += r.events;
    lost += r.lost;
    for (const ServiceCounters& c : r.services)
      blocked_days += c.blocked_days;
  }
  const auto reps = static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());  // items/s = replications/s
  state.counters["customers_per_run"] = static_cast<double>(customers) / reps;
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["blocked_days_per_run"] = blocked_days / reps;
  state.counters["lost_per_run"] = static_cast<double>(lost) / reps;
  if (blocked_days <= 0) state.SkipWithError("no blocking happened: the model is mistuned");
}
BENCHMARK(BM_BlockingLine)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
