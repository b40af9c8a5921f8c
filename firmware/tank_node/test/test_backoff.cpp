#include <doctest/doctest.h>

#include "support/json_dom.h"
#include "tankcore/backoff.h"

using testsupport::Json;

TEST_CASE("backoff delays match the shared vectors") {
  const Json doc = testsupport::load_vectors("backoff.json");
  CHECK(doc["max_shift"].integer == tankcore::Backoff::kMaxShift);
  for (const Json& c : doc["cases"].items) {
    CAPTURE(c["name"].text);
    tankcore::Backoff backoff(static_cast<uint32_t>(c["base_ms"].integer),
                              static_cast<uint32_t>(c["cap_ms"].integer));
    for (const Json& step : c["steps"].items) {
      if (step["op"].text == "reset") {
        backoff.reset();
        CHECK(backoff.attempt() == 0);
        continue;
      }
      CHECK(backoff.next_delay_ms(static_cast<uint32_t>(step["random"].integer)) ==
            step["delay_ms"].integer);
    }
  }
}

TEST_CASE("backoff stays within the cap after many attempts") {
  tankcore::Backoff backoff(1000, 60000);
  uint32_t delay = 0;
  for (int i = 0; i < 200; ++i) delay = backoff.next_delay_ms(0xFFFFFFFFu);
  CHECK(delay <= 60000);
  CHECK(delay >= 30000);
}
