#include "tankcore/json_reader.h"

#include <stdlib.h>
#include <string.h>

namespace tankcore {
namespace {

const char* skip_ws(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  return p;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

const char* scan_literal(const char* p, const char* end, const char* word) {
  size_t n = strlen(word);
  if (static_cast<size_t>(end - p) < n || memcmp(p, word, n) != 0) return nullptr;
  return p + n;
}

const char* scan_number(const char* p, const char* end) {
  if (p < end && *p == '-') ++p;
  if (p >= end || !is_digit(*p)) return nullptr;
  if (*p == '0') {
    ++p;
  } else {
    while (p < end && is_digit(*p)) ++p;
  }
  if (p < end && *p == '.') {
    ++p;
    if (p >= end || !is_digit(*p)) return nullptr;
    while (p < end && is_digit(*p)) ++p;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (p >= end || !is_digit(*p)) return nullptr;
    while (p < end && is_digit(*p)) ++p;
  }
  return p;
}

const char* scan_string(const char* p, const char* end) {
  ++p;  // opening quote
  while (p < end) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"') return p + 1;
    if (c < 0x20) return nullptr;
    if (c == '\\') {
      ++p;
      if (p >= end) return nullptr;
      if (*p == 'u') {
        if (end - p < 5) return nullptr;
        for (int i = 1; i <= 4; ++i) {
          if (hex_value(p[i]) < 0) return nullptr;
        }
        p += 4;
      } else if (strchr("\"\\/bfnrt", *p) == nullptr || *p == '\0') {
        return nullptr;
      }
    }
    ++p;
  }
  return nullptr;
}

const char* scan_value(const char* p, const char* end, int depth, JsonType* type);

const char* scan_container(const char* p, const char* end, int depth, bool object) {
  const char close = object ? '}' : ']';
  ++p;
  p = skip_ws(p, end);
  if (p < end && *p == close) return p + 1;
  while (p < end) {
    JsonType type;
    if (object) {
      if (*p != '"') return nullptr;
      p = scan_string(p, end);
      if (p == nullptr) return nullptr;
      p = skip_ws(p, end);
      if (p >= end || *p != ':') return nullptr;
      p = skip_ws(p + 1, end);
    }
    p = scan_value(p, end, depth + 1, &type);
    if (p == nullptr) return nullptr;
    p = skip_ws(p, end);
    if (p >= end) return nullptr;
    if (*p == close) return p + 1;
    if (*p != ',') return nullptr;
    p = skip_ws(p + 1, end);
  }
  return nullptr;
}

const char* scan_value(const char* p, const char* end, int depth, JsonType* type) {
  if (p >= end || depth > kJsonMaxDepth) return nullptr;
  switch (*p) {
    case '{':
      *type = JsonType::kObject;
      return scan_container(p, end, depth, true);
    case '[':
      *type = JsonType::kArray;
      return scan_container(p, end, depth, false);
    case '"':
      *type = JsonType::kString;
      return scan_string(p, end);
    case 't':
      *type = JsonType::kBool;
      return scan_literal(p, end, "true");
    case 'f':
      *type = JsonType::kBool;
      return scan_literal(p, end, "false");
    case 'n':
      *type = JsonType::kNull;
      return scan_literal(p, end, "null");
    default:
      *type = JsonType::kNumber;
      return scan_number(p, end);
  }
}

void put_utf8(uint32_t cp, char* out, size_t cap, size_t* n) {
  char buf[4];
  size_t len;
  if (cp < 0x80) {
    buf[0] = static_cast<char>(cp);
    len = 1;
  } else if (cp < 0x800) {
    buf[0] = static_cast<char>(0xC0 | (cp >> 6));
    buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
    len = 2;
  } else if (cp < 0x10000) {
    buf[0] = static_cast<char>(0xE0 | (cp >> 12));
    buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
    len = 3;
  } else {
    buf[0] = static_cast<char>(0xF0 | (cp >> 18));
    buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
    len = 4;
  }
  for (size_t i = 0; i < len; ++i) {
    if (*n + 1 < cap) out[*n] = buf[i];
    ++*n;
  }
}

uint32_t read_hex4(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 4) | static_cast<uint32_t>(hex_value(p[i]));
  return v;
}

}  // namespace

bool json_parse(const char* text, size_t len, JsonValue* root) {
  const char* end = text + len;
  const char* p = skip_ws(text, end);
  JsonType type;
  const char* stop = scan_value(p, end, 0, &type);
  if (stop == nullptr || skip_ws(stop, end) != end) return false;
  root->begin = p;
  root->len = static_cast<size_t>(stop - p);
  root->type = type;
  return true;
}

