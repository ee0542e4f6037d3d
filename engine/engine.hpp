// The engine's umbrella header, in dependency order: a map of the kernel.
#pragma once

// clang-format off: the include order is the dependency order, and the comments are the map.

#include "engine/calendar.hpp"       // 4-ary heap of pending events
#include "engine/distribution.hpp"   // distributions that know their moments
#include "engine/error.hpp"          // SpecError, RuntimeError, PITSTOP_ASSERT
#include "engine/event.hpp"          // Event, Priority (same-instant order)
#include "engine/network.hpp"        // one replicate of a network in motion (incl. blocking)
#include "engine/network_graph.hpp"  // Boost.Graph checks, traffic equations, DOT
#include "engine/network_spec.hpp"   // the description of a queueing network
#include "engine/observer.hpp"       // the engine reports; output listens
#include "engine/policy.hpp"         // a model's events, injected people, routes and durations
#include "engine/queue.hpp"          // FIFO and priority waiting lines
#include "engine/replication.hpp"    // replicates in parallel on oneTBB
#include "engine/resource.hpp"       // places + the queue they own
#include "engine/results.hpp"        // per-replicate counters and summaries
#include "engine/rng.hpp"            // Philox streams keyed by (seed, replicate, purpose, entity)
#include "engine/schedule.hpp"       // dated and weekly step functions; arrival rate profiles
#include "engine/simulator.hpp"      // clock + calendar + streams of one replicate
#include "engine/stats.hpp"          // time-weighted levels, intervals
#include "engine/text.hpp"           // edit distance, "did you mean"
#include "engine/time.hpp"           // days as double, weekdays
// clang-format on
