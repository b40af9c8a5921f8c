// The node's HTTP config server rules: POST /pair body, who may pair, GET /info body.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "tankcore/messages.h"

namespace tankcore {

constexpr size_t kMaxPairBodyBytes = 512;
constexpr size_t kHubUrlMax = 256;
constexpr size_t kDeviceIdMax = 64;
constexpr size_t kSecretMax = 128;

struct PairRequest {
  char hub_url[kHubUrlMax + 1];
  char device_id[kDeviceIdMax + 1];
  char secret[kSecretMax + 1];
};

DecodeError decode_pair_request(const char* text, size_t len, PairRequest* out);

// HTTP status for POST /pair: 409 while paired outside a reset window, else 400 for a bad
// body, else 200.
int pair_status(bool paired, bool reset_window, DecodeError body);
// HTTP status for POST /reset-pairing: 200 inside the physical reset window, else 403.
int reset_pairing_status(bool reset_window);

enum class HubLink : uint8_t { kUnpaired, kConnecting, kConnected, kRejected };
const char* hub_link_name(HubLink link);

struct NodeInfo {
  const char* mac;
  const char* model;
  const char* fw;
  bool paired;
  const char* device_id;  // nullptr while unpaired
  const char* hub_url;    // nullptr while unpaired
  HubLink hub;
  bool reset_window;
  uint32_t uptime_s;
  uint16_t buffered;
};

// GET /info body; never contains the secret. Returns 0 when `cap` is too small.
size_t encode_info(const NodeInfo& info, char* buf, size_t cap);

}  // namespace tankcore
