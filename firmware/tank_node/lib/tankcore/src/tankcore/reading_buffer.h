// Offline buffer of readings: fixed capacity, oldest dropped when full, cumulative ack by
// (boot, seq), send cursor rewound on reconnect, relative timestamps rebased on clock sync.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tankcore {

constexpr int32_t kNoDistance = -1;
constexpr int32_t kNoEcho = -1;
constexpr int16_t kNoTemperature = INT16_MIN;

enum ReadingFlags : uint8_t {
  kReadingRelativeTime = 1u << 0,  // ts_ms counts from boot: the clock was unknown
};

struct Reading {
  uint32_t boot = 0;
  uint32_t seq = 0;
  int64_t ts_ms = 0;
  int32_t distance_mm = kNoDistance;
  int32_t echo_us = kNoEcho;
  int16_t temperature_dc = kNoTemperature;
  uint8_t quality = 0;
  uint8_t flags = 0;
};

// (boot, seq) ordering: boot ids only grow, seq grows within a boot.
bool reading_at_or_before(const Reading& reading, uint32_t boot, uint32_t seq);

// What persistence stores beside the raw storage array.
struct BufferState {
  uint32_t magic;
  uint16_t version;
  uint16_t capacity;
  uint16_t head;
  uint16_t count;
  uint32_t dropped;
};

class ReadingBuffer {
 public:
  static constexpr uint32_t kMagic = 0x544B4231;  // "TKB1"
  static constexpr uint16_t kVersion = 1;

  ReadingBuffer(Reading* storage, uint16_t capacity);

  // Appends; returns false when the oldest reading had to be dropped to make room.
  bool push(const Reading& reading);
  // The oldest reading not yet sent on this connection, or nullptr.
  const Reading* next();
  // Removes every reading at or before (boot, seq); returns how many.
  uint16_t ack(uint32_t boot, uint32_t seq);
  // Everything unacknowledged is due again (new connection).
  void rewind() { sent_ = 0; }
  // Turns relative timestamps of `boot` into Unix ms given the Unix ms at uptime 0.
  uint16_t rebase(uint32_t boot, int64_t epoch_at_boot_ms);

  uint16_t size() const { return count_; }
  uint16_t pending() const { return static_cast<uint16_t>(count_ - sent_); }
  uint16_t capacity() const { return capacity_; }
  uint32_t dropped() const { return dropped_; }
  const Reading& at(uint16_t index) const;

  BufferState state() const;
  // Adopts a persisted state after the storage array was reloaded; false if it does not fit.
  bool restore(const BufferState& state);

 private:
  uint16_t index(uint16_t offset) const {
    return static_cast<uint16_t>((head_ + offset) % capacity_);
  }
  void pop_front();

  Reading* storage_;
  uint16_t capacity_;
  uint16_t head_ = 0;
  uint16_t count_ = 0;
  uint16_t sent_ = 0;
  uint32_t dropped_ = 0;
};

}  // namespace tankcore
