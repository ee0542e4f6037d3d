// A Resource: places (capacity that may change over time), and the waiting line it owns.
// seize() answers served / queued / lost; release() frees a place. A capacity cut never ejects
// anyone: places above the new capacity are simply not refilled until occupancy falls below it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/network_spec.hpp"
#include "engine/queue.hpp"

namespace pitstop::engine {

/// What happened when someone asked for a place.
enum class SeizeStatus { kServed, kQueued, kLost };

/// Places plus a waiting room of `queue_capacity` (kUnlimited, N, or 0 = loss system).
class Resource {
 public:
  Resource(std::size_t capacity, std::size_t queue_capacity, Discipline discipline)
      : capacity_(capacity), queue_capacity_(queue_capacity), queue_(discipline) {}

  std::size_t capacity() const { return capacity_; }
  std::size_t occupied() const { return occupied_; }
  std::size_t queue_capacity() const { return queue_capacity_; }
  const WaitQueue& queue() const { return queue_; }
  WaitQueue& queue() { return queue_; }

  bool has_free_place() const { return occupied_ < capacity_; }
  bool has_queue_room() const {
    return queue_capacity_ == kUnlimited || queue_.size() < queue_capacity_;
  }
  /// Someone could enter now (a place, or room to wait).
  bool can_admit() const { return has_free_place() || has_queue_room(); }

  /// Takes a place if one is free, else a queue slot if there is room, else nothing.
  SeizeStatus seize(const QueueTicket& t) {
    if (has_free_place()) {
      ++occupied_;
      return SeizeStatus::kServed;
    }
    if (has_queue_room()) {
      queue_.push(t);
      return SeizeStatus::kQueued;
    }
    return SeizeStatus::kLost;
  }

  /// Takes a place for the head of the queue (caller popped it). Precondition: a free place.
  void take_place() { ++occupied_; }
  void release() { --occupied_; }
  void set_capacity(std::size_t c) { capacity_ = c; }
  /// A smaller waiting room turns no one out: it holds as people leave the queue.
  void set_queue_capacity(std::size_t q) { queue_capacity_ = q; }

 private:
  std::size_t capacity_;
  std::size_t queue_capacity_;
  std::size_t occupied_ = 0;
  WaitQueue queue_;
};

}  // namespace pitstop::engine
