#include "heat/controld/daemon.h"

#include <systemd/sd-daemon.h>

#include <chrono>
#include <memory>

#include "heat/cli/daemon_main.h"
#include "heat/controld/commander.h"
#include "heat/controld/metrics.h"
#include "heat/core/config_reload.h"
#include "heat/core/file.h"
#include "heat/core/log.h"
#include "heat/db/reconnect.h"

namespace heat::controld {
namespace {

CommanderOptions OptionsFrom(const Config& c) {
  CommanderOptions o;
  o.mqtt_prefix = c.str("control.mqtt_prefix");
  o.ack_timeout_s = static_cast<double>(c.seconds("control.ack_timeout"));
  o.retries = static_cast<int>(c.integer("control.retries"));
  o.max_age_s = static_cast<double>(c.seconds("control.max_age"));
  o.follow_margin_s = static_cast<double>(c.seconds("control.follow_margin"));
  o.follow_tolerance_pct = c.real("control.follow_tolerance_pct");
  o.modbus_timeout_ms = static_cast<int>(c.integer("control.modbus_timeout_ms"));
  o.deadbands.valve_pct = c.real("control.valve_deadband_pct");
  return o;
}

int64_t NowS() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class Daemon {
 public:
  Daemon(Config c, std::string path) : conf_(std::move(c), std::move(path)) {}
  int Run();

 private:
  const Config& cfg() const { return conf_.config(); }
  Status Connect();
  Status Turn();
  void Reload();

  ConfigReloader conf_;
  std::unique_ptr<db::Conn> db_;
  std::unique_ptr<ingest::MqttClient> mqtt_;
  std::unique_ptr<Commander> commander_;
  std::chrono::steady_clock::time_point last_refresh_{};
  // A lost server is tried again with backoff and logged once an outage.
  db::Reconnector rc_{"heatd-control"};
  bool db_lost_ = false;
  ControlStats stats_;                          // across reconnects; the metrics read it
  std::unique_ptr<metrics::Exporter> metrics_;  // after stats_: stops before it goes
};

// The database and the broker, (re)connected; the stations loaded.
Status Daemon::Connect() {
  if (!mqtt_ && !cfg().str("control.mqtt_uri").empty()) {
    std::string host;
    int port = 0;
    HEAT_TRY(ingest::ParseMqttUri(cfg().str("control.mqtt_uri"), &host, &port));
    mqtt_ = std::make_unique<ingest::MqttClient>(host, port, cfg().str("control.mqtt_client_id"));
  }
  if (mqtt_ && !mqtt_->connected()) HEAT_TRY(mqtt_->Connect({}));
  if (!db_) {
    auto c = db::Conn::Open(cfg().str("db.conninfo"), "heatd-control");
    db_lost_ = !c.ok();
    if (!c.ok()) return c.status();
    db_ = std::make_unique<db::Conn>(std::move(c).value());
    commander_ = std::make_unique<Commander>(*db_, mqtt_.get(), OptionsFrom(cfg()), stats_.commander);
    HEAT_TRY(commander_->Start());
    last_refresh_ = {};
  }
  return Status::Ok();
}

// One turn of the loop: refresh the stations when due, then control, send,
// read answers and watch. A database error drops the connection (and the
// controllers' state: they restart bumpless from the actuators).
Status Daemon::Turn() {
  db_lost_ = false;
  Status st = Connect();
  if (st.ok() && std::chrono::steady_clock::now() - last_refresh_ >
                     std::chrono::seconds(cfg().seconds("control.refresh"))) {
    auto targets = LoadTargets(*db_);
    if (targets.ok()) commander_->SetTargets(std::move(targets).value());
    else st = targets.status();
    last_refresh_ = std::chrono::steady_clock::now();
  }
  if (st.ok()) st = commander_->Control(NowS());
  if (st.ok()) st = commander_->Send();
  if (st.ok()) st = commander_->Answers();
  if (st.ok()) st = commander_->Watch();
  if (!st.ok()) {
    if (db_) db_lost_ = !db_->Alive();
    commander_.reset();
    db_.reset();
    if (mqtt_ && !mqtt_->connected()) mqtt_.reset();
  }
  return st;
}

void Daemon::Reload() {
  sd_notify(0, "RELOADING=1");
  Status st = conf_.Reload();
  if (!st.ok()) log::Error("reload refused, keeping the running configuration: " + st.message());
  else if (commander_) commander_->SetOptions(OptionsFrom(cfg()));
  last_refresh_ = {};
  sd_notify(0, "READY=1");
}

int Daemon::Run() {
  metrics_ = ExportStats(cfg().str("control.metrics_listen"), stats_);
  sd_notify(0, "READY=1\nSTATUS=running");
  log::Notice("heatd-control running");
  cli::RunUntilStopped([this] { Reload(); }, [this] {
    auto now = std::chrono::steady_clock::now();
    if (!rc_.Due(now)) return;
    bool connecting = !db_;
    Status st = Turn();
    stats_.up = st.ok();  // heat_ready
    if (!st.ok()) stats_.turn_errors++;
    if (st.ok() && connecting) rc_.Connected(now);
    if (!st.ok() && db_lost_) return rc_.Failed(st, now);
    if (!st.ok()) return (void)log::Limited(log::Level::kWarning, "control-turn", "heatd-control: " + st.message());
    const auto& s = commander_->stats();
    std::string status = "STATUS=steps " + std::to_string(s.steps) + ", commands " + std::to_string(s.commands) +
                         ", applied " + std::to_string(s.applied) + ", timeouts " + std::to_string(s.timeouts);
    sd_notify(0, status.c_str());
  });
  sd_notify(0, "STOPPING=1");
  if (mqtt_) mqtt_->Close();
  return 0;
}

}  // namespace

int ControlMain(int argc, char** argv) {
  return cli::DaemonMain(
      {"heatd-control", "heatd-control: runs the stations' control strategies and sends commands (heatd-control(8))",
       nullptr, [](Config cfg, const std::string& path) { return Daemon(std::move(cfg), path).Run(); }},
      argc, argv);
}

}  // namespace heat::controld
