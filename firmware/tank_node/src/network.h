// Wi-Fi station with a fallback setup portal (AP + captive DNS) and the mDNS advertisement
// `_smart-tank-node._tcp` with its TXT record.
#pragma once

#include <stdint.h>

#include "storage.h"

namespace tanknode {

class Network {
 public:
  void begin(const Settings& settings);
  void loop(const Settings& settings);
  bool connected() const { return connected_; }
  bool portal_active() const { return portal_; }
  // Re-announces after a pairing change.
  void readvertise(const Settings& settings);
  const char* mac() const { return mac_; }
  const char* hostname() const { return hostname_; }
  void dump_config() const;

 private:
  void start_portal();
  void advertise(const Settings& settings);

  char mac_[18] = {};
  char hostname_[16] = {};
  bool connected_ = false;
  bool portal_ = false;
  bool mdns_running_ = false;
  uint32_t connect_started_ms_ = 0;
};

}  // namespace tanknode
