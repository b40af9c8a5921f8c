#include "tankcore/ota.h"

#include <string.h>

namespace tankcore {
namespace {

const char* const kStates[] = {"DOWNLOADING", "DOWNLOADED", "VERIFIED",
                               "UPDATING",    "UPDATED",    "FAILED"};
const char* const kErrors[] = {"",          "download",    "size",     "checksum",
                               "signature", "flash_write", "no_space", "rolled_back"};

constexpr uint8_t kEspImageMagic = 0xE9;
constexpr uint8_t kGzipMagic0 = 0x1F;
constexpr uint8_t kGzipMagic1 = 0x8B;

}  // namespace

const char* fw_state_name(FwState state) { return kStates[static_cast<int>(state)]; }

const char* ota_error_name(OtaError error) { return kErrors[static_cast<int>(error)]; }

OtaError ImageVerifier::begin(const OtaManifest& manifest, uint32_t slot_size, bool allow_gzip) {
  hash_ = Sha256();
  memcpy(expected_, manifest.sha256, kSha256Size);
  size_ = manifest.size;
  received_ = 0;
  allow_gzip_ = allow_gzip;
  if (size_ == 0) return OtaError::kSize;
  if (size_ > slot_size) return OtaError::kNoSpace;
  return OtaError::kNone;
}

OtaError ImageVerifier::update(const uint8_t* data, size_t len) {
  if (len == 0) return OtaError::kNone;
  if (len > size_ - received_) return OtaError::kSize;
  for (size_t i = 0; i < len && received_ + i < 2; ++i) {
    const uint32_t at = received_ + static_cast<uint32_t>(i);
    if (at == 0) {
      first_ = data[i];
      const bool gzip = allow_gzip_ && first_ == kGzipMagic0;
      if (first_ != kEspImageMagic && !gzip) return OtaError::kChecksum;
    } else if (first_ == kGzipMagic0 && data[i] != kGzipMagic1) {
      return OtaError::kChecksum;
    }
  }
  hash_.update(data, len);
  received_ += static_cast<uint32_t>(len);
  return OtaError::kNone;
}

OtaError ImageVerifier::finish(uint8_t digest[kSha256Size]) {
  if (received_ != size_) return OtaError::kSize;
  hash_.finish(digest);
  return memcmp(digest, expected_, kSha256Size) == 0 ? OtaError::kNone : OtaError::kChecksum;
}

uint8_t ImageVerifier::progress() const {
  if (size_ == 0) return 0;
  return static_cast<uint8_t>(static_cast<uint64_t>(received_) * 100 / size_);
}

}  // namespace tankcore
