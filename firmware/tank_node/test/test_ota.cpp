#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/json_dom.h"
#include "tankcore/ota.h"
#include "tankcore/sha256.h"
#include "tankcore/text.h"

using testsupport::Json;

namespace {

std::string sha256_hex(const std::vector<uint8_t>& data, size_t chunk) {
  tankcore::Sha256 hash;
  for (size_t at = 0; at < data.size(); at += chunk) {
    hash.update(data.data() + at, std::min(chunk, data.size() - at));
  }
  uint8_t digest[tankcore::kSha256Size];
  hash.finish(digest);
  char hex[65];
  tankcore::hex_encode(digest, sizeof digest, hex);
  return hex;
}

tankcore::OtaManifest manifest_for(const std::vector<uint8_t>& image) {
  tankcore::OtaManifest m{};
  m.size = static_cast<uint32_t>(image.size());
  tankcore::Sha256 hash;
  hash.update(image.data(), image.size());
  hash.finish(m.sha256);
  return m;
}

std::vector<uint8_t> fake_image(uint8_t first, size_t size) {
  std::vector<uint8_t> image(size);
  for (size_t i = 0; i < size; ++i) image[i] = static_cast<uint8_t>(i * 7 + 3);
  image[0] = first;
  return image;
}

}  // namespace

TEST_CASE("SHA-256 matches the shared vectors in any chunking") {
  const Json doc = testsupport::load_vectors("sha256.json");
  for (const Json& c : doc["cases"].items) {
    CAPTURE(c["name"].text);
    std::vector<uint8_t> data;
    for (int64_t i = 0; i < c["repeat"].integer; ++i) {
      data.insert(data.end(), c["ascii"].text.begin(), c["ascii"].text.end());
    }
    CHECK(sha256_hex(data, data.empty() ? 1 : data.size()) == c["sha256"].text);
    CHECK(sha256_hex(data, 7) == c["sha256"].text);
  }
}

TEST_CASE("image verifier accepts a good image and reports monotonic progress") {
  const auto image = fake_image(0xE9, 5000);
  tankcore::ImageVerifier verifier;
  REQUIRE(verifier.begin(manifest_for(image), 1 << 20, false) == tankcore::OtaError::kNone);
  uint8_t last = 0;
  for (size_t at = 0; at < image.size(); at += 1024) {
    const size_t n = std::min<size_t>(1024, image.size() - at);
    REQUIRE(verifier.update(image.data() + at, n) == tankcore::OtaError::kNone);
    CHECK(verifier.progress() >= last);
    last = verifier.progress();
  }
  CHECK(verifier.progress() == 100);
  uint8_t digest[tankcore::kSha256Size];
  CHECK(verifier.finish(digest) == tankcore::OtaError::kNone);
}

TEST_CASE("image verifier refuses what must not be flashed") {
  tankcore::ImageVerifier verifier;
  uint8_t digest[tankcore::kSha256Size];

  SUBCASE("too large for the slot") {
    const auto image = fake_image(0xE9, 100);
    CHECK(verifier.begin(manifest_for(image), 99, false) == tankcore::OtaError::kNoSpace);
  }
  SUBCASE("wrong magic byte") {
    const auto image = fake_image(0x00, 100);
    REQUIRE(verifier.begin(manifest_for(image), 1000, false) == tankcore::OtaError::kNone);
    CHECK(verifier.update(image.data(), image.size()) == tankcore::OtaError::kChecksum);
  }
  SUBCASE("gzip only where allowed") {
    auto image = fake_image(0x1F, 100);
    image[1] = 0x8B;
    REQUIRE(verifier.begin(manifest_for(image), 1000, false) == tankcore::OtaError::kNone);
    CHECK(verifier.update(image.data(), 1) == tankcore::OtaError::kChecksum);
    REQUIRE(verifier.begin(manifest_for(image), 1000, true) == tankcore::OtaError::kNone);
    CHECK(verifier.update(image.data(), 1) == tankcore::OtaError::kNone);
    CHECK(verifier.update(image.data() + 1, image.size() - 1) == tankcore::OtaError::kNone);
    CHECK(verifier.finish(digest) == tankcore::OtaError::kNone);
  }
  SUBCASE("more bytes than announced") {
    const auto image = fake_image(0xE9, 100);
    auto manifest = manifest_for(image);
    manifest.size = 50;
    REQUIRE(verifier.begin(manifest, 1000, false) == tankcore::OtaError::kNone);
    CHECK(verifier.update(image.data(), image.size()) == tankcore::OtaError::kSize);
  }
  SUBCASE("truncated download") {
    const auto image = fake_image(0xE9, 100);
    REQUIRE(verifier.begin(manifest_for(image), 1000, false) == tankcore::OtaError::kNone);
    REQUIRE(verifier.update(image.data(), 60) == tankcore::OtaError::kNone);
    CHECK(verifier.finish(digest) == tankcore::OtaError::kSize);
  }
  SUBCASE("corrupted byte") {
    auto image = fake_image(0xE9, 100);
    const auto manifest = manifest_for(image);
    image[50] ^= 0x01;
    REQUIRE(verifier.begin(manifest, 1000, false) == tankcore::OtaError::kNone);
    REQUIRE(verifier.update(image.data(), image.size()) == tankcore::OtaError::kNone);
    CHECK(verifier.finish(digest) == tankcore::OtaError::kChecksum);
  }
}

