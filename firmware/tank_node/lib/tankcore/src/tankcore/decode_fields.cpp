#include "tankcore/decode_fields.h"

#include <string.h>

namespace tankcore {

DecodeError parse_object(const char* text, size_t len, size_t max_bytes, JsonValue* object) {
  if (len > max_bytes) return DecodeError::kTooLarge;
  if (!json_parse(text, len, object)) return DecodeError::kMalformedJson;
  if (object->type != JsonType::kObject) return DecodeError::kNotObject;
  return DecodeError::kNone;
}

DecodeError field_nullable_int(const JsonValue& object, const char* key, int64_t lo, int64_t hi,
                               bool optional, int64_t* out, bool* present) {
  JsonValue value;
  *present = false;
  if (!json_find(object, key, &value)) {
    return optional ? DecodeError::kNone : DecodeError::kMissingField;
  }
  if (value.type == JsonType::kNull) return DecodeError::kNone;
  switch (json_get_int(value, out)) {
    case JsonInt::kNotInteger: return DecodeError::kBadFieldType;
    case JsonInt::kOutOfRange: return DecodeError::kBadFieldValue;
    case JsonInt::kOk: break;
  }
  if (*out < lo || *out > hi) return DecodeError::kBadFieldValue;
  *present = true;
  return DecodeError::kNone;
}

DecodeError field_int(const JsonValue& object, const char* key, int64_t lo, int64_t hi,
                      int64_t* out) {
  bool present = false;
  JsonValue value;
  if (json_find(object, key, &value) && value.type == JsonType::kNull) {
    return DecodeError::kMissingField;
  }
  return field_nullable_int(object, key, lo, hi, false, out, &present);
}

DecodeError field_number(const JsonValue& object, const char* key, bool optional, double* out,
                         bool* present) {
  JsonValue value;
  *present = false;
  const bool found = json_find(object, key, &value);
  if (!found || value.type == JsonType::kNull) {
    return optional ? DecodeError::kNone : DecodeError::kMissingField;
  }
  if (!json_get_number(value, out)) return DecodeError::kBadFieldType;
  *present = true;
  return DecodeError::kNone;
}

DecodeError field_bool(const JsonValue& object, const char* key, bool* out) {
  JsonValue value;
  if (!json_find(object, key, &value) || value.type == JsonType::kNull) {
    return DecodeError::kMissingField;
  }
  return json_get_bool(value, out) ? DecodeError::kNone : DecodeError::kBadFieldType;
}

DecodeError field_text(const JsonValue& object, const char* key, size_t max_len, TextCheck check,
                       char* out) {
  JsonValue value;
  if (!json_find(object, key, &value) || value.type == JsonType::kNull) {
    return DecodeError::kMissingField;
  }
  if (value.type != JsonType::kString) return DecodeError::kBadFieldType;
  size_t len = 0;
  if (!json_get_string(value, out, max_len + 1, &len) || len == 0 || strlen(out) != len) {
    return DecodeError::kBadFieldValue;
  }
  if (check != nullptr && !check(out)) return DecodeError::kBadFieldValue;
  return DecodeError::kNone;
}

}  // namespace tankcore
