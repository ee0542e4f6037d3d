// A model driving a Network through a Policy: its own events on the same calendar, injected
// people, routes and durations that depend on who the person is, and leaving callbacks.
#include <catch2/catch.hpp>
#include <map>
#include <vector>

#include "engine/engine.hpp"
#include "support/spec_builder.hpp"

using namespace pitstop::engine;
using pitstop::test::run_spec;
using pitstop::test::SpecBuilder;

namespace {

/// Injects person k (tag 100 + k) into service 0 at day k for k = 0..n-1; odd tags go on to
/// service 1, even tags leave; each stays tag/100 days at service 0.
class ScriptedModel : public Policy {
 public:
  explicit ScriptedModel(std::uint32_t n) : n_(n) {}
  void start(Network& net) override { net.schedule_model(0.0, Priority::kArrival, kInject, 0); }
  void on_model_event(Network& net, std::uint32_t kind, std::uint32_t k) override {
    REQUIRE(kind == kInject);
    statuses.push_back(net.inject(0, 100 + k, /*key=*/k));
    if (k + 1 < n_) net.schedule_model(k + 1.0, Priority::kArrival, kInject, k + 1);
  }
  std::size_t route(std::size_t node, std::uint64_t tag, Stream&) override {
    if (node == 1) return NetworkGraph::kExitIndex;
    return tag % 2 == 1 ? 1 : NetworkGraph::kExitIndex;
  }
  double duration(std::size_t node, std::uint64_t tag, Stream&) override {
    return node == 0 ? static_cast<double>(tag) / 100.0 : -1.0;  // -1: the spec's own
  }
  void on_leave(Network& net, std::uint64_t tag, std::size_t node, bool lost) override {
    left[tag] = {node, lost, net.now()};
  }

  struct Left {
    std::size_t node;
    bool lost;
    Time at;
  };
  std::vector<SeizeStatus> statuses;
  std::map<std::uint64_t, Left> left;

 private:
  static constexpr std::uint32_t kInject = 7;
  std::uint32_t n_;
};

/// Injects two people, tags `first` and `first` + 1, into service 0 at day 0.
struct TwoAtDayZero : Policy {
  explicit TwoAtDayZero(std::uint64_t first) : first_(first) {}
  void start(Network& net) override { net.schedule_model(0, Priority::kArrival, 0, 0); }
  void on_model_event(Network& net, std::uint32_t, std::uint32_t) override {
    net.inject(0, first_, first_);
    net.inject(0, first_ + 1, first_ + 1);
  }
  std::uint64_t first_;
};

/// "first" (two places, 1 day) sends everyone to "second" (one place, no queue, `days` long):
/// the second of two people arriving together is blocked in "first" from day 1.
NetworkSpec blocking_pair(double days) {
  auto spec = SpecBuilder()
                  .service("first", 2, Distribution::fixed(1), {{"second", 1.0}})
                  .service("second", 1, Distribution::fixed(days), {{"exit", 1.0}}, 0)
                  .build();
  spec.sources.clear();
  return spec;
}

}  // namespace

TEST_CASE("a policy injects people at its own events and routes them by who they are",
          "[network][policy]") {
  // Service 0 has one place and no queue; service 1 is fixed 0.5 days.
  auto spec = SpecBuilder()
                  .service("first", 1, Distribution::exponential(1), {{"exit", 1.0}}, 0)
                  .service("second", 5, Distribution::fixed(0.5))
                  .build();
  spec.sources.clear();
  NetworkGraph graph(spec);
  ScriptedModel model(6);
  Network net(graph, run_spec(20), 0, nullptr, &model);
  const ReplicateResult r = net.run();

  // Person k arrives at day k and stays (100 + k)/100 ≥ 1 days: when the next arrives at day
  // k + 1, the place is still taken (stay > 1 day) — except person 0, who stays exactly 1 day and
  // releases at day 1 before the same-instant arrival (releases come first).
  REQUIRE(model.statuses.size() == 6);
  CHECK(model.statuses[0] == SeizeStatus::kServed);
  CHECK(model.statuses[1] == SeizeStatus::kServed);  // released at 1.00 first
  CHECK(model.statuses[2] == SeizeStatus::kLost);    // 101 stays until 2.01
  CHECK(model.statuses[3] == SeizeStatus::kServed);  // place free again at 3
  CHECK(model.statuses[4] == SeizeStatus::kLost);    // 103 stays until 4.03
  CHECK(model.statuses[5] == SeizeStatus::kServed);
  // Odd tags went on to the second service and left from it 0.5 days later; even ones exited
  // from the first; lost ones left at once, from the first.
  CHECK(model.left.at(101).node == 1);
  CHECK(model.left.at(101).at == Approx(1 + 1.01 + 0.5));
  CHECK_FALSE(model.left.at(101).lost);
  CHECK(model.left.at(100).node == 0);
  CHECK(model.left.at(100).at == Approx(1.0));
  CHECK(model.left.at(102).lost);
  CHECK(model.left.at(102).at == Approx(2.0));
  CHECK(r.services[0].arrivals == 6);
  CHECK(r.services[0].lost == 2);
  CHECK(r.services[1].arrivals == 3);  // the odd tags served at the first: 101, 103, 105
  CHECK(r.created == 6);
  CHECK(r.created == r.exited + r.lost + r.inside_at_end);
}

