// The daily series schema lives in the engine (models fill series too); output uses it by name.
#pragma once

#include "engine/series.hpp"

namespace pitstop::output {
using engine::MetricDef;
using engine::Rollup;
using engine::SeriesSet;
}  // namespace pitstop::output
