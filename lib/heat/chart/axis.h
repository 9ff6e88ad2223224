// chart/axis.h — where the ticks of an axis go and how they read. Pure
// arithmetic over numbers and instants, no drawing, so it is tested alone.
//
// Number steps are 1, 2 or 5 × 10^n. Time steps run from a minute to years
// and fall on local boundaries of the chart's zone: minutes and hours on
// the local clock, days at local midnight, weeks on Mondays, months and
// years on the 1st. Labels say what the step needs: "12-06 08:00" below a
// day, "12-06" for days, "2026-12" for months, "2026" for years.
#pragma once

#include <string>
#include <vector>

#include "heat/core/time.h"

namespace heat::chart {

struct Tick {
  double value = 0;
  std::string label;
};

// Ticks covering lo..hi: lo and hi are widened to multiples of the step.
struct NumberAxis {
  double lo = 0, hi = 1, step = 1;
  std::vector<Tick> ticks;
};

// The smallest 1, 2 or 5 × 10^n that is >= raw (raw > 0).
double NiceStep(double raw);
// At most max_ticks intervals (>= 1) over lo..hi. lo == hi gets a range
// around the value; non-finite input gives 0..1.
NumberAxis ChooseNumberTicks(double lo, double hi, int max_ticks);
// Exactly `intervals` intervals of a 1/2/5 step that cover lo..hi, so that a
// second axis lines up with the grid of the first.
NumberAxis AlignedNumberTicks(double lo, double hi, int intervals);
// The value with as many decimals as the step needs ("0.25", "1200",
// "-3"); magnitudes of 10^7 and above in exponent form ("2.5e9").
std::string FormatNumber(double v, double step);

struct TimeAxis {
  double step_s = 3600;  // nominal: a month counts 30 days
  std::vector<Tick> ticks;
};
// Ticks within t0..t1 (unix seconds), the finest step whose labels fit:
// at most max_ticks of them and at most width_px / (label chars + 2) /
// char_px (char_px is the width of one digit).
TimeAxis ChooseTimeTicks(double t0, double t1, const TimeZone& tz, double width_px,
                         double char_px, int max_ticks = 12);

}  // namespace heat::chart
