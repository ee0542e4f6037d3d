// The pending-event set: a 4-ary min-heap on (time, order) that, once many events are pending,
// holds only the near future and files the rest in a ladder of time buckets (W. T. Tang,
// R. S. M. Goh, I. L.-J. Thng, "Ladder queue: an O(1) priority queue structure for large-scale
// discrete event simulation", ACM TOMACS 15(3), 2005). Bucket contents live in fixed-size
// chunks from one recycled pool. No allocation per event: the heap and the bucket arrays grow
// geometrically, the pool by blocks of chunks, and all are reused. Chosen over a plain heap by the
// hold-model benchmark (tests/benchmarks/bench_kernel.cpp, docs/performance.md).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/error.hpp"
#include "engine/event.hpp"
#include "engine/time.hpp"

namespace pitstop::engine {

/// Pending events in (time, order) order. Up to a few hundred events it is a 4-ary heap (push
/// O(log4 n), pop O(4 log4 n)); beyond, push and pop are amortised O(1) for most time patterns
/// and fall back to the heap's bounds for the rest (e.g. many events at one instant).
///
/// Levels, earliest first: `bottom_` (the heap) < rung R-1 < ... < rung 0 < `top_` (unsorted)
/// < `never_` (events at kNever). A rung splits a time range into equal buckets and consumes
/// them in order; rung r+1 splits the one bucket of rung r that was too full to hand to the
/// heap. An event goes to the first level, from the top, whose unconsumed range holds its time.
/// Bucket positions are monotone in time, so every event of a level runs before every event of
/// the levels above, and equal times always share a level: the heap alone orders them by
/// (time, order). Invariant: when the calendar is not empty, neither is the heap.
class Calendar {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  void reserve(std::size_t n) { bottom_.reserve(std::min(n, kSpillAt + 1)); }
  void clear() {
    bottom_.clear();
    chunks_in_pool_ = 0;  // blocks are kept for reuse
    free_chunk_ = kNoChunk;
    top_ = never_ = Chain{};
    rungs_ = 0;
    size_ = 0;
    spill_at_ = kSpillAt;
  }

  const Event& top() const {
    PITSTOP_ASSERT(!bottom_.empty());
    return bottom_.front();
  }

  void push(const Event& e) {
    ++size_;
    if (rungs_ == 0) {  // pure-heap mode
      heap_push(e);
      if (bottom_.size() > spill_at_) spill();
      return;
    }
    file(e);
  }

  Event pop() {
    PITSTOP_ASSERT(!bottom_.empty());
    const Event result = bottom_.front();
    heap_pop();
    --size_;
    if (bottom_.empty()) {
      if (size_ > 0) {
        refill();
      } else {
        rungs_ = 0;  // every chain is empty: back to pure-heap mode
        spill_at_ = kSpillAt;
      }
    }
    return result;
  }

 private:
  // Tuned with the hold model (docs/performance.md); correctness does not depend on them.
  static constexpr std::size_t kSpillAt = 128;    // pure heap up to this many events
  static constexpr std::size_t kPerBucket = 8;    // mean events per bucket of a new rung
  static constexpr std::size_t kSplitAbove = 64;  // a fuller bucket gets a rung of its own
  static constexpr std::size_t kMaxRungs = 8;
  static constexpr std::size_t kChunkEvents = 5;  // 5 × 24 + 8 bytes: two cache lines
  static constexpr std::uint32_t kNoChunk = UINT32_MAX;
  static constexpr std::uint32_t kBlockChunks = 256;  // 32 KiB blocks: bounded slack

  /// Up to kChunkEvents events of one chain, linked to the chunk filled before it.
  struct Chunk {
    std::array<Event, kChunkEvents> events;
    std::uint32_t count;
    std::uint32_t next;
  };
  /// An unordered bag of events: a list of chunks, the newest (partly filled) first.
  struct Chain {
    std::uint32_t head = kNoChunk;
    std::uint32_t size = 0;
  };
  /// Equal-width buckets over a time range; buckets below `next` have been consumed.
  struct Rung {
    Time start = 0;
    double inv_width = 0;
    std::size_t buckets_in_use = 0;
    std::size_t next = 0;
    std::vector<Chain> buckets;