TEST_CASE("a route to a service that does not exist is a clear runtime error",
          "[network][policy]") {
  struct BadRoute : Policy {
    void start(Network& net) override { net.schedule_model(0.5, Priority::kArrival, 0, 0); }
    void on_model_event(Network& net, std::uint32_t, std::uint32_t) override {
      net.inject(0, 9, 9);
    }
    std::size_t route(std::size_t, std::uint64_t, Stream&) override { return 42; }
  } model;
  auto spec = SpecBuilder().service("only", 1, Distribution::fixed(1)).build();
  spec.sources.clear();
  NetworkGraph graph(spec);
  Network net(graph, run_spec(5), 0, nullptr, &model);
  CHECK_THROWS_WITH(net.run(), Catch::Contains("routed person 9 from 'only' to service index 42"));
}

TEST_CASE("a policy hears every move between services, with the time blocking began",
          "[network][policy][blocking]") {
  // "first" has two places and serves 1 day; "second" has one place, no queue, and serves 3 days.
  // Persons 0 and 1 arrive at day 0: person 0 moves on at day 1 at once; person 1 finishes at
  // day 1 too but is blocked in "first" until person 0 leaves "second" at day 4.
  struct Mover : TwoAtDayZero {
    Mover() : TwoAtDayZero(10) {}
    void on_move(Network& net, std::uint64_t tag, std::size_t from, std::size_t to,
                 Time ready) override {
      moves.push_back({tag, from, to, ready, net.now()});
    }
    struct Move {
      std::uint64_t tag;
      std::size_t from, to;
      Time ready, at;
    };
    std::vector<Move> moves;
  } model;
  NetworkGraph graph(blocking_pair(3));
  Network net(graph, run_spec(10), 0, nullptr, &model);
  const ReplicateResult r = net.run();
  REQUIRE(model.moves.size() == 2);
  CHECK(model.moves[0].tag == 10);
  CHECK(model.moves[0].ready == Approx(1.0));
  CHECK(model.moves[0].at == Approx(1.0));
  CHECK(model.moves[1].tag == 11);
  CHECK(model.moves[1].from == 0);
  CHECK(model.moves[1].to == 1);
  CHECK(model.moves[1].ready == Approx(1.0));  // finished at day 1 …
  CHECK(model.moves[1].at == Approx(4.0));     // … and moved when the place freed
  CHECK(r.services[0].blocked_days == Approx(3.0));
}

TEST_CASE("at the horizon a policy sees who is still blocked, where and since when",
          "[network][policy][blocking]") {
  // "first" serves 1 day; "second" has one place, no queue, and serves 100 days. Persons 0 and 1
  // arrive at day 0: person 0 holds "second" until day 101; person 1 is blocked in "first" from
  // day 1 to the horizon (day 10).
  struct Watcher : TwoAtDayZero {
    Watcher() : TwoAtDayZero(20) {}
    void finish(Network& net) override {
      at = net.now();
      net.for_each_blocked(
          [&](std::uint64_t tag, std::size_t node, std::size_t reason, Time since) {
            blocked.push_back({tag, node, reason, since});
          });
    }
    struct Blocked {
      std::uint64_t tag;
      std::size_t node, reason;
      Time since;
    };
    std::vector<Blocked> blocked;
    Time at = -1;
  } model;
  NetworkGraph graph(blocking_pair(100));
  Network net(graph, run_spec(10), 0, nullptr, &model);
  net.run();
  CHECK(model.at == Approx(10.0));
  REQUIRE(model.blocked.size() == 1);
  CHECK(model.blocked[0].tag == 21);
  CHECK(model.blocked[0].node == 0);
  CHECK(model.blocked[0].reason == 1);
  CHECK(model.blocked[0].since == Approx(1.0));
}
