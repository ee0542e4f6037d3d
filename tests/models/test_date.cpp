// Date: strict ISO parsing (leap years), conversions, weekdays and financial years.
#include <catch2/catch.hpp>

#include "models/date.hpp"

using pitstop::models::Date;

TEST_CASE("Date parses valid ISO dates", "[models][date]") {
  auto d = Date::parse("2020-01-01");
  REQUIRE(d);
  CHECK(d->iso() == "2020-01-01");
  CHECK(Date::parse("1970-01-01")->days == 0);
  CHECK(Date::parse("1969-12-31")->days == -1);
  CHECK(Date::parse("2021-01-01")->days - Date::parse("2020-01-01")->days == 366);
  CHECK(Date::parse("9999-12-31"));
  CHECK(Date::parse("0001-01-01"));
}

TEST_CASE("Date knows leap years", "[models][date]") {
  CHECK(Date::parse("2020-02-29"));
  CHECK(Date::parse("2000-02-29"));
  CHECK(Date::parse("2024-02-29"));
  CHECK_FALSE(Date::parse("2019-02-29"));
  CHECK_FALSE(Date::parse("1900-02-29"));
  CHECK_FALSE(Date::parse("2100-02-29"));
  CHECK_FALSE(Date::parse("2021-02-30"));
  CHECK_FALSE(Date::parse("2021-04-31"));
  CHECK(Date::parse("2021-12-31"));
}

TEST_CASE("Date rejects anything but YYYY-MM-DD", "[models][date]") {
  for (const char* bad : {"", "2020-1-01", "2020-01-1", "2020/01/01", "2020-01-01x", " 2020-01-01",
                          "+020-01-01", "2020-13-01", "2020-00-10", "2020-01-00", "0000-01-01",
                          "20200101", "2020-01-32", "202a-01-01", "2020-0a-01"}) {
    INFO(bad);
    CHECK_FALSE(Date::parse(bad));
  }
}

TEST_CASE("Date converts to and from year, month, day", "[models][date]") {
  for (long days = -800000; days <= 800000; days += 97) {
    const Date d{days};
    int y = 0, m = 0, dd = 0;
    d.to_ymd(y, m, dd);
    REQUIRE(Date::from_ymd(y, m, dd) == d);
    if (y >= 1 && y <= 9999) REQUIRE(Date::parse(d.iso()) == d);
  }
  CHECK(Date::from_ymd(2024, 4, 1).iso() == "2024-04-01");
  CHECK(Date::from_ymd(2024, 4, 1) < Date::from_ymd(2024, 4, 2));
}

TEST_CASE("Date weekday is 0 = Monday", "[models][date]") {
  CHECK(Date::parse("1970-01-01")->weekday() == 3);  // Thursday
  CHECK(Date::parse("2020-01-01")->weekday() == 2);  // Wednesday
  CHECK(Date::parse("2024-04-01")->weekday() == 0);  // Monday
  CHECK(Date::parse("2024-03-31")->weekday() == 6);  // Sunday
  CHECK(Date::parse("1969-12-29")->weekday() == 0);  // Monday before the epoch
}

TEST_CASE("Date financial year runs April to March", "[models][date]") {
  CHECK(Date::parse("2024-03-31")->financial_year() == 2023);
  CHECK(Date::parse("2024-04-01")->financial_year() == 2024);
  CHECK(Date::parse("2019-04-01")->financial_year() == 2019);
  CHECK(Date::parse("2030-01-15")->financial_year() == 2029);
  CHECK(Date::parse("2029-12-31")->financial_year() == 2029);
}
