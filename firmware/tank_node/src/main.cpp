// Fieldhub tank node: measures the distance to the liquid, buffers readings while offline and
// reports them to the hub over a WebSocket. Logic lives in lib/tankcore; this wires hardware.
#include <math.h>
#include <string.h>

#include <tankcore/geometry.h>
#include <tankcore/reading_buffer.h>

#include "config_server.h"
#include "hub_link.h"
#include "network.h"
#include "node_clock.h"
#include "node_config.h"
#include "node_log.h"
#include "ota_client.h"
#include "platform.h"
#include "storage.h"
#include "thermometer.h"
#include "ultrasonic.h"

#if defined(ESP32)
// Keep a freshly installed image pending until it has re-identified with the hub.
extern "C" bool verifyRollbackLater() { return true; }
#endif

namespace {

using namespace tanknode;

constexpr const char* TAG = "main";
constexpr uint32_t kSleepAwakeLimitMs = 60000;

Settings g_settings;
Storage g_storage;
Network g_network;
NodeClock g_clock;
ConfigServer g_server;
HubLink g_link;
OtaClient g_ota;
Thermometer g_thermometer;
Ultrasonic g_sensor(kTriggerPin, kEchoPin, kPingsPerReading);
tankcore::Reading g_readings[kBufferCapacity];
tankcore::ReadingBuffer g_buffer(g_readings, kBufferCapacity);

uint32_t g_boot = 0;
uint32_t g_seq = 0;
uint32_t g_reset_window_until_ms = 0;
uint32_t g_last_measure_ms = 0;
uint32_t g_last_persist_ms = 0;
bool g_measured_once = false;
bool g_rebased = false;
bool g_link_started = false;
bool g_restart_link = false;
bool g_ota_pending = false;
tankcore::OtaManifest g_ota_manifest;

uint32_t interval_ms() {
  const uint32_t seconds = g_settings.has_config ? g_settings.config.interval_s : kDefaultIntervalS;
  return seconds * 1000UL;
}

bool reset_window_open() { return g_reset_window_until_ms != 0 && millis() < g_reset_window_until_ms; }

tankcore::HubLink hub_state() { return g_link.state(); }

void on_pairing_changed() {
  g_restart_link = true;
  g_network.readvertise(g_settings);
}

void on_config(const tankcore::TankConfigMessage& config) {
  g_settings.config = config;
  g_settings.has_config = true;
  g_storage.save(g_settings);
  g_clock.set_from_hub(config.now_ms);
  g_ota.confirm_boot();
  TANK_LOGI(TAG, "config: %s, every %lu s%s", tankcore::shape_name(config.tank.shape),
            static_cast<unsigned long>(config.interval_s), config.deep_sleep ? ", deep sleep" : "");
}

void on_ota(const tankcore::OtaManifest& manifest) {
  if (g_ota.busy() || g_ota_pending) return;
  g_ota_manifest = manifest;  // installed from loop(), not inside the socket callback
  g_ota_pending = true;
}

void on_decommissioned() {
  g_settings.paired = false;
  g_settings.hub_url[0] = g_settings.device_id[0] = g_settings.secret[0] = '\0';
  g_settings.has_config = false;
  g_storage.save(g_settings);
  g_storage.erase_buffer();
  g_buffer.ack(UINT32_MAX, UINT32_MAX);  // everything goes
  g_link_started = false;
  g_network.readvertise(g_settings);
}

void check_reset_button() {
  pinMode(kResetPin, INPUT_PULLUP);
  const uint32_t start = millis();
  while (digitalRead(kResetPin) == LOW) {  // boot-time only: deliberate hold, then go on
    if (millis() - start >= kResetHoldMs) {
      g_reset_window_until_ms = millis() + kResetWindowMs;
      TANK_LOGW(TAG, "physical reset: pairing can be replaced for %lu s",
                static_cast<unsigned long>(kResetWindowMs / 1000));
      return;
    }
    delay(10);
  }
}

void record_reading() {
  const Burst& burst = g_sensor.result();
  tankcore::Reading r;
  r.boot = g_boot;
  r.seq = ++g_seq;
  if (g_clock.synced()) {
    r.ts_ms = g_clock.now_ms();
  } else {
    r.ts_ms = g_clock.uptime_ms();
    r.flags = tankcore::kReadingRelativeTime;
  }
  r.distance_mm = burst.distance_mm;
  r.echo_us = burst.echo_us;
  r.quality = burst.quality;
  const double t = g_thermometer.celsius();
  if (!isnan(t)) r.temperature_dc = static_cast<int16_t>(lround(t * 10.0));
  if (!g_buffer.push(r)) TANK_LOGW(TAG, "offline buffer full: oldest reading dropped");
  if (g_settings.has_config && burst.distance_mm != tankcore::kNoDistance) {
    tankcore::TankReading level{};
    if (tankcore::convert(g_settings.config.tank, burst.distance_mm, &level)) {
      TANK_LOGI(TAG, "level %.0f mm, %.1f L, %.1f %%%s", level.level_mm, level.volume_l,
                level.percent, level.blind_zone ? " (blind zone: at least)" : "");
    }
  }
}

void persist_if_offline() {
  const bool due = millis() - g_last_persist_ms >= kPersistEveryMs;
  if (g_buffer.size() > 0 && !g_link.identified() && due) {
    g_storage.save_buffer(g_buffer, g_readings);
    g_last_persist_ms = millis();
  }
}

void sleep_if_done() {
  if (!g_settings.has_config || !g_settings.config.deep_sleep || !g_measured_once) return;
  const bool delivered = g_link.identified() && g_buffer.size() == 0;
  if (!delivered && millis() < kSleepAwakeLimitMs) return;
  if (g_buffer.size() > 0) {
    g_storage.save_buffer(g_buffer, g_readings);
  } else {
    g_storage.erase_buffer();
  }
  const uint64_t sleep_us = static_cast<uint64_t>(interval_ms()) * 1000ULL;
  TANK_LOGI(TAG, "deep sleep for %lu s", static_cast<unsigned long>(interval_ms() / 1000));
  Serial.flush();
#if defined(ESP32)
  esp_sleep_enable_timer_wakeup(sleep_us);
  esp_deep_sleep_start();
#else
  ESP.deepSleep(sleep_us);  // needs GPIO16 wired to RST
#endif
}

void dump_config() {
  TANK_LOGCONFIG(TAG, "Tank node %s, firmware %s, boot %lu", kModel, kFirmwareVersion,
                 static_cast<unsigned long>(g_boot));
  TANK_LOGCONFIG(TAG, "  paired: %s, interval %lu s, buffered readings: %u/%u",
                 g_settings.paired ? "yes" : "no", static_cast<unsigned long>(interval_ms() / 1000),
                 g_buffer.size(), g_buffer.capacity());
  if (g_settings.has_config) {
    const tankcore::TankGeometry& t = g_settings.config.tank;
    TANK_LOGCONFIG(TAG, "  tank: %s, height %.0f mm, offset %.0f mm, blind zone %.0f mm",
                   tankcore::shape_name(t.shape), tankcore::tank_height_mm(t), t.sensor_offset_mm,
                   t.blind_zone_mm);
  }
  g_network.dump_config();
  g_server.dump_config();
  g_sensor.dump_config();
  g_thermometer.dump_config();
  g_link.dump_config();
  g_ota.dump_config();
}

}  // namespace

