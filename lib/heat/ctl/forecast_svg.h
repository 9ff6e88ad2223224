// ctl/forecast_svg.h — `heatctl forecast show --format svg` (FC-1): a
// standalone SVG chart of one forecast against the actual, written by hand
// (no chart library): the forecast band as a filled polygon, the forecast
// as a line, the actual as a second line (broken where it is not known),
// axes with the hours and kW, a title and a legend. Pure.
#pragma once

#include <string>
#include <vector>

namespace heat::ctl {

struct ChartHour {
  std::string day, time;  // as shown under the axis, e.g. "11-02" and "08:00"
  double load = 0, lo = 0, hi = 0;
  double actual = 0;  // NaN: not known (yet)
};

struct Chart {
  std::string title;   // e.g. "S1: heat load forecast issued 2026-11-02 08:05"
  std::string x_axis;  // e.g. "hour (Asia/Shanghai)"
  std::vector<ChartHour> hours;
};

// The SVG document, UTF-8, ending in a newline. Text is escaped.
std::string ForecastSvg(const Chart& chart);

// Ticks for an axis from lo to hi: about `want` round values (1, 2 or 5
// times a power of ten) covering the range.
std::vector<double> NiceTicks(double lo, double hi, int want);

}  // namespace heat::ctl
