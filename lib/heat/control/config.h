// control/config.h — a station's control configuration (CTL-2, CTL-4):
// the strategy of the valve loop and of the pump loop, their setpoints,
// the heating curve, limitations, schedule, composite outdoor temperature,
// room-temperature target, the PI tunings and the hard safety limits.
// Plain values; Validate() says what is wrong with one before it is used
// (heatd-control validates a reloaded configuration before swapping it in).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "heat/core/status.h"
#include "heat/core/time.h"

namespace heat::control {

// What the primary control valve follows.
enum class ValveStrategy {
  kConstantSupply,       // secondary supply t2s at supply_c
  kConstantReturn,       // secondary return t2r at return_c
  kConstantFlow,         // primary flow f1 at flow_m3h
  kOutdoorCompensation,  // t2s from the heating curve of the (composite) outdoor temperature
  kRoomTarget,           // the curve corrected from the room sensors (CTL-3)
};

// What the secondary circulation pump follows.
enum class PumpStrategy {
  kFixedHz,      // pump_hz
  kConstantDp,   // secondary differential pressure dp2 at dp_kpa, by frequency
};

// Danfoss ECL Comfort 310 practice: either six points (outdoor °C, supply
// °C) with outdoor temperatures rising, or a slope 0.1–4.0 through the
// room reference: supply = room + slope × (room − outdoor). Both are then
// moved by the parallel displacement and by the room-setpoint shift
// (room setpoint − room_ref_c) × (1 + local slope), and held within
// [min_supply_c, max_supply_c].
struct HeatingCurve {
  std::vector<std::pair<double, double>> points;  // empty: use slope
  double slope = 1.4;
  double parallel_c = 0;
  double room_ref_c = 20;
  double min_supply_c = 35;
  double max_supply_c = 85;
};

// Limitations that lower the supply setpoint while a value is too high;
// each excess feeds one integrator (adapt_time_s) that relaxes at the same
// rate when nothing is exceeded. A limit <= 0 is off.
struct Limitation {
  double return_limit_c = 0;   // primary return t1r (the source wants it low)
  double return_gain = 2;      // °C of supply per °C of excess
  double flow_limit_m3h = 0;   // primary flow f1
  double power_limit_kw = 0;   // primary power pw1
  double excess_gain = 0.5;    // °C of supply per % over the flow or power limit
  double adapt_time_s = 600;
};

struct Period {
  int start_min = 0;  // minutes after local midnight
  int end_min = 0;    // exclusive; periods do not cross midnight
};

// Comfort periods per day type; outside them the night setpoint applies.
// Rising to comfort ramps at ramp_c_per_h; falling is immediate. Start-time
// optimisation begins a period earlier by opt_min_per_k minutes per kelvin
// the outdoor temperature is below the day setpoint, at most opt_max_h.
struct Schedule {
  bool enabled = false;
  std::vector<Period> weekday{{6 * 60, 22 * 60}};
  std::vector<Period> weekend{{7 * 60, 23 * 60}};
  std::vector<Date> holidays;  // these days use the weekend periods
  double day_room_c = 20;
  double night_room_c = 17;
  double ramp_c_per_h = 1;
  bool optimise_start = true;
  double opt_min_per_k = 3;
  double opt_max_h = 3;
};

// CTL-4: outdoor temperature filtered by the building's time constant,
// minus wind_c_per_ms per m/s above wind_ref_ms, plus solar_c_per_wm2 per
// W/m² (where measured).
struct Composite {
  double building_tau_h = 20;  // 0: no filter
  double wind_c_per_ms = 0.3;
  double wind_ref_ms = 2;
  double solar_c_per_wm2 = 0.01;
};

// CTL-3: the supply setpoint corrected by a PI on the low percentile of
// the room sensors (so the coldest flats are served); sensors offline,
// older than max_age_s or outside [plausible_min_c, plausible_max_c] are
// left out; fewer than min_sensors left: the integral holds. It holds as
// well while a schedule keeps the room setpoint below its day setpoint
// (night setback, the ramp back): the integral learns the buildings at
// comfort, and a heavy building that cools less at night than the setback
// asks would otherwise wind it down and start the morning cold. A forecast
// blends into the curve's outdoor temperature with forecast_weight.
struct RoomTarget {
  double percentile = 0.1;
  int min_sensors = 3;
  double max_age_s = 7200;
  double plausible_min_c = 5, plausible_max_c = 35;
  double kp = 2;              // °C of supply per °C of room error
  double ti_s = 4 * 3600;
  double max_correction_c = 15;
  double forecast_weight = 0.5;
};

struct PiTuning {
  double kp = 2;            // output units per unit of error
  double ti_s = 180;        // 0: proportional only
  double neutral_zone = 0;  // errors within ±this are treated as zero
  double out_min = 0, out_max = 100;
  double rate_per_s = 0;    // largest output change per second; 0: none
};

// Hard limits, applied after every strategy; nothing passes them.
struct SafetyLimits {
  double max_supply_c = 95;      // t2s above: the valve only closes
  double max_dp_kpa = 300;       // dp2 above: the pump only slows down
  double freeze_return_c = 5;    // t1r or t2r below: pump on, valve opened
  double freeze_valve_pct = 20;  //   at least this far (unless t2s is too hot)
  double pump_min_hz = 20;
  double pump_max_hz = 50;
};

struct StationConfig {
  ValveStrategy valve = ValveStrategy::kOutdoorCompensation;
  PumpStrategy pump = PumpStrategy::kFixedHz;
  double supply_c = 60, return_c = 45, flow_m3h = 50;  // constant strategies
  double pump_hz = 45, dp_kpa = 100;
  double room_c = 20;                    // without a schedule
  double setpoint_rate_c_per_h = 10;     // supply setpoint rate limit; 0: none
  double valve_running_time_s = 120;     // actuator: 0 -> 100 % no faster
  HeatingCurve curve;
  Limitation limitation;
  Schedule schedule;
  Composite composite;
  RoomTarget room;
  // 0.8 % per K: the supply answers the valve within a step (a plate
  // exchanger holds little water), by up to ~1 K per % when thermostatic
  // valves have cut the secondary flow; kp 2 swung the valve end to end.
  PiTuning valve_pi{0.8, 180, 0.5, 0, 100, 0};
  PiTuning pump_pi{0.05, 60, 2, 0, 50, 0};
  SafetyLimits limits;
};

// kUsage naming the field: "curve.slope: 5 is outside 0.1..4.0".
Status Validate(const StationConfig& c);

}  // namespace heat::control
