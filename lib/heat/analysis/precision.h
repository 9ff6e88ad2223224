// analysis/precision.h — control precision of a station (ANA-1) from its
// hourly history: how far the controlled value stayed from its setpoint,
// and how the control valve and the circulation pump were used.
//
// The setpoint is not stored as a reading: heatd-control computes it every
// step from the station's configuration (control/strategy.h). Setpoints()
// computes it again, hour by hour, by running control::Step on the hour's
// mean measurements (outdoor temperature, room sensors, the limitation's
// inputs) with a step of one hour, so the analysis uses the controller's
// own code: the curve on the composite outdoor temperature, the schedule,
// the room-target correction, the limitations and the rate limit.
//
// Values are hourly means; NaN is unknown anywhere and is left out. Pure
// functions, no I/O, safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "heat/control/config.h"
#include "heat/control/types.h"

namespace heat::analysis {

// The q-quantile (0..1) of the finite values of v, linear between ranks
// (PostgreSQL's percentile_cont); NaN when there is none.
double Quantile(std::vector<double> v, double q);

// Deviation = measured − setpoint over the hours where both are known.
struct DeviationStats {
  int hours = 0;
  double mean = control::kUnknown;
  double mean_abs = control::kUnknown;
  double p95_abs = control::kUnknown;
  double max_abs = control::kUnknown;
  int hours_outside = 0;  // |deviation| > band
};
DeviationStats Deviation(const std::vector<double>& measured, const std::vector<double>& setpoint, double band);

// An actuator's hourly means against its range lo..hi: quantiles, hours at
// either end (within tol of it), and ten equal buckets lo..hi (a value
// outside the range counts in the end bucket).
struct Spread {
  int hours = 0;
  double mean = control::kUnknown, p05 = control::kUnknown, p50 = control::kUnknown, p95 = control::kUnknown;
  int at_low = 0, at_high = 0;
  std::array<int, 10> buckets{};
};
Spread Distribute(const std::vector<double>& v, double lo, double hi, double tol);

// What the valve loop of a strategy controls, and the tag that measures it
// by default: supply strategies t2s, constant return t2r, constant flow f1.
enum class Controlled { kSupply, kReturn, kFlow };
Controlled ControlledBy(control::ValveStrategy v);
const char* ControlledTag(Controlled c);

// One hour of a station: its start and its mean measurements.
struct Hour {
  int64_t start_s = 0;
  control::Measurements m;
};

// The setpoint of the controlled value in each hour (°C, or m³/h for
// constant flow), replaying control::Step over the hours in order with
// the site's UTC offset; unknown where the strategy could not compute one
// (no outdoor temperature yet).
std::vector<double> Setpoints(const control::StationConfig& cfg, const std::vector<Hour>& hours,
                              int utc_offset_s);

}  // namespace heat::analysis
