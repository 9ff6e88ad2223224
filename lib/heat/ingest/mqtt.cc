#include "heat/ingest/mqtt.h"

#include <MQTTClient.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <mutex>
#include <thread>

#include "heat/core/log.h"
#include "heat/db/conn.h"

namespace heat::ingest {

struct MqttTransport::Client {
  MqttTransport* owner = nullptr;
  MQTTClient handle = nullptr;
  std::string id;
  std::mutex db_mu;                  // events and status share one connection
  std::unique_ptr<db::Conn> db;
};

namespace {

int Arrived(void* ctx, char* topic, int topic_len, MQTTClient_message* m) {
  auto* c = static_cast<MqttTransport::Client*>(ctx);
  std::string t = topic_len > 0 ? std::string(topic, static_cast<size_t>(topic_len)) : std::string(topic);
  std::string_view payload(static_cast<const char*>(m->payload), static_cast<size_t>(m->payloadlen));
  int handled = c->owner->OnMessage(t, payload);
  if (handled) {
    MQTTClient_freeMessage(&m);
    MQTTClient_free(topic);
  }
  return handled;
}

void Lost(void* ctx, char* cause) {
  auto* c = static_cast<MqttTransport::Client*>(ctx);
  log::Limited(log::Level::kWarning, "mqtt-lost-" + c->id,
               "mqtt " + c->id + ": connection lost" + (cause ? std::string(": ") + cause : ""));
}

std::string Sub(const MqttOptions& o, const char* leaf) {
  std::string t = o.prefix + "/+/" + leaf;
  return o.shared ? "$share/ingest/" + t : t;
}

Status Connect(MqttTransport::Client& c, const MqttOptions& o) {
  MQTTClient_connectOptions co = MQTTClient_connectOptions_initializer;
  co.keepAliveInterval = 20;
  co.cleansession = 0;  // persistent session: the broker keeps our QoS 1 messages
  co.connectTimeout = 5;
  int rc = MQTTClient_connect(c.handle, &co);
  if (rc != MQTTCLIENT_SUCCESS)
    return Status::Failure("mqtt " + c.id + ": cannot connect to " + o.uri + " (rc " + std::to_string(rc) + ")");
  for (const char* leaf : {"telemetry", "event", "status", "cmd/ack"}) {
    std::string topic = Sub(o, leaf);
    rc = MQTTClient_subscribe(c.handle, topic.c_str(), 1);
    if (rc != MQTTCLIENT_SUCCESS) return Status::Failure("mqtt: cannot subscribe " + topic);
  }
  return Status::Ok();
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
                                        std::vector<std::string>* unknown) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Usage("telemetry is not a JSON object");
  auto ts = j.find("ts");
  auto v = j.find("v");
  if (ts == j.end() || !ts->is_number_integer() || ts->get<int64_t>() <= 0)
    return Status::Usage("telemetry needs \"ts\": epoch milliseconds");
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
    out.push_back({it->second, ts->get<int64_t>(), d, 0});
  }
  return out;
}

Result<std::unique_ptr<MqttTransport>> MqttTransport::Start(const MqttOptions& opt, Pipeline& pipeline,
                                                             StationPoints points) {
  std::unique_ptr<MqttTransport> t(new MqttTransport(opt, pipeline));
  t->points_ = std::make_shared<const StationPoints>(std::move(points));
  for (int i = 0; i < std::max(1, opt.clients); ++i) {
    auto c = std::make_unique<Client>();
    c->owner = t.get();
    c->id = opt.clients > 1 ? opt.client_id + "-" + std::to_string(i) : opt.client_id;
    if (MQTTClient_create(&c->handle, opt.uri.c_str(), c->id.c_str(), MQTTCLIENT_PERSISTENCE_NONE,
                          nullptr) != MQTTCLIENT_SUCCESS)
      return Status::Usage("mqtt: bad broker address " + opt.uri);
    MQTTClient_setCallbacks(c->handle, c.get(), Lost, Arrived, nullptr);
    // A broker that is not up yet is not fatal: Tick() keeps trying.
    Status st = Connect(*c, opt);
    if (!st.ok()) log::Warning(st.message());
    t->clients_.push_back(std::move(c));
  }
  return t;
}

