#pragma once
// Per-sample random numbers. Every random decision of the loader comes from a generator
// derived by hashing (seed, epoch, index, stream), never from a shared generator, so the
// views of a sample are the same whatever the thread count or the order workers run in.

#include <cmath>
#include <cstdint>

namespace can::data {

// splitmix64's finaliser (Steele, Lea, Flood 2014): a strong 64-bit mixing function.
inline uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class SampleRng {
 public:
  explicit SampleRng(uint64_t state) : state_(state) {}
  // stream separates independent uses of one sample (view 1, view 2, ...).
  static SampleRng for_sample(uint64_t seed, int64_t epoch, int64_t index, uint64_t stream) {
    uint64_t h = splitmix64(seed);
    h = splitmix64(h ^ static_cast<uint64_t>(epoch));
    h = splitmix64(h ^ static_cast<uint64_t>(index));
    return SampleRng(splitmix64(h ^ stream));
  }

  // The splitmix64 sequence: state advances by the golden-ratio increment.
  uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ull;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Integer in [lo, hi], both inclusive (modulo bias below 2^-40 for the sizes used here).
  int64_t uniform_int(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool bernoulli(double p) { return uniform() < p; }

 private:
  uint64_t state_;
};

}  // namespace can::data
