// Per-chip includes and aliases so the modules below read the same on ESP32 and ESP8266.
#pragma once

#include <Arduino.h>
#include <DNSServer.h>
#include <LittleFS.h>

#if defined(ESP32)
#include <ESPmDNS.h>
#include <HTTPClient.h>
#include <Update.h>
#include <WebServer.h>
#include <WiFi.h>
#include <esp_ota_ops.h>
#include <esp_sleep.h>
#include <esp_timer.h>
using HttpServer = WebServer;
#elif defined(ESP8266)
#include <ESP8266HTTPClient.h>
#include <ESP8266WebServer.h>
#include <ESP8266WiFi.h>
#include <ESP8266mDNS.h>
#include <Updater.h>
using HttpServer = ESP8266WebServer;
#else
#error "the tank node firmware targets ESP32 and ESP8266"
#endif

namespace tanknode {

// Microseconds since boot, 64-bit (never wraps in practice).
inline uint64_t uptime_us() {
#if defined(ESP32)
  return static_cast<uint64_t>(esp_timer_get_time());
#else
  return micros64();
#endif
}

inline uint32_t hardware_random() {
#if defined(ESP32)
  return esp_random();
#else
  return RANDOM_REG32;
#endif
}

}  // namespace tanknode
