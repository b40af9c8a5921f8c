// Median filter and speed-of-sound temperature compensation for ultrasonic distances.
#pragma once

#include <stdint.h>

namespace tankcore {

constexpr double kReferenceTemperatureC = 20.0;

// Speed of sound in air, m/s: c = 331.3 + 0.606 * T.
double speed_of_sound(double temperature_c);
// Distance in mm from a round-trip echo time in microseconds.
double compensate(double echo_us, double temperature_c);
// Same at the reference temperature (no thermometer).
double compensate(double echo_us);

// Sliding median over the last `window` valid samples. NaN, infinities and values <= 0
// (timeouts, spurious zero echoes) are rejected and counted. An even count averages the
// two middle values.
class MedianFilter {
 public:
  static constexpr uint8_t kMaxWindow = 15;

  explicit MedianFilter(uint8_t window = 5);
  bool push(double sample);
  // False before the first valid sample.
  bool value(double* out) const;
  uint32_t rejected() const { return rejected_; }
  uint8_t count() const { return count_; }
  void reset();

 private:
  double samples_[kMaxWindow] = {};
  uint8_t window_;
  uint8_t count_ = 0;
  uint8_t next_ = 0;
  uint32_t rejected_ = 0;
};

}  // namespace tankcore
