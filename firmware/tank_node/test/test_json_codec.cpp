#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "tankcore/json_reader.h"
#include "tankcore/json_writer.h"

namespace {

bool parses(const std::string& text) {
  tankcore::JsonValue root;
  return tankcore::json_parse(text.data(), text.size(), &root);
}

}  // namespace

TEST_CASE("the reader accepts exactly one strict JSON value") {
  CHECK(parses(" {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\"]} "));
  CHECK(parses("0"));
  CHECK_FALSE(parses("01"));
  CHECK_FALSE(parses("1."));
  CHECK_FALSE(parses("-"));
  CHECK_FALSE(parses("[1,]"));
  CHECK_FALSE(parses("{\"a\" 1}"));
  CHECK_FALSE(parses("\"tab\there\""));
  CHECK_FALSE(parses("\"\\x\""));
  CHECK_FALSE(parses("tru"));
  CHECK_FALSE(parses("{} {}"));
  CHECK(parses(std::string(16, '[') + std::string(16, ']')));
  CHECK_FALSE(parses(std::string(18, '[') + std::string(18, ']')));
}

TEST_CASE("the reader finds members and decodes strings") {
  const std::string text = R"({"k":"a\"b\\c\n\ud83d\ude00","k":"last","n":-9223372036854775808,"big":9223372036854775808})";
  tankcore::JsonValue root;
  REQUIRE(tankcore::json_parse(text.data(), text.size(), &root));
  tankcore::JsonValue v;
  REQUIRE(tankcore::json_find(root, "k", &v));
  CHECK(tankcore::json_string_equals(v, "last"));
  tankcore::JsonIterator it(root);
  tankcore::JsonValue key;
  REQUIRE(it.next(&v, &key));
  char buf[32];
  size_t len = 0;
  REQUIRE(tankcore::json_get_string(v, buf, sizeof buf, &len));
  CHECK(std::string(buf, len) == "a\"b\\c\n\xF0\x9F\x98\x80");
  char tiny[4];
  CHECK_FALSE(tankcore::json_get_string(v, tiny, sizeof tiny, &len));
  CHECK(len == 10);
  int64_t n = 0;
  REQUIRE(tankcore::json_find(root, "n", &v));
  CHECK(tankcore::json_get_int(v, &n) == tankcore::JsonInt::kOk);
  CHECK(n == INT64_MIN);
  REQUIRE(tankcore::json_find(root, "big", &v));
  CHECK(tankcore::json_get_int(v, &n) == tankcore::JsonInt::kOutOfRange);
  CHECK_FALSE(tankcore::json_find(root, "missing", &v));
}

TEST_CASE("a lone surrogate is not a valid string value") {
  const std::string text = R"("\udc00")";
  tankcore::JsonValue root;
  REQUIRE(tankcore::json_parse(text.data(), text.size(), &root));
  char buf[8];
  size_t len = 0;
  CHECK_FALSE(tankcore::json_get_string(root, buf, sizeof buf, &len));
}

TEST_CASE("the writer nests, escapes and refuses overflow") {
  char buf[96];
  tankcore::JsonWriter w(buf, sizeof buf);
  w.begin_object();
  w.key("a");
  w.begin_array();
  w.integer(-5);
  w.boolean(true);
  w.null();
  w.begin_object();
  w.end_object();
  w.end_array();
  w.key("s");
  w.string("q\"\\\t\x01");
  w.end_object();
  REQUIRE(w.ok());
  CHECK(std::string(w.c_str()) == R"({"a":[-5,true,null,{}],"s":"q\"\\\t\u0001"})");

  char small[8];
  tankcore::JsonWriter tiny(small, sizeof small);
  tiny.begin_object();
  tiny.key("long key");
  CHECK_FALSE(tiny.ok());
  CHECK(std::strlen(small) < sizeof small);
}
