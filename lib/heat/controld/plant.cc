#include "heat/controld/plant.h"

#include "heat/controld/config_json.h"

namespace heat::controld {
namespace {

using nlohmann::json;

constexpr const char* kTargets = R"(
SELECT s.id, s.code, s.org_id, d.protocol, d.address, m.code AS map_code, m.body AS map_body,
       c.enabled, c.period_s, c.config, c.limits,
       (SELECT coalesce(jsonb_object_agg(h.target, h.value), '{}') FROM heat.control_hold h
        WHERE h.station_id = s.id AND h.until > now()) AS holds
FROM heat.station s
JOIN LATERAL (SELECT d.* FROM heat.device d WHERE d.station_id = s.id
              AND ((d.kind = 'control_box' AND d.protocol = 'mqtt')
                   OR (d.protocol = 'modbus_tcp' AND d.register_map_id IS NOT NULL))
              ORDER BY d.protocol = 'mqtt' DESC, d.code LIMIT 1) d ON true
LEFT JOIN heat.register_map m ON m.id = d.register_map_id
LEFT JOIN heat.control_config c ON c.station_id = s.id
ORDER BY s.code)";

Status TakeTransport(const db::Rows& r, int i, Transport& t) {
  if (r.get(i, "protocol") == "mqtt") {
    t.kind = Transport::kMqtt;
    return Status::Ok();
  }
  t.kind = Transport::kModbus;
  HEAT_ASSIGN(t.modbus, ingest::ParseModbusAddress(r.get(i, "address")));
  auto body = json::parse(r.get(i, "map_body"), nullptr, false);
  HEAT_ASSIGN(t.map, proto::ParseRegisterMap(body, r.get(i, "map_code")));
  return Status::Ok();
}

// The stored configuration; an invalid one is kept as an error to show,
// and the station is not commanded by the closed loop until it is fixed.
void TakeConfig(const db::Rows& r, int i, Target& t) {
  t.enabled = r.get_bool(i, "enabled");
  if (!r.is_null(i, r.column("period_s"))) t.period_s = static_cast<int>(r.get_int(i, "period_s"));
  json config = r.is_null(i, r.column("config")) ? json::object() : json::parse(r.get(i, "config"), nullptr, false);
  json limits = r.is_null(i, r.column("limits")) ? json::object() : json::parse(r.get(i, "limits"), nullptr, false);
  Status st = TakeLoopTags(config, t.tags);
  if (st.ok()) {
    auto c = ParseStationConfig(config, limits);
    if (c.ok()) t.config = *c;
    else st = c.status();
  }
  if (!st.ok()) t.config_error = st.message();
  const json holds = json::parse(r.get(i, "holds"));
  for (const auto& [k, v] : holds.items()) t.holds[k] = v.get<double>();
}

}  // namespace

Status TakeLoopTags(json& config, LoopTags& tags) {
  if (!config.is_object()) return Status::Usage("control config: expected an object");
  auto it = config.find("tags");
  if (it == config.end()) return Status::Ok();
  std::map<std::string, std::string*> fields = {
      {"t1s", &tags.t1s}, {"t1r", &tags.t1r}, {"t2s", &tags.t2s}, {"t2r", &tags.t2r}, {"p2s", &tags.p2s},
      {"p2r", &tags.p2r}, {"f1", &tags.f1}, {"pw1", &tags.pw1}, {"tout", &tags.tout}, {"manual", &tags.manual},
      {"valve", &tags.valve}, {"pump", &tags.pump}};
  if (!it->is_object()) return Status::Usage("control config: tags: expected an object");
  for (const auto& [k, v] : it->items()) {
    auto f = fields.find(k);
    if (f == fields.end()) return Status::Usage("control config: tags." + k + ": unknown key");
    if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 64)
      return Status::Usage("control config: tags." + k + ": expected a tag name");
    *f->second = v.get<std::string>();
  }
  config.erase(it);
  return Status::Ok();
}

