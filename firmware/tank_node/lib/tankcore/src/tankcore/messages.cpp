#include "tankcore/messages.h"

#include <string.h>

#include "tankcore/decode_fields.h"
#include "tankcore/json_reader.h"
#include "tankcore/json_writer.h"
#include "tankcore/text.h"

namespace tankcore {
namespace {

constexpr int64_t kUint32Max = 0xFFFFFFFFLL;
constexpr int64_t kMaxTimestampMs = 9007199254740992LL;  // 2^53, as the hub allows

const char* const kErrorNames[] = {
    "",           "too_large",           "malformed_json", "not_object",
    "missing_type", "unknown_type",      "unsupported_version", "missing_field",
    "bad_field_type", "bad_field_value",
};

#define TANK_TRY(expr)                                   \
  do {                                                   \
    const DecodeError tank_try_error = (expr);           \
    if (tank_try_error != DecodeError::kNone) return tank_try_error; \
  } while (0)

DecodeError decode_points(const JsonValue& tank_object, TankGeometry* tank) {
  JsonValue points;
  if (!json_find(tank_object, "points", &points)) return DecodeError::kMissingField;
  if (points.type != JsonType::kArray) return DecodeError::kBadFieldType;
  JsonIterator it(points);
  JsonValue point;
  size_t count = 0;
  while (it.next(&point)) ++count;
  if (count > kMaxTablePoints) return DecodeError::kBadFieldValue;
  JsonIterator rows(points);
  tank->point_count = 0;
  while (rows.next(&point)) {
    if (point.type != JsonType::kArray) return DecodeError::kBadFieldType;
    JsonIterator cells(point);
    JsonValue cell;
    double values[2];
    int n = 0;
    while (cells.next(&cell)) {
      if (n >= 2 || !json_get_number(cell, &values[n])) return DecodeError::kBadFieldType;
      ++n;
    }
    if (n != 2) return DecodeError::kBadFieldType;
    tank->points[tank->point_count++] = {values[0], values[1]};
  }
  return DecodeError::kNone;
}

DecodeError decode_tank(const JsonValue& object, TankGeometry* tank) {
  char shape[33];
  bool present = false;
  *tank = TankGeometry();
  TANK_TRY(field_text(object, "shape", 32, nullptr, shape));
  TANK_TRY(field_number(object, "sensor_offset_mm", false, &tank->sensor_offset_mm, &present));
  TANK_TRY(field_number(object, "blind_zone_mm", false, &tank->blind_zone_mm, &present));
  TANK_TRY(field_number(object, "max_fill_mm", true, &tank->max_fill_mm, &tank->has_max_fill));
  if (!shape_from_name(shape, &tank->shape)) return DecodeError::kBadFieldValue;
  switch (tank->shape) {
    case Shape::kVerticalCylinder:
      TANK_TRY(field_number(object, "diameter_mm", false, &tank->diameter_mm, &present));
      TANK_TRY(field_number(object, "height_mm", false, &tank->height_mm, &present));
      break;
    case Shape::kHorizontalCylinder:
      TANK_TRY(field_number(object, "diameter_mm", false, &tank->diameter_mm, &present));
      TANK_TRY(field_number(object, "length_mm", false, &tank->length_mm, &present));
      break;
    case Shape::kRectangular:
      TANK_TRY(field_number(object, "length_mm", false, &tank->length_mm, &present));
      TANK_TRY(field_number(object, "width_mm", false, &tank->width_mm, &present));
      TANK_TRY(field_number(object, "height_mm", false, &tank->height_mm, &present));
      break;
    case Shape::kTable:
      TANK_TRY(decode_points(object, tank));
      TANK_TRY(field_number(object, "height_mm", false, &tank->height_mm, &present));
      break;
  }
  return validate(*tank) == 0 ? DecodeError::kNone : DecodeError::kBadFieldValue;
}

DecodeError decode_config(const JsonValue& object, TankConfigMessage* out) {
  int64_t value = 0;
  TANK_TRY(field_int(object, "interval_s", 5, 86400, &value));
  out->interval_s = static_cast<uint32_t>(value);
  TANK_TRY(field_int(object, "now_ms", 0, kMaxTimestampMs, &out->now_ms));
  TANK_TRY(field_bool(object, "deep_sleep", &out->deep_sleep));
  JsonValue tank;
  if (!json_find(object, "tank", &tank) || tank.type == JsonType::kNull) {
    return DecodeError::kMissingField;
  }
  if (tank.type != JsonType::kObject) return DecodeError::kBadFieldType;
  return decode_tank(tank, &out->tank);
}

DecodeError decode_ack(const JsonValue& object, AckMessage* out) {
  int64_t value = 0;
  TANK_TRY(field_int(object, "boot", 0, kUint32Max, &value));
  out->boot = static_cast<uint32_t>(value);
  TANK_TRY(field_int(object, "seq", 1, kUint32Max, &value));
  out->seq = static_cast<uint32_t>(value);
  return DecodeError::kNone;
}

bool is_sha256_hex(const char* text) { return is_lower_hex(text, 64); }

DecodeError decode_ota(const JsonValue& object, OtaManifest* out) {
  int64_t size = 0;
  char sha[65];
  char signature[101];
  size_t len = 0;
  TANK_TRY(field_text(object, "url", kOtaUrlMax, is_url, out->url));
  TANK_TRY(field_text(object, "version", kVersionMax, is_semver, out->version));
  TANK_TRY(field_int(object, "size", 1, kOtaMaxSize, &size));
  out->size = static_cast<uint32_t>(size);
  TANK_TRY(field_text(object, "sha256", 64, is_sha256_hex, sha));
  hex_decode(sha, out->sha256, kSha256Size, &len);
  TANK_TRY(field_text(object, "signature", 100, nullptr, signature));
  if (!base64_decode(signature, out->signature, kSignatureSize, &len) ||
      len != kSignatureSize) {
    return DecodeError::kBadFieldValue;
  }
  return DecodeError::kNone;
}

DecodeError decode_close(const JsonValue& object, CloseMessage* out) {
  int64_t code = 0;
  TANK_TRY(field_int(object, "code", 4000, 4999, &code));
  switch (code) {
    case kCloseBadCredentials:
    case kCloseDecommissioned:
    case kCloseProtocolViolation:
    case kCloseRateLimited:
    case kCloseSuperseded:
      out->code = static_cast<CloseCode>(code);
      break;
    default:
      return DecodeError::kBadFieldValue;
  }
  out->reason[0] = '\0';
  JsonValue reason;
  if (json_find(object, "reason", &reason) && reason.type != JsonType::kNull) {
    TANK_TRY(field_text(object, "reason", kCloseReasonMax, nullptr, out->reason));
  }
  return DecodeError::kNone;
}

void envelope(JsonWriter& w, const char* type) {
  w.begin_object();
  w.key("type");
  w.string(type);
  w.key("v");
  w.integer(kProtocolVersion);
}

size_t finish(JsonWriter& w) {
  w.end_object();
  return w.ok() ? w.size() : 0;
}

}  // namespace

const char* decode_error_name(DecodeError error) { return kErrorNames[static_cast<int>(error)]; }

DecodeError decode_hub_message(const char* text, size_t len, HubMessage* out) {
  JsonValue object;
  TANK_TRY(parse_object(text, len, kMaxFrameBytes, &object));
  JsonValue type;
  if (!json_find(object, "type", &type) || type.type != JsonType::kString) {
    return DecodeError::kMissingType;
  }
  if (json_string_equals(type, "tank-config")) {
    out->type = HubMessageType::kTankConfig;
  } else if (json_string_equals(type, "ack")) {
    out->type = HubMessageType::kAck;
  } else if (json_string_equals(type, "ota")) {
    out->type = HubMessageType::kOta;
  } else if (json_string_equals(type, "close")) {
    out->type = HubMessageType::kClose;
  } else {
    return DecodeError::kUnknownType;
  }
  JsonValue version;
  int64_t v = 0;
  if (!json_find(object, "v", &version) || json_get_int(version, &v) != JsonInt::kOk ||
      v != kProtocolVersion) {
    return DecodeError::kUnsupportedVersion;
  }
  switch (out->type) {
    case HubMessageType::kTankConfig: return decode_config(object, &out->config);
    case HubMessageType::kAck: return decode_ack(object, &out->ack);
    case HubMessageType::kOta: return decode_ota(object, &out->ota);
    case HubMessageType::kClose: return decode_close(object, &out->close);
  }
  return DecodeError::kUnknownType;
}

size_t encode_identify(const Identity& identity, uint32_t boot, char* buf, size_t cap) {
  JsonWriter w(buf, cap);
  envelope(w, "tank-identify");
  w.key("device_id");
  w.string(identity.device_id);
  w.key("secret");
  w.string(identity.secret);
  w.key("mac");
  w.string(identity.mac);
  w.key("model");
  w.string(identity.model);
  w.key("fw");
  w.string(identity.fw);
  w.key("boot");
  w.integer(boot);
  return finish(w);
}

size_t encode_update(const Reading& reading, char* buf, size_t cap) {
  JsonWriter w(buf, cap);
  envelope(w, "tank-update");
  w.key("boot");
  w.integer(reading.boot);
  w.key("seq");
  w.integer(reading.seq);
  w.key("ts_ms");
  w.integer((reading.flags & kReadingRelativeTime) ? 0 : reading.ts_ms);
  w.key("distance_mm");
  if (reading.distance_mm == kNoDistance) {
    w.null();
  } else {
    w.integer(reading.distance_mm);
  }
  w.key("quality");
  w.integer(reading.quality);
  if (reading.temperature_dc != kNoTemperature) {
    w.key("temperature_dc");
    w.integer(reading.temperature_dc);
  }
  if (reading.echo_us != kNoEcho) {
    w.key("echo_us");
    w.integer(reading.echo_us);
  }
  return finish(w);
}

size_t encode_ota_state(const OtaStatus& status, char* buf, size_t cap) {
  JsonWriter w(buf, cap);
  envelope(w, "ota-state");
  w.key("state");
  w.string(fw_state_name(status.state));
  w.key("version");
  w.string(status.version);
  w.key("progress");
  w.integer(status.progress);
  if (status.error != OtaError::kNone) {
    w.key("error");
    w.string(ota_error_name(status.error));
  }
  if (status.detail != nullptr) {
    w.key("detail");
    w.string(status.detail);
  }
  return finish(w);
}

}  // namespace tankcore
