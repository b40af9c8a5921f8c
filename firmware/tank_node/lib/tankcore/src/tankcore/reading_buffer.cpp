#include "tankcore/reading_buffer.h"

namespace tankcore {

bool reading_at_or_before(const Reading& reading, uint32_t boot, uint32_t seq) {
  return reading.boot < boot || (reading.boot == boot && reading.seq <= seq);
}

ReadingBuffer::ReadingBuffer(Reading* storage, uint16_t capacity)
    : storage_(storage), capacity_(capacity == 0 ? 1 : capacity) {}

void ReadingBuffer::pop_front() {
  head_ = index(1);
  --count_;
  if (sent_ > 0) --sent_;
}

bool ReadingBuffer::push(const Reading& reading) {
  bool kept_all = true;
  if (count_ == capacity_) {
    pop_front();
    ++dropped_;
    kept_all = false;
  }
  storage_[index(count_)] = reading;
  ++count_;
  return kept_all;
}

const Reading* ReadingBuffer::next() {
  if (sent_ >= count_) return nullptr;
  return &storage_[index(sent_++)];
}

uint16_t ReadingBuffer::ack(uint32_t boot, uint32_t seq) {
  uint16_t removed = 0;
  while (count_ > 0 && reading_at_or_before(storage_[head_], boot, seq)) {
    pop_front();
    ++removed;
  }
  return removed;
}

uint16_t ReadingBuffer::rebase(uint32_t boot, int64_t epoch_at_boot_ms) {
  uint16_t changed = 0;
  for (uint16_t i = 0; i < count_; ++i) {
    Reading& r = storage_[index(i)];
    if ((r.flags & kReadingRelativeTime) && r.boot == boot) {
      r.ts_ms += epoch_at_boot_ms;
      r.flags = static_cast<uint8_t>(r.flags & ~kReadingRelativeTime);
      ++changed;
    }
  }
  return changed;
}

const Reading& ReadingBuffer::at(uint16_t offset) const { return storage_[index(offset)]; }

BufferState ReadingBuffer::state() const {
  return {kMagic, kVersion, capacity_, head_, count_, dropped_};
}

bool ReadingBuffer::restore(const BufferState& state) {
  if (state.magic != kMagic || state.version != kVersion || state.capacity != capacity_ ||
      state.head >= capacity_ || state.count > capacity_) {
    return false;
  }
  head_ = state.head;
  count_ = state.count;
  dropped_ = state.dropped;
  sent_ = 0;
  return true;
}

}  // namespace tankcore
