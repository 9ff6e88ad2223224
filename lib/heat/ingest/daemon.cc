#include "heat/ingest/daemon.h"

#include <nlohmann/json.hpp>
#include <signal.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <filesystem>
#include <thread>

#include "heat/cli/daemon_main.h"
#include "heat/core/config.h"
#include "heat/core/config_reload.h"
#include "heat/core/file.h"
#include "heat/core/log.h"
#include "heat/ingest/coap.h"
#include "heat/ingest/metrics.h"
#include "heat/ingest/modbus_poll.h"
#include "heat/ingest/mqtt.h"
#include "heat/ingest/pipeline.h"

namespace heat::ingest {
namespace {

std::string Instance(const Config& c) {
  if (!c.str("ingest.instance").empty()) return c.str("ingest.instance");
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  return host;
}

// The first line of a secret file (a password kept out of heat.yaml).
Result<std::string> ReadSecret(const std::string& path) {
  auto text = ReadRegularFile(path, 64 * 1024, "a password is one line");
  if (!text.ok()) return text.status().With("ingest.mqtt_password_file");
  std::string line = text->substr(0, text->find('\n'));
  if (line.empty()) return Status::Usage("ingest.mqtt_password_file: " + path + " has no password on its first line");
  return line;
}

struct Indexes {
  StationPoints stations;
  SensorIndex sensors;
  MeterIndex meters;
  PskIndex psks;
  PointRanges ranges;
};

Result<Indexes> LoadIndexes(db::Conn& conn) {
  HEAT_ASSIGN(auto points, telemetry::LoadPointIndex(conn));
  HEAT_ASSIGN(SensorIndex sensors, LoadSensorIndex(conn));
  HEAT_ASSIGN(MeterIndex meters, LoadMeterIndex(conn));
  HEAT_ASSIGN(PskIndex psks, LoadPskIndex(conn));
  HEAT_ASSIGN(PointRanges ranges, LoadPointRanges(conn));
  return Indexes{IndexStationPoints(points), std::move(sensors), std::move(meters), std::move(psks),
                 std::move(ranges)};
}

// The point indexes, retried until the database answers: transports must
// not start (and acknowledge) before they know which points exist.
Result<Indexes> LoadPointsBlocking(const std::string& conninfo) {
  for (;;) {
    auto conn = db::Conn::Open(conninfo, "heatd-ingest");
    if (conn.ok()) {
      auto idx = LoadIndexes(*conn);
      if (idx.ok()) return std::move(idx).value();
      log::Limited(log::Level::kWarning, "points", "cannot load points: " + idx.status().message());
    } else {
      log::Limited(log::Level::kWarning, "points", conn.status().message());
    }
    sd_notify(0, "STATUS=waiting for PostgreSQL to load the point index");
    // Signals are blocked (the main loop takes them later); a stop request
    // while waiting here must still end the wait.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    timespec second{1, 0};
    if (sigtimedwait(&set, nullptr, &second) > 0)
      return Status::Failure("stopped while waiting for PostgreSQL");
  }
}

class Daemon {
 public:
  Daemon(Config c, std::string path) : conf_(std::move(c), std::move(path)) {}
  int Run();

 private:
  Status StartParts();
  void Reload();
  void WriteStats(bool force);
  void RefreshPoints();
  Status StartModbus(const Config& cfg);

