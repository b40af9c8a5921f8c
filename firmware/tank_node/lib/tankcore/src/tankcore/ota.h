// OTA manifest and streaming image checks (size, image magic, SHA-256). The Ed25519 check of
// `signature` over the digest is done by the platform crypto library on the device.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "tankcore/sha256.h"

namespace tankcore {

// ThingsBoard fw_state vocabulary.
enum class FwState : uint8_t { kDownloading, kDownloaded, kVerified, kUpdating, kUpdated, kFailed };

enum class OtaError : uint8_t {
  kNone,
  kDownload,
  kSize,
  kChecksum,
  kSignature,
  kFlashWrite,
  kNoSpace,
  kRolledBack,
};

const char* fw_state_name(FwState state);
// Wire code ("checksum", ...); "" for kNone.
const char* ota_error_name(OtaError error);

constexpr size_t kOtaUrlMax = 256;
constexpr size_t kVersionMax = 32;
constexpr size_t kSignatureSize = 64;
constexpr uint32_t kOtaMaxSize = 16u * 1024u * 1024u;

struct OtaManifest {
  char url[kOtaUrlMax + 1];
  char version[kVersionMax + 1];
  uint32_t size;
  uint8_t sha256[kSha256Size];
  uint8_t signature[kSignatureSize];
};

// Checks an image while it streams: first byte 0xE9 (or gzip 1F 8B when allowed), no more
// bytes than announced, then the exact size and digest at the end.
class ImageVerifier {
 public:
  // kNoSpace when the manifest's size exceeds the OTA slot.
  OtaError begin(const OtaManifest& manifest, uint32_t slot_size, bool allow_gzip);
  OtaError update(const uint8_t* data, size_t len);
  // Final check; fills `digest` with the image's SHA-256 for the signature check.
  OtaError finish(uint8_t digest[kSha256Size]);
  uint32_t received() const { return received_; }
  // 0..100, monotonic within one download.
  uint8_t progress() const;

 private:
  Sha256 hash_;
  uint8_t expected_[kSha256Size] = {};
  uint32_t size_ = 0;
  uint32_t received_ = 0;
  uint8_t first_ = 0;
  bool allow_gzip_ = false;
};

}  // namespace tankcore
