#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/json_dom.h"
#include "tankcore/reading_buffer.h"

using testsupport::Json;

TEST_CASE("reading buffer operations match the shared vectors") {
  const Json doc = testsupport::load_vectors("ring_buffer.json");
  REQUIRE(doc["cases"].size() > 0);
  for (const Json& c : doc["cases"].items) {
    CAPTURE(c["name"].text);
    std::vector<tankcore::Reading> storage(static_cast<size_t>(c["capacity"].integer));
    tankcore::ReadingBuffer buffer(storage.data(), static_cast<uint16_t>(storage.size()));
    for (const Json& op : c["ops"].items) {
      const std::string name = op["op"].text;
      if (name == "push") {
        tankcore::Reading r;
        r.boot = static_cast<uint32_t>(op["boot"].integer);
        r.seq = static_cast<uint32_t>(op["seq"].integer);
        r.ts_ms = op["ts_ms"].integer;
        if (op.has("relative") && op["relative"].boolean) r.flags = tankcore::kReadingRelativeTime;
        buffer.push(r);
      } else if (name == "next") {
        const tankcore::Reading* r = buffer.next();
        REQUIRE((r == nullptr) == op["expect"].is_null());
        if (r != nullptr) {
          CHECK(r->boot == op["expect"]["boot"].integer);
          CHECK(r->seq == op["expect"]["seq"].integer);
          const int64_t sent_ts = (r->flags & tankcore::kReadingRelativeTime) ? 0 : r->ts_ms;
          CHECK(sent_ts == op["expect"]["ts_ms"].integer);
        }
      } else if (name == "ack") {
        const auto removed = buffer.ack(static_cast<uint32_t>(op["boot"].integer),
                                        static_cast<uint32_t>(op["seq"].integer));
        CHECK(removed == op["expect_removed"].integer);
      } else if (name == "rewind") {
        buffer.rewind();
      } else if (name == "rebase") {
        const auto changed =
            buffer.rebase(static_cast<uint32_t>(op["boot"].integer), op["epoch_ms"].integer);
        CHECK(changed == op["expect_changed"].integer);
      } else {
        FAIL("unknown op " << name);
      }
    }
    const Json& expect = c["expect"];
    CHECK(buffer.size() == expect["size"].integer);
    CHECK(buffer.dropped() == expect["dropped"].integer);
    CHECK(buffer.pending() == expect["pending"].integer);
    REQUIRE(buffer.size() == expect["items"].size());
    for (uint16_t i = 0; i < buffer.size(); ++i) {
      const Json& item = expect["items"][i];
      CHECK(buffer.at(i).boot == item["boot"].integer);
      CHECK(buffer.at(i).seq == item["seq"].integer);
      CHECK(buffer.at(i).ts_ms == item["ts_ms"].integer);
      CHECK(((buffer.at(i).flags & tankcore::kReadingRelativeTime) != 0) == item["relative"].boolean);
    }
  }
}

TEST_CASE("a persisted buffer state restores only into a matching buffer") {
  tankcore::Reading storage[4];
  tankcore::ReadingBuffer buffer(storage, 4);
  for (uint32_t seq = 1; seq <= 6; ++seq) {
    tankcore::Reading r;
    r.boot = 1;
    r.seq = seq;
    buffer.push(r);
  }
  const tankcore::BufferState saved = buffer.state();

  tankcore::ReadingBuffer reloaded(storage, 4);
  REQUIRE(reloaded.restore(saved));
  CHECK(reloaded.size() == 4);
  CHECK(reloaded.dropped() == 2);
  CHECK(reloaded.next()->seq == 3);

  tankcore::ReadingBuffer other(storage, 8);
  CHECK_FALSE(other.restore(saved));
  tankcore::BufferState corrupt = saved;
  corrupt.magic ^= 1;
  CHECK_FALSE(reloaded.restore(corrupt));
}
