// Waiting lines: a FIFO or a priority discipline behind one small interface, with lazy removal
// (a waiter who leaves is skipped when reached) so reneging costs O(1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <vector>

#include "engine/network_spec.hpp"

namespace pitstop::engine {

/// A ticket in a queue: who, and which of their stays (so a stale ticket is recognised).
struct QueueTicket {
  std::uint32_t entity = 0;
  std::uint64_t stay = 0;  // unique per enqueue; the entity remembers its current stay
  int priority_class = 0;  // lower is served first under kPriority
};

/// The waiting line of one resource. `is_live(ticket)` tells whether a ticket is still waiting.
class WaitQueue {
 public:
  explicit WaitQueue(Discipline d = Discipline::kFifo) : discipline_(d) {}

  Discipline discipline() const { return discipline_; }
  std::size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }

  void push(const QueueTicket& t) {
    if (discipline_ == Discipline::kFifo) {
      fifo_.push_back(t);
    } else {
      heap_.push(t);
    }
    ++live_;
  }

  /// A live waiter left (reneged); its ticket is dropped when it reaches the front.
  void forget_one() { --live_; }

  /// Removes and returns the first live ticket. Precondition: !empty().
  template <class IsLive>
  QueueTicket pop(IsLive&& is_live) {
    for (;;) {
      QueueTicket t;
      if (discipline_ == Discipline::kFifo) {
        t = fifo_.front();
        fifo_.pop_front();
      } else {
        t = heap_.top();
        heap_.pop();
      }
      if (is_live(t)) {
        --live_;
        return t;
      }
    }
  }

 private:
  // Priority order: lower class first, then first come first served (stay numbers increase).
  struct Later {
    bool operator()(const QueueTicket& a, const QueueTicket& b) const {
      return a.priority_class > b.priority_class ||
             (a.priority_class == b.priority_class && a.stay > b.stay);
    }
  };
  Discipline discipline_;
  std::deque<QueueTicket> fifo_;
  std::priority_queue<QueueTicket, std::vector<QueueTicket>, Later> heap_;
  std::size_t live_ = 0;
};

}  // namespace pitstop::engine
