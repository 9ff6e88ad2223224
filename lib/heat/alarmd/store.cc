// alarmd/store.cc — rules, places, states, the feed and the alarms in
// PostgreSQL.
#include "heat/alarmd/store.h"

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace heat::alarmd {

namespace {

using Json = nlohmann::json;

double Num(const db::Rows& r, int row, const char* col) {
  return r.is_null(row, r.column(col)) ? std::nan("") : std::strtod(r.get(row, col).c_str(), nullptr);
}

Result<alarm::Rule> RuleFrom(const db::Rows& r, int i) {
  alarm::Rule x;
  x.id = static_cast<int>(r.get_int(i, "id"));
  x.code = r.get(i, "code");
  HEAT_ASSIGN(x.attach, alarm::ParseAttach(r.get(i, "attach")));
  x.attach_to = r.get(i, "attach_to");
  HEAT_ASSIGN(x.kind, alarm::ParseKind(r.get(i, "kind")));
  x.tag = r.get(i, "tag");
  x.ref_tag = r.get(i, "ref_tag");
  x.limit = Num(r, i, "limit_value");
  if (!std::isfinite(x.limit)) x.limit = 0;
  x.deadband = Num(r, i, "deadband");
  x.on_delay_s = static_cast<int>(r.get_int(i, "on_delay_s"));
  x.off_delay_s = static_cast<int>(r.get_int(i, "off_delay_s"));
  x.count = static_cast<int>(r.get_int(i, "count"));
  x.priority = static_cast<int>(r.get_int(i, "priority"));
  x.message_zh = r.get(i, "message_zh");
  x.message_en = r.get(i, "message_en");
  x.notify = TextArray(r.get(i, "notify"));
  x.enabled = r.get_bool(i, "enabled");
  return x;
}

alarm::Place PlaceFrom(const db::Rows& r, int i) {
  alarm::Place p;
  p.station_id = static_cast<int>(r.get_int(i, "station_id"));
  p.station_code = r.get(i, "station_code");
  p.network_code = r.get(i, "network_code");
  p.process_type = r.get(i, "process_type");
  p.device_code = r.get(i, "device_code");
  p.device_kind = r.get(i, "device_kind");
  return p;
}

// A device's station: its own, or its building's.
constexpr const char* kDevicePlace = R"(
  FROM heat.device d
  LEFT JOIN heat.building b ON b.id = d.building_id
  LEFT JOIN heat.station s ON s.id = coalesce(d.station_id, b.station_id)
  LEFT JOIN heat.network n ON n.id = s.network_id)";

constexpr const char* kPlaceColumns =
    "coalesce(s.id, 0) AS station_id, coalesce(s.code::text, '') AS station_code, "
    "coalesce(n.code::text, '') AS network_code, coalesce(s.process_type, '') AS process_type, "
    "d.code::text AS device_code, d.kind AS device_kind";

double PeriodOf(const db::Rows& r, int i, const CommPeriods& p) {
  double up = Num(r, i, "up");
  if (std::isfinite(up) && up > 0) return up;
  std::string proto = r.get(i, "protocol");
  if (proto == "coap") return p.coap_s;
  if (proto == "mqtt") return p.mqtt_s;
  if (proto == "modbus_tcp") return p.modbus_s;
  return p.other_s;
}

Json Finite(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }
double FromJson(const Json& j) { return j.is_number() ? j.get<double>() : std::nan(""); }

}  // namespace

