// Downloads a signed image into the inactive slot, verifying size, magic, SHA-256 and the
// Ed25519 signature over the digest before the update is committed; reports fw_state to the
// hub. ESP32: the new image stays pending until it re-identifies (see confirm_boot()).
#pragma once

#include <stdint.h>

#include <tankcore/ota.h>

#include "hub_link.h"
#include "storage.h"

namespace tanknode {

class OtaClient {
 public:
  void begin(Settings* settings, Storage* storage, HubLink* link);
  // Runs a whole update; returns only on failure (success restarts the node).
  void install(const tankcore::OtaManifest& manifest);
  // After a good identify: confirms a pending image and reports the outcome of the last update.
  void confirm_boot();
  // Rolls back when a pending image could not identify in time (call from loop()).
  void check_pending_deadline();
  bool busy() const { return busy_; }
  void dump_config() const;

 private:
  void report(tankcore::FwState state, uint8_t progress, tankcore::OtaError error,
              const char* detail);
  tankcore::OtaError download(const tankcore::OtaManifest& manifest);
  bool signature_valid(const uint8_t digest[tankcore::kSha256Size],
                       const uint8_t signature[tankcore::kSignatureSize]) const;
  void abort_update();

  Settings* settings_ = nullptr;
  Storage* storage_ = nullptr;
  HubLink* link_ = nullptr;
  char version_[tankcore::kVersionMax + 1] = {};
  bool busy_ = false;
  bool pending_verify_ = false;
  bool confirmed_ = false;
};

}  // namespace tanknode
