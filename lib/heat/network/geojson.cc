// The GIS layers as GeoJSON (SYS-4, yaml_io.h): heat sources, stations with
// their latest operating values, and buildings, as Point features in WGS84;
// then the networks' hydraulic models (pipe nodes and links).
#include <nlohmann/json.hpp>

#include <functional>
#include <map>

#include "heat/network/store.h"
#include "heat/network/yaml_io.h"

namespace heat::network {
namespace {

// Ordered, so each feature reads type, geometry, then layer, code, name.
using json = nlohmann::ordered_json;

constexpr const char* kLatestTags[] = {"t1s", "t1r", "t2s", "t2r", "p2s", "p2r",
                                       "f1",  "pw1", "q1",  "v1"};

// Canonical number text as a JSON number (integral values stay integers).
json Number(const Value& v) { return v ? json::parse(*v) : json(nullptr); }
json Text(const Value& v) { return v ? json(*v) : json(nullptr); }

json Feature(const std::string& location, json properties) {
  auto comma = location.find(',');
  json coords = {json::parse(location.substr(0, comma)), json::parse(location.substr(comma + 1))};
  return {{"type", "Feature"},
          {"geometry", {{"type", "Point"}, {"coordinates", coords}}},
          {"properties", std::move(properties)}};
}

// station code -> {t1s: .., ..., ts: ..} from api.station_latest.
Result<std::map<std::string, json>> StationLatest(db::Conn& conn) {
  std::string sql = "SELECT station";
  for (const char* t : kLatestTags) sql += std::string(", ") + t;
  sql += ", to_json(ts) #>> '{}' AS ts FROM api.station_latest";
  HEAT_ASSIGN(db::Rows r, conn.Query(sql));
  std::map<std::string, json> out;
  for (int i = 0; i < r.size(); ++i) {
    json values = json::object();
    for (const char* t : kLatestTags) values[t] = Number(r.opt(i, t));
    values["ts"] = Text(r.opt(i, "ts"));
    out[r.get(i, "station")] = std::move(values);
  }
  return out;
}

// Adds a feature per object of a kind that has a location.
Status AddLayer(db::Conn& conn, const char* kind_name, const char* layer, json& features,
                const std::function<void(const Values&, json&)>& more) {
  HEAT_ASSIGN(auto rows, LoadAll(conn, *FindKind(kind_name)));
  for (const auto& v : rows) {
    if (!v.at("location")) continue;
    json p = {{"layer", layer}, {"code", *v.at("code")}, {"name", Text(v.at("name"))}};
    more(v, p);
    features.push_back(Feature(*v.at("location"), std::move(p)));
  }
  return Status::Ok();
}

// The hydraulic models (ANA-3): nodes with a location as Points, links
// along their path, or straight between their nodes' locations.
Status AddPipeLayers(db::Conn& conn, json& features) {
  HEAT_ASSIGN(db::Rows nodes, conn.Query(R"(
    SELECT json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(t.location)::json,
             'properties', json_build_object('layer', 'pipe_node', 'network', n.code, 'code', t.code, 'kind', t.kind,
               'elevation_m', t.elevation_m, 'demand_m3h', t.demand_m3h, 'head_m', t.head_m,
               'station', (SELECT s.code FROM heat.station s WHERE s.id = t.station_id)))::text
    FROM heat.pipe_node t JOIN heat.network n ON n.id = t.network_id
    WHERE t.location IS NOT NULL ORDER BY n.code, t.code)"));
  HEAT_ASSIGN(db::Rows links, conn.Query(R"(
    SELECT json_build_object('type', 'Feature',
             'geometry', ST_AsGeoJSON(coalesce(t.path, ST_MakeLine(f.location, o.location)))::json,
             'properties', json_build_object('layer', 'pipe_link', 'network', n.code, 'code', t.code, 'kind', t.kind,
               'from', f.code, 'to', o.code, 'length_m', t.length_m, 'diameter_mm', t.diameter_mm,
               'valve', t.valve_type, 'setting', t.setting, 'status', t.status))::text
    FROM heat.pipe_link t JOIN heat.network n ON n.id = t.network_id
    JOIN heat.pipe_node f ON f.id = t.from_node_id JOIN heat.pipe_node o ON o.id = t.to_node_id
    WHERE coalesce(t.path, ST_MakeLine(f.location, o.location)) IS NOT NULL ORDER BY n.code, t.code)"));
  for (const db::Rows* r : {&nodes, &links})
    for (int i = 0; i < r->size(); ++i) features.push_back(json::parse(r->get(i, 0)));
  return Status::Ok();
}

}  // namespace

Result<std::string> ExportGeoJson(db::Conn& conn) {
  json features = json::array();
  HEAT_TRY(AddLayer(conn, "heat_source", "source", features, [](const Values& v, json& p) {
    p["org"] = Text(v.at("org"));
    p["kind"] = Text(v.at("kind"));
    p["capacity_mw"] = Number(v.at("capacity_mw"));
  }));
  HEAT_ASSIGN(auto latest, StationLatest(conn));
  HEAT_TRY(AddLayer(conn, "station", "station", features, [&](const Values& v, json& p) {
    p["org"] = Text(v.at("org"));
    p["network"] = Text(v.at("network"));
    p["heating_area_m2"] = Number(v.at("heating_area_m2"));
    auto l = latest.find(*v.at("code"));
    for (const char* t : kLatestTags) p[t] = l == latest.end() ? json(nullptr) : l->second[t];
    p["ts"] = l == latest.end() ? json(nullptr) : l->second["ts"];
  }));
  HEAT_TRY(AddLayer(conn, "building", "building", features, [](const Values& v, json& p) {
    p["station"] = Text(v.at("station"));
    p["area_m2"] = Number(v.at("area_m2"));
  }));
  HEAT_TRY(AddPipeLayers(conn, features));
  // One feature per line: valid JSON that still greps and diffs well.
  std::string out = "{\"type\": \"FeatureCollection\", \"features\": [\n";
  for (size_t i = 0; i < features.size(); ++i)
    out += features[i].dump() + (i + 1 < features.size() ? ",\n" : "\n");
  return out + "]}\n";
}

}  // namespace heat::network
