#include "engine/simulator.hpp"

#include <string>

namespace pitstop::engine {

void Simulator::schedule_error(Time at) const {
  throw RuntimeError("cannot schedule an event at time " + std::to_string(at) +
                     " (the clock is at " + std::to_string(now_) +
                     "; events must not be in the past)");
}

}  // namespace pitstop::engine
