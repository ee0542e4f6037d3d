// Calendar dates: civil-from-days conversions (H. Hinnant's algorithms), strict ISO parsing.
#include "models/date.hpp"

#include <fmt/format.h>

namespace pitstop::models {
namespace {

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;
constexpr long kThursday = 3;  // 1970-01-01 was a Thursday (0 = Monday)

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date.
long days_from_civil(long y, long m, long d) {
  y -= m <= 2 ? 1 : 0;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Reads exactly `width` decimal digits starting at `pos`; -1 if any is not a digit.
int digits(const std::string& text, std::size_t pos, std::size_t width) {
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<Date> Date::parse(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int year = digits(text, 0, 4);
  const int month = digits(text, 5, 2);
  const int day = digits(text, 8, 2);
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12) return std::nullopt;
  if (day < 1 || day > days_in_month(year, month)) return std::nullopt;
  return from_ymd(year, month, day);
}

Date Date::from_ymd(int year, int month, int day) {
  return Date{days_from_civil(year, month, day)};
}

void Date::to_ymd(int& year, int& month, int& day) const {
  const long z = days + 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

std::string Date::iso() const {
  int y = 0, m = 0, d = 0;
  to_ymd(y, m, d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

int Date::weekday() const {
  return static_cast<int>(((days + kThursday) % 7 + 7) % 7);
}

int Date::financial_year() const {
  int y = 0, m = 0, d = 0;
  to_ymd(y, m, d);
  return m >= 4 ? y : y - 1;
}

}  // namespace pitstop::models
