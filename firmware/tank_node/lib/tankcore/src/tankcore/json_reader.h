// Strict, allocation-free JSON reader: validates a document, then looks values up by key.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tankcore {

enum class JsonType : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

// A span of the source text holding one JSON value.
struct JsonValue {
  const char* begin = nullptr;
  size_t len = 0;
  JsonType type = JsonType::kNull;
};

enum class JsonInt : uint8_t { kOk, kNotInteger, kOutOfRange };

constexpr int kJsonMaxDepth = 16;

// True when `text` holds exactly one JSON value (surrounding whitespace allowed).
bool json_parse(const char* text, size_t len, JsonValue* root);

// Member `key` of an object (the last one when repeated, as most decoders do).
bool json_find(const JsonValue& object, const char* key, JsonValue* out);

// Iterates the elements of an array or the members of an object.
class JsonIterator {
 public:
  explicit JsonIterator(const JsonValue& container);
  // Next element; for objects `key` receives the member name (as a string value).
  bool next(JsonValue* value, JsonValue* key = nullptr);

 private:
  const char* pos_;
  const char* end_;
  bool object_;
};

// Integer tokens only (no fraction or exponent), within int64.
JsonInt json_get_int(const JsonValue& value, int64_t* out);
bool json_get_number(const JsonValue& value, double* out);
bool json_get_bool(const JsonValue& value, bool* out);
// Decodes escapes into NUL-terminated UTF-8. False when not a string, when an escape is
// invalid or when the text needs more than `cap - 1` bytes (`*len` then holds the need).
bool json_get_string(const JsonValue& value, char* out, size_t cap, size_t* len);
// True when `value` is a string equal to `text` (escapes decoded).
bool json_string_equals(const JsonValue& value, const char* text);

}  // namespace tankcore