    double position(Time t) const { return (t - start) * inv_width; }
    /// The bucket at position x >= 0; past the last bucket means the last (see build()).
    Chain& bucket(double x) {
      return buckets[x < static_cast<double>(buckets_in_use) ? static_cast<std::size_t>(x)
                                                             : buckets_in_use - 1];
    }
  };

  // ---- chains of chunks ----
  Chunk& chunk(std::uint32_t k) { return blocks_[k / kBlockChunks][k % kBlockChunks]; }
  const Chunk& chunk(std::uint32_t k) const { return blocks_[k / kBlockChunks][k % kBlockChunks]; }

  void append(Chain& c, const Event& e) {
    if (c.head == kNoChunk || chunk(c.head).count == kChunkEvents) {
      std::uint32_t k;
      if (free_chunk_ != kNoChunk) {
        k = free_chunk_;
        free_chunk_ = chunk(k).next;
      } else {
        PITSTOP_ASSERT(chunks_in_pool_ < kNoChunk - 1);
        k = chunks_in_pool_++;
        if (k / kBlockChunks == blocks_.size()) {
          blocks_.emplace_back(kBlockChunks);
        }
      }
      Chunk& fresh = chunk(k);
      fresh.count = 0;
      fresh.next = c.head;
      c.head = k;
    }
    Chunk& ch = chunk(c.head);
    ch.events[ch.count++] = e;
    ++c.size;
  }

  // Empties `c`, calling f(event) for each of its events; f may append to any chain.
  template <class F>
  void drain(Chain& c, F&& f) {
    std::uint32_t k = c.head;
    c = Chain{};
    std::array<Event, kChunkEvents> buf;
    while (k != kNoChunk) {
      Chunk& ch = chunk(k);
      const std::uint32_t n = ch.count;
      const std::uint32_t next = ch.next;
      std::copy_n(ch.events.begin(), n, buf.begin());
      ch.next = free_chunk_;  // recycled before f runs, which may reuse it
      free_chunk_ = k;
      for (std::uint32_t i = 0; i < n; ++i)
        f(buf[i]);
      k = next;
    }
  }

  // ---- the ladder ----
  // Ladder mode: puts `e` in the first level, from the top, whose unconsumed range holds it.
  [[gnu::noinline]] void file(const Event& e) {
    const Time t = e.time;
    if (!(rung_[0].position(t) < static_cast<double>(rung_[0].buckets_in_use))) {
      append(t == kNever ? never_ : top_, e);
      return;
    }
    for (std::size_t r = 0; r < rungs_; ++r) {
      Rung& g = rung_[r];
      const double x = g.position(t);
      if (x >= static_cast<double>(g.next) && g.next < g.buckets_in_use) {
        append(g.bucket(x), e);
        return;
      }
    }
    heap_push(e);
  }

  // Pure-heap mode grew past spill_at_: file everything in the ladder.
  [[gnu::noinline]] void spill() {
    for (const Event& e : bottom_)
      append(top_, e);
    bottom_.clear();
    refill();
  }

  // Precondition: the heap is empty, the calendar is not. Moves the earliest non-empty bucket
  // (or, with no rung left and few events, everything) into the heap.
  void refill() {
    for (;;) {
      if (rungs_ == 0) {
        if (top_.size <= kSpillAt || !build(rung_[0], top_, false)) {
          take_all(top_);
          take_all(never_);
          spill_at_ = std::max(kSpillAt, 2 * bottom_.size());
          return;
        }
        rungs_ = 1;
      }
      Rung& g = rung_[rungs_ - 1];
      while (g.next < g.buckets_in_use && g.buckets[g.next].size == 0)
        ++g.next;
      if (g.next == g.buckets_in_use) {
        --rungs_;
        continue;
      }
      Chain& b = g.buckets[g.next++];
      if (b.size > kSplitAbove && rungs_ < kMaxRungs && build(rung_[rungs_], b, true)) {
        ++rungs_;
        continue;
      }
      take_all(b);
      return;
    }
  }

