#include "tankcore/backoff.h"

namespace tankcore {

Backoff::Backoff(uint32_t base_ms, uint32_t cap_ms) : base_ms_(base_ms), cap_ms_(cap_ms) {}

uint32_t Backoff::next_delay_ms(uint32_t random) {
  const uint32_t shift = attempt_ < kMaxShift ? attempt_ : kMaxShift;
  const uint64_t grown = static_cast<uint64_t>(base_ms_) << shift;
  const uint32_t exp = grown < cap_ms_ ? static_cast<uint32_t>(grown) : cap_ms_;
  const uint32_t half = exp / 2;
  if (attempt_ < UINT32_MAX) ++attempt_;
  return exp - half + random % (half + 1);
}

}  // namespace tankcore
