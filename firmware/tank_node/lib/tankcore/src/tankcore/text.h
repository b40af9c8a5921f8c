// Text checks and codecs shared by the protocol decoders (same rules as the hub).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tankcore {

// MAJOR.MINOR.PATCH[-pre][+build], pre/build from [0-9A-Za-z.-].
bool is_semver(const char* text);
// Lowercase "aa:bb:cc:dd:ee:ff".
bool is_mac(const char* text);
// Non-empty, only visible ASCII (0x21..0x7e).
bool is_printable(const char* text);
// http://, https://, ws:// or wss:// followed by visible ASCII.
bool is_url(const char* text);
// Exactly `digits` lowercase hex digits.
bool is_lower_hex(const char* text, size_t digits);

// Decodes hex (either case) into `out`; false on odd length, bad digit or overflow.
bool hex_decode(const char* text, uint8_t* out, size_t cap, size_t* len);
void hex_encode(const uint8_t* data, size_t len, char* out);  // writes 2*len chars + NUL
// Strict base64 (standard alphabet, '=' padding, length a multiple of 4).
bool base64_decode(const char* text, uint8_t* out, size_t cap, size_t* len);

struct UrlParts {
  bool secure;      // wss:// or https://
  char host[65];
  uint16_t port;    // default 80 or 443
  char path[161];   // starts with '/'
};

// Splits a ws(s):// or http(s):// URL (host[:port][/path]); false when malformed or too long.
bool split_url(const char* url, UrlParts* out);

// Copies at most cap - 1 bytes and terminates; false when truncated.
bool copy_text(char* out, size_t cap, const char* text);

}  // namespace tankcore
