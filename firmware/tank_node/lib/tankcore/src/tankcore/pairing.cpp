#include "tankcore/pairing.h"

#include "tankcore/decode_fields.h"
#include "tankcore/json_writer.h"
#include "tankcore/text.h"

namespace tankcore {
namespace {

const char* const kLinkNames[] = {"unpaired", "connecting", "connected", "rejected"};

void optional_text(JsonWriter& w, const char* key, const char* text) {
  w.key(key);
  if (text == nullptr) {
    w.null();
  } else {
    w.string(text);
  }
}

}  // namespace

DecodeError decode_pair_request(const char* text, size_t len, PairRequest* out) {
  JsonValue object;
  DecodeError error = parse_object(text, len, kMaxPairBodyBytes, &object);
  if (error == DecodeError::kNone) {
    error = field_text(object, "hub_url", kHubUrlMax, is_url, out->hub_url);
  }
  if (error == DecodeError::kNone) {
    error = field_text(object, "device_id", kDeviceIdMax, is_printable, out->device_id);
  }
  if (error == DecodeError::kNone) {
    error = field_text(object, "secret", kSecretMax, is_printable, out->secret);
  }
  return error;
}

int pair_status(bool paired, bool reset_window, DecodeError body) {
  if (paired && !reset_window) return 409;
  return body == DecodeError::kNone ? 200 : 400;
}

int reset_pairing_status(bool reset_window) { return reset_window ? 200 : 403; }

const char* hub_link_name(HubLink link) { return kLinkNames[static_cast<int>(link)]; }

size_t encode_info(const NodeInfo& info, char* buf, size_t cap) {
  JsonWriter w(buf, cap);
  w.begin_object();
  w.key("mac");
  w.string(info.mac);
  w.key("model");
  w.string(info.model);
  w.key("fw");
  w.string(info.fw);
  w.key("proto");
  w.integer(kProtocolVersion);
  w.key("paired");
  w.boolean(info.paired);
  optional_text(w, "device_id", info.device_id);
  optional_text(w, "hub_url", info.hub_url);
  w.key("hub");
  w.string(hub_link_name(info.hub));
  w.key("reset_window");
  w.boolean(info.reset_window);
  w.key("uptime_s");
  w.integer(info.uptime_s);
  w.key("buffered");
  w.integer(info.buffered);
  w.end_object();
  return w.ok() ? w.size() : 0;
}

}  // namespace tankcore