  // Spreads `from` over the buckets of a fresh rung `g`, about kPerBucket in each, and returns
  // true; or returns false, changing nothing, when its finite times cannot be split (all equal,
  // or too close together to divide). For rung 0 (`inner` false), events past the last bucket
  // go back to `from` (top_) or to never_; an inner rung takes them into its last bucket, since
  // its whole range is one bucket of the rung above.
  bool build(Rung& g, Chain& from, bool inner) {
    Time lo = kNever, hi = -kNever;  // the earliest, and the latest finite, time
    for (std::uint32_t k = from.head; k != kNoChunk; k = chunk(k).next) {
      const Chunk& ch = chunk(k);
      for (std::uint32_t i = 0; i < ch.count; ++i) {
        lo = std::min(lo, ch.events[i].time);
        if (ch.events[i].time < kNever) hi = std::max(hi, ch.events[i].time);
      }
    }
    const std::size_t n = from.size / kPerBucket + 1;
    // A little under n buckets per (hi - lo), so that `hi` itself lands in the last bucket.
    const double inv = static_cast<double>(n) * 0.999 / (hi - lo);
    if (!(hi > lo) || !(inv > 0) || !(inv < kNever)) return false;
    g.start = lo;
    g.inv_width = inv;
    g.buckets_in_use = n;
    g.next = 0;
    g.buckets.assign(n, Chain{});
    drain(from, [&](const Event& e) {
      const double x = g.position(e.time);
      if (inner || x < static_cast<double>(n)) {
        append(g.bucket(x), e);
      } else {
        append(e.time == kNever ? never_ : from, e);
      }
    });
    return true;
  }

  void take_all(Chain& from) {
    if (from.size == 0) return;
    drain(from, [&](const Event& e) { bottom_.push_back(e); });
    heapify();
  }

  // ---- the 4-ary heap ----
  void heap_push(const Event& e) {
    std::size_t i = bottom_.size();
    bottom_.push_back(e);
    Event* h = bottom_.data();
    while (i > 0) {
      const std::size_t parent = (i - 1) >> 2;
      if (!runs_before(e, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = e;
  }

  void heap_pop() {
    const Event last = bottom_.back();
    bottom_.pop_back();
    if (!bottom_.empty()) sift_down(0, last);
  }

  // Fills the hole at `i` with `e`, or with its earliest child and so on down.
  void sift_down(std::size_t i, const Event& e) {
    Event* h = bottom_.data();
    const std::size_t n = bottom_.size();
    for (;;) {
      const std::size_t first = (i << 2) + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = first + 4 < n ? first + 4 : n;
      for (std::size_t c = first + 1; c < end; ++c) {
        if (runs_before(h[c], h[best])) best = c;
      }
      if (!runs_before(h[best], e)) break;
      h[i] = h[best];
      i = best;
    }
    h[i] = e;
  }

  void heapify() {
    const std::size_t n = bottom_.size();
    if (n < 2) return;
    for (std::size_t i = (n - 2) / 4 + 1; i-- > 0;)
      sift_down(i, Event(bottom_[i]));
  }

  std::vector<Event> bottom_;               // the earliest events: a 4-ary heap
  std::vector<std::vector<Chunk>> blocks_;  // the pool: chunk k is in block k / kBlockChunks
  std::uint32_t chunks_in_pool_ = 0;        // chunks handed out so far (then recycled)
  std::uint32_t free_chunk_ = kNoChunk;     // recycled chunks, linked through `next`
  Chain top_;                               // events past rung 0, unsorted
  Chain never_;  // events at kNever while there are rungs: they run last, in order
  std::array<Rung, kMaxRungs> rung_;
  std::size_t rungs_ = 0;  // rungs in use; 0 = pure-heap mode (top_ and never_ are empty)
  std::size_t size_ = 0;
  std::size_t spill_at_ = kSpillAt;
};

}  // namespace pitstop::engine
