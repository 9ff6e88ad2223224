// sim/history.h — weeks of hourly history of simulated stations, made as
// fast as the CPU allows, for heatd-forecast to learn from (heatsim
// history; heatsim(1), HISTORY). Each loop of the model (sim/physics)
// runs closed under its control configuration (sim/closed_loop.h) over a
// span of wall-clock time, and the values its control box or PLC would
// report are sampled after every step, rounded as the box rounds them,
// and rolled up per hour as heat.reading_hourly holds them.
//
// Time: the span is the `days` × 24 whole hours before `end_s`. A sample
// taken at instant ts belongs to the hour date_trunc('hour', ts), as the
// database rolls readings up: hour H holds the samples at H, H + step, ..,
// H + 3600 − step. The model first runs kWarmupDays before the span, so
// that buildings and controllers are settled when it starts.
//
// Pure: no I/O, no clock. Deterministic: the same loops (seeds), span and
// weather give the same numbers, whatever the number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "heat/control/config.h"
#include "heat/core/status.h"
#include "heat/sim/closed_loop.h"
#include "heat/sim/physics/weather.h"

namespace heat::sim {

// The model's local time: China Standard Time, as control::Clock and the
// design winter's daily swing assume.
inline constexpr int64_t kLocalOffsetS = 8 * 3600;
inline constexpr int kWarmupDays = 2;
inline constexpr int kMaxForecastHours = 384;  // heat.weather_forecast keeps 16 days ahead
inline constexpr int kMaxStepS = 600;

struct HistorySpan {
  int64_t end_s = 0;  // epoch, on the hour; the span ends just before it
  int days = 1;
  int step_s = 60;    // divides 3600, so that every hour has the same samples
  int64_t start_s() const { return end_s - int64_t{days} * 86400; }
  int hours() const { return days * 24; }
};

// kUsage for an end not on the hour, days outside 1..3660, or a step that
// is not a divisor of 3600 of at most kMaxStepS.
Status CheckSpan(const HistorySpan& span);

// Weather on the wall clock. Model time 0 is origin_s, a local midnight,
// so that the model's time of day (internal gains, the daily swing) is the
// local time of day; the weather's row 0 lies at model time row0_s.
struct WallWeather {
  physics::Weather weather = physics::Weather::FromHourly({});
  int64_t origin_s = 0;
  double row0_s = 0;
  double ModelTime(int64_t epoch_s) const { return static_cast<double>(epoch_s - origin_s); }
  physics::WeatherSample At(int64_t epoch_s) const { return weather.At(ModelTime(epoch_s) - row0_s); }
};

// The local midnight on or before epoch_s.
int64_t LocalMidnight(int64_t epoch_s);

// The built-in Urumqi design winter, laid on the calendar: its cycles
// start on the local days that are multiples of kDesignCycleDays since
// 1970-01-01, so an hour has the same weather in every run, and a history
// made later continues the one made before (and the forecast written with
// it). Covers the warm-up, the span and forecast_hours after it.
inline constexpr int kDesignCycleDays = 868;  // 28 days (cold snaps) × 31 h (wind), in days
WallWeather DesignWinterOnClock(const HistorySpan& span, int forecast_hours);

// Hourly rows (physics::Weather::LoadCsv) from the local midnight on or
// before the span's start, whatever dates the file gives; the first row
// is held before it (the warm-up), the last row after its end.
WallWeather CsvOnClock(physics::Weather w, const HistorySpan& span);

// One point to roll up: its code in heat.point, the model's tag it reads
// (Station::Tags() or manual) and the decimals the device reports.
struct HistoryPoint {
  std::string code;
  std::string model_tag;
  int decimals = 2;
};

// A loop of the model under its control configuration, and its points.
struct HistoryLoop {
  ControlledStation cs;
  std::vector<HistoryPoint> points;
  std::vector<size_t> index;  // of each point in SampleValues()
};

// The model's tags in the order of SampleValues(): Station::Tags(), manual.
std::vector<std::string> SampleTags(const physics::Station& st);
std::vector<double> SampleValues(const physics::Station& st);

// kUsage naming the point when the model has no value for its tag.
Result<HistoryLoop> MakeHistoryLoop(ControlledStation cs, std::vector<HistoryPoint> points);

// What heatd-control runs where no configuration is given: outdoor
// compensation on the design curve of the loop's radiators (control/curve.h
// DesignCurve, 75/50 °C at −19.7 °C outdoor and 18 °C indoor) for 20 °C
// rooms, on the composite outdoor temperature, pump at 50 Hz.
control::StationConfig DefaultHistoryConfig(const physics::StationDesign& d);

// One hour of one point, as a row of heat.reading_hourly.
struct HourAgg {
  int n = 0;
  double sum = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  double last = 0;
  int64_t last_ts = 0;
  void Add(double v, int64_t ts);
};

// hours[point][hour]: the loop's points in its order, the span's hours.
struct LoopHistory {
  std::vector<std::vector<HourAgg>> hours;
};

// Called with every sample of the span (tests check the rollup with it).
using SampleHook = std::function<void(size_t point, int64_t ts, double value)>;

LoopHistory SimulateLoop(HistoryLoop& loop, const HistorySpan& span, const WallWeather& w,
                         const SampleHook& hook = {});

// Every loop, on up to `threads` threads (loops are independent).
std::vector<LoopHistory> SimulateLoops(std::vector<HistoryLoop>& loops, const HistorySpan& span,
                                       const WallWeather& w, int threads);

// "2025-01-20T08:00:00Z".
std::string FormatUtc(int64_t epoch_s);

// One CSV line (with its newline) of `point,hour,n,sum,min,max,
// last_value,last_ts`; values to `decimals`, as the samples were.
std::string HourlyCsvRow(const std::string& point, int64_t hour_s, const HourAgg& a, int decimals);

// The weather of the `hours` hours from end_s on as a forecast issued at
// end_s: `issued,valid_time,outdoor_temp_c,wind_ms,solar_wm2`, with header.
std::string ForecastCsv(const WallWeather& w, int64_t end_s, int hours);

}  // namespace heat::sim
