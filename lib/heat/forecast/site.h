// forecast/site.h — one forecast issue of one site (a heat source or a
// station) from its hourly history and the weather forecast (FC-1..4):
// what heatd-forecast does every hour for every site, without the
// database, so that it can be tested on its own.
//
// The model (forecast/model.h) is fitted afresh from the history on every
// issue — a year of hours takes milliseconds — so a restart, an edited
// history or a changed option needs no saved state.
//
// Weather: each coming hour takes the weather forecast for it when there is
// one; otherwise the forecast goes on without it, from the last measured
// outdoor temperature blending into the mean of the same hour of the day
// over the last seven days ("climatology") within about a day, and the
// issue says so (weather "partial" or "none").
//
// Supply temperature: from the station's heating curve when its closed
// loop runs one (FC-2 then follows the control strategy), else learnt from
// the measured supply like the load.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "heat/forecast/model.h"

namespace heat::forecast {

// An hour of measured history (instants are UTC epoch seconds on the hour).
struct HistoryHour {
  int64_t hour = 0;
  double load_kw = kNaN, supply_c = kNaN, outdoor_c = kNaN;
};

struct WeatherHour {
  int64_t hour = 0;
  Weather w;
};

// The local calendar of an hour: its HourInput without the weather.
using CalendarFn = std::function<HourInput(int64_t hour)>;

struct SiteInput {
  std::vector<HistoryHour> history;    // ascending, gaps allowed
  std::vector<WeatherHour> weather;    // forecasts for coming hours, any order
  int64_t origin = 0;                  // the first hour forecast; history before it
  // The supply setpoint for a coming hour's outdoor temperature, called once
  // per coming hour in order (it may filter); empty: learn the supply.
  std::function<double(double outdoor_c)> supply_curve;
};

struct IssueHour {
  int64_t hour = 0;
  Point load, supply;  // supply.value NaN when neither curve nor history
  double outdoor_c = kNaN;
};

struct Issue {
  int64_t origin = 0;
  std::vector<IssueHour> hours;
  std::string weather;      // "forecast", "partial", "none"
  std::string supply_from;  // "curve", "learned", "none"
  int history_h = 0;        // good hours the load model learnt from
  std::vector<std::pair<int, double>> expected_rmse;  // (lead, kW)
};

// kNotFound when the site has too little good history or no outdoor
// temperature at all.
Result<Issue> ForecastSite(const SiteInput& in, const CalendarFn& calendar, const ModelOptions& o);

// The coming hours' outdoor temperatures: the forecast where given, else
// the fallback above. Sets *from_forecast to how many came from it.
std::vector<double> ComingTemperatures(const SiteInput& in, int hours, int* from_forecast);

}  // namespace heat::forecast
