// The event: a small plain struct ordered by (time, priority, insertion sequence).
#pragma once

#include <cstdint>

#include "engine/time.hpp"

namespace pitstop::engine {

/// Same-instant order classes, earliest first. At one instant every release is handled (and
/// frees places for waiters) before any schedule change, before any arrival, before any
/// timeout; within a class, events run in the order they were scheduled.
enum class Priority : std::uint8_t {
  kRelease = 0,         // service completions: places free and waiters are served first
  kSnapshot = 1,        // end-of-day snapshots: the day that ends now, before the next one's
                        // changes (a dated change at midnight belongs to the day it starts)
  kScheduleChange = 2,  // capacity and rate changes (rotas, dated changes, pit stops)
  kArrival = 3,         // new arrivals seize what is free after releases and changes
  kTimeout = 4,         // reneging: a waiter not served by now leaves
  kControl = 5,         // observation: warm-up reset
};

inline constexpr int kSequenceBits = 56;

/// A pending event. `order` packs the priority (top 8 bits) above a per-simulator insertion
/// sequence (56 bits), so (time, order) is a total order and each event's `order` is unique.
struct Event {
  Time time = 0;
  std::uint64_t order = 0;
  std::uint32_t kind = 0;    // what to do; meaning belongs to the handler
  std::uint32_t target = 0;  // to whom; meaning belongs to the handler

  Priority priority() const { return static_cast<Priority>(order >> kSequenceBits); }
};
static_assert(sizeof(Event) == 24, "events stay small");

/// Strict "a runs before b".
inline bool runs_before(const Event& a, const Event& b) {
  return a.time < b.time || (a.time == b.time && a.order < b.order);
}

}  // namespace pitstop::engine
