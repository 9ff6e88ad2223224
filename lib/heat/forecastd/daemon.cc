#include "heat/forecastd/daemon.h"

#include <CLI/CLI.hpp>
#include <systemd/sd-daemon.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "heat/cli/daemon_main.h"
#include "heat/control/curve.h"
#include "heat/control/outdoor.h"
#include "heat/core/config_reload.h"
#include "heat/core/log.h"
#include "heat/db/reconnect.h"
#include "heat/core/time.h"
#include "heat/forecast/backtest.h"
#include "heat/forecastd/metrics.h"
#include "heat/forecastd/store.h"

namespace heat::forecastd {
namespace {

constexpr int64_t kHour = 3600;

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The local calendar of UTC hours, remembered: a round asks for the same
// year of hours for every site, and each conversion takes the time-zone lock.
class Calendar {
 public:
  Calendar(TimeZone tz, forecast::Holidays h, forecast::SeasonStart s) : tz_(std::move(tz)), h_(h), s_(s) {}
  forecast::HourInput operator()(int64_t hour) {
    auto it = cache_.find(hour);
    if (it != cache_.end()) return it->second;
    LocalTime lt = ToLocal(hour, tz_);
    forecast::HourInput in;
    in.hour = lt.hour;
    in.day = forecast::DayTypeOf(lt.date, h_);
    in.season_day = forecast::DaysIntoSeason(lt.date, s_);
    in.year_day = DaysBetween(Date{lt.date.year, 1, 1}, lt.date);
    return cache_[hour] = in;
  }

 private:
  TimeZone tz_;
  forecast::Holidays h_;
  forecast::SeasonStart s_;
  std::unordered_map<int64_t, forecast::HourInput> cache_;
};

// The supply setpoint a station's curve gives for the coming hours: the
// outdoor temperature filtered as the controller filters it (CTL-4).
std::function<double(double)> CurveOf(const control::StationConfig& c) {
  auto filtered = std::make_shared<double>(forecast::kNaN);
  return [c, filtered](double t_out) {
    *filtered = control::FilterOutdoor(c.composite, *filtered, t_out, static_cast<double>(kHour));
    return control::CurveSupply(c.curve, *filtered, c.room_c);
  };
}

Status IssueOne(db::Conn& db, const Options& o, const Site& s, Calendar& cal, int64_t origin, int64_t now) {
  forecast::SiteInput in;
  in.origin = origin;
  HEAT_ASSIGN(in.history, LoadHistory(db, s, origin - o.history_days * 24 * kHour, origin));
  HEAT_ASSIGN(in.weather, LoadWeather(db, o.weather_site, origin, origin + o.model.horizon_h * kHour, now));
  if (s.control) in.supply_curve = CurveOf(*s.control);
  HEAT_ASSIGN(forecast::Issue is, forecast::ForecastSite(in, std::ref(cal), o.model));
  return SaveIssue(db, s, is, now);
}

}  // namespace

Result<Options> OptionsFrom(const Config& c) {
  Options o;
  o.conninfo = c.str("db.conninfo");
  o.timezone = c.str("site.timezone");
  o.weather_site = c.str("forecast.weather_site");
  o.interval_s = c.seconds("forecast.interval");
  o.delay_s = c.seconds("forecast.delay");
  o.history_days = static_cast<int>(c.integer("forecast.history_days"));
  o.keep_all_days = static_cast<int>(c.integer("forecast.keep_all_days"));
  o.keep_weather_days = static_cast<int>(c.integer("forecast.keep_weather_days"));
  o.model.horizon_h = static_cast<int>(c.integer("forecast.horizon_h"));
  o.model.half_life_h = c.real("forecast.half_life_days") * 24;
  o.model.min_history_h = static_cast<int>(c.integer("forecast.min_history_h"));
  HEAT_ASSIGN(o.holidays, forecast::ParseHolidays(c.str("forecast.holidays")));
  auto season = forecast::ParseSeasonStart(c.str("forecast.season_start"));
  if (!season.ok()) return season.status().With("forecast.season_start");
  o.season = *season;
  if (o.delay_s >= o.interval_s) return Status::Usage("forecast.delay: must be shorter than forecast.interval");
  return o;
}

Result<RoundStats> IssueAll(db::Conn& db, const Options& o, int64_t origin, int64_t now) {
  HEAT_ASSIGN(TimeZone tz, TimeZone::Load(o.timezone));
  Calendar cal(tz, o.holidays, o.season);
  HEAT_ASSIGN(std::vector<Site> sites, LoadSites(db));
  RoundStats st;
  for (const Site& s : sites) {
    Status r = IssueOne(db, o, s, cal, origin, now);
    if (r.ok()) {
      ++st.issued;
      continue;
    }
    ++st.skipped;
    if (r.code() != Code::kNotFound && st.first_error.empty()) st.first_error = s.code + ": " + r.message();
    log::Debug("forecast: " + s.code + ": " + r.message());
  }
  return st;
}

namespace {

// The worker: rounds at interval boundaries plus the delay, a thinning a day.
class Worker {
 public:
  explicit Worker(Options o) : opt_(std::move(o)) {}
  void SetOptions(Options o) {
    std::lock_guard<std::mutex> lock(mu_);
    next_ = std::move(o);
  }
  void Run(const std::atomic<bool>& stop);
  std::string status() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }
  const ForecastStats& stats() const { return stats_; }

