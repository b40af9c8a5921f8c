#include "support/tank_json.h"

#include <stdexcept>

namespace testsupport {

tankcore::TankGeometry tank_from_json(const Json& j) {
  tankcore::TankGeometry t;
  if (!tankcore::shape_from_name(j["shape"].text.c_str(), &t.shape)) {
    throw std::runtime_error("unknown shape " + j["shape"].text);
  }
  auto num = [&j](const char* key) { return j.has(key) ? j[key].number : 0.0; };
  t.diameter_mm = num("diameter_mm");
  t.length_mm = num("length_mm");
  t.width_mm = num("width_mm");
  t.height_mm = num("height_mm");
  t.sensor_offset_mm = num("sensor_offset_mm");
  t.blind_zone_mm = num("blind_zone_mm");
  t.has_max_fill = j.has("max_fill_mm") && !j["max_fill_mm"].is_null();
  t.max_fill_mm = num("max_fill_mm");
  if (j.has("points")) {
    for (const Json& p : j["points"].items) {
      t.points[t.point_count++] = {p[0].number, p[1].number};
    }
  }
  return t;
}

}  // namespace testsupport