TEST_CASE("text checks follow the protocol rules") {
  CHECK(tankcore::is_semver("1.2.3"));
  CHECK(tankcore::is_semver("10.0.0-rc.1+build.7"));
  CHECK_FALSE(tankcore::is_semver("1.2"));
  CHECK_FALSE(tankcore::is_semver("1.2.3-"));
  CHECK_FALSE(tankcore::is_semver("v1.2.3"));
  CHECK(tankcore::is_mac("a4:cf:12:0b:9e:01"));
  CHECK_FALSE(tankcore::is_mac("A4:CF:12:0B:9E:01"));
  CHECK_FALSE(tankcore::is_mac("a4-cf-12-0b-9e-01"));
  CHECK(tankcore::is_url("wss://hub/api/tank_node/ws"));
  CHECK_FALSE(tankcore::is_url("http://"));
  CHECK_FALSE(tankcore::is_printable("two words"));

  uint8_t out[8];
  size_t len = 0;
  REQUIRE(tankcore::base64_decode("AAEC/w==", out, sizeof out, &len));
  CHECK(len == 4);
  CHECK(out[3] == 0xFF);
  CHECK_FALSE(tankcore::base64_decode("AA=C", out, sizeof out, &len));
  CHECK_FALSE(tankcore::base64_decode("AAE", out, sizeof out, &len));
  CHECK_FALSE(tankcore::base64_decode("AAAAAAAAAAAAAAAA", out, 8, &len));
  REQUIRE(tankcore::hex_decode("00fF10", out, sizeof out, &len));
  CHECK(len == 3);
  CHECK(out[1] == 0xFF);
  CHECK_FALSE(tankcore::hex_decode("0g", out, sizeof out, &len));

  char small[4];
  CHECK_FALSE(tankcore::copy_text(small, sizeof small, "abcdef"));
  CHECK(std::string(small) == "abc");
}

TEST_CASE("hub URLs split into host, port and path") {
  tankcore::UrlParts url{};
  REQUIRE(tankcore::split_url("ws://192.168.1.10:8123/api/tank_node/ws", &url));
  CHECK_FALSE(url.secure);
  CHECK(std::string(url.host) == "192.168.1.10");
  CHECK(url.port == 8123);
  CHECK(std::string(url.path) == "/api/tank_node/ws");
  REQUIRE(tankcore::split_url("https://hub.example.org", &url));
  CHECK(url.secure);
  CHECK(url.port == 443);
  CHECK(std::string(url.path) == "/");
  CHECK_FALSE(tankcore::split_url("ws://:80/x", &url));
  CHECK_FALSE(tankcore::split_url("ws://h:99999/x", &url));
  CHECK_FALSE(tankcore::split_url("ws://h:/x", &url));
  CHECK_FALSE(tankcore::split_url("ftp://h/x", &url));
}
