// Small text helpers shared by the engine's and the loader's messages.
#pragma once

#include <string>
#include <vector>

namespace pitstop::engine {

/// Levenshtein edit distance.
std::size_t edit_distance(const std::string& a, const std::string& b);

/// The candidate closest to `word` if it is a plausible typo (distance ≤ max(2, |word|/3)),
/// else an empty string.
std::string closest_name(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace pitstop::engine
