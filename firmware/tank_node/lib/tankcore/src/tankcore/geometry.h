// Tank geometry: distance -> level -> volume -> percent, and config validation.
// Lengths in mm, volumes in litres. The sensor face sits `sensor_offset_mm` below the tank's
// top (negative in a riser), so its height above the bottom is height - offset.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tankcore {

enum class Shape : uint8_t { kVerticalCylinder, kHorizontalCylinder, kRectangular, kTable };

constexpr size_t kMaxTablePoints = 32;

struct TablePoint {
  double level_mm;
  double volume_l;
};

struct TankGeometry {
  Shape shape = Shape::kVerticalCylinder;
  double diameter_mm = 0;  // cylinders
  double length_mm = 0;    // horizontal cylinder, rectangular
  double width_mm = 0;     // rectangular
  double height_mm = 0;    // all but the horizontal cylinder (whose height is its diameter)
  double sensor_offset_mm = 0;
  double blind_zone_mm = 0;
  bool has_max_fill = false;
  double max_fill_mm = 0;
  uint8_t point_count = 0;
  TablePoint points[kMaxTablePoints] = {};
};

// Validation problems, one bit each; names match the hub's problem codes.
enum Problem : uint32_t {
  kProblemNotFinite = 1u << 0,
  kProblemNonPositiveDimension = 1u << 1,
  kProblemOffsetNotBelowTop = 1u << 2,
  kProblemNegativeBlindZone = 1u << 3,
  kProblemBlindZoneTooLarge = 1u << 4,
  kProblemMaxFillOutOfRange = 1u << 5,
  kProblemTableTooShort = 1u << 6,
  kProblemTableTooLong = 1u << 7,
  kProblemTableNotIncreasing = 1u << 8,
  kProblemTableVolumeDecreasing = 1u << 9,
  kProblemTableLevelOutOfRange = 1u << 10,
};
constexpr int kProblemCount = 11;

// Code of a single problem bit ("offset_not_below_top", ...), or "" for an unknown bit.
const char* problem_code(uint32_t bit);
// Shape name on the wire ("vertical_cylinder", ...).
const char* shape_name(Shape shape);
bool shape_from_name(const char* name, Shape* out);

// Bit set of every problem; 0 means the configuration is usable.
uint32_t validate(const TankGeometry& tank);

double tank_height_mm(const TankGeometry& tank);
double sensor_height_mm(const TankGeometry& tank);
double max_fill_mm(const TankGeometry& tank);

bool is_finite(double x);
// A usable echo distance: finite and above 0 (NaN, timeouts and 0 are ignored).
bool is_valid_distance(double distance_mm);

struct LevelResult {
  double level_mm;
  bool blind_zone;  // inside the blind zone: the tank is at least this full
  bool clamped;     // the raw level fell outside [0, max fill]
};

LevelResult level_from_distance(const TankGeometry& tank, double distance_mm);
double circular_segment_area(double diameter, double level);
double horizontal_fill_fraction(double diameter, double level);
double volume_at_level(const TankGeometry& tank, double level_mm);
double capacity_l(const TankGeometry& tank);
// Volume as a percentage of capacity, within 0..100.
double percent(const TankGeometry& tank, double volume_l);

struct TankReading {
  double level_mm;
  double volume_l;
  double percent;
  bool blind_zone;
  bool clamped;
};

// False when the distance must be ignored.
bool convert(const TankGeometry& tank, double distance_mm, TankReading* out);

}  // namespace tankcore