Result<std::vector<Target>> LoadTargets(db::Conn& conn) {
  HEAT_ASSIGN(db::Rows r, conn.Query(kTargets));
  std::vector<Target> out;
  for (int i = 0; i < r.size(); ++i) {
    Target t;
    t.id = static_cast<int32_t>(r.get_int(i, "id"));
    t.code = r.get(i, "code");
    t.org_id = static_cast<int32_t>(r.get_int(i, "org_id"));
    if (Status st = TakeTransport(r, i, t.transport); !st.ok()) {
      t.config_error = st.message();
      t.transport.kind = Transport::kNone;
    }
    TakeConfig(r, i, t);
    out.push_back(std::move(t));
  }
  return out;
}

namespace {

constexpr const char* kLatest = R"(
SELECT d.station_id, p.tag, l.value, extract(epoch FROM now() - l.ts)::float8 AS age
FROM heat.device d JOIN heat.point p ON p.device_id = d.id JOIN heat.latest l ON l.point_id = p.id
WHERE d.station_id = ANY ($1::int[]) AND d.kind IN ('control_box', 'plc'))";

constexpr const char* kRooms = R"(
SELECT b.station_id, l.value, extract(epoch FROM now() - l.ts)::float8 AS age, coalesce(ds.online, true) AS online
FROM heat.device d JOIN heat.building b ON b.id = d.building_id
JOIN heat.point p ON p.device_id = d.id AND p.tag = 'temp' JOIN heat.latest l ON l.point_id = p.id
LEFT JOIN heat.device_status ds ON ds.device_id = d.id
WHERE d.kind = 'room_sensor' AND b.station_id = ANY ($1::int[]))";

void SetTag(const LoopTags& t, const std::string& tag, double v, control::Measurements& m) {
  const std::pair<const std::string*, double*> map[] = {
      {&t.t1s, &m.t1s}, {&t.t1r, &m.t1r}, {&t.t2s, &m.t2s}, {&t.t2r, &m.t2r}, {&t.f1, &m.f1_m3h},
      {&t.pw1, &m.pw1_kw}, {&t.tout, &m.t_out_c}, {&t.valve, &m.valve_pct}};
  for (const auto& [name, field] : map)
    if (*name == tag) *field = v;
  if (tag == t.pump + "_hz") m.pump_hz = v;
  if (tag == t.manual) m.local_manual = v >= 0.5;
}

}  // namespace

Result<std::map<int32_t, control::Measurements>> LoadMeasurements(db::Conn& conn,
                                                                   const std::vector<const Target*>& targets,
                                                                   double max_age_s) {
  std::string ids = "{";
  std::map<int32_t, const Target*> by_id;
  for (const auto* t : targets) {
    ids += (ids.size() > 1 ? "," : "") + std::to_string(t->id);
    by_id[t->id] = t;
  }
  ids += "}";
  std::map<int32_t, control::Measurements> out;
  std::map<int32_t, std::pair<double, double>> pressure;  // p2s, p2r in MPa
  HEAT_ASSIGN(db::Rows r, conn.Query(kLatest, {ids}));
  for (int i = 0; i < r.size(); ++i) {
    int32_t id = static_cast<int32_t>(r.get_int(i, 0));
    if (std::stod(r.get(i, 3)) > max_age_s) continue;
    const LoopTags& tags = by_id.at(id)->tags;
    std::string tag = r.get(i, 1);
    double v = std::stod(r.get(i, 2));
    auto& m = out[id];
    SetTag(tags, tag, v, m);
    if (tag == tags.p2s) pressure[id].first = v;
    if (tag == tags.p2r) pressure[id].second = v;
  }
  for (const auto& [id, p] : pressure)
    if (p.first > 0 && p.second > 0) out[id].dp2_kpa = (p.first - p.second) * 1000;
  HEAT_ASSIGN(db::Rows rooms, conn.Query(kRooms, {ids}));
  for (int i = 0; i < rooms.size(); ++i)
    out[static_cast<int32_t>(rooms.get_int(i, 0))].rooms.push_back(
        {std::stod(rooms.get(i, 1)), std::stod(rooms.get(i, 2)), rooms.get(i, 3) == "t"});
  return out;
}

}  // namespace heat::controld
