// sim/physics/weather.cc — weather from CSV or a built-in design winter.
#include "heat/sim/physics/weather.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <sstream>

#include "heat/core/time.h"

namespace heat::sim::physics {

namespace {

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) {
    if (!cell.empty() && cell.back() == '\r') cell.pop_back();
    out.push_back(cell);
  }
  return out;
}

Result<double> ParseNumber(const std::string& s) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s.size() || !std::isfinite(v))
    return Status::Usage("'" + s + "' is not a number");
  return v;
}

// Seconds of "YYYY-MM-DDTHH:MM:SS" since 1970-01-01T00:00:00, zone-free.
Result<int64_t> ParseNaive(const std::string& s) {
  if (s.size() != 19 || s[10] != 'T') return Status::Usage("time '" + s + "' is not YYYY-MM-DDTHH:MM:SS");
  auto d = ParseDate(s.substr(0, 10));
  if (!d.ok()) return d.status();
  int h = 0, m = 0, sec = 0;
  if (std::sscanf(s.c_str() + 11, "%2d:%2d:%2d", &h, &m, &sec) != 3)
    return Status::Usage("time '" + s + "' is not YYYY-MM-DDTHH:MM:SS");
  return int64_t{DaysBetween(Date{}, *d)} * 86400 + h * 3600 + m * 60 + sec;
}

struct Columns {
  int time = -1, tout = -1, wind = -1, solar = -1;
};

Columns FindColumns(const std::vector<std::string>& header) {
  Columns c;
  for (int i = 0; i < static_cast<int>(header.size()); ++i) {
    if (header[i] == "time") c.time = i;
    if (header[i] == "outdoor_temp_c") c.tout = i;
    if (header[i] == "wind_ms") c.wind = i;
    if (header[i] == "solar_wm2") c.solar = i;
  }
  return c;
}

Result<double> Cell(const std::vector<std::string>& row, int col) {
  if (col >= static_cast<int>(row.size())) return Status::Usage("missing column");
  return ParseNumber(row[col]);
}

Result<WeatherSample> ParseRow(const std::vector<std::string>& row, const Columns& c) {
  WeatherSample w;
  auto t = Cell(row, c.tout);
  if (!t.ok()) return t.status().With("outdoor_temp_c");
  w.t_out_c = *t;
  if (c.wind >= 0) {
    auto v = Cell(row, c.wind);
    if (!v.ok()) return v.status().With("wind_ms");
    w.wind_ms = *v;
  }
  if (c.solar >= 0) {
    auto v = Cell(row, c.solar);
    if (!v.ok()) return v.status().With("solar_wm2");
    w.solar_wm2 = *v;
  }
  return w;
}

}  // namespace

Result<Weather> Weather::LoadCsv(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": cannot open the weather file");
  std::string line;
  std::getline(in, line);
  Columns c = FindColumns(SplitCsv(line));
  if (c.time < 0 || c.tout < 0)
    return Status::Usage(path + ":1: the header needs the columns time and outdoor_temp_c");
  std::vector<WeatherSample> rows;
  int64_t prev = 0;
  for (int n = 2; std::getline(in, line); ++n) {
    if (line.empty() || line == "\r") continue;
    auto row = SplitCsv(line);
    std::string where = path + ":" + std::to_string(n);
    auto t = c.time < static_cast<int>(row.size()) ? ParseNaive(row[c.time])
                                                   : Result<int64_t>(Status::Usage("missing time"));
    if (!t.ok()) return t.status().With(where);
    if (!rows.empty() && *t - prev != 3600)
      return Status::Usage(where + ": rows must be one hour apart");
    prev = *t;
    auto w = ParseRow(row, c);
    if (!w.ok()) return w.status().With(where);
    rows.push_back(*w);
  }
  if (rows.empty()) return Status::Usage(path + ": no weather rows");
  return FromHourly(std::move(rows));
}

Weather Weather::FromHourly(std::vector<WeatherSample> hourly) {
  Weather w;
  w.rows_ = std::move(hourly);
  if (w.rows_.empty()) w.rows_.push_back({});
  return w;
}

Weather Weather::UrumqiDesignWinter(int days) {
  std::vector<WeatherSample> rows;
  const double pi = std::numbers::pi;
  for (int h = 0; h < std::max(days, 1) * 24; ++h) {
    int day = (h / 24) % 28, hour = h % 24;
    // Daily mean: −8 °C, a cold snap easing in and out over days 6..14.
    double snap = std::max(0.0, 1 - std::abs(day - 10) / 4.0);
    double mean = -8 - 16 * snap + 2 * std::sin(2 * pi * day / 7.0);
    // Daily swing: coldest at 07:00, warmest at 16:00 (a skewed sine).
    double phase = hour >= 7 && hour < 16 ? pi * (hour - 7) / 9.0 : pi + pi * ((hour + 24 - 16) % 24) / 15.0;
    double sun = std::abs(hour - 14) < 4.5 ? std::cos(pi * (hour - 14) / 9.0) : 0.0;
    rows.push_back({mean - 4 * std::cos(phase), 2.5 + 1.5 * std::sin(2 * pi * h / 31.0),
                    350 * sun * sun * (1 - 0.5 * snap)});
  }
  return FromHourly(std::move(rows));
}

WeatherSample Weather::At(double t_s) const {
  if (!std::isfinite(t_s)) t_s = 0;  // a NaN would make the index below undefined
  double x = std::clamp(t_s / 3600, 0.0, static_cast<double>(rows_.size() - 1));
  size_t i = static_cast<size_t>(x);
  if (i + 1 >= rows_.size()) return rows_.back();
  double f = x - static_cast<double>(i);
  const WeatherSample &a = rows_[i], &b = rows_[i + 1];
  return {a.t_out_c + f * (b.t_out_c - a.t_out_c), a.wind_ms + f * (b.wind_ms - a.wind_ms),
          a.solar_wm2 + f * (b.solar_wm2 - a.solar_wm2)};
}

double Weather::duration_s() const { return static_cast<double>(rows_.size() - 1) * 3600; }

void Weather::ShiftTemperature(double delta_c) {
  for (auto& r : rows_) r.t_out_c += delta_c;
}

}  // namespace heat::sim::physics
