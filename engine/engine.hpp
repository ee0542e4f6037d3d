// The engine's umbrella header, in dependency order: a map of the kernel.
#pragma once

// The include order below is the dependency order, and the comments are the map.
// clang-format off
#include "engine/time.hpp"           // days as double, weekdays
#include "engine/error.hpp"          // SpecError, RuntimeError, PITSTOP_ASSERT
#include "engine/text.hpp"           // edit distance, "did you mean"
#include "engine/event.hpp"          // Event, Priority (same-instant order)
#include "engine/calendar.hpp"       // pending events: 4-ary heap, ladder above 128 pending
#include "engine/rng.hpp"            // Philox streams keyed by (seed, replicate, purpose, entity)
#include "engine/simulator.hpp"      // clock + calendar + streams of one replicate
#include "engine/distribution.hpp"   // distributions that know their moments
#include "engine/schedule.hpp"       // dated and weekly step functions; arrival rate profiles
#include "engine/network_spec.hpp"   // the description of a queueing network
#include "engine/network_graph.hpp"  // Boost.Graph checks, traffic equations, DOT
#include "engine/queue.hpp"          // FIFO and priority waiting lines
#include "engine/resource.hpp"       // places + the queue they own
#include "engine/observer.hpp"       // the engine reports; output listens
#include "engine/policy.hpp"         // a model's events, injected people, routes and durations
#include "engine/pool.hpp"           // reusable slots with dense ids (people, episodes)
#include "engine/stats.hpp"          // time-weighted levels, intervals
#include "engine/results.hpp"        // per-replicate counters and summaries
#include "engine/network.hpp"        // one replicate of a network in motion (incl. blocking)
#include "engine/replication.hpp"    // replicates in parallel on oneTBB
#include "engine/series.hpp"         // the schema of daily series a run records
#include "engine/slot_book.hpp"      // daily slots: a queue measured in days
// clang-format on
