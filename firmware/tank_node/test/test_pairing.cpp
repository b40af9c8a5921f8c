#include <doctest/doctest.h>

#include <string>

#include "support/json_dom.h"
#include "tankcore/pairing.h"

using testsupport::Json;

TEST_CASE("pair request bodies match the shared vectors") {
  const Json doc = testsupport::load_vectors("messages.json");
  REQUIRE(doc["pair_requests"].size() > 0);
  for (const Json& v : doc["pair_requests"].items) {
    CAPTURE(v["raw"].text);
    tankcore::PairRequest request{};
    const std::string& raw = v["raw"].text;
    const tankcore::DecodeError error =
        tankcore::decode_pair_request(raw.data(), raw.size(), &request);
    if (v.has("error")) {
      CHECK(std::string(tankcore::decode_error_name(error)) == v["error"].text);
      continue;
    }
    REQUIRE(error == tankcore::DecodeError::kNone);
    CHECK(std::string(request.hub_url) == v["fields"]["hub_url"].text);
    CHECK(std::string(request.device_id) == v["fields"]["device_id"].text);
    CHECK(std::string(request.secret) == v["fields"]["secret"].text);
  }
}

TEST_CASE("pairing status codes") {
  using tankcore::DecodeError;
  CHECK(tankcore::pair_status(false, false, DecodeError::kNone) == 200);
  CHECK(tankcore::pair_status(false, false, DecodeError::kMissingField) == 400);
  CHECK(tankcore::pair_status(true, false, DecodeError::kNone) == 409);
  CHECK(tankcore::pair_status(true, false, DecodeError::kMalformedJson) == 409);
  CHECK(tankcore::pair_status(true, true, DecodeError::kNone) == 200);
  CHECK(tankcore::reset_pairing_status(false) == 403);
  CHECK(tankcore::reset_pairing_status(true) == 200);
}

TEST_CASE("GET /info tells state but never the secret") {
  const tankcore::NodeInfo info{"a4:cf:12:0b:9e:01", "tank-node-esp32", "1.2.0", true, "dev-1",
                                "ws://hub:8123/api/tank_node/ws", tankcore::HubLink::kRejected,
                                false, 42, 3};
  char buf[512];
  const size_t n = tankcore::encode_info(info, buf, sizeof buf);
  REQUIRE(n > 0);
  const Json body = testsupport::parse_json(std::string(buf, n));
  CHECK(body["paired"].boolean);
  CHECK(body["proto"].integer == 1);
  CHECK(body["hub"].text == "rejected");
  CHECK(body["buffered"].integer == 3);
  CHECK_FALSE(body.has("secret"));

  const tankcore::NodeInfo unpaired{"a4:cf:12:0b:9e:01", "m", "1.0.0", false, nullptr, nullptr,
                                    tankcore::HubLink::kUnpaired, false, 1, 0};
  const size_t m = tankcore::encode_info(unpaired, buf, sizeof buf);
  const Json body2 = testsupport::parse_json(std::string(buf, m));
  CHECK(body2["device_id"].is_null());
  CHECK(body2["hub_url"].is_null());
}
