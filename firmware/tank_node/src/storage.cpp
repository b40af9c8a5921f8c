#include "storage.h"

#include "node_log.h"
#include "platform.h"

namespace tanknode {
namespace {

constexpr const char* TAG = "storage";
constexpr const char* kSettingsPath = "/settings.bin";
constexpr const char* kBufferPath = "/buffer.bin";
constexpr uint32_t kSettingsMagic = 0x544B5331;  // "TKS1"

struct SettingsFile {
  uint32_t magic;
  uint32_t size;
  Settings settings;
};

bool write_file(const char* path, const void* data, size_t len) {
  const String tmp = String(path) + ".tmp";
  File file = LittleFS.open(tmp, "w");
  if (!file) return false;
  const size_t written = file.write(static_cast<const uint8_t*>(data), len);
  file.close();
  if (written != len) return false;
  LittleFS.remove(path);
  return LittleFS.rename(tmp, path);
}

}  // namespace

bool Storage::begin() {
#if defined(ESP32)
  const bool ok = LittleFS.begin(true);  // format on first use
#else
  const bool ok = LittleFS.begin();
#endif
  if (!ok) TANK_LOGE(TAG, "LittleFS mount failed");
  return ok;
}

void Storage::load(Settings* settings) {
  *settings = Settings();
  File file = LittleFS.open(kSettingsPath, "r");
  if (!file) return;
  static SettingsFile stored;
  const size_t n = file.read(reinterpret_cast<uint8_t*>(&stored), sizeof(stored));
  file.close();
  if (n != sizeof(stored) || stored.magic != kSettingsMagic || stored.size != sizeof(Settings)) {
    TANK_LOGW(TAG, "settings file unreadable, starting unconfigured");
    return;
  }
  *settings = stored.settings;
}

bool Storage::save(const Settings& settings) {
  static SettingsFile stored;
  stored.magic = kSettingsMagic;
  stored.size = sizeof(Settings);
  stored.settings = settings;
  const bool ok = write_file(kSettingsPath, &stored, sizeof(stored));
  if (!ok) TANK_LOGE(TAG, "could not write settings");
  return ok;
}

bool Storage::save_buffer(const tankcore::ReadingBuffer& buffer, const tankcore::Reading* storage) {
  const String tmp = String(kBufferPath) + ".tmp";
  File file = LittleFS.open(tmp, "w");
  if (!file) return false;
  const tankcore::BufferState state = buffer.state();
  const size_t bytes = sizeof(tankcore::Reading) * buffer.capacity();
  bool ok = file.write(reinterpret_cast<const uint8_t*>(&state), sizeof(state)) == sizeof(state);
  ok = ok && file.write(reinterpret_cast<const uint8_t*>(storage), bytes) == bytes;
  file.close();
  if (!ok) return false;
  LittleFS.remove(kBufferPath);
  return LittleFS.rename(tmp, kBufferPath);
}

bool Storage::load_buffer(tankcore::ReadingBuffer* buffer, tankcore::Reading* storage) {
  File file = LittleFS.open(kBufferPath, "r");
  if (!file) return false;
  tankcore::BufferState state{};
  const size_t bytes = sizeof(tankcore::Reading) * buffer->capacity();
  bool ok = file.read(reinterpret_cast<uint8_t*>(&state), sizeof(state)) == sizeof(state);
  ok = ok && file.read(reinterpret_cast<uint8_t*>(storage), bytes) == bytes;
  file.close();
  ok = ok && buffer->restore(state);
  if (!ok) TANK_LOGW(TAG, "offline buffer file ignored");
  return ok;
}

void Storage::erase_buffer() { LittleFS.remove(kBufferPath); }

}  // namespace tanknode
