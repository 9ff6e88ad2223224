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

// The design curve of radiators sized for supply_c/return_c at design
// outdoor_c and indoor_c, with the exponent of their output (1.3 for panel
// radiators) and constant flow: the supply at which they give the heat
// loss at each outdoor temperature, a share phi = (indoor − t_out) /
// (indoor − outdoor) of the design:
//   supply = indoor + ΔT_m·phi^(1/exponent) + (supply_c − return_c)/2·phi,
// ΔT_m = (supply_c + return_c)/2 − indoor; phi is 0 at and above indoor.
// Six points at ECL's outdoor temperatures −30, −15, −5, 0, 5, 15 °C with
// room_ref_c = indoor_c, so that a room setpoint other than the design
// indoor temperature shifts it (CTL-2); other fields keep their defaults.
HeatingCurve DesignCurve(double supply_c, double return_c, double outdoor_c, double indoor_c,
                         double exponent = 1.3);

}  // namespace heat::control
