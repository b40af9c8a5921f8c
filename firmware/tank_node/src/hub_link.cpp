#include "hub_link.h"

#include <WebSocketsClient.h>

#include <tankcore/text.h>

#include "node_config.h"
#include "node_log.h"
#include "platform.h"

namespace tanknode {
namespace {

constexpr const char* TAG = "hub_link";

WebSocketsClient g_socket;
HubLink* g_link = nullptr;
char g_frame[tankcore::kMaxFrameBytes];
tankcore::HubMessage g_message;

}  // namespace

HubLink::HubLink() : backoff_(kBackoffBaseMs, kBackoffCapMs) {}

void HubLink::begin(const Settings& settings, const char* mac, uint32_t boot,
                    tankcore::ReadingBuffer* buffer, const LinkHooks& hooks) {
  settings_ = &settings;
  mac_ = mac;
  boot_ = boot;
  buffer_ = buffer;
  hooks_ = hooks;
  g_link = this;
  tankcore::UrlParts url{};
  if (!settings.paired || !tankcore::split_url(settings.hub_url, &url)) {
    TANK_LOGW(TAG, "no usable hub URL; staying offline");
    return;
  }
  if (url.secure) {
    g_socket.beginSSL(url.host, url.port, url.path);
  } else {
    g_socket.begin(url.host, url.port, url.path);
  }
  g_socket.onEvent([](WStype_t type, uint8_t* payload, size_t length) {
    on_event(static_cast<int>(type), payload, length);
  });
  g_socket.setReconnectInterval(kBackoffBaseMs);
  running_ = true;
  rejected_ = false;
  TANK_LOGI(TAG, "connecting to %s:%u%s", url.host, url.port, url.path);
}

void HubLink::stop() {
  if (!running_) return;
  g_socket.disconnect();
  running_ = connected_ = identified_ = false;
}

void HubLink::loop() {
  if (!running_) return;
  g_socket.loop();
  if (identified_) pump_readings();
}

tankcore::HubLink HubLink::state() const {
  if (settings_ == nullptr || !settings_->paired) return tankcore::HubLink::kUnpaired;
  if (rejected_) return tankcore::HubLink::kRejected;
  return identified_ ? tankcore::HubLink::kConnected : tankcore::HubLink::kConnecting;
}

void HubLink::on_event(int type, uint8_t* payload, size_t length) {
  if (g_link == nullptr) return;
  switch (static_cast<WStype_t>(type)) {
    case WStype_CONNECTED: g_link->handle_connected(); break;
    case WStype_DISCONNECTED: g_link->handle_disconnected(); break;
    case WStype_TEXT: g_link->handle_text(reinterpret_cast<const char*>(payload), length); break;
    default: break;
  }
}

void HubLink::handle_connected() {
  connected_ = true;
  last_close_code_ = 0;
  const tankcore::Identity identity{settings_->device_id, settings_->secret, mac_, kModel,
                                    kFirmwareVersion};
  const size_t n = tankcore::encode_identify(identity, boot_, g_frame, sizeof(g_frame));
  if (n > 0) g_socket.sendTXT(g_frame, n);
  TANK_LOGI(TAG, "connected, identifying as %s", settings_->device_id);
}

void HubLink::handle_disconnected() {
  const bool was_connected = connected_;
  connected_ = identified_ = false;
  buffer_->rewind();
  if (last_close_code_ == tankcore::kCloseDecommissioned) {
    TANK_LOGW(TAG, "the hub removed this device");
    running_ = false;
    g_socket.disconnect();
    hooks_.on_decommissioned();
    return;
  }
  rejected_ = last_close_code_ == tankcore::kCloseBadCredentials;
  const uint32_t delay_ms = rejected_ ? kBackoffCapMs : backoff_.next_delay_ms(hardware_random());
  g_socket.setReconnectInterval(delay_ms);
  if (was_connected) {
    TANK_LOGW(TAG, "disconnected (close code %u), retry in %lu ms", last_close_code_,
              static_cast<unsigned long>(delay_ms));
  }
}

void HubLink::handle_text(const char* text, size_t length) {
  const tankcore::DecodeError error = tankcore::decode_hub_message(text, length, &g_message);
  if (error != tankcore::DecodeError::kNone) {
    TANK_LOGW(TAG, "ignored frame: %s", tankcore::decode_error_name(error));
    return;
  }
  switch (g_message.type) {
    case tankcore::HubMessageType::kTankConfig:
      identified_ = true;
      rejected_ = false;
      backoff_.reset();
      last_ack_ms_ = millis();
      hooks_.on_config(g_message.config);
      break;
    case tankcore::HubMessageType::kAck: {
      const uint16_t removed = buffer_->ack(g_message.ack.boot, g_message.ack.seq);
      last_ack_ms_ = millis();
      TANK_LOGD(TAG, "ack %lu/%lu dropped %u", static_cast<unsigned long>(g_message.ack.boot),
                static_cast<unsigned long>(g_message.ack.seq), removed);
      break;
    }
    case tankcore::HubMessageType::kOta:
      hooks_.on_ota(g_message.ota);
      break;
    case tankcore::HubMessageType::kClose:
      last_close_code_ = g_message.close.code;
      TANK_LOGW(TAG, "hub closes the session: %u %s", g_message.close.code,
                g_message.close.reason);
      break;
  }
}

void HubLink::pump_readings() {
  const uint16_t in_flight = static_cast<uint16_t>(buffer_->size() - buffer_->pending());
  if (in_flight > 0 && millis() - last_ack_ms_ > kAckTimeoutMs) {
    TANK_LOGW(TAG, "no ack for %u readings, resending", in_flight);
    buffer_->rewind();
    last_ack_ms_ = millis();
    return;
  }
  if (in_flight >= kMaxInFlight) return;
  const tankcore::Reading* reading = buffer_->next();
  if (reading == nullptr) return;
  if (in_flight == 0) last_ack_ms_ = millis();
  const size_t n = tankcore::encode_update(*reading, g_frame, sizeof(g_frame));
  if (n > 0) g_socket.sendTXT(g_frame, n);
}

bool HubLink::send_ota_state(const tankcore::OtaStatus& status) {
  if (!connected_) return false;
  const size_t n = tankcore::encode_ota_state(status, g_frame, sizeof(g_frame));
  return n > 0 && g_socket.sendTXT(g_frame, n);
}

void HubLink::dump_config() const {
  TANK_LOGCONFIG(TAG, "Hub link:");
  if (settings_ == nullptr || !settings_->paired) {
    TANK_LOGCONFIG(TAG, "  not paired");
    return;
  }
  TANK_LOGCONFIG(TAG, "  hub: %s", settings_->hub_url);
  TANK_LOGCONFIG(TAG, "  device id: %s (secret stored, not shown)", settings_->device_id);
  TANK_LOGCONFIG(TAG, "  boot id: %lu, backoff %lu..%lu ms", static_cast<unsigned long>(boot_),
                 static_cast<unsigned long>(kBackoffBaseMs),
                 static_cast<unsigned long>(kBackoffCapMs));
}

}  // namespace tanknode
