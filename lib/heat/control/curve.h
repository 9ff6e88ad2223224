// control/curve.h — the heating curve (CTL-2, outdoor compensation):
// secondary supply setpoint from an outdoor temperature and a room
// setpoint, as config.h's HeatingCurve describes. Pure.
#pragma once

#include "heat/control/config.h"

namespace heat::control {

// The curve's supply at t_out_c for room setpoint room_c, including the
// parallel displacement and the room shift, held within [min, max].
double CurveSupply(const HeatingCurve& c, double t_out_c, double room_c);

// The curve's slope (°C of supply per °C of outdoor fall) at t_out_c:
// the slope itself, or that of the point segment there (0 beyond the ends).
double CurveSlope(const HeatingCurve& c, double t_out_c);

}  // namespace heat::control
