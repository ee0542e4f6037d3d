// A change of one numeric parameter of a scenario by key path ("services.beds.capacity"): what
// a pit stop's `set`/`scale` and a sweep's parameters are made of (applied in pit_stops.cpp).
#pragma once

#include <string>

#include "models/raw_tree.hpp"

namespace pitstop::models {

/// One change of a numeric parameter by key path, checked against the registry as it is made
/// (the rules of scenarios/README.md "Pit stops": key paths, `set` and `scale`, a capacity or a
/// rate with its dated list). Errors are InputErrors at `at`, starting with `who`.
struct KeyPathChange {
  enum When { kAtPitStop, kFromStart };
  std::string path;
  bool scale = false;
  RawNode value;            // set: the new value
  double factor = 1;        // scale: the factor
  SourceMark at, value_at;  // where the path and the value were written
  std::string who;          // "pit stop `x`", "sweep parameter `y`"
  When when = kFromStart;   // a pit stop may not change what is dated already or fixed
};

}  // namespace pitstop::models
