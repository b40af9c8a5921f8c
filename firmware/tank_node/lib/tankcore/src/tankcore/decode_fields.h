// Typed, bounded access to members of a decoded JSON object, shared by the decoders.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "tankcore/json_reader.h"
#include "tankcore/messages.h"

namespace tankcore {

using TextCheck = bool (*)(const char*);

// Parses a frame of at most `max_bytes` that must be a JSON object.
DecodeError parse_object(const char* text, size_t len, size_t max_bytes, JsonValue* object);

DecodeError field_int(const JsonValue& object, const char* key, int64_t lo, int64_t hi,
                      int64_t* out);
// Like field_int, but a present `null` (or, when `optional`, a missing key) gives *present=false.
DecodeError field_nullable_int(const JsonValue& object, const char* key, int64_t lo, int64_t hi,
                               bool optional, int64_t* out, bool* present);
DecodeError field_number(const JsonValue& object, const char* key, bool optional, double* out,
                         bool* present);
DecodeError field_bool(const JsonValue& object, const char* key, bool* out);
// A string of 1..max_len bytes (out holds max_len + 1) that passes `check` when given.
DecodeError field_text(const JsonValue& object, const char* key, size_t max_len, TextCheck check,
                       char* out);

}  // namespace tankcore
