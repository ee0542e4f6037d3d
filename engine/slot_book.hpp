// A book of daily slots: each day offers a number of places (e.g. appointments), and a request
// takes the first day on or after its earliest day that still has one. When requests outrun the
// places, the wait grows in whole days — a queue measured in days rather than in people.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine/error.hpp"

namespace pitstop::engine {

class SlotBook {
 public:
  /// A book for days 0 … days − 1; `start_weekday` is the weekday of day 0 (0 = Monday).
  SlotBook(std::size_t days, int start_weekday)
      : left_(days, 0), start_weekday_(static_cast<std::size_t>(start_weekday)) {}

  /// Sets the places of every day from `from_day` on: `per_weekday[w]` places on weekday w,
  /// less those already booked on that day (never below zero).
  void set_weekly(std::size_t from_day, const std::array<double, 7>& per_weekday) {
    for (std::size_t d = from_day; d < left_.size(); ++d) {
      const auto places = static_cast<std::int64_t>(per_weekday[weekday(d)] + 0.5);
      const std::int64_t booked = d < booked_.size() ? booked_[d] : 0;
      left_[d] = places > booked ? places - booked : 0;
    }
    if (from_day < first_open_) first_open_ = from_day;
  }

  /// Books one place on the first day ≥ `earliest` with a place left; returns that day, or
  /// days() when there is none within the book.
  std::size_t book(std::size_t earliest) {
    if (earliest < first_open_) earliest = first_open_;
    std::size_t d = earliest;
    while (d < left_.size() && left_[d] == 0)
      ++d;
    // Every day before the first one with places is full: later requests skip them at once.
    if (earliest == first_open_) first_open_ = d;
    if (d == left_.size()) return d;
    --left_[d];
    if (booked_.size() <= d) booked_.resize(left_.size(), 0);
    ++booked_[d];
    return d;
  }

  std::size_t days() const { return left_.size(); }
  std::int64_t left(std::size_t day) const { return left_.at(day); }
  std::int64_t booked(std::size_t day) const { return day < booked_.size() ? booked_[day] : 0; }
  int weekday(std::size_t day) const { return static_cast<int>((day + start_weekday_) % 7); }

 private:
  std::vector<std::int64_t> left_;    // places still free, by day
  std::vector<std::int64_t> booked_;  // places taken, by day (grown on first booking)
  std::size_t start_weekday_;
  std::size_t first_open_ = 0;  // no day before this has a place left
};

}  // namespace pitstop::engine
