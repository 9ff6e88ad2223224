// ctl/weather_parse.h — hourly weather forecasts as files bring them, for
// `heatctl weather import` (FC-2, FC-3). Pure: text in, rows or the reason
// the whole file is refused out; nothing here touches the database.
//
// Two forms:
//  * CSV, a header naming the columns in any order: valid_time and
//    outdoor_temp_c (required), wind_ms, solar_wm2, humidity_pct,
//    cloud_pct (optional; an empty cell is unknown), issued (required
//    unless the caller gives the issue time). Times are ISO 8601 with an
//    offset (2026-11-02T08:00+08:00) or naive local times of the site's
//    zone (2026-11-02 08:00).
//  * The QWeather (和风天气) API v7 hourly answer (/weather/24h, 72h, 168h):
//    {"code":"200","updateTime":...,"hourly":[{"fxTime":...,"temp":"2",
//    "windSpeed":"20",...}]}. Numbers come as strings (plain JSON numbers
//    are taken too); windSpeed is km/h and is stored as m/s; humidity and
//    cloud are %. The issue time is updateTime. A code other than "200" is
//    refused, naming the code and what QWeather means by it.
//
// The whole file is refused (kUsage, naming "line N" of the CSV or "hourly
// entry N" of the JSON and the problem) on the first of: a time or number
// that does not parse, a temperature outside -80..70 °C or another value
// outside what the database accepts, a valid time given twice for one
// issue, a valid time more than 16 days after (or a day before) its issue.
// A --issued given by the caller overrides the file's issue times.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heat/core/status.h"
#include "heat/core/time.h"

namespace heat::ctl {

struct WeatherRow {
  int64_t issued = 0;      // epoch seconds
  int64_t valid_time = 0;  // epoch seconds
  double temp_c = 0;
  std::optional<double> wind_ms, solar_wm2, humidity_pct, cloud_pct;
};

struct WeatherFile {
  std::string source;  // "csv" or "qweather", as heat.weather_forecast.source
  std::vector<WeatherRow> rows;
};

inline constexpr int64_t kMaxLeadS = 16 * 86400;  // valid time at most 16 days after the issue
inline constexpr int64_t kMaxBeforeS = 86400;     // and at most a day before it

Result<WeatherFile> ParseWeatherCsv(std::string_view text, const TimeZone& tz, std::optional<int64_t> issued);
Result<WeatherFile> ParseQWeather(std::string_view text, const TimeZone& tz, std::optional<int64_t> issued);

// By the file name's extension (.csv, .json in any case), else by the
// content: a JSON object is QWeather's, anything else CSV.
Result<WeatherFile> ParseWeather(const std::string& name, std::string_view text, const TimeZone& tz,
                                 std::optional<int64_t> issued);

// A time as a file states it: ISO 8601 with an offset or Z, or a naive
// local time of `tz` ("2026-11-02 08:00", "2026-11-02T08:00:00",
// "2026-11-02"). Relative forms ("now", "-2h") are refused.
Result<int64_t> ParseFileTime(std::string_view s, const TimeZone& tz);

// A finite decimal number, white space around it allowed.
Result<double> ParseDecimal(std::string_view s);

}  // namespace heat::ctl
