#include "tankcore/text.h"

#include <string.h>

namespace tankcore {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_ident(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-';
}

const char* digits(const char* p) {
  if (!is_digit(*p)) return nullptr;
  while (is_digit(*p)) ++p;
  return p;
}

const char* ident_run(const char* p) {
  if (!is_ident(*p)) return nullptr;
  while (is_ident(*p)) ++p;
  return p;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

bool is_semver(const char* text) {
  const char* p = text;
  for (int part = 0; part < 3; ++part) {
    p = digits(p);
    if (p == nullptr) return false;
    if (part < 2) {
      if (*p != '.') return false;
      ++p;
    }
  }
  if (*p == '-') {
    p = ident_run(p + 1);
    if (p == nullptr) return false;
  }
  if (*p == '+') {
    p = ident_run(p + 1);
    if (p == nullptr) return false;
  }
  return *p == '\0';
}

bool is_mac(const char* text) {
  if (strlen(text) != 17) return false;
  for (int i = 0; i < 17; ++i) {
    const char c = text[i];
    if (i % 3 == 2) {
      if (c != ':') return false;
    } else if (!(is_digit(c) || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

bool is_printable(const char* text) {
  if (*text == '\0') return false;
  for (; *text != '\0'; ++text) {
    if (*text < 0x21 || *text > 0x7e) return false;
  }
  return true;
}

bool is_url(const char* text) {
  static const char* const kSchemes[] = {"http://", "https://", "ws://", "wss://"};
  for (const char* scheme : kSchemes) {
    const size_t n = strlen(scheme);
    if (strncmp(text, scheme, n) == 0) return is_printable(text + n);
  }
  return false;
}

bool is_lower_hex(const char* text, size_t count) {
  if (strlen(text) != count) return false;
  for (size_t i = 0; i < count; ++i) {
    if (!(is_digit(text[i]) || (text[i] >= 'a' && text[i] <= 'f'))) return false;
  }
  return true;
}

bool hex_decode(const char* text, uint8_t* out, size_t cap, size_t* len) {
  const size_t n = strlen(text);
  if (n % 2 != 0 || n / 2 > cap) return false;
  for (size_t i = 0; i < n / 2; ++i) {
    const int hi = hex_digit(text[2 * i]);
    const int lo = hex_digit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  *len = n / 2;
  return true;
}

void hex_encode(const uint8_t* data, size_t len, char* out) {
  static const char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < len; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0x0F];
  }
  out[2 * len] = '\0';
}

bool base64_decode(const char* text, uint8_t* out, size_t cap, size_t* len) {
  const size_t n = strlen(text);
  if (n % 4 != 0) return false;
  size_t written = 0;
  for (size_t i = 0; i < n; i += 4) {
    const bool last = i + 4 == n;
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + k];
      if (c == '=' && last && k >= 2) {
        v[k] = 0;
        ++pad;
      } else if (pad > 0 || (v[k] = base64_digit(c)) < 0) {
        return false;
      }
    }
    const uint32_t bits = static_cast<uint32_t>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    const int bytes = 3 - pad;
    if (written + static_cast<size_t>(bytes) > cap) return false;
    for (int k = 0; k < bytes; ++k) out[written++] = static_cast<uint8_t>(bits >> (16 - 8 * k));
  }
  *len = written;
  return true;
}

bool split_url(const char* url, UrlParts* out) {
  struct Scheme {
    const char* prefix;
    bool secure;
  };
  static const Scheme kSchemes[] = {
      {"ws://", false}, {"wss://", true}, {"http://", false}, {"https://", true}};
  if (!is_url(url)) return false;
  const char* rest = nullptr;
  for (const Scheme& scheme : kSchemes) {
    const size_t n = strlen(scheme.prefix);
    if (strncmp(url, scheme.prefix, n) == 0) {
      rest = url + n;
      out->secure = scheme.secure;
    }
  }
  const char* slash = strchr(rest, '/');
  const char* authority_end = slash != nullptr ? slash : rest + strlen(rest);
  const char* colon = nullptr;
  for (const char* p = rest; p < authority_end; ++p) {
    if (*p == ':') colon = p;
  }
  const char* host_end = colon != nullptr ? colon : authority_end;
  const size_t host_len = static_cast<size_t>(host_end - rest);
  if (host_len == 0 || host_len >= sizeof(out->host)) return false;
  memcpy(out->host, rest, host_len);
  out->host[host_len] = '\0';
  out->port = out->secure ? 443 : 80;
  if (colon != nullptr) {
    uint32_t port = 0;
    const char* p = colon + 1;
    if (p == authority_end) return false;
    for (; p < authority_end; ++p) {
      if (!is_digit(*p)) return false;
      port = port * 10 + static_cast<uint32_t>(*p - '0');
      if (port > 65535) return false;
    }
    if (port == 0) return false;
    out->port = static_cast<uint16_t>(port);
  }
  return copy_text(out->path, sizeof(out->path), slash != nullptr ? slash : "/");
}

bool copy_text(char* out, size_t cap, const char* text) {
  const size_t n = strlen(text);
  const size_t take = n < cap ? n : cap - 1;
  memcpy(out, text, take);
  out[take] = '\0';
  return take == n;
}

}  // namespace tankcore
