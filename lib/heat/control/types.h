// control/types.h — what a station's controller reads, keeps and sends
// (CTL-1..4). The strategies are pure functions over these plain values
// (control/strategy.h): no I/O, no clock, no globals, so the same code runs
// in heatd-control and in a simulation benchmark.
//
// A measurement that is not known is NaN (a sensor offline, a value out of
// range at the edge); every function here accepts NaN anywhere and still
// returns finite commands within the safety limits.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace heat::control {

inline constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
inline bool Known(double v) { return std::isfinite(v); }

// One room sensor (DEV-1) of the station's buildings, as last stored.
struct RoomReading {
  double temp_c = kUnknown;
  double age_s = 0;      // since the reading was taken
  bool online = true;    // the device is not marked offline
};

struct Measurements {
  double t_out_c = kUnknown;
  double wind_ms = kUnknown;      // when the station (or the city) measures it
  double solar_wm2 = kUnknown;
  double t1s = kUnknown, t1r = kUnknown, t2s = kUnknown, t2r = kUnknown;  // °C
  double dp2_kpa = kUnknown;      // secondary p2s − p2r
  double f1_m3h = kUnknown;       // primary flow
  double pw1_kw = kUnknown;       // primary power
  double valve_pct = kUnknown;    // position feedback (DEV-3)
  double pump_hz = kUnknown;      // converter feedback
  bool local_manual = false;      // the box's forced-manual switch (DEV-3/4)
  std::vector<RoomReading> rooms;
  // heatd-forecast's outdoor temperature for one building time constant
  // ahead, when a forecast exists (CTL-3 feed-forward).
  std::optional<double> forecast_t_out_c;
};

// The time of a step: an instant and the site's UTC offset (China keeps
// +08:00 all year), from which schedules take the local day and hour.
struct Clock {
  int64_t epoch_s = 0;
  int utc_offset_s = 8 * 3600;
};

struct PiState {
  double integral = 0;        // in units of the error × s / ti
  double output = kUnknown;   // last output; unknown until the first step
};

// Everything a strategy carries from one step to the next. Start with a
// default-constructed state; pass back the state each Step returns.
struct ControlState {
  bool started = false;
  int64_t last_s = 0;
  double composite_c = kUnknown;     // filtered outdoor temperature (CTL-4)
  double room_setpoint_c = kUnknown; // after the schedule's ramp
  double room_integral_c = 0;        // room-target correction, integral part (CTL-3)
  double limitation_c = 0;           // return/flow/power limitation, °C off the supply
  double supply_setpoint_c = kUnknown;  // after the setpoint rate limit
  PiState valve_pi;
  PiState pump_pi;
};

struct Commands {
  bool send = true;            // false: the station is in local manual, command nothing
  double valve_pct = 0;
  double pump_hz = 0;
  bool pump_run = true;
  // What the loops aimed at, for logs and displays (NaN when not used).
  double supply_setpoint_c = kUnknown;
  double room_setpoint_c = kUnknown;
  double composite_c = kUnknown;
  std::vector<std::string> limited;  // safety limits that changed a command
};

}  // namespace heat::control
