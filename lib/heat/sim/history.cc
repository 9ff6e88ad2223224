// sim/history.cc — hourly history of the model under its control loops.
#include "heat/sim/history.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <thread>

#include "heat/control/curve.h"
#include "heat/core/time.h"

namespace heat::sim {
namespace {

constexpr int64_t kDayS = 86400;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

double RoundTo(double v, int decimals) {
  double f = std::pow(10.0, decimals);
  return std::round(v * f) / f + 0.0;  // + 0.0: no "-0" in the output
}

// The shortest text that reads back as v rounded to `decimals`.
void AppendNumber(std::string& out, double v, int decimals) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, RoundTo(v, decimals));
  out.append(buf, r.ptr);
}

// The samples of one step into their hours (and the hook).
void Record(HistoryLoop& l, LoopHistory& h, size_t hour, int64_t ts, const SampleHook& hook) {
  std::vector<double> values = SampleValues(l.cs.station);
  for (size_t p = 0; p < l.points.size(); ++p) {
    double v = RoundTo(values[l.index[p]], l.points[p].decimals);
    h.hours[p][hour].Add(v, ts);
    if (hook) hook(p, ts, v);
  }
}

}  // namespace

Status CheckSpan(const HistorySpan& s) {
  if (s.end_s % 3600 != 0) return Status::Usage("the end must be on the hour");
  if (s.days < 1 || s.days > 3660) return Status::Usage("--days must be in 1..3660");
  // Past 10 minutes the valve's PI and the 2-minute stroke no longer
  // follow one another: at 3600 s the loop swings between shut and open.
  if (s.step_s < 1 || s.step_s > kMaxStepS || 3600 % s.step_s != 0)
    return Status::Usage("--step-s must divide 3600 and be at most " + std::to_string(kMaxStepS) +
                         " (1, 2, .., 60, .., 600)");
  return Status::Ok();
}

int64_t LocalMidnight(int64_t epoch_s) {
  return FloorDiv(epoch_s + kLocalOffsetS, kDayS) * kDayS - kLocalOffsetS;
}

WallWeather DesignWinterOnClock(const HistorySpan& span, int forecast_hours) {
  int64_t first = LocalMidnight(span.start_s() - kWarmupDays * kDayS);
  int64_t day = FloorDiv(first + kLocalOffsetS, kDayS);
  WallWeather w;
  w.origin_s = first - (day - FloorDiv(day, kDesignCycleDays) * kDesignCycleDays) * kDayS;
  int64_t last = span.end_s + int64_t{std::max(forecast_hours, 0)} * 3600;
  w.weather = physics::Weather::UrumqiDesignWinter(static_cast<int>((last - w.origin_s) / kDayS + 2));
  return w;
}

WallWeather CsvOnClock(physics::Weather csv, const HistorySpan& span) {
  WallWeather w;
  w.weather = std::move(csv);
  w.origin_s = LocalMidnight(span.start_s() - kWarmupDays * kDayS);
  w.row0_s = static_cast<double>(LocalMidnight(span.start_s()) - w.origin_s);
  return w;
}

std::vector<std::string> SampleTags(const physics::Station& st) {
  std::vector<std::string> tags;
  for (const auto& [tag, value] : st.Tags()) tags.push_back(tag);
  tags.push_back("manual");
  return tags;
}

std::vector<double> SampleValues(const physics::Station& st) {
  std::vector<double> values;
  values.reserve(24);
  for (const auto& [tag, value] : st.Tags()) values.push_back(value);
  values.push_back(st.valve().forced_manual() ? 1.0 : 0.0);
  return values;
}

Result<HistoryLoop> MakeHistoryLoop(ControlledStation cs, std::vector<HistoryPoint> points) {
  std::vector<std::string> tags = SampleTags(cs.station);
  std::vector<size_t> index;
  for (const HistoryPoint& p : points) {
    auto it = std::find(tags.begin(), tags.end(), p.model_tag);
    if (it == tags.end()) return Status::Usage(p.code + ": the model has no value '" + p.model_tag + "'");
    index.push_back(static_cast<size_t>(it - tags.begin()));
  }
  return HistoryLoop{std::move(cs), std::move(points), std::move(index)};
}

control::StationConfig DefaultHistoryConfig(const physics::StationDesign& d) {
  control::StationConfig c;
  c.valve = control::ValveStrategy::kOutdoorCompensation;
  c.curve = control::DesignCurve(d.secondary_supply_c, d.secondary_return_c, d.design_out_c, d.design_in_c);
  // As the control benchmark found: the coldest flats need up to 90 °C in
  // the design frost; the safety limit (95 °C) stays above it.
  c.curve.max_supply_c = 90;
  c.room_c = 20;
  c.pump_hz = 50;  // design flow, as the radiators were sized for
  return c;
}

void HourAgg::Add(double v, int64_t ts) {
  ++n;
  sum += v;
  min = std::min(min, v);
  max = std::max(max, v);
  last = v;
  last_ts = ts;
}

LoopHistory SimulateLoop(HistoryLoop& l, const HistorySpan& span, const WallWeather& w, const SampleHook& hook) {
  LoopHistory h;
  h.hours.assign(l.points.size(), std::vector<HourAgg>(static_cast<size_t>(span.hours())));
  const int64_t dt = span.step_s, start = span.start_s();
  for (int64_t now = start - kWarmupDays * kDayS + dt; now < span.end_s; now += dt) {
    int64_t from = now - dt;
    StepClosedLoop(l.cs, static_cast<double>(dt), w.ModelTime(from), w.At(from),
                   control::Clock{now, static_cast<int>(kLocalOffsetS)});
    if (now >= start) Record(l, h, static_cast<size_t>((now - start) / 3600), now, hook);
  }
  return h;
}

std::vector<LoopHistory> SimulateLoops(std::vector<HistoryLoop>& loops, const HistorySpan& span,
                                       const WallWeather& w, int threads) {
  std::vector<LoopHistory> out(loops.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < loops.size(); i = next++) out[i] = SimulateLoop(loops[i], span, w);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::min<int>(threads, static_cast<int>(loops.size())); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return out;
}

std::string FormatUtc(int64_t epoch_s) { return FormatUtcNaive(epoch_s) + "Z"; }

std::string HourlyCsvRow(const std::string& point, int64_t hour_s, const HourAgg& a, int decimals) {
  std::string row = point + "," + FormatUtc(hour_s) + "," + std::to_string(a.n) + ",";
  for (double v : {a.sum, a.min, a.max, a.last}) {
    AppendNumber(row, v, decimals);
    row += ',';
  }
  return row + FormatUtc(a.last_ts) + "\n";
}

std::string ForecastCsv(const WallWeather& w, int64_t end_s, int hours) {
  std::string out = "issued,valid_time,outdoor_temp_c,wind_ms,solar_wm2\n";
  std::string issued = FormatUtc(end_s);
  for (int h = 0; h < hours; ++h) {
    int64_t t = end_s + int64_t{h} * 3600;
    physics::WeatherSample s = w.At(t);
    out += issued + "," + FormatUtc(t) + ",";
    AppendNumber(out, s.t_out_c, 2);
    out += ',';
    AppendNumber(out, s.wind_ms, 2);
    out += ',';
    AppendNumber(out, std::max(s.solar_wm2, 0.0), 1);
    out += '\n';
  }
  return out;
}

}  // namespace heat::sim
