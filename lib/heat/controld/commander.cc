#include "heat/controld/commander.h"

#include <cmath>

#include "heat/control/strategy.h"
#include "heat/core/log.h"

namespace heat::controld {
namespace {

using nlohmann::json;

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// "set_valve v1=45.0": a command in the operation log's words.
std::string Describe(const std::string& op, const json& args) {
  std::string out = op;
  for (const auto& [k, v] : args.items()) out += " " + k + "=" + (v.is_number() ? Num(v.get<double>()) : v.dump());
  return out;
}

}  // namespace

void Commander::SetTargets(std::vector<Target> targets) {
  targets_ = std::move(targets);
  for (const auto& t : targets_)
    if (t.transport.kind == Transport::kModbus && links_.count(t.id) == 0)
      links_[t.id] = std::make_unique<ingest::ModbusLink>(t.transport.modbus, opt_.modbus_timeout_ms);
}

const Target* Commander::Find(int32_t station_id) const {
  for (const auto& t : targets_)
    if (t.id == station_id) return &t;
  return nullptr;
}

ingest::ModbusLink& Commander::Link(const Target& t) { return *links_.at(t.id); }

// Answers written after the oldest command still waiting for one.
Status Commander::Start() {
  HEAT_ASSIGN(db::Rows r, db_.Query(
      "SELECT coalesce((SELECT max(id) FROM heat.op_log WHERE ts < coalesce("
      "(SELECT min(sent_at) FROM heat.command WHERE state = 'sent'), now())), 0)"));
  last_answer_ = r.get_int(0, 0);
  return Status::Ok();
}

Status Commander::Log(const Target& t, const std::string& action, const std::string& msg, const json& detail) {
  return db_.Exec("SELECT heat.log_event($1, 'station', $2, $3, $4::jsonb, 'system', $5)",
                  {action, t.code, msg, detail.dump(), std::to_string(t.org_id)});
}

Status Commander::Queue(const Target& t, const NewCommand& c, const control::Measurements& m) {
  json old = json::object();
  if (c.op == "set_valve") old[t.tags.valve] = control::Known(m.valve_pct) ? json(m.valve_pct) : json();
  if (c.op == "set_pump") old[t.tags.pump + "_hz"] = control::Known(m.pump_hz) ? json(m.pump_hz) : json();
  HEAT_ASSIGN(db::Rows r, db_.Query("INSERT INTO heat.command (station_id, op, args, old, origin)"
                                    " VALUES ($1, $2, $3::jsonb, $4::jsonb, 'control') RETURNING id",
                                    {std::to_string(t.id), c.op, c.args.dump(), old.dump()}));
  stats_.commands++;
  return Log(t, "command", Describe(c.op, c.args) + " (control)",
             {{"command", r.get_int(0, 0)}, {"op", c.op}, {"args", c.args}, {"old", old}});
}

Status Commander::Control(int64_t now_s) {
  std::vector<const Target*> due;
  for (const auto& t : targets_)
    if (t.enabled && t.config_error.empty() && t.transport.kind != Transport::kNone && loops_[t.id].next_s <= now_s)
      due.push_back(&t);
  if (due.empty()) return Status::Ok();
  HEAT_ASSIGN(auto measured, LoadMeasurements(db_, due, opt_.max_age_s));
  for (const auto* t : due) {
    Loop& loop = loops_[t->id];
    // Never start blind: without the valve's position (no fresh feedback)
    // a first step would command from 0 %. Look again in a few seconds.
    if (!control::Known(measured[t->id].valve_pct)) {
      loop.next_s = now_s + 5;
      continue;
    }
    loop.next_s = now_s + t->period_s;
    control::Output out = control::Step(t->config, measured[t->id], loop.state, {now_s, opt_.utc_offset_s});
    loop.state = out.state;
    stats_.steps++;
    for (const auto& c : Decide(out.commands, t->holds, loop.last, opt_.deadbands, t->tags.valve, t->tags.pump)) {
      HEAT_TRY(Queue(*t, c, measured[t->id]));
      if (c.op == "set_valve") loop.last.valve_pct = c.args.begin()->get<double>();
      for (const auto& [k, v] : c.args.items()) {
        if (k.ends_with("_hz")) loop.last.pump_hz = v.get<double>();
        if (k.ends_with("_run")) loop.last.pump_run = v.get<bool>() ? 1 : 0;
      }
    }
  }
  return Status::Ok();
}

Status Commander::Outcome(int64_t id, const std::string& state, int code, const std::string& msg,
                          const json& applied) {
  return db_.Exec("UPDATE heat.command SET state = $2, code = $3, msg = left($4, 1000), applied = $5::jsonb,"
                  " answered_at = now() WHERE id = $1",
                  {std::to_string(id), state, std::to_string(code), msg, applied.is_null() ? db::Param() : applied.dump()});
}

// MQTT: published, the answer comes later. Modbus: each argument written
// and read back; the values read are the applied ones.
Status Commander::SendOne(int64_t id, const Target& t, const std::string& op, const json& args) {
  HEAT_TRY(db_.Exec("UPDATE heat.command SET state = 'sent', attempts = attempts + 1, sent_at = now() WHERE id = $1",
                    {std::to_string(id)}));
  stats_.sent++;
  if (t.transport.kind == Transport::kMqtt) {
    if (mqtt_ == nullptr) return Status::Failure("no MQTT broker configured");
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
    double life_s = opt_.ack_timeout_s * std::pow(2.0, opt_.retries + 1);
    json cmd = {{"id", "c" + std::to_string(id)}, {"op", op}, {"args", args},
                {"expires", now_ms + static_cast<int64_t>(life_s * 1000)}};
    return mqtt_->Publish(opt_.mqtt_prefix + "/" + t.code + "/cmd", cmd.dump());
  }
  json applied = json::object();
  for (const auto& [k, v] : args.items()) {
    std::string tag = k == t.tags.valve ? k + "_set" : k;
    auto got = Link(t).Write(t.transport.map, tag, v.is_boolean() ? (v.get<bool>() ? 1.0 : 0.0) : v.get<double>());
    if (!got.ok()) {
      stats_.refused++;
      return Outcome(id, got.status().code() == Code::kUsage ? "refused" : "failed", 4, got.status().message(), applied);
    }
    applied[k] = *got;
  }
  stats_.applied++;
  return Outcome(id, "applied", 0, "", applied);
}

Status Commander::Send() {
  HEAT_ASSIGN(db::Rows r, db_.Query("SELECT id, station_id, op, args FROM heat.command"
                                    " WHERE state = 'queued' ORDER BY id LIMIT 500"));
  for (int i = 0; i < r.size(); ++i) {
    const Target* t = Find(static_cast<int32_t>(r.get_int(i, 1)));
    int64_t id = r.get_int(i, 0);
    if (t == nullptr || t->transport.kind == Transport::kNone) {
      HEAT_TRY(Outcome(id, "failed", 4, "the station has no device that can be commanded", json()));
      continue;
    }
    Status st = SendOne(id, *t, r.get(i, 2), json::parse(r.get(i, 3)));
    if (!st.ok()) log::Limited(log::Level::kWarning, "send-" + t->code, "command to " + t->code + ": " + st.message());
  }
  return Status::Ok();
}

Status Commander::Answers() {
  HEAT_ASSIGN(db::Rows r, db_.Query("SELECT id, object_code, new FROM heat.op_log WHERE action = 'cmd_ack'"
                                    " AND id > $1 ORDER BY id LIMIT 1000", {std::to_string(last_answer_)}));
  for (int i = 0; i < r.size(); ++i) {
    last_answer_ = r.get_int(i, 0);
    json a = json::parse(r.get(i, 2), nullptr, false);
    std::string cid = a.is_object() && a.contains("id") && a["id"].is_string() ? a["id"].get<std::string>() : "";
    if (cid.size() < 2 || cid.size() > 19 || cid[0] != 'c' || cid.find_first_not_of("0123456789", 1) != std::string::npos) continue;
    bool ok = a.value("ok", false) == true;
    int code = a.contains("code") && a["code"].is_number_integer() ? a["code"].get<int>() : (ok ? 0 : 1);
    HEAT_ASSIGN(db::Rows u, db_.Query(
        "UPDATE heat.command c SET state = $3, code = $4, msg = left($5, 1000), applied = $6::jsonb, answered_at = now()"
        " FROM heat.station s WHERE c.id = $1 AND s.id = c.station_id AND s.code = $2 AND c.state IN ('sent', 'queued')"
        " RETURNING c.id",
        {cid.substr(1), r.get(i, 1), ok ? "applied" : "refused", std::to_string(code),
         a.contains("msg") && a["msg"].is_string() ? a["msg"].get<std::string>() : "",
         a.contains("applied") && a["applied"].is_object() ? a["applied"].dump() : "{}"}));
    if (u.size() > 0) (ok ? stats_.applied : stats_.refused)++;
  }
  return Status::Ok();
}

}  // namespace heat::controld
