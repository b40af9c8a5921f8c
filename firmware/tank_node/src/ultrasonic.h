// HC-SR04 / JSN-SR04T driver: trigger, echo timed by a pin-change interrupt, a burst of pings
// reduced by the median filter. Never blocks the loop longer than the 10 us trigger pulse.
#pragma once

#include <stdint.h>

#include <tankcore/filters.h>

namespace tanknode {

struct Burst {
  int32_t distance_mm;  // tankcore::kNoDistance when no ping echoed
  int32_t echo_us;      // median echo time, tankcore::kNoEcho when none
  uint8_t quality;      // share of valid pings, 0-100
};

class Ultrasonic {
 public:
  Ultrasonic(uint8_t trigger_pin, uint8_t echo_pin, uint8_t pings);
  void setup();
  // Starts a burst; `temperature_c` is NAN without a thermometer (20 C is then assumed).
  void start_burst(double temperature_c);
  // Advances the state machine; true exactly once when a burst has finished.
  bool loop();
  const Burst& result() const { return result_; }
  bool busy() const { return state_ != State::kIdle; }
  void dump_config() const;

 private:
  enum class State : uint8_t { kIdle, kWaitEcho, kSpacing };

  static void on_echo_change();
  void trigger();
  void finish_ping(bool echoed, uint32_t echo_us);
  void finish_burst();

  uint8_t trigger_pin_;
  uint8_t echo_pin_;
  uint8_t pings_;
  State state_ = State::kIdle;
  uint8_t done_pings_ = 0;
  uint8_t valid_pings_ = 0;
  uint32_t ping_started_us_ = 0;
  uint32_t spacing_started_ms_ = 0;
  double temperature_c_ = 0;
  tankcore::MedianFilter distances_;
  tankcore::MedianFilter echoes_;
  Burst result_{};
};

}  // namespace tanknode
