// control/pi.h — a PI controller step with anti-windup, a neutral zone
// and an output rate limit (CTL-2). Pure apart from the state it is given.
//
// u = kp·(e + I), I += e·dt/ti. Anti-windup by conditional integration:
// the integral grows only until the output reaches a limit, never further
// into it, so the loop leaves the limit as soon as the error turns.
// Bumpless start: with state.output unknown, the integral is set so that
// the first output equals `current` (the actuator's present position).
#pragma once

#include "heat/control/config.h"
#include "heat/control/types.h"

namespace heat::control {

// Returns the new output, finite and within [t.out_min, t.out_max]; an
// unknown setpoint or measurement holds the last output (or `current`).
// max_step (> 0) caps |Δoutput| in this step as well as t.rate_per_s.
double PiStep(const PiTuning& t, PiState& s, double setpoint, double measured,
              double current, double dt_s, double max_step = 0);

}  // namespace heat::control
