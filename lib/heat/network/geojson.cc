// The GIS layers as GeoJSON (SYS-4, yaml_io.h): heat sources, stations with
// their latest operating values, and buildings, as Point features in WGS84.
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
  // One feature per line: valid JSON that still greps and diffs well.
  std::string out = "{\"type\": \"FeatureCollection\", \"features\": [\n";
  for (size_t i = 0; i < features.size(); ++i)
    out += features[i].dump() + (i + 1 < features.size() ? ",\n" : "\n");
  return out + "]}\n";
}

}  // namespace heat::network
