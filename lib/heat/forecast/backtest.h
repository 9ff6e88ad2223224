// forecast/backtest.h — the judge of the forecast model: `heatd-forecast
// backtest FILE` (FC-1..4). It fits on the rows up to a day, then issues from
// every hour of the evaluation span a forecast of the coming hours from the
// rows before that hour only, with the measured outdoor temperature of the
// coming hours standing for the weather forecast (optionally with a
// forecast error that grows with the lead time), and scores it against
// same-hour-yesterday persistence on the heating-season hours.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "heat/core/status.h"
#include "heat/forecast/calendar.h"
#include "heat/forecast/model.h"

namespace heat::forecast {

// One hour of a site's history; times are local and naive, as in the file.
struct SeriesRow {
  int64_t t = 0;  // seconds since 1970-01-01 00:00 local
  Date date;
  int hour = 0;
  double load = kNaN, temp = kNaN, supply = kNaN;
};

// Reads `time,heat_load_mw,outdoor_temp_c[,supply_temp_c]` (by header name,
// any order, more columns ignored) into consecutive hours: a missing hour
// becomes a row of unknowns, a repeated one keeps the first, an empty or
// unreadable number is unknown. A bad time or disordered rows: kUsage
// naming the line.
Result<std::vector<SeriesRow>> ReadSeriesCsv(const std::string& path);

// "2015-01-01", "2015-01-01T06", "2015-01-01 06:00", "2015-01-01T06:00:00".
Result<int64_t> ParseNaiveTime(const std::string& s);
std::string FormatNaiveTime(int64_t t);

struct BacktestOptions {
  int64_t train_until = 0;  // fit on rows before this instant
  int64_t from = 0, to = 0; // origins in [from, to); 0: from train_until to the end
  double weather_noise_c = 0;
  uint64_t seed = 1;
  Holidays holidays = Holidays::kNone;
  SeasonStart season;
  ModelOptions model;
  std::string forecasts_csv;  // when set: every forecast, one row per lead
};

constexpr int kHorizons[] = {1, 6, 12, 24, 72, 168};

struct HorizonScore {
  int h = 0;
  double mape = kNaN, persistence_mape = kNaN, mae = kNaN, bias = kNaN, supply_mae = kNaN;
  long points = 0;
};

struct BacktestResult {
  std::vector<HorizonScore> scores;  // for each of kHorizons
  long origins = 0;
};

Result<BacktestResult> Backtest(const std::vector<SeriesRow>& rows, const BacktestOptions& o);

// The command: parses its arguments, prints a table by horizon and the
// summary line `forecast mape_6h=... supply_mae_24h_c=...`.
int BacktestMain(const std::vector<std::string>& args);

}  // namespace heat::forecast
