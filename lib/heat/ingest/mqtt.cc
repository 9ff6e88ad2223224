#include "heat/ingest/mqtt.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ctime>
#include <optional>
#include <mutex>
#include <thread>

#include "heat/core/log.h"
#include "heat/core/escape.h"
#include "heat/db/conn.h"
#include "heat/db/reconnect.h"
#include "heat/ingest/mqtt_client.h"
#include "heat/proto/payload.h"

namespace heat::ingest {

struct MqttTransport::Client {
  std::unique_ptr<MqttClient> mqtt;
  std::string id;
  std::thread worker;
  std::unique_ptr<db::Conn> db;  // events and status (low volume)
  // While the database is away a device message is refused (the broker
  // sends it again); attempts back off, one line per outage.
  db::Reconnector rc{"heatd-ingest mqtt"};
};

namespace {

std::vector<std::string> Filters(const MqttOptions& o) {
  std::vector<std::string> out;
  for (const char* leaf : {"telemetry", "event", "status", "cmd/ack"}) {
    std::string t = o.prefix + "/+/" + leaf;
    out.push_back(o.shared ? "$share/ingest/" + t : t);
  }
  return out;
}

// "<prefix>/<station>/<what>" -> station, what; false if not ours.
bool SplitTopic(const std::string& prefix, const std::string& topic, std::string* station, std::string* what) {
  if (topic.compare(0, prefix.size() + 1, prefix + "/") != 0) return false;
  std::string rest = topic.substr(prefix.size() + 1);
  auto slash = rest.find('/');
  if (slash == std::string::npos) return false;
  *station = rest.substr(0, slash);
  *what = rest.substr(slash + 1);
  return true;
}

}  // namespace

StationPoints IndexStationPoints(const std::unordered_map<std::string, telemetry::PointInfo>& points) {
  StationPoints out;
  for (const auto& [code, info] : points) {
    auto dot = code.rfind('.');
    if (dot == std::string::npos) continue;
    out[code.substr(0, dot)][code.substr(dot + 1)] = info.id;
  }
  return out;
}

Result<telemetry::Batch> ParseTelemetry(std::string_view payload,
                                        const std::unordered_map<std::string, int32_t>& tags,
                                        std::vector<std::string>* unknown, int64_t now_s, const TimeWindow& window) {
  auto parsed = proto::ParseJsonPayload(payload, {kMaxTelemetryBytes, 4});
  if (!parsed.ok() || !parsed->is_object()) return Status::Usage("telemetry is not a JSON object");
  const nlohmann::json& j = *parsed;
  auto ts = j.find("ts");
  auto v = j.find("v");
  std::optional<int64_t> ts_ms = ts == j.end() ? std::nullopt : proto::AsInt64(*ts);
  if (!ts_ms || *ts_ms <= 0) return Status::Usage("telemetry needs \"ts\": epoch milliseconds");
  if (std::string why = window.Check(*ts_ms / 1000, now_s); !why.empty()) return Status::Usage(why);
  if (v == j.end() || !v->is_object()) return Status::Usage("telemetry needs \"v\": {tag: value}");
  telemetry::Batch out;
  for (const auto& [tag, val] : v->items()) {
    if (!val.is_number() && !val.is_boolean()) return Status::Usage("value of " + tag + " is not a number");
    double d = val.is_boolean() ? (val.get<bool>() ? 1 : 0) : val.get<double>();
    if (!std::isfinite(d)) return Status::Usage("value of " + tag + " is not finite");
    auto it = tags.find(tag);
    if (it == tags.end()) {
      if (unknown) unknown->push_back(tag);
      continue;
    }
    out.push_back({it->second, *ts_ms, d, 0});
  }
  return out;
}

Result<DeviceEvent> ParseDeviceEvent(std::string_view payload) {
  auto j = proto::ParseJsonPayload(payload, {kMaxEventBytes, 8});
  if (!j.ok()) return j.status();
  if (!j->is_object()) return Status::Usage("event is not a JSON object");
  DeviceEvent e;
  if (auto m = j->find("msg"); m != j->end() && m->is_string()) e.msg = m->get<std::string>();
  // jsonb and text refuse NUL; say so here rather than at the database.
  if (e.msg.find('\0') != std::string::npos)
    return Status::Usage("event \"msg\" contains \\u0000, which the operation log cannot store");
  e.json = j->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return e;
}

Result<std::unique_ptr<MqttTransport>> MqttTransport::Start(const MqttOptions& opt, Pipeline& pipeline,
                                                             StationPoints points) {
  std::string host;
  int port = 0;
  HEAT_TRY(ParseMqttUri(opt.uri, &host, &port));
  std::unique_ptr<MqttTransport> t(new MqttTransport(opt, pipeline));
  t->points_ = std::make_shared<const StationPoints>(std::move(points));
  for (int i = 0; i < std::max(1, opt.clients); ++i) {
    auto c = std::make_unique<Client>();
    c->id = opt.clients > 1 ? opt.client_id + "-" + std::to_string(i) : opt.client_id;
    c->mqtt = std::make_unique<MqttClient>(host, port, c->id);
    c->mqtt->SetLogin(opt.username, opt.password);
    t->clients_.push_back(std::move(c));
  }
  for (auto& c : t->clients_) c->worker = std::thread([raw = t.get(), cl = c.get()] { raw->Work(*cl); });
  return t;
}

MqttTransport::MqttTransport(MqttOptions o, Pipeline& p) : opt_(std::move(o)), pipeline_(p) {}

MqttTransport::~MqttTransport() { Stop(); }

void MqttTransport::Stop() {
  stop_ = true;
  for (auto& c : clients_)
    if (c->worker.joinable()) c->worker.join();
  for (auto& c : clients_) c->mqtt->Close();
}

void MqttTransport::SetPoints(StationPoints points) {
  std::lock_guard<std::mutex> lock(points_mu_);
  points_ = std::make_shared<const StationPoints>(std::move(points));
}

// One session: (re)connect with backoff, then serve until it breaks.
void MqttTransport::Work(Client& c) {
  int backoff_ms = 200;
  bool was_connected = false;
  while (!stop_) {
    Status st = c.mqtt->Connect(Filters(opt_));
    if (!st.ok()) {
      log::Limited(log::Level::kWarning, "mqtt-connect-" + c.id, st.message());
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
      backoff_ms = std::min(backoff_ms * 2, 5000);
      continue;
    }
    if (was_connected) stats_.reconnects++;
    was_connected = true;
    backoff_ms = 200;
    log::Info("mqtt " + c.id + ": connected to " + opt_.uri);
    Serve(c);
    c.mqtt->Close();  // whatever was not acknowledged comes again
  }
}

// Takes what has arrived, makes it durable, then acknowledges it in order.
void MqttTransport::Serve(Client& c) {
  while (!stop_) {
    auto msgs = c.mqtt->Take(5000, 200);
    if (!msgs.ok()) return;
    telemetry::Batch batch;
    std::vector<uint16_t> acks;
    bool failed = false;
    for (const auto& m : *msgs) {
      stats_.messages++;
      std::string station, what;
      if (!SplitTopic(opt_.prefix, m.topic, &station, &what)) {
        acks.push_back(m.packet_id);
      } else if (m.oversized) {
        Reject(station, what, "payload over " + std::to_string(kMaxMqttBody) + " bytes", "");
        acks.push_back(m.packet_id);
      } else if (what == "telemetry") {
        CollectTelemetry(station, m.payload, batch);
        acks.push_back(m.packet_id);
      } else if (HandleDeviceMessage(c, station, what, m.payload)) {
        acks.push_back(m.packet_id);
      } else {
        failed = true;  // acknowledge nothing from here on: acks go in order
        break;
      }
    }
    if (!pipeline_.Submit(std::move(batch)).ok()) {
      // The spool cannot take it (a full disk): nothing is acknowledged and
      // the broker sends it again after the reconnect; wait a moment first
      // rather than spin on the same messages.
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      return;
    }
    for (uint16_t id : acks)
      if (!c.mqtt->Ack(id).ok()) return;
    if (failed) return;
  }
}

void MqttTransport::CollectTelemetry(const std::string& station, std::string_view payload,
                                     telemetry::Batch& batch) {
  std::shared_ptr<const StationPoints> pts;
  {
    std::lock_guard<std::mutex> lock(points_mu_);
    pts = points_;
  }
  auto st = pts->find(station);
  if (st == pts->end()) {
    stats_.unknown++;
    pipeline_.NoteUnknown("mqtt", station);
    log::Limited(log::Level::kWarning, "mqtt-unknown-" + station, "mqtt: unknown station " + station);
    return;
  }
  std::vector<std::string> unknown;
  auto got = ParseTelemetry(payload, st->second, &unknown, std::time(nullptr), opt_.window);
  if (!got.ok()) {
    Reject(station, "telemetry", got.status().message(), payload);
    return;
  }
  for (const auto& tag : unknown) pipeline_.NoteUnknown("mqtt", station + "." + tag);
  stats_.unknown += unknown.size();
  stats_.readings += got->size();
  batch.insert(batch.end(), got->begin(), got->end());
}

bool MqttTransport::HandleDeviceMessage(Client& cl, const std::string& station, const std::string& what,
                                        std::string_view payload) {
  Client* c = &cl;
  if (!c->db) {
    db::WaitUntil(c->rc.next_try(), stop_);  // not at once again after a failure
    auto conn = db::Conn::Open(opt_.conninfo, "heatd-ingest");
    if (!conn.ok()) {
      c->rc.Failed(conn.status(), db::Reconnector::Clock::now());
      return false;  // not acknowledged: the broker redelivers
    }
    c->db = std::make_unique<db::Conn>(std::move(conn).value());
    c->rc.Connected(db::Reconnector::Clock::now());
  }
  Status st;
  std::string text(payload);
  if (what == "status") {
    bool online = text.find("online") != std::string::npos;
    st = c->db->Exec(
        "INSERT INTO heat.device_status (device_id, online, since, last_seen) "
        "SELECT d.id, $2, now(), now() FROM heat.device d JOIN heat.station s ON s.id = d.station_id "
        "WHERE s.code = $1 AND d.kind = 'control_box' "
        "ON CONFLICT (device_id) DO UPDATE SET since = CASE WHEN heat.device_status.online <> "
        "excluded.online THEN now() ELSE heat.device_status.since END, online = excluded.online, "
        "last_seen = now()",
        {station, online ? "true" : "false"});
  } else if (what == "event" || what == "cmd/ack") {
    auto e = ParseDeviceEvent(text);
    if (!e.ok()) {
      Reject(station, what, e.status().message(), payload);
      return true;
    }
    st = c->db->Exec(
        "SELECT heat.log_event($1, 'station', $2, $3, $4::jsonb, 'device',"
        " (SELECT org_id FROM heat.station WHERE code = $2))",
        {what == "event" ? "event" : "cmd_ack", station, e->msg, e->json});
    stats_.events++;
  } else {
    return true;  // not ours
  }
  if (st.code() == Code::kUsage) {
    // Refused for what the message holds (an encoding, a value): storing it
    // again will not help, so it is acknowledged and quarantined.
    Reject(station, what, st.message(), payload);
    return true;
  }
  if (!st.ok()) {
    if (!c->db->Alive()) c->rc.Failed(st, db::Reconnector::Clock::now());
    else log::Limited(log::Level::kWarning, "mqtt-db", "mqtt: " + what + " from " + station + ": " + st.message());
    c->db.reset();
    return false;
  }
  return true;
}

// A message that cannot be stored for a reason in itself: counted, logged
// at most once a minute per station, quarantined, and acknowledged.
void MqttTransport::Reject(const std::string& station, const std::string& what, const std::string& reason,
                           std::string_view payload) {
  stats_.bad_payload++;
  log::Limited(log::Level::kWarning, "mqtt-bad-" + station,
               "mqtt: bad " + what + " from " + EscapeControl(station) + ": " + reason);
  pipeline_.NoteRejected("mqtt", station + "/" + what, reason, payload);
}

}  // namespace heat::ingest
