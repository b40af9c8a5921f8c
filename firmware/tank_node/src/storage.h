// Non-volatile state on LittleFS: Wi-Fi credentials, pairing, boot counter, pending OTA
// target, last tank config and the offline reading buffer.
#pragma once

#include <stdint.h>

#include <tankcore/messages.h>
#include <tankcore/pairing.h>
#include <tankcore/reading_buffer.h>

namespace tanknode {

struct Settings {
  char wifi_ssid[33];
  char wifi_password[65];
  bool paired;
  char hub_url[tankcore::kHubUrlMax + 1];
  char device_id[tankcore::kDeviceIdMax + 1];
  char secret[tankcore::kSecretMax + 1];
  uint32_t boot_counter;
  char ota_target[tankcore::kVersionMax + 1];  // "" unless an update awaits confirmation
  bool has_config;
  tankcore::TankConfigMessage config;
};

class Storage {
 public:
  bool begin();
  // Loads settings; a missing or foreign file yields defaults (unpaired, no Wi-Fi).
  void load(Settings* settings);
  bool save(const Settings& settings);
  bool save_buffer(const tankcore::ReadingBuffer& buffer, const tankcore::Reading* storage);
  bool load_buffer(tankcore::ReadingBuffer* buffer, tankcore::Reading* storage);
  void erase_buffer();
};

}  // namespace tanknode
