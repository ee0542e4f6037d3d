// The daily slot book: first free day on or after the earliest, weekly places, a queue in days.
#include <catch2/catch.hpp>

#include "engine/slot_book.hpp"

using pitstop::engine::SlotBook;

TEST_CASE("a slot book gives the first day with a place left", "[slot_book]") {
  SlotBook book(14, 0);  // day 0 is a Monday
  book.set_weekly(0, {2, 2, 2, 2, 2, 0, 0});
  CHECK(book.book(0) == 0);
  CHECK(book.book(0) == 0);
  CHECK(book.book(0) == 1);  // Monday full
  CHECK(book.book(4) == 4);
  CHECK(book.book(4) == 4);
  CHECK(book.book(4) == 7);  // Friday full, no places at the weekend: next Monday
  CHECK(book.book(5) == 7);
  CHECK(book.left(7) == 0);
  CHECK(book.booked(0) == 2);
  CHECK(book.weekday(12) == 5);
}

TEST_CASE("demand above the places builds a queue in days that grows at the excess rate",
          "[slot_book]") {
  // 12 requests a day against 10 places a day, every day: after n days the backlog is 2n
  // requests, so a request made on day n waits ⌊2n / 10⌋ days (± one day for the order).
  SlotBook book(400, 0);
  book.set_weekly(0, {10, 10, 10, 10, 10, 10, 10});
  std::size_t last = 0;
  for (std::size_t day = 0; day < 300; ++day)
    for (int k = 0; k < 12; ++k)
      last = book.book(day);
  CHECK(last - 299 == 60);  // 2 × 300 / 10 days behind
}

TEST_CASE("changing the places keeps what is booked and reopens full days", "[slot_book]") {
  SlotBook book(7, 0);
  book.set_weekly(0, {1, 1, 1, 1, 1, 1, 1});
  CHECK(book.book(0) == 0);
  CHECK(book.book(0) == 1);
  book.set_weekly(0, {3, 3, 3, 3, 3, 3, 3});  // two more on day 0 and day 1, one on later days…
  CHECK(book.left(0) == 2);
  CHECK(book.left(2) == 3);
  CHECK(book.book(0) == 0);
  book.set_weekly(0, {0, 0, 0, 0, 0, 0, 0});  // … and none: the booked stay booked
  CHECK(book.booked(0) == 2);
  CHECK(book.book(0) == 7);  // none left within the book
}
