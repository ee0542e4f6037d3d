#include "engine/error.hpp"

#include <string>

namespace pitstop::engine {

void assertion_failed(const char* expr, const char* file, int line) {
  throw InternalError(std::string("internal error: assertion `") + expr + "` failed at " + file +
                      ":" + std::to_string(line) + " (please report this as a pitstop bug)");
}

}  // namespace pitstop::engine
