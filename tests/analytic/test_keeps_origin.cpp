// keeps_origin against theory: a loss system whose people keep their place while at a second
// service behaves as a loss system whose holding time is the sum of both durations. Each check
// accepts |sim − theory| ≤ k·SE (+ a stated allowance), see analytic/replicate_stats.hpp.
#include <catch2/catch.hpp>

#include <string>

#include "analytic/queueing_formulas.hpp"
#include "analytic/replicate_stats.hpp"
#include "engine/engine.hpp"
#include "support/spec_builder.hpp"

using namespace pitstop::engine;
using pitstop::test::estimate;
using pitstop::test::per_replicate;
using pitstop::test::per_service;
using pitstop::test::run_replicated;
using pitstop::test::run_spec;
using pitstop::test::SpecBuilder;
namespace theory = pitstop::test::theory;

TEST_CASE("keeps_origin: the origin is an Erlang loss system holding for both durations",
          "[analytic][erlang-b][keeps_origin]") {
  // a: c = 4 places, no queue (arrivals finding them all taken are lost), Poisson λ = 3/day,
  // exponential durations mean s1 = 0.5; then b (keeps_origin), then exit. Everyone at b holds
  // one of a's c places, so b (given c places) never has anyone waiting: it acts as unlimited.
  // An a place is therefore taken for S1 + S2, and by the insensitivity of Erlang's loss formula
  // to the holding-time distribution ([K75] §3.7; M/G/c/c) a's lost fraction is B(c, λ(s1+s2)):
  // B(4, 3.9) ≈ 0.3 against B(4, 1.5) ≈ 0.05 had the place been freed on leaving a. By Little
  // ([L61]) a's places average λ(1 − B)(s1 + s2). Checked for exponential S2 (mean 0.8) and for
  // lognormal S2 (mean 0.8, sd 1.2), where only insensitivity gives the formula.
  // Tolerance: k·SE over 16 replicates (k ≈ 4.07), no allowance: a loss system forgets its start
  // within a few holding times (1.3 days) and the warm-up is 50 days.
  const double lambda = 3, s1 = 0.5, s2 = 0.8;
  const std::size_t c = 4;
  const double a = lambda * (s1 + s2);
  const double b = theory::erlang_b(c, a);
  CHECK(b == Approx(0.30094).epsilon(1e-4));  // B(4, 3.9), by the recursion
  CHECK(theory::erlang_b(c, lambda * s1) < 0.05);
  for (const bool lognormal : {false, true}) {
    const std::string name = std::string("keeps_origin M/") + (lognormal ? "LN" : "M") + "/4/4 ";
    auto spec =
        SpecBuilder()
            .service("a", static_cast<double>(c), Distribution::exponential(s1), {{"b", 1.0}}, 0)
            .service("b", static_cast<double>(c),
                     lognormal ? Distribution::lognormal(s2, 1.2) : Distribution::exponential(s2))
            .poisson("in", "a", lambda)
            .build();
    spec.services[1].keeps_origin = true;
    const auto results = run_replicated(spec, run_spec(20050, 50, lognormal ? 1951 : 2718, 16));

    CHECK_AGREES(name + "a lost_fraction vs B(c, λ(s1+s2))",
                 estimate(per_service(results, 0, lost_fraction)), b, 0.0);
    CHECK_AGREES(name + "a mean occupied vs λ(1−B)(s1+s2)",
                 estimate(per_replicate(results,
                                        [](const ReplicateResult& r) {
                                          return r.services[0].area_occupied / r.observed_days;
                                        })),
                 lambda * (1 - b) * (s1 + s2), 0.0);
    CHECK_AGREES(name + "b mean occupied vs λ(1−B)s2",
                 estimate(per_replicate(results,
                                        [](const ReplicateResult& r) {
                                          return r.services[1].area_occupied / r.observed_days;
                                        })),
                 lambda * (1 - b) * s2, 0.0);
    // Little at a with the held time in the sojourn: L − λW has mean 0 (edge terms only).
    CHECK_AGREES(name + "a L - lambda W",
                 estimate(per_replicate(results,
                                        [](const ReplicateResult& r) {
                                          const ServiceCounters& x = r.services[0];
                                          const double rate =
                                              static_cast<double>(x.departures) / r.observed_days;
                                          return mean_in_node(x, r.observed_days) -
                                                 theory::little_l(rate, sojourn_mean_days(x));
                                        })),
                 0.0, 0.0);
    for (const ReplicateResult& r : results) {
      CHECK(r.services[1].area_queue == 0);  // nobody ever waits at b
      CHECK(r.services[1].lost == 0);
    }
  }
}
