// control/safety.h — the hard safety limits (CTL-2 "automatic safety
// protection") applied to every strategy's commands last, so that no
// strategy, tuning or input can pass them:
//
//   - the valve is commanded within [0, 100] %, the pump within
//     [pump_min_hz, pump_max_hz], and every command is finite;
//   - max supply: while t2s > max_supply_c the valve is commanded no
//     further open than it is now (and closed by one running-time step);
//   - max ΔP: while dp2 > max_dp_kpa the pump is commanded no faster than
//     it runs now;
//   - freeze protection: while t1r or t2r < freeze_return_c the pump runs
//     and the valve is at least freeze_valve_pct open, unless max supply
//     holds it (an overheated supply cannot be freezing for long).
// Each limit that changed a command is named in Commands::limited.
#pragma once

#include "heat/control/config.h"
#include "heat/control/types.h"

namespace heat::control {

// close_step_pct: how far the valve closes in one step while the supply is
// too hot (100 × dt / running time).
void ApplySafety(const SafetyLimits& l, const Measurements& m, double close_step_pct,
                 Commands& c);

}  // namespace heat::control
