// Builds tankcore values from vector documents without going through tankcore's decoder.
#pragma once

#include "support/json_dom.h"
#include "tankcore/geometry.h"

namespace testsupport {

tankcore::TankGeometry tank_from_json(const Json& tank);

}  // namespace testsupport
