#include "tankcore/filters.h"

#include "tankcore/geometry.h"

namespace tankcore {

double speed_of_sound(double temperature_c) { return 331.3 + 0.606 * temperature_c; }

double compensate(double echo_us, double temperature_c) {
  return echo_us * speed_of_sound(temperature_c) / 2000.0;
}

double compensate(double echo_us) { return compensate(echo_us, kReferenceTemperatureC); }

MedianFilter::MedianFilter(uint8_t window)
    : window_(window == 0 ? 1 : (window > kMaxWindow ? kMaxWindow : window)) {}

bool MedianFilter::push(double sample) {
  if (!is_valid_distance(sample)) {
    ++rejected_;
    return false;
  }
  samples_[next_] = sample;
  next_ = static_cast<uint8_t>((next_ + 1) % window_);
  if (count_ < window_) ++count_;
  return true;
}

bool MedianFilter::value(double* out) const {
  if (count_ == 0) return false;
  double sorted[kMaxWindow];
  for (uint8_t i = 0; i < count_; ++i) {
    double x = samples_[i];
    int j = i - 1;
    while (j >= 0 && sorted[j] > x) {
      sorted[j + 1] = sorted[j];
      --j;
    }
    sorted[j + 1] = x;
  }
  const uint8_t mid = count_ / 2;
  *out = (count_ % 2) ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
  return true;
}

void MedianFilter::reset() {
  count_ = 0;
  next_ = 0;
  rejected_ = 0;
}

}  // namespace tankcore
