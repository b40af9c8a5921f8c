// Incremental SHA-256 (FIPS 180-4) for verifying OTA images while they stream to flash.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tankcore {

constexpr size_t kSha256Size = 32;

class Sha256 {
 public:
  Sha256();
  void update(const uint8_t* data, size_t len);
  void finish(uint8_t digest[kSha256Size]);

 private:
  void compress(const uint8_t block[64]);

  uint32_t state_[8];
  uint8_t block_[64];
  uint64_t total_ = 0;
  size_t used_ = 0;
};

}  // namespace tankcore
