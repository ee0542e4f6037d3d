// The engine's two error channels: SpecError for a description the caller got wrong,
// RuntimeError for a failure while running (with context), PITSTOP_ASSERT for our own bugs.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace pitstop::engine {

/// The caller's description is wrong; `key_path` names the offending key
/// (e.g. "services.clinic.routes[1].p") so a loader can map it to a file position.
class SpecError : public std::runtime_error {
 public:
  SpecError(std::string key_path, const std::string& message)
      : std::runtime_error(message), key_path_(std::move(key_path)) {}
  const std::string& key_path() const { return key_path_; }

 private:
  std::string key_path_;
};

/// Something went wrong while a replicate ran (carries entity, node and time in its text).
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An internal invariant was broken: a bug in pitstop, never the user's fault.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line);

}  // namespace pitstop::engine

#define PITSTOP_ASSERT(expr) \
  ((expr) ? static_cast<void>(0) : ::pitstop::engine::assertion_failed(#expr, __FILE__, __LINE__))
