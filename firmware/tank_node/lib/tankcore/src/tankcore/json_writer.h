// Compact JSON writer into a caller-owned buffer; separators and escaping match the hub.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tankcore {

class JsonWriter {
 public:
  JsonWriter(char* buffer, size_t capacity);

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(const char* name);
  void string(const char* text);
  void integer(int64_t number);
  void boolean(bool flag);
  void null();

  // False once anything did not fit; the text is then unusable.
  bool ok() const { return ok_; }
  size_t size() const { return len_; }
  const char* c_str() const { return buf_; }

 private:
  void put(char c);
  void raw(const char* text);
  void separate();
  void open(char c);
  void close(char c);

  char* buf_;
  size_t cap_;
  size_t len_ = 0;
  bool ok_;
  uint8_t depth_ = 0;
  uint32_t has_items_ = 0;  // bit per depth: a comma is due before the next item
  bool after_key_ = false;
};

}  // namespace tankcore
