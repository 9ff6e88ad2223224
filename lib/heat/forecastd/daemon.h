// forecastd/daemon.h — heatd-forecast: every forecast.interval (an hour by
// default, a few minutes after it so that the last hour's rollups are in),
// a heat-load and supply-temperature forecast for every heat source and
// station with enough history, stored as an issue (FC-1..4); once a day old
// issues are thinned. `heatd-forecast backtest` runs the judge of the model
// instead (forecast/backtest.h). See heatd-forecast(8).
#pragma once

#include <cstdint>
#include <string>

#include "heat/core/config.h"
#include "heat/db/conn.h"
#include "heat/forecast/calendar.h"
#include "heat/forecast/model.h"

namespace heat::forecastd {

struct Options {
  std::string conninfo, timezone = "Asia/Shanghai", weather_site;
  int64_t interval_s = 3600, delay_s = 300;
  int history_days = 400, keep_all_days = 30, keep_weather_days = 400;
  forecast::Holidays holidays = forecast::Holidays::kChina;
  forecast::SeasonStart season;
  forecast::ModelOptions model;
};

Result<Options> OptionsFrom(const Config& c);

struct RoundStats {
  int issued = 0, skipped = 0;
  std::string first_error;
};

// One round: an issue for every site at `origin` (an hour, UTC epoch s)
// with what was known at `now`.
Result<RoundStats> IssueAll(db::Conn& db, const Options& o, int64_t origin, int64_t now);

int ForecastMain(int argc, char** argv);

}  // namespace heat::forecastd
