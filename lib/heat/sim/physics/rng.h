// sim/physics/rng.h — a small seeded generator (splitmix64) so that a
// simulation gives the same numbers on every machine and library: the
// std:: distributions are not specified bit for bit, so none is used.
#pragma once

#include <cstdint>

namespace heat::sim::physics {

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }

 private:
  uint64_t s_;
};

}  // namespace heat::sim::physics
