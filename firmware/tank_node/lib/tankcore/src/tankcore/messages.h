// WebSocket protocol v1 (docs/protocols/tank-node.md): decodes what the hub sends, encodes
// what the node sends. Error names match the hub's reason codes.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "tankcore/geometry.h"
#include "tankcore/ota.h"
#include "tankcore/reading_buffer.h"

namespace tankcore {

constexpr int kProtocolVersion = 1;
constexpr size_t kMaxFrameBytes = 2048;

enum class DecodeError : uint8_t {
  kNone,
  kTooLarge,
  kMalformedJson,
  kNotObject,
  kMissingType,
  kUnknownType,
  kUnsupportedVersion,
  kMissingField,
  kBadFieldType,
  kBadFieldValue,
};

// "too_large", "malformed_json", ...; "" for kNone.
const char* decode_error_name(DecodeError error);

enum class HubMessageType : uint8_t { kTankConfig, kAck, kOta, kClose };

// Close codes of the session (the hub repeats them in a `close` frame before closing).
enum CloseCode : uint16_t {
  kCloseBadCredentials = 4001,
  kCloseDecommissioned = 4003,
  kCloseProtocolViolation = 4008,
  kCloseRateLimited = 4009,
  kCloseSuperseded = 4010,
};

constexpr size_t kCloseReasonMax = 123;

struct TankConfigMessage {
  uint32_t interval_s;
  int64_t now_ms;  // hub clock, Unix ms (0: unknown)
  bool deep_sleep;
  TankGeometry tank;
};

struct AckMessage {
  uint32_t boot;
  uint32_t seq;
};

struct CloseMessage {
  CloseCode code;
  char reason[kCloseReasonMax + 1];  // "" when none was given
};

struct HubMessage {
  HubMessageType type;
  TankConfigMessage config;  // valid when type == kTankConfig
  AckMessage ack;            // valid when type == kAck
  OtaManifest ota;           // valid when type == kOta
  CloseMessage close;        // valid when type == kClose
};

// Decodes one frame from the hub (tank-config, ack, ota, close); other types are kUnknownType.
DecodeError decode_hub_message(const char* text, size_t len, HubMessage* out);

struct Identity {
  const char* device_id;
  const char* secret;
  const char* mac;
  const char* model;
  const char* fw;
};

struct OtaStatus {
  FwState state;
  const char* version;
  uint8_t progress;
  OtaError error;      // kNone: left out
  const char* detail;  // nullptr: left out
};

// Canonical frames; each returns the length written, or 0 when `cap` is too small.
size_t encode_identify(const Identity& identity, uint32_t boot, char* buf, size_t cap);
size_t encode_update(const Reading& reading, char* buf, size_t cap);
size_t encode_ota_state(const OtaStatus& status, char* buf, size_t cap);

}  // namespace tankcore