MqttTransport::MqttTransport(MqttOptions o, Pipeline& p) : opt_(std::move(o)), pipeline_(p) {}

MqttTransport::~MqttTransport() { Stop(); }

void MqttTransport::Stop() {
  for (auto& c : clients_) {
    if (c->handle == nullptr) continue;
    MQTTClient_disconnect(c->handle, 2000);
    MQTTClient_destroy(&c->handle);
    c->handle = nullptr;
  }
}

void MqttTransport::Tick() {
  for (auto& c : clients_) {
    if (c->handle == nullptr || MQTTClient_isConnected(c->handle)) continue;
    Status st = Connect(*c, opt_);
    if (st.ok()) {
      stats_.reconnects++;
      log::Notice("mqtt " + c->id + ": reconnected");
    } else {
      log::Limited(log::Level::kWarning, "mqtt-connect-" + c->id, st.message());
    }
  }
}

void MqttTransport::SetPoints(StationPoints points) {
  std::lock_guard<std::mutex> lock(points_mu_);
  points_ = std::make_shared<const StationPoints>(std::move(points));
}

int MqttTransport::OnMessage(const std::string& topic, std::string_view payload) {
  stats_.messages++;
  // <prefix>/<station>/<what>
  if (topic.compare(0, opt_.prefix.size() + 1, opt_.prefix + "/") != 0) return 1;
  std::string rest = topic.substr(opt_.prefix.size() + 1);
  auto slash = rest.find('/');
  if (slash == std::string::npos) return 1;
  std::string station = rest.substr(0, slash), what = rest.substr(slash + 1);
  if (what == "telemetry") return HandleTelemetry(station, payload) ? 1 : 0;
  return HandleDeviceMessage(station, what, payload) ? 1 : 0;
}

bool MqttTransport::HandleTelemetry(const std::string& station, std::string_view payload) {
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
    return true;
  }
  std::vector<std::string> unknown;
  auto batch = ParseTelemetry(payload, st->second, &unknown);
  if (!batch.ok()) {
    stats_.bad_payload++;
    log::Limited(log::Level::kWarning, "mqtt-bad-" + station,
                 "mqtt: bad telemetry from " + station + ": " + batch.status().message());
    return true;
  }
  for (const auto& tag : unknown) pipeline_.NoteUnknown("mqtt", station + "." + tag);
  stats_.unknown += unknown.size();
  stats_.readings += batch->size();
  // Durable before PUBACK; on failure Paho redelivers.
  return pipeline_.Submit(std::move(batch).value()).ok();
}

bool MqttTransport::HandleDeviceMessage(const std::string& station, const std::string& what,
                                        std::string_view payload) {
  Client* c = clients_.empty() ? nullptr : clients_.front().get();
  if (c == nullptr) return false;
  std::lock_guard<std::mutex> lock(c->db_mu);
  if (!c->db) {
    auto conn = db::Conn::Open(opt_.conninfo, "heatd-ingest");
    if (!conn.ok()) return false;  // not acknowledged: the broker redelivers
    c->db = std::make_unique<db::Conn>(std::move(conn).value());
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
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      stats_.bad_payload++;
      return true;
    }
    std::string msg = j.value("msg", std::string());
    st = c->db->Exec(
        "SELECT heat.log_event($1, 'station', $2, $3, $4::jsonb, 'device',"
        " (SELECT org_id FROM heat.station WHERE code = $2))",
        {what == "event" ? "event" : "cmd_ack", station, msg, j.dump()});
    stats_.events++;
  } else {
    return true;  // not ours
  }
  if (!st.ok()) {
    log::Limited(log::Level::kWarning, "mqtt-db", "mqtt: " + what + " from " + station + ": " + st.message());
    c->db.reset();
    return false;
  }
  return true;
}

}  // namespace heat::ingest
