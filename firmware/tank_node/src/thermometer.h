// Optional DS18B20 air thermometer for speed-of-sound compensation (build flag
// TANK_DS18B20_PIN); conversions are started and read without blocking.
#pragma once

#include <math.h>

namespace tanknode {

class Thermometer {
 public:
  void setup();
  void loop();
  // Last temperature in C, NAN when there is no thermometer or no valid reading yet.
  double celsius() const { return celsius_; }
  void dump_config() const;

 private:
  double celsius_ = NAN;
  unsigned long requested_ms_ = 0;
  bool converting_ = false;
};

}  // namespace tanknode
