// Test-only JSON document model for reading the shared vectors (independent of tankcore's
// reader so the two check each other).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace testsupport {

struct Json {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  bool integral = false;
  int64_t integer = 0;
  std::string text;
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  bool is_null() const { return kind == Kind::kNull; }
  bool has(const std::string& key) const;
  // Member lookup; throws std::out_of_range when missing.
  const Json& operator[](const std::string& key) const;
  const Json& operator[](size_t index) const { return items.at(index); }
  size_t size() const { return kind == Kind::kObject ? members.size() : items.size(); }
};

// Throws std::runtime_error on malformed input.
Json parse_json(const std::string& text);
// Reads `<TANK_VECTORS_DIR>/<name>`.
Json load_vectors(const std::string& name);

}  // namespace testsupport
