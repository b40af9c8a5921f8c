#include <doctest/doctest.h>

#include <cmath>

#include "support/json_dom.h"
#include "tankcore/filters.h"

using testsupport::Json;

TEST_CASE("speed of sound and echo compensation match the shared vectors") {
  const Json doc = testsupport::load_vectors("filters.json");
  const double tol = doc["tolerance"]["abs"].number;
  for (const Json& v : doc["speed_of_sound"].items) {
    CHECK(std::fabs(tankcore::speed_of_sound(v["temperature_c"].number) - v["m_s"].number) <= tol);
  }
  for (const Json& v : doc["compensate"].items) {
    const double echo = v["echo_us"].number;
    const double got = v["temperature_c"].is_null()
                           ? tankcore::compensate(echo)
                           : tankcore::compensate(echo, v["temperature_c"].number);
    CHECK(std::fabs(got - v["distance_mm"].number) <= tol);
  }
}

TEST_CASE("median filter steps match the shared vectors") {
  const Json doc = testsupport::load_vectors("filters.json");
  for (const Json& c : doc["median"].items) {
    CAPTURE(c["name"].text);
    tankcore::MedianFilter filter(static_cast<uint8_t>(c["window"].integer));
    for (const Json& step : c["steps"].items) {
      filter.push(step["in"].is_null() ? NAN : step["in"].number);
      double out = 0;
      const bool has = filter.value(&out);
      CHECK(has == !step["out"].is_null());
      if (has) CHECK(out == doctest::Approx(step["out"].number));
    }
    CHECK(filter.rejected() == static_cast<uint32_t>(c["rejected"].integer));
  }
}

TEST_CASE("median filter rejects infinities and clamps the window") {
  tankcore::MedianFilter filter(0);
  CHECK_FALSE(filter.push(INFINITY));
  CHECK(filter.push(5));
  CHECK(filter.push(9));
  double out = 0;
  REQUIRE(filter.value(&out));
  CHECK(out == 9);  // window 0 becomes 1
  filter.reset();
  CHECK_FALSE(filter.value(&out));
  CHECK(filter.rejected() == 0);
}
