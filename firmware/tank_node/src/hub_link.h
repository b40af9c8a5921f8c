// WebSocket session with the hub: identify, apply tank-config, send buffered readings oldest
// first with at most kMaxInFlight unacknowledged, drop them on ack, reconnect with backoff.
#pragma once

#include <stdint.h>

#include <tankcore/backoff.h>
#include <tankcore/messages.h>
#include <tankcore/pairing.h>
#include <tankcore/reading_buffer.h>

#include "storage.h"

namespace tanknode {

struct LinkHooks {
  void (*on_config)(const tankcore::TankConfigMessage& config);
  void (*on_ota)(const tankcore::OtaManifest& manifest);
  void (*on_decommissioned)();
};

class HubLink {
 public:
  HubLink();
  void begin(const Settings& settings, const char* mac, uint32_t boot,
             tankcore::ReadingBuffer* buffer, const LinkHooks& hooks);
  void stop();
  void loop();
  bool identified() const { return identified_; }
  tankcore::HubLink state() const;
  bool send_ota_state(const tankcore::OtaStatus& status);
  void dump_config() const;

 private:
  static void on_event(int type, uint8_t* payload, size_t length);
  void handle_connected();
  void handle_disconnected();
  void handle_text(const char* text, size_t length);
  void pump_readings();

  const Settings* settings_ = nullptr;
  const char* mac_ = "";
  uint32_t boot_ = 0;
  tankcore::ReadingBuffer* buffer_ = nullptr;
  LinkHooks hooks_{};
  tankcore::Backoff backoff_;
  bool running_ = false;
  bool connected_ = false;
  bool identified_ = false;
  bool rejected_ = false;
  uint16_t last_close_code_ = 0;
  uint32_t last_ack_ms_ = 0;
};

}  // namespace tanknode
