// Build-time settings of the node (pins, timings, identity). Pins come from platformio.ini.
#pragma once

#include <stdint.h>

#ifndef TANK_FW_VERSION
#define TANK_FW_VERSION "0.0.0"
#endif
#ifndef TANK_MODEL
#define TANK_MODEL "tank-node"
#endif
#ifndef TANK_OTA_PUBLIC_KEY
#define TANK_OTA_PUBLIC_KEY ""
#endif

namespace tanknode {

constexpr const char* kFirmwareVersion = TANK_FW_VERSION;
constexpr const char* kModel = TANK_MODEL;
constexpr const char* kOtaPublicKeyHex = TANK_OTA_PUBLIC_KEY;

constexpr uint8_t kTriggerPin = TANK_TRIG_PIN;
constexpr uint8_t kEchoPin = TANK_ECHO_PIN;
constexpr uint8_t kResetPin = TANK_RESET_PIN;

constexpr uint16_t kHttpPort = 80;
constexpr uint8_t kPingsPerReading = 5;        // one median per report
constexpr uint32_t kPingSpacingMs = 70;        // JSN-SR04T needs >= 60 ms between pings
constexpr uint32_t kEchoTimeoutUs = 30000;     // ~5 m round trip
constexpr uint32_t kDefaultIntervalS = 60;
constexpr uint16_t kBufferCapacity = 256;      // readings kept while offline
constexpr uint32_t kPersistEveryMs = 5UL * 60UL * 1000UL;
constexpr uint32_t kResetHoldMs = 5000;        // hold at power-up to open the reset window
constexpr uint32_t kResetWindowMs = 5UL * 60UL * 1000UL;
constexpr uint32_t kIdentifyDeadlineMs = 5UL * 60UL * 1000UL;  // new ESP32 image must re-identify
constexpr uint32_t kBackoffBaseMs = 1000;
constexpr uint32_t kBackoffCapMs = 60000;
constexpr uint8_t kMaxInFlight = 8;            // readings sent but not yet acknowledged
constexpr uint32_t kAckTimeoutMs = 30000;

}  // namespace tanknode
