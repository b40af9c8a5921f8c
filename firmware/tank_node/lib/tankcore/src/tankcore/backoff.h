// Reconnect delay: exponential growth capped, with "equal jitter" from a caller-supplied
// 32-bit random value so that tests are deterministic.
#pragma once

#include <stdint.h>

namespace tankcore {

class Backoff {
 public:
  static constexpr uint8_t kMaxShift = 20;

  Backoff(uint32_t base_ms, uint32_t cap_ms);
  // exp = min(cap, base * 2^attempt); returns exp - exp/2 + random % (exp/2 + 1).
  uint32_t next_delay_ms(uint32_t random);
  void reset() { attempt_ = 0; }
  uint32_t attempt() const { return attempt_; }

 private:
  uint32_t base_ms_;
  uint32_t cap_ms_;
  uint32_t attempt_ = 0;
};

}  // namespace tankcore
