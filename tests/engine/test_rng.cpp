// Random streams: keying, independence of purposes/entities, range and uniformity of draws.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/rng.hpp"

using pitstop::engine::Purpose;
using pitstop::engine::Stream;
using pitstop::engine::StreamKey;

namespace {

// The first n 64-bit draws of a stream.
std::vector<std::uint64_t> draws(Stream s, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i)
    out.push_back(s.next_u64());
  return out;
}

// True when the two sequences differ at every position and share no value at all.
bool all_different(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  for (std::uint64_t x : a) {
    for (std::uint64_t y : b) {
      if (x == y) return false;
    }
  }
  return true;
}

// Upper bound for a chi-square statistic with `df` degrees of freedom at z standard deviations,
// by the Wilson–Hilferty cube approximation: χ²_p ≈ df·(1 − 2/(9df) + z·sqrt(2/(9df)))³.
// z = 4 is an upper-tail probability of about 3e-5, so a correct generator fails ~never.
double chi2_bound(double df, double z = 4.0) {
  const double c = 2.0 / (9.0 * df);
  return df * std::pow(1.0 - c + z * std::sqrt(c), 3.0);
}

}  // namespace

TEST_CASE("the same key gives the same sequence", "[rng]") {
  const StreamKey key{12345, 3, static_cast<std::uint64_t>(Purpose::kDurations), 42};
  const auto a = draws(Stream(key), 1000);
  const auto b = draws(Stream(key), 1000);
  CHECK(a == b);
  CHECK(draws(Stream(12345, 3, Purpose::kDurations, 42), 1000) == a);

  // A copy taken mid-way continues exactly as the original.
  Stream s(key);
  for (int i = 0; i < 7; ++i)
    s.next_u64();
  Stream copy = s;
  CHECK(draws(copy, 20) == draws(s, 20));
}

TEST_CASE("a different seed, replicate, purpose or entity gives a different sequence", "[rng]") {
  const auto base = draws(Stream(1, 0, Purpose::kArrivals, 0), 8);
  CHECK(all_different(base, draws(Stream(2, 0, Purpose::kArrivals, 0), 8)));   // seed
  CHECK(all_different(base, draws(Stream(1, 1, Purpose::kArrivals, 0), 8)));   // replicate
  CHECK(all_different(base, draws(Stream(1, 0, Purpose::kDurations, 0), 8)));  // purpose
  CHECK(all_different(base, draws(Stream(1, 0, Purpose::kArrivals, 1), 8)));   // entity
  // Swapping fields must not alias either (seed/replicate are key words, purpose/entity counter).
  CHECK(all_different(draws(Stream(StreamKey{1, 2, 3, 4}), 8),
                      draws(Stream(StreamKey{2, 1, 4, 3}), 8)));
  CHECK(all_different(draws(Stream(StreamKey{1, 2, 3, 4}), 8),
                      draws(Stream(StreamKey{1, 2, 4, 3}), 8)));
}

TEST_CASE("stream blocks are Philox4x64-10 of (purpose, entity, block, 0) under (seed, replicate)",
          "[rng]") {
  // Known-answer regression, not theory: the published Random123 vector for Philox4x64-10 with
  // counter 0 and key 0 (Random123 tests/kat_vectors).
  const std::vector<std::uint64_t> kat = {0x16554d9eca36314cULL, 0xdb20fe9d672d0fdcULL,
                                          0xd7e772cee186176bULL, 0x7e68b68aec7ba23bULL};
  CHECK(draws(Stream(StreamKey{0, 0, 0, 0}), 4) == kat);

  // Layout check against the library called directly, across several 4-word blocks.
  const StreamKey key{7, 5, 1000, 99};
  std::vector<std::uint64_t> expected;
  for (std::uint64_t block = 0; block < 3; ++block) {
    const r123::Philox4x64::ctr_type ctr = {{key.purpose, key.entity, block, 0}};
    const r123::Philox4x64::key_type k = {{key.seed, key.replicate}};
    const auto out = r123::Philox4x64()(ctr, k);
    expected.insert(expected.end(), out.v, out.v + 4);
  }
  CHECK(draws(Stream(key), 12) == expected);
}

TEST_CASE("uniform() lies strictly inside (0, 1) and is uniform", "[rng]") {
  Stream s(2024, 0, Purpose::kTest);
  constexpr int kN = 1'000'000;
  constexpr int kBins = 100;
  std::array<int, kBins> counts{};
  double sum = 0;
  bool inside = true;
  for (int i = 0; i < kN; ++i) {
    const double u = s.uniform();
    inside = inside && u > 0.0 && u < 1.0;
    sum += u;
    ++counts[static_cast<std::size_t>(u * kBins)];
  }
  CHECK(inside);
  // Mean 1/2, variance 1/12: within 4 standard errors.
  CHECK(std::abs(sum / kN - 0.5) < 4.0 * std::sqrt(1.0 / 12.0 / kN));
  double chi2 = 0;
  const double expected = static_cast<double>(kN) / kBins;
  for (int c : counts)
    chi2 += (c - expected) * (c - expected) / expected;
  CHECK(chi2 < chi2_bound(kBins - 1));
}

TEST_CASE("below(n) stays in range and is uniform", "[rng]") {
  Stream s(99, 1, Purpose::kTest, 5);
  for (int i = 0; i < 1000; ++i)
    REQUIRE(s.below(1) == 0);

  for (std::uint64_t n : {2ULL, 7ULL, 10ULL, 1000ULL}) {
    CAPTURE(n);
    const int draws_per_bin = 10'000;
    const int total = static_cast<int>(n) * draws_per_bin;
    std::vector<int> counts(n, 0);
    bool in_range = true;
    for (int i = 0; i < total; ++i) {
      const std::uint64_t x = s.below(n);
      in_range = in_range && x < n;
      if (x < n) ++counts[x];
    }
    CHECK(in_range);
    double chi2 = 0;
    for (int c : counts) {
      chi2 += (c - draws_per_bin) * static_cast<double>(c - draws_per_bin) / draws_per_bin;
    }
    CHECK(chi2 < chi2_bound(static_cast<double>(n - 1)));
  }

  // A huge n: every draw in range, and the upper half [n/2, n) taken about half the time
  // (binomial, within 4 standard errors).
  const std::uint64_t n = 0xC000000000000001ULL;
  constexpr int kN = 100'000;
  int upper = 0;
  bool in_range = true;
  for (int i = 0; i < kN; ++i) {
    const std::uint64_t x = s.below(n);
    in_range = in_range && x < n;
    upper += x >= n / 2 ? 1 : 0;
  }
  CHECK(in_range);
  CHECK(std::abs(upper / static_cast<double>(kN) - 0.5) < 4.0 * std::sqrt(0.25 / kN));
}

TEST_CASE("the open-unit mapping never reaches 0 or 1 at the extremes", "[rng]") {
  using pitstop::engine::Stream;
  CHECK(Stream::to_open_unit(0) > 0.0);
  CHECK(Stream::to_open_unit(~std::uint64_t{0}) < 1.0);
  CHECK(Stream::to_open_unit(~std::uint64_t{0}) == 1.0 - 0x1.0p-53);
}
