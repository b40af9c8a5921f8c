#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "support/json_dom.h"
#include "support/tank_json.h"
#include "tankcore/messages.h"
#include "tankcore/text.h"

using testsupport::Json;

namespace {

tankcore::FwState state_named(const std::string& name) {
  for (int i = 0; i <= static_cast<int>(tankcore::FwState::kFailed); ++i) {
    const auto state = static_cast<tankcore::FwState>(i);
    if (name == tankcore::fw_state_name(state)) return state;
  }
  FAIL("unknown state " << name);
  return tankcore::FwState::kFailed;
}

tankcore::OtaError error_named(const std::string& name) {
  for (int i = 0; i <= static_cast<int>(tankcore::OtaError::kRolledBack); ++i) {
    const auto error = static_cast<tankcore::OtaError>(i);
    if (name == tankcore::ota_error_name(error)) return error;
  }
  FAIL("unknown error " << name);
  return tankcore::OtaError::kNone;
}

std::string encode_node_frame(const Json& f) {
  char buf[tankcore::kMaxFrameBytes];
  size_t n = 0;
  const std::string type = f["type"].text;
  if (type == "tank-identify") {
    const tankcore::Identity id{f["device_id"].text.c_str(), f["secret"].text.c_str(),
                                f["mac"].text.c_str(), f["model"].text.c_str(),
                                f["fw"].text.c_str()};
    n = tankcore::encode_identify(id, static_cast<uint32_t>(f["boot"].integer), buf, sizeof buf);
  } else if (type == "tank-update") {
    tankcore::Reading r;
    r.boot = static_cast<uint32_t>(f["boot"].integer);
    r.seq = static_cast<uint32_t>(f["seq"].integer);
    r.ts_ms = f["ts_ms"].integer;
    if (!f["distance_mm"].is_null()) r.distance_mm = static_cast<int32_t>(f["distance_mm"].integer);
    r.quality = static_cast<uint8_t>(f["quality"].integer);
    if (f.has("temperature_dc")) {
      r.temperature_dc = static_cast<int16_t>(f["temperature_dc"].integer);
    }
    if (f.has("echo_us")) r.echo_us = static_cast<int32_t>(f["echo_us"].integer);
    n = tankcore::encode_update(r, buf, sizeof buf);
  } else if (type == "ota-state") {
    const tankcore::OtaStatus s{
        state_named(f["state"].text), f["version"].text.c_str(),
        static_cast<uint8_t>(f["progress"].integer),
        f.has("error") ? error_named(f["error"].text) : tankcore::OtaError::kNone,
        f.has("detail") ? f["detail"].text.c_str() : nullptr};
    n = tankcore::encode_ota_state(s, buf, sizeof buf);
  } else {
    FAIL("no encoder for " << type);
  }
  REQUIRE(n > 0);
  return std::string(buf, n);
}

void check_tank(const tankcore::TankGeometry& got, const Json& expected) {
  const tankcore::TankGeometry want = testsupport::tank_from_json(expected);
  CHECK(got.shape == want.shape);
  CHECK(got.diameter_mm == want.diameter_mm);
  CHECK(got.length_mm == want.length_mm);
  CHECK(got.width_mm == want.width_mm);
  CHECK(got.height_mm == want.height_mm);
  CHECK(got.sensor_offset_mm == want.sensor_offset_mm);
  CHECK(got.blind_zone_mm == want.blind_zone_mm);
  CHECK(got.has_max_fill == want.has_max_fill);
  CHECK(got.max_fill_mm == want.max_fill_mm);
  REQUIRE(got.point_count == want.point_count);
  for (int i = 0; i < got.point_count; ++i) {
    CHECK(got.points[i].level_mm == want.points[i].level_mm);
    CHECK(got.points[i].volume_l == want.points[i].volume_l);
  }
}

void check_hub_frame(const tankcore::HubMessage& m, const Json& f) {
  const std::string type = f["type"].text;
  if (type == "tank-config") {
    REQUIRE(m.type == tankcore::HubMessageType::kTankConfig);
    CHECK(m.config.interval_s == f["interval_s"].integer);
    CHECK(m.config.now_ms == f["now_ms"].integer);
    CHECK(m.config.deep_sleep == f["deep_sleep"].boolean);
    check_tank(m.config.tank, f["tank"]);
  } else if (type == "ack") {
    REQUIRE(m.type == tankcore::HubMessageType::kAck);
    CHECK(m.ack.boot == f["boot"].integer);
    CHECK(m.ack.seq == f["seq"].integer);
  } else if (type == "close") {
    REQUIRE(m.type == tankcore::HubMessageType::kClose);
    CHECK(m.close.code == f["code"].integer);
    CHECK(std::string(m.close.reason) == (f.has("reason") ? f["reason"].text : ""));
  } else {
    REQUIRE(m.type == tankcore::HubMessageType::kOta);
    CHECK(std::string(m.ota.url) == f["url"].text);
    CHECK(std::string(m.ota.version) == f["version"].text);
    CHECK(m.ota.size == f["size"].integer);
    char hex[65];
    tankcore::hex_encode(m.ota.sha256, sizeof m.ota.sha256, hex);
    CHECK(std::string(hex) == f["sha256"].text);
    for (size_t i = 0; i < tankcore::kSignatureSize; ++i) CHECK(m.ota.signature[i] == i);
  }
}

}  // namespace

