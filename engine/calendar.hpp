// The pending-event set: an implicit 4-ary min-heap on (time, order) in one contiguous vector.
// No allocation per event (the vector grows geometrically and is reused). Chosen over
// std::priority_queue by the hold-model benchmark (tests/benchmarks, docs/performance.md).
#pragma once

#include <cstddef>
#include <vector>

#include "engine/error.hpp"
#include "engine/event.hpp"

namespace pitstop::engine {

/// A 4-ary heap of events: push O(log4 n), pop O(4 log4 n), top O(1).
class Calendar {
 public:
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  void reserve(std::size_t n) { heap_.reserve(n); }
  void clear() { heap_.clear(); }

  const Event& top() const {
    PITSTOP_ASSERT(!heap_.empty());
    return heap_.front();
  }

  void push(const Event& e) {
    std::size_t i = heap_.size();
    heap_.push_back(e);
    Event* h = heap_.data();
    while (i > 0) {
      std::size_t parent = (i - 1) >> 2;
      if (!runs_before(e, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = e;
  }

  Event pop() {
    PITSTOP_ASSERT(!heap_.empty());
    Event result = heap_.front();
    Event last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return result;
    Event* h = heap_.data();
    std::size_t i = 0;
    for (;;) {
      std::size_t first = (i << 2) + 1;
      if (first >= n) break;
      std::size_t best = first;
      std::size_t end = first + 4 < n ? first + 4 : n;
      for (std::size_t c = first + 1; c < end; ++c) {
        if (runs_before(h[c], h[best])) best = c;
      }
      if (!runs_before(h[best], last)) break;
      h[i] = h[best];
      i = best;
    }
    h[i] = last;
    return result;
  }

 private:
  std::vector<Event> heap_;
};

}  // namespace pitstop::engine
