#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>

#include "support/json_dom.h"
#include "support/tank_json.h"
#include "tankcore/geometry.h"

using testsupport::Json;

namespace {

std::set<std::string> problem_codes(uint32_t bits) {
  std::set<std::string> codes;
  for (int i = 0; i < tankcore::kProblemCount; ++i) {
    if (bits & (1u << i)) codes.insert(tankcore::problem_code(1u << i));
  }
  return codes;
}

}  // namespace

TEST_CASE("horizontal cylinder fill fraction matches the shared vectors") {
  const Json doc = testsupport::load_vectors("geometry.json");
  REQUIRE(doc["fill_fraction"].size() >= 4);
  for (const Json& v : doc["fill_fraction"].items) {
    const double fraction =
        tankcore::horizontal_fill_fraction(v["diameter"].number, v["level"].number);
    CAPTURE(v["level"].number);
    CHECK(std::floor(v["total"].number * fraction) == v["expected_floor"].number);
  }
}

TEST_CASE("distance to level, volume and percent match the shared vectors") {
  const Json doc = testsupport::load_vectors("geometry.json");
  const double tol = doc["tolerance"]["abs"].number;
  for (const Json& tank_case : doc["tanks"].items) {
    const tankcore::TankGeometry tank = testsupport::tank_from_json(tank_case["tank"]);
    REQUIRE(tankcore::validate(tank) == 0);
    CHECK(tankcore::capacity_l(tank) == doctest::Approx(tank_case["capacity_l"].number).epsilon(1e-9));
    for (const Json& r : tank_case["readings"].items) {
      CAPTURE(tank_case["name"].text);
      CAPTURE(r["distance_mm"].number);
      const double distance = r["distance_mm"].is_null() ? NAN : r["distance_mm"].number;
      tankcore::TankReading out{};
      const bool used = tankcore::convert(tank, distance, &out);
      if (r.has("ignored")) {
        CHECK_FALSE(used);
        continue;
      }
      REQUIRE(used);
      CHECK(std::fabs(out.level_mm - r["level_mm"].number) <= tol);
      CHECK(std::fabs(out.volume_l - r["volume_l"].number) <= tol);
      CHECK(std::fabs(out.percent - r["percent"].number) <= tol);
      CHECK(out.blind_zone == r["blind_zone"].boolean);
      CHECK(out.clamped == r["clamped"].boolean);
      CHECK(out.percent >= 0.0);
      CHECK(out.percent <= 100.0);
    }
  }
}

TEST_CASE("validation reports exactly the expected problems") {
  const Json doc = testsupport::load_vectors("geometry.json");
  for (const Json& c : doc["valid_tanks"].items) {
    CAPTURE(c["name"].text);
    CHECK(tankcore::validate(testsupport::tank_from_json(c["tank"])) == 0);
  }
  for (const Json& c : doc["invalid_tanks"].items) {
    CAPTURE(c["name"].text);
    std::set<std::string> expected;
    for (const Json& p : c["problems"].items) expected.insert(p.text);
    CHECK(problem_codes(tankcore::validate(testsupport::tank_from_json(c["tank"]))) == expected);
  }
}

TEST_CASE("non-finite dimensions are a problem, not a crash") {
  tankcore::TankGeometry tank;
  tank.diameter_mm = NAN;
  tank.height_mm = 1000;
  CHECK(tankcore::validate(tank) == tankcore::kProblemNotFinite);
}
