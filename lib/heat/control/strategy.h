// control/strategy.h — one control step of a station (CTL-1..4):
//
//   Step(config, measurements, state, clock) -> commands + new state
//
// A pure function: no I/O, no clock of its own, no globals; the same
// inputs give the same outputs. heatd-control calls it at the station's
// period and sends the commands over the station's transport; a benchmark
// calls it on a simulated station. Strategies are switched at run time by
// passing another config with the same state (the loops start bumpless
// from the actuators' present positions).
//
// Order within a step: composite outdoor temperature (CTL-4), the room
// setpoint from the schedule, the valve loop's setpoint from its strategy
// (heating curve, room-target correction CTL-3, limitations, clamps, rate
// limit), the valve PI (limited to the actuator's running time), the pump
// loop, and last the safety limits (control/safety.h), which the returned
// state also follows. In local manual nothing is commanded (send = false)
// and the loops track the actuators for a bumpless return.
#pragma once

#include "heat/control/config.h"
#include "heat/control/types.h"

namespace heat::control {

struct Output {
  Commands commands;
  ControlState state;
};

Output Step(const StationConfig& cfg, const Measurements& m, const ControlState& state,
            const Clock& clock);

// The room-target correction (CTL-3) to add to the curve's supply, in °C,
// within ±max_correction_c; integral is the state's room_integral_c,
// advanced over dt_s (0 holds it).
double RoomCorrection(const RoomTarget& r, const std::vector<RoomReading>& rooms,
                      double room_setpoint_c, double& integral, double dt_s);

// The limitation integrator (°C to take off the supply), from its previous
// value and the present excesses of return temperature, flow and power.
double UpdateLimitation(const Limitation& l, const Measurements& m, double previous, double dt_s);

}  // namespace heat::control
