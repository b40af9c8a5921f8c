#include "node_clock.h"

#include <sys/time.h>
#include <time.h>

#include "node_log.h"
#include "platform.h"

namespace tanknode {
namespace {

constexpr const char* TAG = "clock";
constexpr time_t kPlausibleEpoch = 1700000000;  // anything earlier means "not set"

}  // namespace

void NodeClock::begin() { configTime(0, 0, "pool.ntp.org", "time.nist.gov"); }

bool NodeClock::synced() const { return time(nullptr) > kPlausibleEpoch; }

int64_t NodeClock::now_ms() const {
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  return static_cast<int64_t>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
}

int64_t NodeClock::uptime_ms() const { return static_cast<int64_t>(uptime_us() / 1000); }

void NodeClock::set_from_hub(int64_t now_ms) {
  if (now_ms <= 0 || synced()) return;
  struct timeval tv;
  tv.tv_sec = static_cast<time_t>(now_ms / 1000);
  tv.tv_usec = static_cast<suseconds_t>((now_ms % 1000) * 1000);
  settimeofday(&tv, nullptr);
  TANK_LOGI(TAG, "clock set from the hub");
}

}  // namespace tanknode
