// A pool of reusable slots addressed by dense 32-bit ids: no allocation per use once warm, and
// ids are reused after release (so an id names a slot, not a person for ever).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pitstop::engine {

template <class T>
class Pool {
 public:
  /// A slot reset to T{}: a released one if any, else a new one.
  std::uint32_t take() {
    std::uint32_t id;
    if (!free_.empty()) {
      id = free_.back();
      free_.pop_back();
      slots_[id] = T{};
    } else {
      id = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    }
    return id;
  }
  /// Gives the slot back; its contents stay readable until it is taken again.
  void release(std::uint32_t id) { free_.push_back(id); }

  T& operator[](std::uint32_t id) { return slots_[id]; }
  const T& operator[](std::uint32_t id) const { return slots_[id]; }
  /// Heap bytes held.
  std::size_t bytes() const {
    return slots_.capacity() * sizeof(T) + free_.capacity() * sizeof(std::uint32_t);
  }

 private:
  std::vector<T> slots_;
  std::vector<std::uint32_t> free_;
};

}  // namespace pitstop::engine