void setup() {
  Serial.begin(115200);
  g_storage.begin();
  g_storage.load(&g_settings);
  g_boot = ++g_settings.boot_counter;
  g_storage.save(g_settings);
  check_reset_button();
  g_storage.load_buffer(&g_buffer, g_readings);
  g_network.begin(g_settings);
  g_clock.begin();
  g_server.begin({&g_settings, &g_storage, &g_network, &g_buffer, hub_state, reset_window_open,
                  on_pairing_changed});
  g_sensor.setup();
  g_thermometer.setup();
  g_ota.begin(&g_settings, &g_storage, &g_link);
  g_last_measure_ms = millis() - interval_ms();  // measure right away
  dump_config();
}

void loop() {
  g_network.loop(g_settings);
  g_server.loop();
  if (g_restart_link) {
    g_restart_link = false;
    g_link.stop();
    g_link_started = false;
  }
  if (!g_link_started && g_settings.paired && g_network.connected()) {
    g_link.begin(g_settings, g_network.mac(), g_boot, &g_buffer,
                 {on_config, on_ota, on_decommissioned});
    g_link_started = true;
  }
  g_link.loop();
  g_ota.check_pending_deadline();
  if (g_ota_pending) {
    g_ota_pending = false;
    g_ota.install(g_ota_manifest);
  }
  g_thermometer.loop();
  if (!g_sensor.busy() && millis() - g_last_measure_ms >= interval_ms()) {
    g_last_measure_ms = millis();
    g_sensor.start_burst(g_thermometer.celsius());
  }
  if (g_sensor.loop()) {
    record_reading();
    g_measured_once = true;
  }
  if (!g_rebased && g_clock.synced()) {
    g_buffer.rebase(g_boot, g_clock.epoch_at_boot_ms());
    g_rebased = true;
  }
  persist_if_offline();
  sleep_if_done();
}
