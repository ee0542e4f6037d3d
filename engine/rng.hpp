// Random streams: counter-based Philox4x64-10 (Random123) keyed by (seed, replicate) with
// counters keyed by (purpose, entity), so every purpose and entity draws from its own sequence.
#pragma once

#include <Random123/philox.h>

#include <cstdint>

namespace pitstop::engine {

__extension__ typedef unsigned __int128 uint128_t;  // GCC/Clang extension, for below()

/// What a stream is for. The engine reserves values below kFirstModelPurpose; models number
/// their own purposes from there. Separate purposes never share draws, which gives common
/// random numbers between a scenario and its baseline.
enum class Purpose : std::uint32_t {
  kArrivals = 1,   // inter-arrival times and thinning of a source
  kDurations = 2,  // service durations
  kRouting = 3,    // choice of route after service
  kReneging = 4,   // patience draws
  kTest = 99,      // tests and benchmarks
  kFirstModelPurpose = 1000,
  // Engine purposes added since are listed here, after the existing ones, so none is renumbered;
  // their values stay below kFirstModelPurpose.
  kDesign = 5,     // experimental designs (Latin hypercube strata and positions)
  kBootstrap = 6,  // bootstrap resampling of estimates
};

/// Identifies one stream: which run (seed, replicate), what for (purpose) and for whom (entity).
struct StreamKey {
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;
  std::uint64_t purpose = 0;
  std::uint64_t entity = 0;
  std::uint64_t sub = 0;  // a further key under the entity (e.g. node and visit number)
};

/// One independent sequence of 64-bit random numbers. Cheap to copy and to create.
class Stream {
 public:
  Stream() = default;
  explicit Stream(const StreamKey& k) {
    key_ = {{k.seed, k.replicate}};
    ctr_ = {{k.purpose, k.entity, 0, k.sub}};
  }
  Stream(std::uint64_t seed, std::uint64_t replicate, Purpose purpose, std::uint64_t entity = 0,
         std::uint64_t sub = 0)
      : Stream(StreamKey{seed, replicate, static_cast<std::uint64_t>(purpose), entity, sub}) {}

  /// The next 64 random bits.
  std::uint64_t next_u64() {
    if (pos_ == 4) refill();
    return buf_.v[pos_++];
  }

  /// Uniform on the open interval (0, 1): never exactly 0 or 1, so log(u) is always finite.
  double uniform() { return to_open_unit(next_u64()); }

  /// Maps 64 random bits to (0, 1): 52 bits plus a half step, so the largest value is
  /// 1 − 2^-53 exactly (53 bits would round 2^53 − 0.5 up to 1.0).
  static double to_open_unit(std::uint64_t bits) {
    return (static_cast<double>(bits >> 12) + 0.5) * 0x1.0p-52;
  }

  /// Uniform integer in [0, n) for n > 0 (Lemire's multiply-shift, bias < 2^-64 * n).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<uint128_t>(next_u64()) * n) >> 64);
  }

 private:
  void refill() {
    buf_ = r123::Philox4x64()(ctr_, key_);
    ++ctr_.v[2];
    pos_ = 0;
  }

  r123::Philox4x64::key_type key_{};
  r123::Philox4x64::ctr_type ctr_{};
  r123::Philox4x64::ctr_type buf_{};
  unsigned pos_ = 4;
};

}  // namespace pitstop::engine
