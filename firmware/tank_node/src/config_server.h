// The node's HTTP server: GET /info, POST /pair, POST /reset-pairing, and the Wi-Fi setup
// portal (GET /, GET /wifi/scan, POST /wifi). Rules live in tankcore/pairing.h.
#pragma once

#include <tankcore/pairing.h>
#include <tankcore/reading_buffer.h>

#include "network.h"
#include "storage.h"

namespace tanknode {

struct ServerHooks {
  Settings* settings;
  Storage* storage;
  Network* network;
  const tankcore::ReadingBuffer* buffer;
  tankcore::HubLink (*hub_state)();
  bool (*reset_window)();
  void (*on_pairing_changed)();
};

class ConfigServer {
 public:
  void begin(const ServerHooks& hooks);
  void loop();
  void dump_config() const;

 private:
  void handle_info();
  void handle_pair();
  void handle_reset();
  void handle_portal_page();
  void handle_scan();
  void handle_wifi();
  void handle_not_found();
  void send_json(int status, const char* body);
  void send_error(int status, const char* code, const char* detail);

  ServerHooks hooks_{};
};

}  // namespace tanknode
