// forecast/features.h — what the forecast regresses on: for one hour, its
// calendar (hour of day by day type) and its weather, the outdoor
// temperature smoothed over the time constants of buildings and network (6,
// 24 and 72 hours), heating degrees on the 24-hour mean in pieces (the load
// is not linear in the temperature near the heating limit nor in hard
// frost), the daily profile scaled by heating degrees, wind and sun where
// known, and the warm-up of the first days of a heating season. Pure.
#pragma once

#include <array>
#include <cmath>
#include <limits>

#include "heat/forecast/calendar.h"

namespace heat::forecast {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Weather {
  double temp_c = kNaN;     // outdoor temperature
  double wind_ms = kNaN;    // unknown: no wind term
  double solar_wm2 = kNaN;  // unknown: no solar term
};

// What is known of an hour before it comes: its calendar and its weather
// (measured for past hours, forecast for coming ones).
struct HourInput {
  int hour = 0;                       // local hour of day, 0..23
  DayType day = DayType::kWorkday;
  int season_day = -1;                // days into the heating season, -1: not set
  int year_day = 0;                   // 0..365
  Weather w;
};

// The outdoor temperature and its exponential means. A missing temperature
// holds the last one (and so holds the means); before the first one all
// are unknown.
class TempState {
 public:
  void Step(double temp_c);
  bool known() const { return !std::isnan(t_); }
  double t() const { return t_; }
  double e6() const { return e_[0]; }
  double e24() const { return e_[1]; }
  double e72() const { return e_[2]; }
  double e240() const { return e_[3]; }

 private:
  double t_ = kNaN;
  std::array<double, 4> e_{{kNaN, kNaN, kNaN, kNaN}};
};

// The balance temperature of heating degrees: above it no space heating.
constexpr double kBalanceC = 16.0;
constexpr int kHinges = 8;
constexpr int kFeatures = 24 * kDayTypes + 5 + kHinges + 24 + 3 + 4 + 48;

using FeatureVec = std::array<double, kFeatures>;

// The features of an hour; temp must be known().
FeatureVec Features(const HourInput& in, const TempState& temp);

}  // namespace heat::forecast
