// The engine reports; output listens. A Network calls its Observer (if any) as things happen;
// writers of files implement it. The event loop itself writes nothing.
#pragma once

#include <cstddef>

#include "engine/time.hpp"

namespace pitstop::engine {

class Network;

/// Callbacks from a running Network. Every default does nothing; override what you record.
class Observer {
 public:
  virtual ~Observer() = default;
  /// Someone entered service `node` (arrived from outside or was routed in).
  virtual void on_arrival(std::size_t /*node*/, Time /*t*/) {}
  /// Someone was turned away (no place, no queue room) or reneged at `node`.
  virtual void on_lost(std::size_t /*node*/, Time /*t*/, bool /*reneged*/) {}
  /// A service finished at `node`.
  virtual void on_completion(std::size_t /*node*/, Time /*t*/) {}
  /// Someone finished at `node` and now holds their place there, waiting for room at `reason`.
  virtual void on_blocked(std::size_t /*node*/, std::size_t /*reason*/, Time /*t*/) {}
  /// Someone held a place at `node` from `since` to `t` waiting for room at `reason`.
  virtual void on_unblocked(std::size_t /*node*/, std::size_t /*reason*/, Time /*since*/,
                            Time /*t*/) {}
  /// Called at the end of every whole day (t = day + 1) when wants_days() is true.
  virtual void on_day_end(long /*day*/, const Network& /*net*/) {}
  virtual bool wants_days() const { return false; }
};

}  // namespace pitstop::engine