TEST_CASE("valid frames decode (hub to node) and encode canonically (node to hub)") {
  const Json doc = testsupport::load_vectors("messages.json");
  int hub = 0;
  int node = 0;
  for (const Json& v : doc["valid"].items) {
    CAPTURE(v["name"].text);
    const Json fields = testsupport::parse_json(v["canonical"].text);
    if (v["direction"].text == "node_to_hub") {
      CHECK(encode_node_frame(fields) == v["canonical"].text);
      ++node;
    } else {
      static tankcore::HubMessage m;
      const std::string& raw = v["raw"].text;
      REQUIRE(tankcore::decode_hub_message(raw.data(), raw.size(), &m) ==
              tankcore::DecodeError::kNone);
      check_hub_frame(m, fields);
      ++hub;
    }
  }
  CHECK(hub >= 5);
  CHECK(node >= 5);
}

TEST_CASE("invalid frames fail with the shared reason code") {
  const Json doc = testsupport::load_vectors("messages.json");
  int checked = 0;
  for (const Json& v : doc["invalid"].items) {
    if (v["direction"].text == "node_to_hub") continue;
    CAPTURE(v["name"].text);
    static tankcore::HubMessage m;
    const std::string& raw = v["raw"].text;
    const tankcore::DecodeError error = tankcore::decode_hub_message(raw.data(), raw.size(), &m);
    CHECK(std::string(tankcore::decode_error_name(error)) == v["error"].text);
    ++checked;
  }
  CHECK(checked >= 20);
}

TEST_CASE("node frames from the other direction are not accepted by the node") {
  static tankcore::HubMessage m;
  const char raw[] = R"({"type":"tank-update","v":1,"boot":1,"seq":1})";
  CHECK(tankcore::decode_hub_message(raw, std::strlen(raw), &m) ==
        tankcore::DecodeError::kUnknownType);
}

TEST_CASE("a relative timestamp is sent as 0 and encoders report overflow") {
  tankcore::Reading r;
  r.boot = 3;
  r.seq = 9;
  r.ts_ms = 1234;
  r.flags = tankcore::kReadingRelativeTime;
  char buf[160];
  const size_t n = tankcore::encode_update(r, buf, sizeof buf);
  CHECK(std::string(buf, n) ==
        R"({"type":"tank-update","v":1,"boot":3,"seq":9,"ts_ms":0,"distance_mm":null,"quality":0})");
  char tiny[16];
  CHECK(tankcore::encode_update(r, tiny, sizeof tiny) == 0);
}
