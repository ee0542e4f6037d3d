// A small streaming JSON writer (objects, arrays, strings, numbers; NaN/inf become null).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pitstop::output {

/// Builds compact or indented JSON text. Keys and values are appended in call order.
class JsonWriter {
 public:
  explicit JsonWriter(int indent = 2) : indent_(indent) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(const std::string& k);
  JsonWriter& value(const std::string& s);
  JsonWriter& value(const char* s) { return value(std::string(s)); }
  JsonWriter& value(double x);
  JsonWriter& value(std::int64_t x);
  JsonWriter& value(std::uint64_t x);
  JsonWriter& value(int x) { return value(static_cast<std::int64_t>(x)); }
  JsonWriter& value(unsigned x) { return value(static_cast<std::uint64_t>(x)); }
  JsonWriter& value(bool b);

  const std::string& str() const { return out_; }

 private:
  void before_value();
  void newline();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
  int indent_;
};

/// Escapes a string for JSON (quotes included).
std::string json_quote(const std::string& s);

}  // namespace pitstop::output