  // Restart-only keys keep their running values across SIGHUP, so every
  // part (writers, Modbus, point refresh, stats) sees one db.conninfo.
  const Config& cfg() const { return conf_.config(); }
  ConfigReloader conf_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<MqttTransport> mqtt_;
  std::unique_ptr<CoapTransport> coap_;
  std::unique_ptr<ModbusPoller> modbus_;
  std::unique_ptr<db::Conn> stats_db_;
  std::string started_;
  std::chrono::steady_clock::time_point last_stats_{}, last_points_{};
  bool modbus_pending_ = false;  // StartModbus failed for want of the database
  PipelineStats prev_{};
  std::unique_ptr<IngestMetrics> metrics_;  // last: its server stops before the parts it reads go
};

Status Daemon::StartParts() {
  PipelineOptions po;
  po.conninfo = cfg().str("db.conninfo");
  po.spool_dir = cfg().str("ingest.spool_dir");
  po.timezone = cfg().str("site.timezone");
  po.queue_max = static_cast<size_t>(cfg().integer("ingest.queue_max"));
  po.batch_max = static_cast<size_t>(cfg().integer("ingest.batch_max"));
  po.writers = static_cast<int>(cfg().integer("ingest.writers"));
  const TimeWindow sensors{cfg().seconds("ingest.max_age_room_sensor")};
  const TimeWindow boxes{cfg().seconds("ingest.max_age_control_box")};
  po.max_age_s = std::max({sensors.max_age_s, boxes.max_age_s, int64_t{86400}});
  HEAT_ASSIGN(pipeline_, Pipeline::Start(po));
  HEAT_ASSIGN(Indexes idx, LoadPointsBlocking(po.conninfo));
  pipeline_->SetRanges(std::move(idx.ranges));
  last_points_ = std::chrono::steady_clock::now();
  if (cfg().boolean("ingest.coap_enabled")) {
    CoapOptions co;
    co.bind = cfg().str("ingest.coap_bind");
    co.port = static_cast<int>(cfg().integer("ingest.coap_port"));
    co.dtls_port = static_cast<int>(cfg().integer("ingest.coap_dtls_port"));
    co.threads = static_cast<int>(cfg().integer("ingest.coap_threads"));
    co.window = sensors;
    HEAT_TRY(CheckCoapExposure(co, cfg().boolean("ingest.coap_insecure")));
    HEAT_ASSIGN(coap_, CoapTransport::Start(co, *pipeline_, std::move(idx.sensors), std::move(idx.meters),
                                            std::move(idx.psks)));
  }
  if (cfg().boolean("ingest.modbus_enabled")) {
    Status st = StartModbus(cfg());
    // The database may have gone since the points were loaded: the poller
    // starts on a later tick rather than the daemon stopping (OPS-1).
    if (st.code() != Code::kFailure) HEAT_TRY(st);
    modbus_pending_ = !st.ok();
    if (!st.ok()) log::Warning("modbus: not started yet, retrying: " + st.message());
  }
  if (cfg().boolean("ingest.mqtt_enabled")) {
    MqttOptions mo;
    mo.uri = cfg().str("ingest.mqtt_uri");
    mo.client_id = cfg().str("ingest.mqtt_client_id");
    mo.prefix = cfg().str("ingest.mqtt_prefix");
    mo.clients = static_cast<int>(cfg().integer("ingest.mqtt_clients"));
    mo.shared = cfg().boolean("ingest.mqtt_shared");
    mo.conninfo = po.conninfo;
    mo.window = boxes;
    mo.username = cfg().str("ingest.mqtt_username");
    if (!cfg().str("ingest.mqtt_password_file").empty()) {
      HEAT_ASSIGN(mo.password, ReadSecret(cfg().str("ingest.mqtt_password_file")));
    }
    HEAT_ASSIGN(mqtt_, MqttTransport::Start(mo, *pipeline_, std::move(idx.stations)));
  }
  return Status::Ok();
}

// Loads the PLCs, their maps and the scan plan for `cfg`, and only when all
// of that is valid replaces the running poller (SIGHUP: a bad map or an
// area that names nothing keeps the old poller running).
Status Daemon::StartModbus(const Config& cfg) {
  ScanOptions so;
  HEAT_ASSIGN(so.mode, ParseScanMode(cfg.str("ingest.modbus_mode")));
  so.area = cfg.str("ingest.modbus_area");
  so.watch = cfg.str("ingest.modbus_watch");
  so.watch_period_s = static_cast<int>(std::max<int64_t>(1, cfg.seconds("ingest.modbus_watch_period")));
  so.timeout_ms = static_cast<int>(cfg.integer("ingest.modbus_timeout_ms"));
  HEAT_ASSIGN(db::Conn c, db::Conn::Open(cfg.str("db.conninfo"), "heatd-ingest"));
  HEAT_ASSIGN(auto devices, LoadPolledDevices(c));
  HEAT_ASSIGN(auto points, telemetry::LoadPointIndex(c));
  HEAT_TRY(PlanScan(devices, so).status());
  if (modbus_) modbus_->Stop();
  HEAT_ASSIGN(modbus_, ModbusPoller::Start(*pipeline_, std::move(devices), std::move(points), so));
  log::Notice("modbus: " + cfg.str("ingest.modbus_mode") + " mode");
  return Status::Ok();
}

void Daemon::Reload() {
  sd_notify(0, "RELOADING=1");
  Status reloaded = conf_.Reload();
  if (!reloaded.ok()) {
    log::Error("reload refused, keeping the running configuration: " + reloaded.message());
  } else {
    log::Notice("configuration reloaded");
    if (cfg().boolean("ingest.modbus_enabled")) {
      Status st = StartModbus(cfg());  // PLCs, maps and scan mode anew
      if (!st.ok()) log::Error("modbus reload refused, polling as before: " + st.message());
    }
  }
  RefreshPoints();
  sd_notify(0, "READY=1");
}

void Daemon::RefreshPoints() {
  last_points_ = std::chrono::steady_clock::now();
  auto conn = db::Conn::Open(cfg().str("db.conninfo"), "heatd-ingest");
  if (!conn.ok()) return;  // keep the index we have
  auto idx = LoadIndexes(*conn);
  if (!idx.ok()) return;
  if (mqtt_) mqtt_->SetPoints(std::move(idx->stations));
  if (coap_) coap_->SetSensors(std::move(idx->sensors));
  if (coap_) coap_->SetMeters(std::move(idx->meters));
  if (coap_) coap_->SetPsks(std::move(idx->psks));
  pipeline_->SetRanges(std::move(idx->ranges));
  // Monthly heat-meter records (DEV-2) follow the daily rollups; from the
  // start of yesterday's month so a month's last day is closed properly.
  auto months = conn->Exec("SELECT heat.refresh_meter_months(current_date - 1)");
  if (!months.ok()) log::Limited(log::Level::kWarning, "meter-months", "meter months: " + months.message());
  // The quarantine keeps ingest.rejected_keep of history (0025).
  auto pruned = conn->Exec("SELECT heat.prune_rejected(make_interval(secs => $1::float8))",
                           {std::to_string(cfg().seconds("ingest.rejected_keep"))});
  if (!pruned.ok()) log::Limited(log::Level::kWarning, "rejected-prune", "quarantine: " + pruned.message());
}

void Daemon::WriteStats(bool force) {
  auto now = std::chrono::steady_clock::now();
  double dt = std::chrono::duration<double>(now - last_stats_).count();
  if (!force && dt < static_cast<double>(cfg().seconds("ingest.stats_interval"))) return;
  PipelineStats s = pipeline_->stats();
  nlohmann::json j = {
      {"pipeline", {{"submitted", s.submitted}, {"stored", s.stored}, {"duplicates", s.duplicates},
                    {"spooled", s.spooled}, {"replayed", s.replayed}, {"db_errors", s.db_errors},
                    {"unknown", s.unknown}, {"queued", s.queued}, {"spool_bytes", s.spool_bytes},
                    {"rejected", s.rejected}, {"rejected_unlogged", s.rejected_unlogged},
                    {"out_of_range", s.out_of_range},
                    {"db_up", s.db_up}, {"spool_state", s.spool_state}, {"spool_error", s.spool_error},
                    {"spool_errors", s.spool_errors},
                    {"stored_per_s", dt > 0 && last_stats_.time_since_epoch().count() ? (s.stored - prev_.stored) / dt : 0.0}}}};
  if (mqtt_) {
    const auto& m = mqtt_->stats();
    j["mqtt"] = {{"messages", m.messages.load()}, {"readings", m.readings.load()},
                 {"bad_payload", m.bad_payload.load()}, {"unknown", m.unknown.load()},
                 {"events", m.events.load()}, {"reconnects", m.reconnects.load()}};
  }
  if (modbus_) {
    const auto& m = modbus_->stats();
    j["modbus"] = {{"polls", m.polls.load()}, {"readings", m.readings.load()}, {"failures", m.failures.load()},
                   {"connects", m.connects.load()}};
  }
  if (coap_) {
    const auto& c = coap_->stats();
    j["coap"] = {{"requests", c.requests.load()}, {"readings", c.readings.load()}, {"bad", c.bad.load()},
                 {"unknown", c.unknown.load()}, {"unavailable", c.unavailable.load()},
                 {"meter_frames", c.meter_frames.load()}, {"dtls_refused", c.dtls_refused.load()},
                 {"forbidden", c.forbidden.load()}};
    auto& by_socket = j["coap"]["by_socket"] = nlohmann::json::array();
    for (int i = 0; i < coap_->threads(); ++i) by_socket.push_back(c.by_socket[static_cast<size_t>(i)].load());
  }
  std::string pending;
  for (const auto& k : conf_.restart_pending()) pending += (pending.empty() ? "" : ",") + k;
  j["restart_pending"] = pending;
  prev_ = s;
  last_stats_ = now;
  std::string status = "STATUS=stored " + std::to_string(s.stored) + ", spooled " + std::to_string(s.spooled) +
                       ", queued " + std::to_string(s.queued);
  if (s.spool_state != "ok") status += "; spool " + s.spool_state + ": " + s.spool_error;
  sd_notify(0, status.c_str());
  if (!stats_db_) {
    auto c = db::Conn::Open(cfg().str("db.conninfo"), "heatd-ingest");
    if (!c.ok()) return;
    stats_db_ = std::make_unique<db::Conn>(std::move(c).value());
  }
  Status st = stats_db_->Exec(
      "INSERT INTO heat.ingest_stats (instance, started_at, stats) VALUES ($1, $2::timestamptz, $3::jsonb)"
      " ON CONFLICT (instance) DO UPDATE SET stats = excluded.stats, updated_at = now(),"
      " started_at = excluded.started_at",
      {Instance(cfg()), started_, j.dump()});
  if (!st.ok()) stats_db_.reset();
}

int Daemon::Run() {
  char ts[32];
  time_t now = time(nullptr);
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  started_ = ts;
  metrics_ = std::make_unique<IngestMetrics>(cfg().str("ingest.metrics_listen"));
  Status st = StartParts();
  if (!st.ok()) {
    log::Error(st.message());
    return st.exit_code() ? st.exit_code() : 1;
  }
  metrics_->Attach(*pipeline_, mqtt_.get(), coap_.get());
  sd_notify(0, "READY=1\nSTATUS=running");
  log::Notice("heatd-ingest running as " + Instance(cfg()));
  cli::RunUntilStopped([this] { Reload(); }, [this] {
    WriteStats(false);
    if (modbus_pending_ && StartModbus(cfg()).ok()) modbus_pending_ = false;
    metrics_->Tick(modbus_.get());
    if (std::chrono::steady_clock::now() - last_points_ > std::chrono::seconds(cfg().seconds("ingest.points_refresh")))
      RefreshPoints();
  });
  sd_notify(0, "STOPPING=1");
  log::Notice("stopping: draining the queue");
  if (mqtt_) mqtt_->Stop();
  if (coap_) coap_->Stop();
  if (modbus_) modbus_->Stop();
  pipeline_->Stop();
  WriteStats(true);
  return 0;
}

}  // namespace

// What start-up would refuse beyond the option table's own checks.
Status CheckConfig(const Config& cfg) {
  if (!cfg.boolean("ingest.coap_enabled")) return Status::Ok();
  CoapOptions co;
  co.bind = cfg.str("ingest.coap_bind");
  co.dtls_port = static_cast<int>(cfg.integer("ingest.coap_dtls_port"));
  return CheckCoapExposure(co, cfg.boolean("ingest.coap_insecure"));
}

int IngestMain(int argc, char** argv) {
  return cli::DaemonMain(
      {"heatd-ingest", "heatd-ingest: readings from sensors, meters and stations into PostgreSQL (heatd-ingest(8))",
       CheckConfig, [](Config cfg, const std::string& path) { return Daemon(std::move(cfg), path).Run(); }},
      argc, argv);
}

}  // namespace heat::ingest
