// forecastd/store.h — what heatd-forecast reads and writes in PostgreSQL:
// the sites to forecast (heat sources and stations), their hourly history
// (heat.forecast_history), the weather forecasts of a weather site, the
// stations' heating curves (heat.control_config), and the issues it writes
// and thins (heat.forecast_issue / forecast_value, FC-1..4).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "heat/control/config.h"
#include "heat/db/conn.h"
#include "heat/forecast/site.h"

namespace heat::forecastd {

struct Site {
  std::string kind;  // "source" or "station"
  int id = 0;
  std::string code;
  int org_id = 0;
  // A station whose closed loop runs on a heating curve: its configuration.
  std::optional<control::StationConfig> control;
};

Result<std::vector<Site>> LoadSites(db::Conn& db);

// Hours [from, to) of measured history, ascending.
Result<std::vector<forecast::HistoryHour>> LoadHistory(db::Conn& db, const Site& s, int64_t from, int64_t to);

// For every hour of [from, to), the weather of the latest forecast for
// `site` issued at or before `now`.
Result<std::vector<forecast::WeatherHour>> LoadWeather(db::Conn& db, const std::string& site, int64_t from,
                                                       int64_t to, int64_t now);

// Writes an issue and its hours in one transaction, replacing an issue of
// the same site and origin (a restart within the hour issues again).
// issued_at: the instant as of which it was made (heatd-forecast issue
// makes past ones).
Status SaveIssue(db::Conn& db, const Site& s, const forecast::Issue& is, int64_t issued_at);

// Keeps every issue of the last keep_all_days, and before that one a day
// (the first of each UTC day) per site; weather forecasts older than
// keep_weather_days go. Returns the issues deleted.
Result<int64_t> ThinIssues(db::Conn& db, int keep_all_days, int keep_weather_days);

}  // namespace heat::forecastd
