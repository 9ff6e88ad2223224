#include "heat/forecast/backtest.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>

#include "heat/core/sheet.h"

namespace heat::forecast {
namespace {

constexpr int64_t kHour = 3600;

double ParseNumber(const std::string& s) {
  if (s.empty()) return kNaN;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  return (end && *end == '\0' && std::isfinite(v)) ? v : kNaN;
}

bool HeatingMonth(const Date& d) { return d.month >= 10 || d.month <= 4; }

HourInput InputOf(const SeriesRow& r, const BacktestOptions& o) {
  HourInput in;
  in.hour = r.hour;

  in.day = DayTypeOf(r.date, o.holidays);
  in.season_day = DaysIntoSeason(r.date, o.season);
  in.year_day = DaysBetween(Date{r.date.year, 1, 1}, r.date);
  in.w.temp_c = r.temp;
  return in;
}

// The weather forecast issued at an origin: the measured temperatures of the
// coming hours with an error that wanders like a random walk, so that its
// spread is sigma at 24 hours and grows with the square root of the lead.
// A missing temperature holds the last known one.
std::vector<HourInput> Coming(const std::vector<SeriesRow>& rows, size_t origin, size_t n,
                              const BacktestOptions& o) {
  std::vector<HourInput> out;
  out.reserve(n);
  std::mt19937_64 rng(o.seed * 1000003u + origin);
  std::normal_distribution<double> step(0.0, o.weather_noise_c / std::sqrt(24.0));
  double err = 0, last = kNaN;
  for (size_t i = origin - 1; i < origin && i < rows.size(); --i)  // last known before the origin
    if (!std::isnan(rows[i].temp)) {
      last = rows[i].temp;
      break;
    }
  for (size_t k = 0; k < n; ++k) {
    HourInput in = InputOf(rows[origin + k], o);
    if (std::isnan(in.w.temp_c)) in.w.temp_c = last;
    last = in.w.temp_c;
    if (o.weather_noise_c > 0) err += step(rng);
    in.w.temp_c += err;
    out.push_back(in);
  }
  return out;
}

struct LeadSums {
  double ape = 0, pers_ape = 0, abs = 0, err = 0, supply_abs = 0;
  long n = 0, supply_n = 0;
};

void Score(const std::vector<SeriesRow>& rows, size_t origin, const Forecast& f, std::vector<LeadSums>* sums) {
  for (size_t k = 0; k < f.load.size(); ++k) {
    const SeriesRow& r = rows[origin + k];
    size_t lead = k + 1;
    size_t back = 24 * ((lead + 23) / 24);
    if (!HeatingMonth(r.date) || origin + k < back) continue;
    double pers = rows[origin + k - back].load;
    LeadSums& s = (*sums)[k];
    if (!std::isnan(r.supply) && k < f.supply.size()) {
      s.supply_abs += std::abs(f.supply[k].value - r.supply);
      ++s.supply_n;
    }
    if (std::isnan(r.load) || r.load <= 0 || std::isnan(pers)) continue;
    double e = f.load[k].value - r.load;
    s.ape += std::abs(e) / r.load;
    s.pers_ape += std::abs(pers - r.load) / r.load;
    s.abs += std::abs(e);
    s.err += e;
    ++s.n;
  }
}

std::vector<HorizonScore> Summarize(const std::vector<LeadSums>& sums) {
  std::vector<HorizonScore> out;
  for (int h : kHorizons) {
    LeadSums t;
    for (int k = 0; k < h && k < static_cast<int>(sums.size()); ++k) {
      const LeadSums& s = sums[static_cast<size_t>(k)];
      t.ape += s.ape, t.pers_ape += s.pers_ape, t.abs += s.abs, t.err += s.err, t.n += s.n;
      t.supply_abs += s.supply_abs, t.supply_n += s.supply_n;
    }
    HorizonScore hs;
    hs.h = h;
    hs.points = t.n;
    if (t.n > 0) {
      hs.mape = 100.0 * t.ape / static_cast<double>(t.n);
      hs.persistence_mape = 100.0 * t.pers_ape / static_cast<double>(t.n);
      hs.mae = t.abs / static_cast<double>(t.n);
      hs.bias = t.err / static_cast<double>(t.n);
    }
    if (t.supply_n > 0) hs.supply_mae = t.supply_abs / static_cast<double>(t.supply_n);
    out.push_back(hs);
  }
  return out;
}

void WriteForecast(std::ofstream& out, const std::vector<SeriesRow>& rows, size_t origin, const Forecast& f) {
  char buf[160];
  for (size_t k = 0; k < f.load.size(); ++k) {
    std::snprintf(buf, sizeof buf, "%s,%zu,%s,%.4f,%.4f,%.4f,", FormatNaiveTime(rows[origin].t).c_str(), k + 1,
                  FormatNaiveTime(rows[origin + k].t).c_str(), f.load[k].value, f.load[k].lo, f.load[k].hi);
    out << buf;
    if (k < f.supply.size()) {
      std::snprintf(buf, sizeof buf, "%.3f", f.supply[k].value);
      out << buf;
    }
    out << '\n';
  }
}

}  // namespace

Result<int64_t> ParseNaiveTime(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  char sep = 0;
  int n = std::sscanf(s.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &mo, &d, &sep, &h, &mi, &sec);
  if (n == 4 && sep == 'T') n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d", &y, &mo, &d, &h) + 1;
  bool shape = n == 3 || n >= 5;
  if (shape && n > 3 && sep != 'T' && sep != ' ') shape = false;
  if (!shape || h > 23 || mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
    return Status::Usage("expected a time like 2015-01-01T06:00:00, got '" + s + "'");
  char canon[16];
  std::snprintf(canon, sizeof canon, "%04d-%02d-%02d", y, mo, d);
  HEAT_ASSIGN(Date date, ParseDate(canon));
  return static_cast<int64_t>(DaysBetween(Date{1970, 1, 1}, date)) * 86400 + h * kHour + mi * 60 + sec;
}

std::string FormatNaiveTime(int64_t t) { return FormatUtcNaive(t); }

Result<std::vector<SeriesRow>> ReadSeriesCsv(const std::string& path) {
  HEAT_ASSIGN(Sheet sheet, ReadSheet(path));
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < sheet.header.size(); ++i) col[sheet.header[i]] = i;
  for (const char* need : {"time", "heat_load_mw", "outdoor_temp_c"})
    if (!col.count(need)) return Status::Usage(path + ": no column '" + need + "'");
  bool has_supply = col.count("supply_temp_c") > 0;
  std::vector<SeriesRow> out;
  for (size_t i = 0; i < sheet.rows.size(); ++i) {
    const auto& cells = sheet.rows[i];
    auto cell = [&](const std::string& name) { return col[name] < cells.size() ? cells[col[name]] : std::string(); };
    std::string where = path + ": line " + std::to_string(sheet.line[i]);
    auto parsed = ParseNaiveTime(cell("time"));
    if (!parsed.ok()) return parsed.status().With(where);
    int64_t t = *parsed - *parsed % kHour;
    if (!out.empty() && t <= out.back().t) {
      if (t == out.back().t) continue;  // a repeated hour (the autumn clock change)
      return Status::Usage(where + ": time goes back to " + cell("time"));
    }
    while (!out.empty() && out.back().t + kHour < t) {  // a missing hour: unknowns
      SeriesRow gap;
      gap.t = out.back().t + kHour;
      out.push_back(gap);
    }
    SeriesRow r;
    r.t = t;
    r.load = ParseNumber(cell("heat_load_mw"));
    r.temp = ParseNumber(cell("outdoor_temp_c"));
    if (has_supply) r.supply = ParseNumber(cell("supply_temp_c"));
    out.push_back(r);
  }
  for (auto& r : out) {
    r.date = AddDays(Date{1970, 1, 1}, static_cast<int>(r.t / 86400));
    r.hour = static_cast<int>(r.t % 86400 / kHour);
  }
  if (out.empty()) return Status::Usage(path + ": no rows");
  return out;
}

Result<BacktestResult> Backtest(const std::vector<SeriesRow>& rows, const BacktestOptions& o) {
  Model model(o.model);
  int64_t from = o.from ? o.from : o.train_until, to = o.to ? o.to : rows.back().t + 1;
  std::ofstream dump;
  if (!o.forecasts_csv.empty()) {
    dump.open(o.forecasts_csv, std::ios::trunc);
    if (!dump) return Status::Failure(o.forecasts_csv + ": cannot write");
    dump << "origin,lead,time,load,load_lo,load_hi,supply\n";
  }
  std::vector<LeadSums> sums(static_cast<size_t>(o.model.horizon_h));
  BacktestResult res;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].t >= from && rows[i].t < to && rows[i].t >= o.train_until) {
      size_t n = std::min(rows.size() - i, static_cast<size_t>(o.model.horizon_h));
      auto f = model.Predict(Coming(rows, i, n, o));
      if (f.ok()) {
        ++res.origins;
        Score(rows, i, *f, &sums);
        if (dump) WriteForecast(dump, rows, i, *f);
      } else if (f.status().code() != Code::kNotFound) {
        return f.status();
      }
    }
    Observation ob;
    ob.in = InputOf(rows[i], o);
    ob.load = rows[i].load;
    ob.supply = rows[i].supply;
    model.Observe(ob);
  }
  if (dump && !dump.flush()) return Status::Failure(o.forecasts_csv + ": write failed");
  res.scores = Summarize(sums);
  return res;
}

}  // namespace heat::forecast
