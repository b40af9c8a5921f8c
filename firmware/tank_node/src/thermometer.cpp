#include "thermometer.h"

#include <math.h>

#include "node_log.h"
#include "platform.h"

#ifdef TANK_DS18B20_PIN
#include <DallasTemperature.h>
#include <OneWire.h>
#endif

namespace tanknode {
namespace {

constexpr const char* TAG = "thermometer";

#ifdef TANK_DS18B20_PIN
constexpr unsigned long kConversionMs = 800;
constexpr unsigned long kPeriodMs = 30000;
OneWire g_bus(TANK_DS18B20_PIN);
DallasTemperature g_sensors(&g_bus);
#endif

}  // namespace

void Thermometer::setup() {
#ifdef TANK_DS18B20_PIN
  g_sensors.begin();
  g_sensors.setWaitForConversion(false);
#endif
}

void Thermometer::loop() {
#ifdef TANK_DS18B20_PIN
  const unsigned long now = millis();
  if (!converting_ && (requested_ms_ == 0 || now - requested_ms_ >= kPeriodMs)) {
    g_sensors.requestTemperatures();
    requested_ms_ = now;
    converting_ = true;
  } else if (converting_ && now - requested_ms_ >= kConversionMs) {
    converting_ = false;
    const float c = g_sensors.getTempCByIndex(0);
    celsius_ = (c == DEVICE_DISCONNECTED_C) ? NAN : c;
  }
#endif
}

void Thermometer::dump_config() const {
#ifdef TANK_DS18B20_PIN
  TANK_LOGCONFIG(TAG, "Thermometer: DS18B20 on pin %d", TANK_DS18B20_PIN);
#else
  TANK_LOGCONFIG(TAG, "Thermometer: none (20 C assumed for the speed of sound)");
#endif
}

}  // namespace tanknode
