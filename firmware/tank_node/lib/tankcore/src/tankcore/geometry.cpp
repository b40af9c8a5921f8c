#include "tankcore/geometry.h"

#include <math.h>
#include <string.h>

namespace tankcore {
namespace {

constexpr double kMm3PerLitre = 1000000.0;
constexpr double kPi = 3.14159265358979323846;

const char* const kProblemCodes[kProblemCount] = {
    "not_finite",           "non_positive_dimension",  "offset_not_below_top",
    "negative_blind_zone",  "blind_zone_too_large",    "max_fill_out_of_range",
    "table_too_short",      "table_too_long",          "table_not_increasing",
    "table_volume_decreasing", "table_level_out_of_range",
};

const char* const kShapeNames[] = {"vertical_cylinder", "horizontal_cylinder", "rectangular",
                                   "table"};

double clamp(double x, double lo, double hi) { return x < lo ? lo : (x > hi ? hi : x); }

// Dimensions that must be positive for the shape; returns how many were written.
int dimensions(const TankGeometry& tank, double out[3]) {
  switch (tank.shape) {
    case Shape::kVerticalCylinder:
      out[0] = tank.diameter_mm;
      out[1] = tank.height_mm;
      return 2;
    case Shape::kHorizontalCylinder:
      out[0] = tank.diameter_mm;
      out[1] = tank.length_mm;
      return 2;
    case Shape::kRectangular:
      out[0] = tank.length_mm;
      out[1] = tank.width_mm;
      out[2] = tank.height_mm;
      return 3;
    case Shape::kTable:
      out[0] = tank.height_mm;
      return 1;
  }
  return 0;
}

uint32_t table_problems(const TankGeometry& tank) {
  const size_t n = tank.point_count;
  if (n < 2) return kProblemTableTooShort;
  if (n > kMaxTablePoints) return kProblemTableTooLong;
  for (size_t i = 0; i < n; ++i) {
    if (!is_finite(tank.points[i].level_mm) || !is_finite(tank.points[i].volume_l)) {
      return kProblemNotFinite;
    }
  }
  uint32_t problems = 0;
  bool volume_ok = tank.points[0].volume_l >= 0;
  for (size_t i = 1; i < n; ++i) {
    if (tank.points[i].level_mm <= tank.points[i - 1].level_mm) {
      problems |= kProblemTableNotIncreasing;
    }
    if (tank.points[i].volume_l < tank.points[i - 1].volume_l) volume_ok = false;
  }
  if (!volume_ok) problems |= kProblemTableVolumeDecreasing;
  if (tank.points[0].level_mm < 0 || tank.points[n - 1].level_mm > tank.height_mm) {
    problems |= kProblemTableLevelOutOfRange;
  }
  return problems;
}

double interpolate(const TankGeometry& tank, double level) {
  const TablePoint* p = tank.points;
  const size_t n = tank.point_count;
  if (level <= p[0].level_mm) return p[0].volume_l;
  for (size_t i = 1; i < n; ++i) {
    if (level <= p[i].level_mm) {
      const double span = p[i].level_mm - p[i - 1].level_mm;
      return p[i - 1].volume_l +
             (p[i].volume_l - p[i - 1].volume_l) * (level - p[i - 1].level_mm) / span;
    }
  }
  return p[n - 1].volume_l;
}

}  // namespace

const char* problem_code(uint32_t bit) {
  for (int i = 0; i < kProblemCount; ++i) {
    if (bit == (1u << i)) return kProblemCodes[i];
  }
  return "";
}

const char* shape_name(Shape shape) { return kShapeNames[static_cast<int>(shape)]; }

bool shape_from_name(const char* name, Shape* out) {
  for (int i = 0; i < 4; ++i) {
    if (strcmp(name, kShapeNames[i]) == 0) {
      *out = static_cast<Shape>(i);
      return true;
    }
  }
  return false;
}

bool is_finite(double x) { return x - x == 0.0; }  // false for NaN and both infinities

bool is_valid_distance(double distance_mm) {
  return is_finite(distance_mm) && distance_mm > 0;
}

double tank_height_mm(const TankGeometry& tank) {
  return tank.shape == Shape::kHorizontalCylinder ? tank.diameter_mm : tank.height_mm;
}

double sensor_height_mm(const TankGeometry& tank) {
  return tank_height_mm(tank) - tank.sensor_offset_mm;
}

double max_fill_mm(const TankGeometry& tank) {
  return tank.has_max_fill ? tank.max_fill_mm : tank_height_mm(tank);
}

uint32_t validate(const TankGeometry& tank) {
  double dims[3];
  const int count = dimensions(tank, dims);
  bool finite = is_finite(tank.sensor_offset_mm) && is_finite(tank.blind_zone_mm) &&
                is_finite(max_fill_mm(tank));
  for (int i = 0; i < count; ++i) finite = finite && is_finite(dims[i]);
  if (!finite) return kProblemNotFinite;
  for (int i = 0; i < count; ++i) {
    if (dims[i] <= 0) return kProblemNonPositiveDimension;
  }
  uint32_t problems = 0;
  const double height = tank_height_mm(tank);
  if (tank.sensor_offset_mm >= height) problems |= kProblemOffsetNotBelowTop;
  if (tank.blind_zone_mm < 0) {
    problems |= kProblemNegativeBlindZone;
  } else if (tank.sensor_offset_mm < height && tank.blind_zone_mm >= sensor_height_mm(tank)) {
    problems |= kProblemBlindZoneTooLarge;
  }
  const double fill = max_fill_mm(tank);
  if (!(fill > 0 && fill <= height)) problems |= kProblemMaxFillOutOfRange;
  if (tank.shape == Shape::kTable) problems |= table_problems(tank);
  return problems;
}

LevelResult level_from_distance(const TankGeometry& tank, double distance_mm) {
  const double top = max_fill_mm(tank);
  const double mount = sensor_height_mm(tank);
  if (distance_mm < tank.blind_zone_mm) {
    const double level = mount - tank.blind_zone_mm;
    return {level < top ? level : top, true, false};
  }
  const double raw = mount - distance_mm;
  const double level = clamp(raw, 0.0, top);
  return {level, false, level != raw};
}

double circular_segment_area(double diameter, double level) {
  const double r = diameter / 2.0;
  const double h = clamp(level, 0.0, diameter);
  const double chord = 2.0 * r * h - h * h;
  return r * r * acos((r - h) / r) - (r - h) * sqrt(chord > 0 ? chord : 0.0);
}

double horizontal_fill_fraction(double diameter, double level) {
  const double r = diameter / 2.0;
  return circular_segment_area(diameter, level) / (kPi * r * r);
}

double volume_at_level(const TankGeometry& tank, double level_mm) {
  const double h = clamp(level_mm, 0.0, tank_height_mm(tank));
  switch (tank.shape) {
    case Shape::kVerticalCylinder: {
      const double r = tank.diameter_mm / 2.0;
      return kPi * r * r * h / kMm3PerLitre;
    }
    case Shape::kHorizontalCylinder:
      return tank.length_mm * circular_segment_area(tank.diameter_mm, h) / kMm3PerLitre;
    case Shape::kRectangular:
      return tank.length_mm * tank.width_mm * h / kMm3PerLitre;
    case Shape::kTable:
      return interpolate(tank, h);
  }
  return 0;
}

double capacity_l(const TankGeometry& tank) { return volume_at_level(tank, max_fill_mm(tank)); }

double percent(const TankGeometry& tank, double volume_l) {
  const double capacity = capacity_l(tank);
  if (capacity <= 0) return 0;
  return clamp(volume_l / capacity * 100.0, 0.0, 100.0);
}

bool convert(const TankGeometry& tank, double distance_mm, TankReading* out) {
  if (!is_valid_distance(distance_mm)) return false;
  const LevelResult level = level_from_distance(tank, distance_mm);
  const double volume = volume_at_level(tank, level.level_mm);
  *out = {level.level_mm, volume, percent(tank, volume), level.blind_zone, level.clamped};
  return true;
}

}  // namespace tankcore