JsonIterator::JsonIterator(const JsonValue& container)
    : pos_(container.begin + 1),
      end_(container.begin + container.len - 1),
      object_(container.type == JsonType::kObject) {
  if (container.type != JsonType::kObject && container.type != JsonType::kArray) pos_ = end_;
}

bool JsonIterator::next(JsonValue* value, JsonValue* key) {
  pos_ = skip_ws(pos_, end_);
  if (pos_ < end_ && *pos_ == ',') pos_ = skip_ws(pos_ + 1, end_);
  if (pos_ >= end_) return false;
  JsonType type;
  if (object_) {
    const char* key_end = scan_string(pos_, end_);
    if (key != nullptr) {
      key->begin = pos_;
      key->len = static_cast<size_t>(key_end - pos_);
      key->type = JsonType::kString;
    }
    pos_ = skip_ws(key_end, end_) + 1;  // past ':'
    pos_ = skip_ws(pos_, end_);
  }
  const char* stop = scan_value(pos_, end_, 0, &type);
  value->begin = pos_;
  value->len = static_cast<size_t>(stop - pos_);
  value->type = type;
  pos_ = stop;
  return true;
}

bool json_find(const JsonValue& object, const char* key, JsonValue* out) {
  if (object.type != JsonType::kObject) return false;
  JsonIterator it(object);
  JsonValue name;
  JsonValue value;
  bool found = false;
  while (it.next(&value, &name)) {
    if (json_string_equals(name, key)) {
      *out = value;
      found = true;
    }
  }
  return found;
}

JsonInt json_get_int(const JsonValue& value, int64_t* out) {
  if (value.type != JsonType::kNumber) return JsonInt::kNotInteger;
  const char* p = value.begin;
  const char* end = value.begin + value.len;
  bool negative = *p == '-';
  if (negative) ++p;
  for (const char* q = p; q < end; ++q) {
    if (!is_digit(*q)) return JsonInt::kNotInteger;
  }
  uint64_t limit = negative ? 9223372036854775808ULL : 9223372036854775807ULL;
  uint64_t acc = 0;
  for (; p < end; ++p) {
    uint64_t digit = static_cast<uint64_t>(*p - '0');
    if (acc > (limit - digit) / 10) return JsonInt::kOutOfRange;
    acc = acc * 10 + digit;
  }
  if (negative) {
    *out = acc == 9223372036854775808ULL ? INT64_MIN : -static_cast<int64_t>(acc);
  } else {
    *out = static_cast<int64_t>(acc);
  }
  return JsonInt::kOk;
}

bool json_get_number(const JsonValue& value, double* out) {
  char buf[48];
  if (value.type != JsonType::kNumber || value.len >= sizeof(buf)) return false;
  memcpy(buf, value.begin, value.len);
  buf[value.len] = '\0';
  *out = strtod(buf, nullptr);
  return true;
}

bool json_get_bool(const JsonValue& value, bool* out) {
  if (value.type != JsonType::kBool) return false;
  *out = value.begin[0] == 't';
  return true;
}

bool json_get_string(const JsonValue& value, char* out, size_t cap, size_t* len) {
  if (value.type != JsonType::kString || cap == 0) return false;
  const char* p = value.begin + 1;
  const char* end = value.begin + value.len - 1;
  size_t n = 0;
  while (p < end) {
    char c = *p++;
    if (c != '\\') {
      if (n + 1 < cap) out[n] = c;
      ++n;
      continue;
    }
    char e = *p++;
    uint32_t cp;
    switch (e) {
      case 'b': cp = '\b'; break;
      case 'f': cp = '\f'; break;
      case 'n': cp = '\n'; break;
      case 'r': cp = '\r'; break;
      case 't': cp = '\t'; break;
      case 'u':
        cp = read_hex4(p);
        p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (end - p < 6 || p[0] != '\\' || p[1] != 'u') return false;
          uint32_t low = read_hex4(p + 2);
          if (low < 0xDC00 || low > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          p += 6;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return false;
        }
        break;
      default: cp = static_cast<unsigned char>(e); break;
    }
    put_utf8(cp, out, cap, &n);
  }
  if (len != nullptr) *len = n;
  out[n < cap ? n : cap - 1] = '\0';
  return n < cap;
}

bool json_string_equals(const JsonValue& value, const char* text) {
  char buf[64];
  size_t n = 0;
  if (!json_get_string(value, buf, sizeof(buf), &n)) return false;
  return strlen(text) == n && memcmp(buf, text, n) == 0;
}

}  // namespace tankcore
