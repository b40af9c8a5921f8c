#include "tankcore/json_writer.h"

namespace tankcore {

JsonWriter::JsonWriter(char* buffer, size_t capacity)
    : buf_(buffer), cap_(capacity), ok_(capacity > 0) {
  if (ok_) buf_[0] = '\0';
}

void JsonWriter::put(char c) {
  if (!ok_) return;
  if (len_ + 1 >= cap_) {
    ok_ = false;
    return;
  }
  buf_[len_++] = c;
  buf_[len_] = '\0';
}

void JsonWriter::raw(const char* text) {
  while (*text != '\0') put(*text++);
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  uint32_t bit = 1u << depth_;
  if (has_items_ & bit) put(',');
  has_items_ |= bit;
}

void JsonWriter::open(char c) {
  separate();
  put(c);
  if (depth_ >= 31) {
    ok_ = false;
    return;
  }
  ++depth_;
  has_items_ &= ~(1u << depth_);
}

void JsonWriter::close(char c) {
  if (depth_ == 0) {
    ok_ = false;
    return;
  }
  --depth_;
  put(c);
}

void JsonWriter::begin_object() { open('{'); }
void JsonWriter::end_object() { close('}'); }
void JsonWriter::begin_array() { open('['); }
void JsonWriter::end_array() { close(']'); }

void JsonWriter::key(const char* name) {
  string(name);
  put(':');
  after_key_ = true;
}

void JsonWriter::string(const char* text) {
  static const char kHex[] = "0123456789abcdef";
  separate();
  put('"');
  for (const unsigned char* p = reinterpret_cast<const unsigned char*>(text); *p != 0; ++p) {
    switch (*p) {
      case '"': raw("\\\""); break;
      case '\\': raw("\\\\"); break;
      case '\n': raw("\\n"); break;
      case '\r': raw("\\r"); break;
      case '\t': raw("\\t"); break;
      case '\b': raw("\\b"); break;
      case '\f': raw("\\f"); break;
      default:
        if (*p < 0x20) {
          raw("\\u00");
          put(kHex[*p >> 4]);
          put(kHex[*p & 0x0F]);
        } else {
          put(static_cast<char>(*p));
        }
    }
  }
  put('"');
}

void JsonWriter::integer(int64_t number) {
  separate();
  char digits[21];
  int n = 0;
  uint64_t magnitude = static_cast<uint64_t>(number);
  if (number < 0) magnitude = 0 - magnitude;
  do {
    digits[n++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (number < 0) put('-');
  while (n > 0) put(digits[--n]);
}

void JsonWriter::boolean(bool flag) {
  separate();
  raw(flag ? "true" : "false");
}

void JsonWriter::null() {
  separate();
  raw("null");
}

}  // namespace tankcore
