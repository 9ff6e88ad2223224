#include "heat/alarmd/daemon.h"

#include <systemd/sd-daemon.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "heat/alarmd/announce.h"
#include "heat/alarmd/engine.h"
#include "heat/alarmd/findings.h"
#include "heat/alarmd/metrics.h"
#include "heat/alarmd/store.h"
#include "heat/alarmd/system_watch.h"
#include "heat/cli/daemon_main.h"
#include "heat/core/config_reload.h"
#include "heat/core/log.h"
#include "heat/db/reconnect.h"

namespace heat::alarmd {
namespace {

struct Options {
  std::string conninfo;
  int64_t refresh_ms = 10000, checkpoint_ms = 30000;
  int feed_rows = 20, hold_ms = 50;
  CommPeriods periods;
  std::string mqtt_uri, mqtt_client_id, mqtt_prefix, notify_command;
  int notify_per_hour = 30;
  bool findings = true;  // raise the health check's findings (alarmd/findings.h)
};

Options OptionsFrom(const Config& c) {
  Options o;
  o.conninfo = c.str("db.conninfo");
  o.refresh_ms = c.seconds("alarm.refresh") * 1000;
  o.checkpoint_ms = c.seconds("alarm.checkpoint") * 1000;
  o.feed_rows = static_cast<int>(c.integer("alarm.feed_rows"));
  o.hold_ms = static_cast<int>(c.integer("alarm.hold_ms"));
  o.periods.coap_s = static_cast<double>(c.seconds("alarm.comm_period_coap"));
  o.periods.mqtt_s = static_cast<double>(c.seconds("alarm.comm_period_mqtt"));
  o.periods.modbus_s = static_cast<double>(c.seconds("alarm.comm_period_modbus"));
  o.mqtt_uri = c.str("alarm.mqtt_uri");
  o.mqtt_client_id = c.str("alarm.mqtt_client_id");
  o.mqtt_prefix = c.str("alarm.mqtt_prefix");
  o.notify_command = c.str("alarm.notify_command");
  o.notify_per_hour = static_cast<int>(c.integer("alarm.notify_per_hour"));
  o.findings = c.boolean("alarm.findings");
  return o;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The evaluator thread: its connection, the engine, and the rounds.
class Evaluator {
 public:
  Evaluator(Options o, Stats& stats)
      : opt_(std::move(o)), stats_(stats), notifier_(opt_.notify_command, opt_.notify_per_hour) {}
  void SetOptions(Options o) {
    std::lock_guard<std::mutex> lock(mu_);
    next_ = std::move(o);
  }
  void Run(const std::atomic<bool>& stop);

 private:
  Status Connect();
  Status Refresh(int64_t now_ms, bool resume);
  Result<bool> Round(int64_t now_ms);
  void TakeOptions();
  Status Wait();
  void Announce(const std::vector<int64_t>& raised);
  Status ConnectMqtt();

  Options opt_;
  std::optional<Options> next_;
  std::mutex mu_;
  Stats& stats_;
  std::unique_ptr<db::Conn> db_;
  World world_;
  Engine engine_;
  std::unique_ptr<Writer> writer_;
  int64_t refreshed_ms_ = 0, shelving_ms_ = 0, tick_ms_ = 0, findings_ms_ = 0, counted_ms_ = 0;
  std::unique_ptr<ingest::MqttClient> mqtt_;
  std::set<int64_t> changed_;  // alarms whose state is to be published
  std::set<int> valves_;        // stations whose valve commands changed
  Notifier notifier_;
};

void Evaluator::TakeOptions() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!next_) return;
  opt_ = std::move(*next_);
  next_.reset();
  refreshed_ms_ = 0;  // periods may have changed
}

// Connects, registers as the feed's consumer and listens, then loads the
// world with the states as the database has them (an engine kept from
// before an error would be ahead of the feed).
Status Evaluator::Connect() {
  HEAT_ASSIGN(db::Conn c, db::Conn::Open(opt_.conninfo, "heatd-alarm"));
  db_ = std::make_unique<db::Conn>(std::move(c));
  HEAT_TRY(RegisterConsumer(*db_, "heatd-alarm"));
  HEAT_TRY(db_->Listen("heat_reading"));
  HEAT_TRY(db_->Listen("heat_alarm"));
  HEAT_TRY(db_->Listen("heat_command"));
  // Every open alarm once, so that a display subscribing later, or a
  // broker restarted empty, has the whole picture.
  HEAT_ASSIGN(db::Rows open, db_->Query("SELECT id FROM heat.alarm WHERE active OR NOT acked"));
  for (int i = 0; i < open.size(); ++i) changed_.insert(open.get_int(i, 0));
  engine_ = Engine{};
  return Refresh(NowMs(), true);
}

// Rules, places and suppressions, reloaded every alarm.refresh. The saved
// states are read only after connecting: later, a binding the engine does
// not know yet is a new rule or point, with no state to resume.
Status Evaluator::Refresh(int64_t now_ms, bool resume) {
  HEAT_ASSIGN(World w, LoadWorld(*db_, opt_.periods));
  std::map<StateKey, alarm::CondState> saved;
  if (resume) {
    HEAT_ASSIGN(saved, LoadStates(*db_));
  }
  world_ = std::move(w);
  engine_.SetRules(world_.rules, world_.points, world_.devices, saved);
  HEAT_ASSIGN(auto seen, LoadLastSeen(*db_));
  engine_.StartCommClocks(seen, now_ms);
  writer_ = std::make_unique<Writer>(*db_, world_);
  HEAT_TRY(LoadSuppressed(*db_, *writer_));
  for (int st : engine_.ValveStations()) valves_.insert(st);  // rules may be new: evaluate them once
  refreshed_ms_ = now_ms;
  return Status::Ok();
}

// One transaction: feed rows, the clock, alarms, states; true when the
// feed had as many rows as a round takes (more are waiting).
Result<bool> Evaluator::Round(int64_t now_ms) {
  HEAT_ASSIGN(auto tx, db::Transaction::Start(*db_));
  HEAT_ASSIGN(Feed feed, TakeFeed(*db_, opt_.feed_rows, opt_.hold_ms));
  std::vector<Change> changes = engine_.OnReadings(feed.readings, feed.arrived_ms ? feed.arrived_ms : now_ms);
  if (!valves_.empty()) {
    HEAT_ASSIGN(auto valves, LoadNotFollowing(*db_, std::vector<int>(valves_.begin(), valves_.end())));
    for (auto [station, not_following] : valves) {
      std::vector<Change> v = engine_.OnValve(station, not_following, now_ms);
      changes.insert(changes.end(), v.begin(), v.end());
    }
  }
  if (now_ms - tick_ms_ >= 1000 || feed.row_ids.empty()) {
    std::vector<Change> ticked = engine_.OnTick(now_ms);
    changes.insert(changes.end(), ticked.begin(), ticked.end());
    tick_ms_ = now_ms;
  }
  HEAT_ASSIGN(Written w, writer_->Apply(engine_, changes));
  // Values that moved on are saved a slice at a time: every state within
  // alarm.checkpoint, at rounds of about a second.
  size_t slice = engine_.bindings().size() * 1000 / std::max<int64_t>(1000, opt_.checkpoint_ms) + 1;
  HEAT_TRY(writer_->SaveStates(engine_, engine_.TakeDirty(slice)));
  HEAT_TRY(DeleteFeed(*db_, feed.row_ids));
  if (now_ms - shelving_ms_ >= 10000) {
    HEAT_TRY(ExpireShelving(*db_).status());
    shelving_ms_ = now_ms;
  }
  if (opt_.findings && now_ms - findings_ms_ >= 1000) {  // stored by a timer: a second is soon enough
    HEAT_ASSIGN(std::vector<int64_t> found, RaiseFindings(*db_));
    w.raised += static_cast<int>(found.size());
    w.raised_ids.insert(w.raised_ids.end(), found.begin(), found.end());
    findings_ms_ = now_ms;
  }
  HEAT_TRY(tx->Commit());
  if (log::Enabled(log::Level::kDebug) && !feed.readings.empty()) {
    int64_t oldest = feed.readings.front().ts_ms;  // sorted by OnReadings
    log::Debug("round: " + std::to_string(feed.row_ids.size()) + " rows, " + std::to_string(feed.readings.size()) +
               " readings, oldest " + std::to_string(now_ms - oldest) + " ms old at the start, stored " +
               std::to_string(now_ms - feed.arrived_ms) + " ms before; round " + std::to_string(NowMs() - now_ms) +
               " ms");
  }
  valves_.clear();
  Announce(w.raised_ids);
  stats_.rounds++;
  stats_.readings += feed.readings.size();
  stats_.raised += w.raised;
  stats_.cleared += w.cleared;
  stats_.round_s = static_cast<double>(NowMs() - now_ms) / 1000;
  if (now_ms - counted_ms_ >= 1000) {  // heat_alarm_active: every raiser's alarms, findings too
    HEAT_ASSIGN(db::Rows active, db_->Query("SELECT count(*) FROM heat.alarm WHERE active"));
    stats_.active = static_cast<uint64_t>(active.get_int(0, 0));
    counted_ms_ = now_ms;
  }
  return static_cast<int>(feed.row_ids.size()) >= opt_.feed_rows;
}

// Waits for a notification (or the next tick), then lets a batch that
// committed just after it join it, and drains the rest. Readings and
// alarm changes arrive on the same connection.
Status Evaluator::Wait() {
  auto woke = db_->WaitNotify(static_cast<int>(std::max<int64_t>(1, 1000 - (NowMs() - tick_ms_))));
  if (!woke.ok()) return woke.status();
  bool readings = false;
  while (*woke) {
    const std::string& channel = (*woke)->first;
    if (channel == "heat_alarm") changed_.insert(std::strtoll((*woke)->second.c_str(), nullptr, 10));
    else if (channel == "heat_command") valves_.insert(std::atoi((*woke)->second.c_str()));
    else readings = true;
    woke = db_->WaitNotify(0);
    if (!woke.ok()) return woke.status();
  }
  if (readings) std::this_thread::sleep_for(std::chrono::milliseconds(opt_.hold_ms));
  return Status::Ok();
}

// Publishes the state of every alarm that changed (whoever changed it) and
// notifies the recipients of new ones. A failed publish is retried after
// the next round, on a new connection.
void Evaluator::Announce(const std::vector<int64_t>& raised) {
  changed_.insert(raised.begin(), raised.end());
  if (changed_.empty() || (opt_.mqtt_uri.empty() && opt_.notify_command.empty())) return changed_.clear();
  auto views = LoadAlarmViews(*db_, changed_);
  if (!views.ok()) return (void)log::Limited(log::Level::kWarning, "alarm-views", views.status().message());
  std::set<int64_t> is_new(raised.begin(), raised.end());
  for (const AlarmView& v : *views)
    if (is_new.count(v.id)) notifier_.Notify(v, NowMs());
  if (opt_.mqtt_uri.empty()) return changed_.clear();
  Status st = mqtt_ && mqtt_->connected() ? Status::Ok() : ConnectMqtt();
  for (const AlarmView& v : *views) {
    if (st.ok()) st = Publisher(*mqtt_, opt_.mqtt_prefix).Publish(v);
    if (!st.ok()) break;
    changed_.erase(v.id);
    stats_.published++;
  }
  if (!st.ok()) {
    log::Limited(log::Level::kWarning, "alarm-mqtt", "heatd-alarm: MQTT: " + st.message());
    mqtt_.reset();
  }
}

Status Evaluator::ConnectMqtt() {
  std::string host;
  int port = 0;
  HEAT_TRY(ingest::ParseMqttUri(opt_.mqtt_uri, &host, &port));
  mqtt_ = std::make_unique<ingest::MqttClient>(host, port, opt_.mqtt_client_id);
  return mqtt_->Connect({});
}

void Evaluator::Run(const std::atomic<bool>& stop) {
  bool more = false;
  db::Reconnector rc("heatd-alarm");  // a lost server: backoff, one line per outage
  while (!stop) {
    TakeOptions();
    bool connecting = !db_;
    Status st = db_ ? Status::Ok() : Connect();
    if (st.ok() && connecting) rc.Connected(db::Reconnector::Clock::now());
    if (st.ok() && NowMs() - refreshed_ms_ >= opt_.refresh_ms) st = Refresh(NowMs(), false);
    if (st.ok() && !more) st = Wait();
    if (st.ok()) {
      auto r = Round(NowMs());
      if (r.ok()) more = *r;
      else st = r.status();
    }
    stats_.up = st.ok();  // heat_ready
    if (st.ok()) continue;
    stats_.errors++;
    auto now = db::Reconnector::Clock::now();
    bool lost = !db_ || !db_->Alive();
    if (lost) rc.Failed(st, now);
    else log::Limited(log::Level::kWarning, "alarm-round", "heatd-alarm: " + st.message());
    db_.reset();
    more = false;
    db::WaitUntil(lost ? rc.next_try() : now + std::chrono::seconds(1), stop);
  }
}

int Run(Config cfg, const std::string& path) {
  ConfigReloader conf(std::move(cfg), path);
  Stats stats;
  auto exporter = ExportStats(conf.config().str("alarm.metrics_listen"), stats);  // after stats: stops before it goes
  Evaluator evaluator(OptionsFrom(conf.config()), stats);
  std::atomic<bool> stop{false};
  std::thread worker([&] { evaluator.Run(stop); });
  SystemWatch system(conf.config());  // system alarms, on a thread of their own (alarmd/system_watch.h)
  std::thread system_worker([&] { system.Run(); });
  sd_notify(0, "READY=1\nSTATUS=running");
  log::Notice("heatd-alarm running");
  cli::RunUntilStopped(
      [&] {
        sd_notify(0, "RELOADING=1");
        Status st = conf.Reload();
        if (!st.ok()) log::Error("reload refused, keeping the running configuration: " + st.message());
        else {
          evaluator.SetOptions(OptionsFrom(conf.config()));
          system.SetConfig(conf.config());
        }
        sd_notify(0, "READY=1");
      },
      [&] {
        std::string s = "STATUS=readings " + std::to_string(stats.readings.load()) + ", raised " +
                        std::to_string(stats.raised.load()) + ", cleared " + std::to_string(stats.cleared.load()) +
                        ", published " + std::to_string(stats.published.load()) + ", errors " +
                        std::to_string(stats.errors.load());
        sd_notify(0, s.c_str());
      });
  sd_notify(0, "STOPPING=1");
  stop = true;
  worker.join();
  system.Stop();
  system_worker.join();
  return 0;
}

}  // namespace

int AlarmMain(int argc, char** argv) {
  return cli::DaemonMain({"heatd-alarm", "heatd-alarm: raises and clears alarms from readings and the clock "
                                         "(heatd-alarm(8))",
                          nullptr, Run},
                         argc, argv);
}

}  // namespace heat::alarmd
