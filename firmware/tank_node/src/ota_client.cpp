#include "ota_client.h"

#include <Ed25519.h>
#include <string.h>

#include <tankcore/text.h>

#include "node_config.h"
#include "node_log.h"
#include "platform.h"

namespace tanknode {
namespace {

constexpr const char* TAG = "ota";
constexpr size_t kChunk = 1024;
constexpr uint32_t kStallTimeoutMs = 20000;

uint8_t g_chunk[kChunk];
uint8_t g_held[kChunk];  // the last chunk is written only after every check passed

uint32_t ota_slot_size() {
#if defined(ESP32)
  const esp_partition_t* next = esp_ota_get_next_update_partition(nullptr);
  return next != nullptr ? next->size : 0;
#else
  return (ESP.getFreeSketchSpace() - 0x1000) & 0xFFFFF000;
#endif
}

bool running_image_pending() {
#if defined(ESP32)
  esp_ota_img_states_t state;
  return esp_ota_get_state_partition(esp_ota_get_running_partition(), &state) == ESP_OK &&
         state == ESP_OTA_IMG_PENDING_VERIFY;
#else
  return false;
#endif
}

}  // namespace

void OtaClient::begin(Settings* settings, Storage* storage, HubLink* link) {
  settings_ = settings;
  storage_ = storage;
  link_ = link;
  pending_verify_ = running_image_pending();
  if (pending_verify_) TANK_LOGW(TAG, "new image pending verification: must re-identify");
}

void OtaClient::report(tankcore::FwState state, uint8_t progress, tankcore::OtaError error,
                       const char* detail) {
  const tankcore::OtaStatus status{state, version_, progress, error, detail};
  link_->send_ota_state(status);
  if (error != tankcore::OtaError::kNone) {
    TANK_LOGE(TAG, "%s %s: %s", tankcore::fw_state_name(state), version_,
              tankcore::ota_error_name(error));
  } else {
    TANK_LOGI(TAG, "%s %s %u%%", tankcore::fw_state_name(state), version_, progress);
  }
}

bool OtaClient::signature_valid(const uint8_t digest[tankcore::kSha256Size],
                                const uint8_t signature[tankcore::kSignatureSize]) const {
  uint8_t key[32];
  size_t len = 0;
  if (!tankcore::hex_decode(kOtaPublicKeyHex, key, sizeof(key), &len) || len != sizeof(key)) {
    TANK_LOGE(TAG, "no signing key built in: refusing updates");
    return false;
  }
  return Ed25519::verify(signature, key, digest, tankcore::kSha256Size);
}

void OtaClient::abort_update() {
#if defined(ESP32)
  Update.abort();
#else
  Update.end(false);  // not all bytes written: the updater discards the image
#endif
}

tankcore::OtaError OtaClient::download(const tankcore::OtaManifest& manifest) {
  HTTPClient http;
  WiFiClient plain;
  if (!http.begin(plain, manifest.url) || http.GET() != HTTP_CODE_OK) {
    http.end();
    return tankcore::OtaError::kDownload;
  }
  tankcore::ImageVerifier verifier;
#if defined(ESP8266)
  const bool allow_gzip = true;
#else
  const bool allow_gzip = false;
#endif
  tankcore::OtaError error = verifier.begin(manifest, ota_slot_size(), allow_gzip);
  if (error != tankcore::OtaError::kNone) {
    http.end();
    return error;
  }
  if (!Update.begin(manifest.size)) {
    http.end();
    return tankcore::OtaError::kNoSpace;
  }
  WiFiClient* stream = http.getStreamPtr();
  size_t held = 0;
  uint8_t reported = 0;
  uint32_t last_data_ms = millis();
  while (verifier.received() < manifest.size) {
    const size_t available = stream->available();
    if (available == 0) {
      if (millis() - last_data_ms > kStallTimeoutMs || !stream->connected()) {
        error = tankcore::OtaError::kDownload;
        break;
      }
      link_->loop();
      delay(1);
      continue;
    }
    const size_t n = stream->readBytes(g_chunk, available < kChunk ? available : kChunk);
    last_data_ms = millis();
    error = verifier.update(g_chunk, n);
    if (error != tankcore::OtaError::kNone) break;
    if (held > 0 && Update.write(g_held, held) != held) {
      error = tankcore::OtaError::kFlashWrite;
      break;
    }
    memcpy(g_held, g_chunk, n);
    held = n;
    if (verifier.progress() >= reported + 10) {
      reported = verifier.progress();
      report(tankcore::FwState::kDownloading, reported, tankcore::OtaError::kNone, nullptr);
    }
  }
  http.end();
  uint8_t digest[tankcore::kSha256Size];
  if (error == tankcore::OtaError::kNone) error = verifier.finish(digest);
  if (error == tankcore::OtaError::kNone) {
    report(tankcore::FwState::kDownloaded, 100, tankcore::OtaError::kNone, nullptr);
    if (!signature_valid(digest, manifest.signature)) error = tankcore::OtaError::kSignature;
  }
  if (error != tankcore::OtaError::kNone) {
    abort_update();
    return error;
  }
  report(tankcore::FwState::kVerified, 100, tankcore::OtaError::kNone, nullptr);
  if (Update.write(g_held, held) != held || !Update.end()) return tankcore::OtaError::kFlashWrite;
  return tankcore::OtaError::kNone;
}

void OtaClient::install(const tankcore::OtaManifest& manifest) {
  if (busy_) return;
  busy_ = true;
  tankcore::copy_text(version_, sizeof(version_), manifest.version);
  report(tankcore::FwState::kDownloading, 0, tankcore::OtaError::kNone, nullptr);
  const tankcore::OtaError error = download(manifest);
  if (error != tankcore::OtaError::kNone) {
    report(tankcore::FwState::kFailed, 0, error, nullptr);
    busy_ = false;
    return;
  }
  tankcore::copy_text(settings_->ota_target, sizeof(settings_->ota_target), manifest.version);
  storage_->save(*settings_);
  report(tankcore::FwState::kUpdating, 100, tankcore::OtaError::kNone, nullptr);
  delay(200);
  ESP.restart();
}

void OtaClient::confirm_boot() {
  if (confirmed_) return;
  confirmed_ = true;
#if defined(ESP32)
  if (pending_verify_) {
    esp_ota_mark_app_valid_cancel_rollback();
    pending_verify_ = false;
    TANK_LOGI(TAG, "image confirmed after identify");
  }
#endif
  if (settings_->ota_target[0] == '\0') return;
  tankcore::copy_text(version_, sizeof(version_), settings_->ota_target);
  if (strcmp(settings_->ota_target, kFirmwareVersion) == 0) {
    report(tankcore::FwState::kUpdated, 100, tankcore::OtaError::kNone, nullptr);
  } else {
    report(tankcore::FwState::kFailed, 100, tankcore::OtaError::kRolledBack,
           "previous image running after the update");
  }
  settings_->ota_target[0] = '\0';
  storage_->save(*settings_);
}

void OtaClient::check_pending_deadline() {
#if defined(ESP32)
  if (pending_verify_ && millis() > kIdentifyDeadlineMs) {
    TANK_LOGE(TAG, "new image could not identify in time: rolling back");
    esp_ota_mark_app_invalid_rollback_and_reboot();
  }
#endif
}

void OtaClient::dump_config() const {
  TANK_LOGCONFIG(TAG, "OTA:");
  TANK_LOGCONFIG(TAG, "  slot size: %lu bytes, signing key: %s",
                 static_cast<unsigned long>(ota_slot_size()),
                 strlen(kOtaPublicKeyHex) == 64 ? "set" : "MISSING (updates refused)");
  if (settings_ != nullptr && settings_->ota_target[0] != '\0') {
    TANK_LOGCONFIG(TAG, "  awaiting confirmation of %s", settings_->ota_target);
  }
}

}  // namespace tanknode
