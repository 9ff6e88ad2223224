// `heatd-forecast backtest`: arguments, the table by horizon and the summary
// line (see heatd-forecast(8), BACKTEST).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "heat/forecast/backtest.h"

namespace heat::forecast {
namespace {

Status TimeArg(const std::string& s, const char* what, int64_t* out) {
  if (s.empty()) return Status::Ok();
  auto t = ParseNaiveTime(s);
  if (!t.ok()) return t.status().With(what);
  *out = *t;
  return Status::Ok();
}

struct Args {
  std::string file, train_until, from, to, holidays = "none", season, forecasts;
  double noise = 0, half_life_days = 0;
  uint64_t seed = 1;
  int horizon = 168;
};

Result<BacktestOptions> OptionsOf(const Args& a, int64_t first_t) {
  BacktestOptions o;
  HEAT_TRY(TimeArg(a.train_until, "--train-until", &o.train_until));
  // A bare day trains on the whole of that day.
  if (!a.train_until.empty() && a.train_until.size() == 10) o.train_until += 86400;
  if (a.train_until.empty()) o.train_until = first_t + 365 * 86400LL;
  HEAT_TRY(TimeArg(a.from, "--from", &o.from));
  HEAT_TRY(TimeArg(a.to, "--to", &o.to));
  HEAT_ASSIGN(o.holidays, ParseHolidays(a.holidays));
  HEAT_ASSIGN(o.season, ParseSeasonStart(a.season));
  if (a.noise < 0 || a.noise > 20) return Status::Usage("--weather-noise: expected 0..20 °C");
  if (a.horizon < 24 || a.horizon > 336) return Status::Usage("--horizon: expected 24..336 hours");
  o.weather_noise_c = a.noise;
  o.seed = a.seed;
  o.model.horizon_h = a.horizon;
  o.model.half_life_h = a.half_life_days * 24;
  o.forecasts_csv = a.forecasts;
  return o;
}

std::string Fixed(double v, int digits) {
  if (std::isnan(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

void Print(const BacktestResult& r, double seconds) {
  std::printf("%8s %8s %12s %10s %10s %12s %10s\n", "horizon", "mape_%", "persist_%", "mae", "bias", "supply_mae_c",
              "points");
  for (const auto& s : r.scores)
    std::printf("%7dh %8s %12s %10s %10s %12s %10ld\n", s.h, Fixed(s.mape, 2).c_str(),
                Fixed(s.persistence_mape, 2).c_str(), Fixed(s.mae, 3).c_str(), Fixed(s.bias, 3).c_str(),
                Fixed(s.supply_mae, 2).c_str(), s.points);
  auto at = [&](int h) -> const HorizonScore& {
    for (const auto& s : r.scores)
      if (s.h == h) return s;
    return r.scores.front();
  };
  std::printf("origins %ld, %.1f s\n", r.origins, seconds);
  std::printf("forecast mape_6h=%s mape_24h=%s mape_72h=%s mape_168h=%s persistence_24h=%s supply_mae_24h_c=%s\n",
              Fixed(at(6).mape, 2).c_str(), Fixed(at(24).mape, 2).c_str(), Fixed(at(72).mape, 2).c_str(),
              Fixed(at(168).mape, 2).c_str(), Fixed(at(24).persistence_mape, 2).c_str(),
              Fixed(at(24).supply_mae, 2).c_str());
}

}  // namespace

int BacktestMain(const std::vector<std::string>& argv) {
  CLI::App app("heatd-forecast backtest: fits on the history up to a day and scores forecasts issued from every "
               "later hour (heatd-forecast(8))",
               "heatd-forecast backtest");
  Args a;
  app.add_option("file", a.file, "hourly CSV: time,heat_load_mw,outdoor_temp_c[,supply_temp_c]")->required();
  app.add_option("--train-until", a.train_until, "fit on rows up to this day or time (default: the first year)");
  app.add_option("--from", a.from, "first origin (default: right after --train-until)");
  app.add_option("--to", a.to, "origins before this time (default: the end of the file)");
  app.add_option("--weather-noise", a.noise, "weather forecast error, °C at 24 h, growing with the lead");
  app.add_option("--seed", a.seed, "seed of the weather forecast error");
  app.add_option("--holidays", a.holidays, "holiday calendar: cn, de or none (default none)");
  app.add_option("--season-start", a.season, "MM-DD the heating season starts every year (default: none)");
  app.add_option("--half-life-days", a.half_life_days, "memory of the regression in days (default 0: all)");
  app.add_option("--horizon", a.horizon, "hours ahead (default 168)");
  app.add_option("--forecasts", a.forecasts, "write every forecast to this CSV");
  std::vector<std::string> rev(argv.rbegin(), argv.rend());
  try {
    app.parse(rev);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto fail = [](const Status& st) {
    std::cerr << "heatd-forecast backtest: " << st.message() << "\n";
    return st.exit_code();
  };
  auto rows = ReadSeriesCsv(a.file);
  if (!rows.ok()) return fail(rows.status());
  auto opt = OptionsOf(a, rows->front().t);
  if (!opt.ok()) return fail(opt.status());
  auto t0 = std::chrono::steady_clock::now();
  auto res = Backtest(*rows, *opt);
  if (!res.ok()) return fail(res.status());
  if (res->origins == 0) return fail(Status::Usage("no forecast issued: is there history before the first origin?"));
  Print(*res, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}

}  // namespace heat::forecast