 private:
  Status Round(int64_t now);
  bool Connected(db::Reconnector& rc);
  void TakeOptions() {
    std::lock_guard<std::mutex> lock(mu_);
    if (next_) opt_ = std::move(*next_), next_.reset();
  }

  Options opt_;
  std::optional<Options> next_;
  std::mutex mu_;
  std::string status_ = "STATUS=starting";
  std::unique_ptr<db::Conn> db_;
  int64_t last_slot_ = -1, thinned_day_ = 0;  // a round at once on start
  ForecastStats stats_;
};

Status Worker::Round(int64_t now) {
  if (db_ && !db_->Alive()) db_.reset();  // gone while idle between rounds (a restart, a failover)
  if (!db_) {
    HEAT_ASSIGN(db::Conn c, db::Conn::Open(opt_.conninfo, "heatd-forecast"));
    db_ = std::make_unique<db::Conn>(std::move(c));
  }
  int64_t origin = now - now % kHour;
  auto t0 = std::chrono::steady_clock::now();
  HEAT_ASSIGN(RoundStats st, IssueAll(*db_, opt_, origin, now));
  // Sites fail one by one; a session gone under them fails the round, so
  // it is run again once the database is back.
  if (!db_->Alive()) return Status::Failure("connection lost during the round: " + st.first_error);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::string line = "issued " + std::to_string(st.issued) + ", skipped " + std::to_string(st.skipped) + " in " +
                     std::to_string(static_cast<int>(secs * 1000)) + " ms";
  log::Info("forecast round at " + std::to_string(origin) + ": " + line);
  if (!st.first_error.empty()) log::Warning("forecast: " + st.first_error);
  if (now / 86400 != thinned_day_) {
    HEAT_ASSIGN(int64_t gone, ThinIssues(*db_, opt_.keep_all_days, opt_.keep_weather_days));
    thinned_day_ = now / 86400;
    if (gone) log::Info("forecast: thinned " + std::to_string(gone) + " old issues");
  }
  stats_.runs++;
  stats_.issued += static_cast<uint64_t>(st.issued);
  stats_.skipped += static_cast<uint64_t>(st.skipped);
  stats_.last_success_s = Now();
  std::lock_guard<std::mutex> lock(mu_);
  status_ = "STATUS=last round " + line;
  return Status::Ok();
}

// Between rounds: a connection found gone is made again (as rc allows), so
// that heat_ready says whether the database is there now, not at the last
// round an hour ago.
bool Worker::Connected(db::Reconnector& rc) {
  if (db_ && db_->Alive()) return true;
  db_.reset();
  auto t = db::Reconnector::Clock::now();
  if (!rc.Due(t)) return false;
  auto c = db::Conn::Open(opt_.conninfo, "heatd-forecast");
  if (!c.ok()) {
    rc.Failed(c.status(), t);
    return false;
  }
  db_ = std::make_unique<db::Conn>(std::move(c).value());
  rc.Connected(t);
  return true;
}

void Worker::Run(const std::atomic<bool>& stop) {
  int64_t retry_at = 0;
  db::Reconnector rc("heatd-forecast");  // a lost server: backoff, one line per outage
  while (!stop) {
    TakeOptions();
    int64_t now = Now();
    int64_t slot = now - (now - opt_.delay_s) % opt_.interval_s;  // the latest run time
    if (slot > last_slot_ && now >= retry_at && rc.Due(db::Reconnector::Clock::now())) {
      bool connecting = !db_;
      Status st = Round(now);
      if (!st.ok()) stats_.errors++;
      auto t = db::Reconnector::Clock::now();
      if (connecting && db_) rc.Connected(t);
      if (st.ok()) {
        last_slot_ = slot;
      } else if (!db_ || !db_->Alive()) {
        rc.Failed(st, t);  // the round again as soon as the database is back
        db_.reset();
      } else {
        log::Limited(log::Level::kWarning, "forecast-round", "heatd-forecast: " + st.message());
        db_.reset();
        retry_at = now + 60;
      }
    }
    stats_.up = Connected(rc);  // heat_ready
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

Status Check(const Config& c) { return OptionsFrom(c).status(); }

int Run(Config cfg, const std::string& path) {
  ConfigReloader conf(std::move(cfg), path);
  auto opt = OptionsFrom(conf.config());
  if (!opt.ok()) {
    log::Error("heatd-forecast: " + opt.status().message());
    return opt.status().exit_code();
  }
  Worker worker(*opt);
  auto exporter = ExportStats(conf.config().str("forecast.metrics_listen"), worker.stats());  // stops before worker goes
  std::atomic<bool> stop{false};
  std::thread th([&] { worker.Run(stop); });
  sd_notify(0, "READY=1\nSTATUS=running");
  log::Notice("heatd-forecast running");
  cli::RunUntilStopped(
      [&] {
        sd_notify(0, "RELOADING=1");
        Status st = conf.Reload();
        auto next = st.ok() ? OptionsFrom(conf.config()) : Result<Options>(st);
        if (!next.ok()) log::Error("reload refused, keeping the running configuration: " + next.status().message());
        else worker.SetOptions(*next);
        sd_notify(0, "READY=1");
      },
      [&] { sd_notify(0, worker.status().c_str()); });
  sd_notify(0, "STOPPING=1");
  stop = true;
  th.join();
  return 0;
}

// `heatd-forecast issue`: rounds for past (or the current) origins, as the
// daemon would have issued them then: history and weather forecasts known
// at each origin only. Fills the issues of hours the daemon was away.
int IssueMain(int argc, char** argv) {
  CLI::App app("heatd-forecast issue: issues forecasts for past origins as they would have been issued then",
               "heatd-forecast issue");
  std::string path, from = "now", to;
  int every_h = 1;
  app.add_option("-c,--config", path, "configuration file (default /etc/heat/heat.yaml or $HEAT_CONFIG)");
  app.add_option("--from", from, "first origin (a time; default now)");
  app.add_option("--to", to, "last origin (default: --from)");
  app.add_option("--every", every_h, "hours between origins (default 1)")->check(CLI::Range(1, 24 * 30));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto fail = [](const Status& st) {
    std::cerr << "heatd-forecast issue: " << st.message() << "\n";
    return st.exit_code();
  };
  auto cfg = LoadDaemonConfig(path);
  if (!cfg.ok()) return fail(cfg.status());
  auto opt = OptionsFrom(*cfg);
  auto tz = TimeZone::Load(cfg->str("site.timezone"));
  if (!opt.ok() || !tz.ok()) return fail(!opt.ok() ? opt.status() : tz.status());
  auto t0 = ParseTime(from, *tz, Now());
  auto t1 = ParseTime(to.empty() ? from : to, *tz, Now());
  if (!t0.ok() || !t1.ok()) return fail(!t0.ok() ? t0.status().With("--from") : t1.status().With("--to"));
  if (*t1 < *t0 || *t1 > Now()) return fail(Status::Usage("--to must lie between --from and now"));
  auto db = db::Conn::Open(opt->conninfo, "heatd-forecast");
  if (!db.ok()) return fail(db.status());
  int issued = 0, skipped = 0;
  for (int64_t origin = *t0 - *t0 % kHour; origin <= *t1; origin += every_h * kHour) {
    auto st = IssueAll(*db, *opt, origin, origin);
    if (!st.ok()) return fail(st.status());
    issued += st->issued, skipped += st->skipped;
  }
  std::cout << "issued " << issued << ", skipped " << skipped << " (too little history)\n";
  return 0;
}

}  // namespace

int ForecastMain(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "backtest")
    return forecast::BacktestMain(std::vector<std::string>(argv + 2, argv + argc));
  if (argc >= 2 && std::string(argv[1]) == "issue") return IssueMain(argc - 1, argv + 1);
  return cli::DaemonMain({"heatd-forecast",
                          "heatd-forecast: heat-load and supply-temperature forecasts of every source and station "
                          "(heatd-forecast(8)); heatd-forecast backtest FILE judges the model",
                          Check, Run},
                         argc, argv);
}

}  // namespace heat::forecastd
