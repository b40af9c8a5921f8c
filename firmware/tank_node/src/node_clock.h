// Wall clock from SNTP or from the hub's `now_ms`; readings taken before either are stamped
// relative to boot and rebased later.
#pragma once

#include <stdint.h>

namespace tanknode {

class NodeClock {
 public:
  void begin();
  bool synced() const;
  int64_t now_ms() const;
  int64_t uptime_ms() const;
  // Unix ms at uptime 0 (valid once synced).
  int64_t epoch_at_boot_ms() const { return now_ms() - uptime_ms(); }
  void set_from_hub(int64_t now_ms);
};

}  // namespace tanknode