std::vector<std::string> TextArray(const std::string& pg) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : pg) {
    if (ch == '{' || ch == '}' || ch == '"') continue;
    if (ch == ',') out.push_back(cur), cur.clear();
    else cur += ch;
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

Result<World> LoadWorld(db::Conn& conn, const CommPeriods& periods) {
  World w;
  HEAT_ASSIGN(db::Rows rules, conn.Query("SELECT * FROM heat.alarm_rule ORDER BY id"));
  for (int i = 0; i < rules.size(); ++i) {
    HEAT_ASSIGN(alarm::Rule r, RuleFrom(rules, i));
    w.rules.push_back(std::move(r));
  }
  HEAT_ASSIGN(db::Rows pts, conn.Query(std::string("SELECT p.id, p.code, p.tag, p.device_id, ") + kPlaceColumns +
                                        kDevicePlace + " JOIN heat.point p ON p.device_id = d.id ORDER BY p.id"));
  for (int i = 0; i < pts.size(); ++i) {
    w.points.push_back({static_cast<int>(pts.get_int(i, "id")), pts.get(i, "code"), pts.get(i, "tag"),
                        static_cast<int>(pts.get_int(i, "device_id")), PlaceFrom(pts, i)});
    if (w.points.back().place.station_id)
      w.station_codes[w.points.back().place.station_id] = w.points.back().place.station_code;
  }
  HEAT_ASSIGN(db::Rows devs, conn.Query(std::string("SELECT d.id, d.code, d.protocol, ") +
                                         "(d.settings->>'upload_s')::double precision AS up, " + kPlaceColumns +
                                         kDevicePlace + " ORDER BY d.id"));
  for (int i = 0; i < devs.size(); ++i) {
    w.devices.push_back({static_cast<int>(devs.get_int(i, "id")), devs.get(i, "code"), devs.get(i, "protocol"),
                         PeriodOf(devs, i, periods), PlaceFrom(devs, i)});
    if (w.devices.back().place.station_id)
      w.station_codes[w.devices.back().place.station_id] = w.devices.back().place.station_code;
  }
  return w;
}

nlohmann::json StateObject(const alarm::CondState& s) {
  return {{"r", s.raised}, {"c", s.chattering}, {"k", s.cond}, {"ks", s.cond_since_ms},
          {"v", Finite(s.value)}, {"vt", s.value_ms}, {"f", Finite(s.ref)}, {"ft", s.ref_ms},
          {"e", s.equal}, {"s", s.seen_ms}, {"h", s.raises}};
}


Result<alarm::CondState> StateFromJson(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Usage("alarm state is not a JSON object: " + text);
  alarm::CondState s;
  try {
    s.raised = j.value("r", false);
    s.chattering = j.value("c", false);
    s.cond = j.value("k", false);
    s.cond_since_ms = j.value("ks", int64_t{-1});
    s.value = FromJson(j.value("v", Json()));
    s.value_ms = j.value("vt", int64_t{-1});
    s.ref = FromJson(j.value("f", Json()));
    s.ref_ms = j.value("ft", int64_t{-1});
    s.equal = j.value("e", 0);
    s.seen_ms = j.value("s", int64_t{-1});
    if (j.contains("h") && j["h"].is_array() && j["h"].size() == s.raises.size())
      for (size_t i = 0; i < s.raises.size(); ++i) s.raises[i] = j["h"][i].get<int64_t>();
  } catch (const Json::exception& e) {
    return Status::Usage(std::string("alarm state: ") + e.what());
  }
  return s;
}

Result<std::map<StateKey, alarm::CondState>> LoadStates(db::Conn& conn) {
  std::map<StateKey, alarm::CondState> out;
  HEAT_ASSIGN(db::Rows r, conn.Query("SELECT rule_id, source, state::text FROM heat.alarm_state"));
  for (int i = 0; i < r.size(); ++i) {
    auto s = StateFromJson(r.get(i, 2));
    if (!s.ok()) continue;  // a state we cannot read starts afresh
    out.emplace(StateKey{static_cast<int>(r.get_int(i, 0)), r.get(i, 1)}, *s);
  }
  return out;
}

Result<std::unordered_map<int32_t, int64_t>> LoadLastSeen(db::Conn& conn) {
  std::unordered_map<int32_t, int64_t> out;
  HEAT_ASSIGN(db::Rows r, conn.Query("SELECT device_id, (extract(epoch FROM last_seen) * 1000)::bigint"
                                     " FROM heat.device_status WHERE last_seen IS NOT NULL"));
  for (int i = 0; i < r.size(); ++i) out[static_cast<int32_t>(r.get_int(i, 0))] = r.get_int(i, 1);
  return out;
}

Result<std::vector<std::pair<int, bool>>> LoadNotFollowing(db::Conn& conn, const std::vector<int>& station_ids) {
  std::vector<std::pair<int, bool>> out;
  if (station_ids.empty()) return out;
  std::string ids = "{";
  for (size_t i = 0; i < station_ids.size(); ++i) ids += (i ? "," : "") + std::to_string(station_ids[i]);
  HEAT_ASSIGN(db::Rows r, conn.Query(R"(
    SELECT s.id, coalesce((SELECT c.state = 'not_following' FROM heat.command c
                           WHERE c.station_id = s.id AND c.op IN ('set_valve', 'stroke_check')
                             AND c.state IN ('applied', 'not_following')
                           ORDER BY c.id DESC LIMIT 1), false)
    FROM heat.station s WHERE s.id = ANY ($1::int[]))", {ids + "}"}));
  for (int i = 0; i < r.size(); ++i) out.push_back({static_cast<int>(r.get_int(i, 0)), r.get(i, 1) == "t"});
  return out;
}

Status RegisterConsumer(db::Conn& conn, const std::string& name) {
  return conn.Exec("INSERT INTO heat.alarm_consumer (name) VALUES ($1) ON CONFLICT DO NOTHING", {name});
}

Result<Feed> TakeFeed(db::Conn& conn, int max_rows, int hold_ms) {
  HEAT_ASSIGN(db::Rows r, conn.Query(R"(
    SELECT f.id, (extract(epoch FROM f.at) * 1000)::bigint, u.p, (extract(epoch FROM u.t) * 1000)::bigint, u.v, u.q
    FROM (SELECT * FROM heat.reading_feed WHERE at <= clock_timestamp() - $2 * interval '1 millisecond'
          ORDER BY id LIMIT $1 FOR UPDATE) f,
         unnest(f.point_id, f.ts, f.value, f.quality) AS u(p, t, v, q)
    ORDER BY f.id)", {std::to_string(max_rows), std::to_string(hold_ms)}));
  Feed feed;
  feed.readings.reserve(r.size());
  for (int i = 0; i < r.size(); ++i) {
    int64_t id = r.get_int(i, 0);
    if (feed.row_ids.empty() || feed.row_ids.back() != id) feed.row_ids.push_back(id);
    feed.arrived_ms = std::max(feed.arrived_ms, r.get_int(i, 1));
    feed.readings.push_back({static_cast<int32_t>(r.get_int(i, 2)), r.get_int(i, 3),
                             std::strtod(r.get(i, 4).c_str(), nullptr), static_cast<int16_t>(r.get_int(i, 5))});
  }
  return feed;
}

Status DeleteFeed(db::Conn& conn, const std::vector<int64_t>& row_ids) {
  if (row_ids.empty()) return Status::Ok();
  std::string ids = "{";
  for (size_t i = 0; i < row_ids.size(); ++i) ids += (i ? "," : "") + std::to_string(row_ids[i]);
  return conn.Exec("DELETE FROM heat.reading_feed WHERE id = ANY ($1::bigint[])", {ids + "}"});
}

}  // namespace heat::alarmd
