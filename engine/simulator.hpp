// One replicate's simulation state: the clock, the calendar and the random streams. No global
// state: many Simulators run at once on different threads.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "engine/calendar.hpp"
#include "engine/error.hpp"
#include "engine/event.hpp"
#include "engine/rng.hpp"
#include "engine/time.hpp"

namespace pitstop::engine {

/// The event loop of one replicate. Handlers are any callable taking `const Event&`; they may
/// schedule further events. Events are dispatched in (time, priority, sequence) order.
class Simulator {
 public:
  explicit Simulator(std::uint64_t seed = 1, std::uint64_t replicate = 0)
      : seed_(seed), replicate_(replicate) {}

  Time now() const { return now_; }
  std::uint64_t seed() const { return seed_; }
  std::uint64_t replicate() const { return replicate_; }
  std::size_t pending() const { return calendar_.size(); }
  /// Time of the next event on the calendar (kNever when none).
  Time next_time() const { return calendar_.empty() ? kNever : calendar_.top().time; }
  std::uint64_t dispatched() const { return dispatched_; }
  void reserve(std::size_t n) { calendar_.reserve(n); }

  /// Schedules an event at absolute time `at` (>= now) and returns its unique order key.
  std::uint64_t schedule(Time at, Priority p, std::uint32_t kind, std::uint32_t target) {
    if (!(at >= now_) || std::isnan(at)) schedule_error(at);
    std::uint64_t order = (static_cast<std::uint64_t>(p) << kSequenceBits) | next_sequence_++;
    calendar_.push(Event{at, order, kind, target});
    return order;
  }

  /// Dispatches every event with time <= end to `handler`, then sets the clock to `end`
  /// (unless stop() was called). Returns the number of events dispatched.
  template <class Handler>
  std::uint64_t run_until(Time end, Handler&& handler) {
    std::uint64_t count = 0;
    stopped_ = false;
    while (!calendar_.empty() && calendar_.top().time <= end) {
      Event e = calendar_.pop();
      now_ = e.time;
      handler(e);
      ++count;
      if (stopped_) break;
    }
    if (!stopped_ && end > now_) now_ = end;
    dispatched_ += count;
    return count;
  }

  /// Asks run_until to return after the current event.
  void stop() { stopped_ = true; }

  /// A stream for (purpose, entity) of this replicate: independent of every other stream.
  Stream stream(Purpose purpose, std::uint64_t entity = 0) const {
    return Stream(seed_, replicate_, purpose, entity);
  }

 private:
  [[noreturn]] void schedule_error(Time at) const;

  Calendar calendar_;
  Time now_ = 0;
  std::uint64_t next_sequence_ = 0;
  std::uint64_t dispatched_ = 0;
  std::uint64_t seed_;
  std::uint64_t replicate_;
  bool stopped_ = false;
};

}  // namespace pitstop::engine
