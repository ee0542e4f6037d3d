// Calendar dates (proleptic Gregorian) for scenario start dates and dated changes.
#pragma once

#include <optional>
#include <string>

namespace pitstop::models {

/// A calendar date stored as days since 1970-01-01.
struct Date {
  long days = 0;

  /// Parses "YYYY-MM-DD" strictly (valid month/day, leap years); nullopt otherwise.
  static std::optional<Date> parse(const std::string& text);
  static Date from_ymd(int year, int month, int day);
  void to_ymd(int& year, int& month, int& day) const;
  std::string iso() const;
  /// 0 = Monday … 6 = Sunday.
  int weekday() const;
  /// Financial year (April–March) containing this date, named by its starting year (2019 =
  /// 2019/20).
  int financial_year() const;

  friend bool operator==(Date a, Date b) { return a.days == b.days; }
  friend auto operator<=>(Date a, Date b) { return a.days <=> b.days; }
};

}  // namespace pitstop::models
