// A network's stored model as the solver's Network and back (pipe_model.h).
#include "heat/network/pipe_model.h"

#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "heat/network/kinds.h"

namespace heat::network {
namespace {

using analysis::InitialStatus;
using analysis::Link;
using analysis::Node;
using analysis::ValveType;
using nlohmann::json;

constexpr double kSecondsPerHour = 3600;

const std::vector<std::pair<const char*, analysis::HeadlossFormula>> kFormulas = {
    {"darcy_weisbach", analysis::HeadlossFormula::kDarcyWeisbach},
    {"hazen_williams", analysis::HeadlossFormula::kHazenWilliams},
    {"chezy_manning", analysis::HeadlossFormula::kChezyManning}};

const std::vector<std::pair<const char*, ValveType>> kValves = {
    {"prv", ValveType::kPRV}, {"psv", ValveType::kPSV}, {"pbv", ValveType::kPBV},
    {"fcv", ValveType::kFCV}, {"tcv", ValveType::kTCV}, {"gpv", ValveType::kGPV}};

template <typename T>
T Lookup(const std::vector<std::pair<const char*, T>>& table, const std::string& name) {
  for (const auto& [n, v] : table)
    if (name == n) return v;
  return table.front().second;
}

template <typename T>
const char* NameOf(const std::vector<std::pair<const char*, T>>& table, T value) {
  for (const auto& [n, v] : table)
    if (v == value) return n;
  return table.front().first;
}

double Num(const db::Rows& r, int i, const char* col, double fallback = 0) {
  auto v = r.opt(i, col);
  return v ? std::stod(*v) : fallback;
}

// A stored [[m³/h, y], ...] as a curve in m³/s.
analysis::Curve CurveOf(const std::string& id, const std::string& text) {
  analysis::Curve c{id, {}};
  for (const auto& p : json::parse(text)) c.points.emplace_back(p[0].get<double>() / kSecondsPerHour, p[1].get<double>());
  return c;
}

Result<std::string> NetworkId(db::Conn& conn, const std::string& network, std::string* formula = nullptr) {
  HEAT_ASSIGN(db::Rows r, conn.Query("SELECT id, headloss_formula FROM heat.network WHERE code = $1", {network}));
  if (r.empty()) return Status::NotFound("no network " + network + " in your scope");
  if (formula) *formula = r.get(0, 1);
  return r.get(0, 0);
}

Status LoadNodes(db::Conn& conn, const std::string& id, PipeModel& m) {
  HEAT_ASSIGN(db::Rows r, conn.Query(R"(
    SELECT t.code, t.kind, t.elevation_m, t.demand_m3h, t.head_m, t.min_level_m, t.max_level_m, t.tank_diameter_m,
           (SELECT s.code FROM heat.station s WHERE s.id = t.station_id) AS station,
           ST_X(t.location) AS lon, ST_Y(t.location) AS lat
    FROM heat.pipe_node t WHERE t.network_id = $1::int ORDER BY t.code)", {id}));
  for (int i = 0; i < r.size(); ++i) {
    Node n;
    n.id = r.get(i, "code");
    std::string kind = r.get(i, "kind");
    n.kind = kind == "reservoir" ? Node::Kind::kReservoir : kind == "tank" ? Node::Kind::kTank : Node::Kind::kJunction;
    n.elevation_m = Num(r, i, "elevation_m");
    n.demand_m3s = Num(r, i, "demand_m3h") / kSecondsPerHour;
    n.head_m = Num(r, i, "head_m");
    n.min_level_m = Num(r, i, "min_level_m");
    n.max_level_m = Num(r, i, "max_level_m");
    n.tank_diameter_m = Num(r, i, "tank_diameter_m");
    n.has_xy = r.opt(i, "lon").has_value();
    n.x = Num(r, i, "lon"), n.y = Num(r, i, "lat");
    m.net.nodes.push_back(std::move(n));
    m.station.push_back(r.get(i, "station"));
  }
  return Status::Ok();
}

void FillLink(const db::Rows& r, int i, Link& l, analysis::Network& net) {
  std::string kind = r.get(i, "kind"), status = r.get(i, "status");
  l.kind = kind == "pump" ? Link::Kind::kPump : kind == "valve" ? Link::Kind::kValve : Link::Kind::kPipe;
  l.status = status == "closed" ? InitialStatus::kClosed
             : status == "open" || l.kind != Link::Kind::kValve ? InitialStatus::kOpen : InitialStatus::kActive;
  l.length_m = Num(r, i, "length_m");
  l.diameter_m = Num(r, i, "diameter_mm") / 1000;
  l.roughness = Num(r, i, "roughness");
  l.minor_loss = Num(r, i, "minor_loss");
  l.check_valve = r.get(i, "check_valve") == "t";
  l.power_kw = Num(r, i, "power_kw");
  l.speed = Num(r, i, "speed", 1);
  if (auto c = r.opt(i, "curve")) {
    l.curve = static_cast<int>(net.curves.size());
    net.curves.push_back(CurveOf(l.id, *c));
  }
  if (l.kind == Link::Kind::kValve) {
    l.valve = Lookup(kValves, r.get(i, "valve_type"));
    l.setting = Num(r, i, "setting") / (l.valve == ValveType::kFCV ? kSecondsPerHour : 1);
  }
  if (auto path = r.opt(i, "path")) {
    auto pts = json::parse(*path);
    for (size_t k = 1; k + 1 < pts.size(); ++k) l.vertices.emplace_back(pts[k][0].get<double>(), pts[k][1].get<double>());
  }
}

Status LoadLinks(db::Conn& conn, const std::string& id, PipeModel& m) {
  HEAT_ASSIGN(db::Rows r, conn.Query(R"(
    SELECT t.code, t.kind, f.code AS from_code, o.code AS to_code, t.status, t.length_m, t.diameter_mm, t.roughness,
           t.minor_loss, t.check_valve, t.curve::text AS curve, t.power_kw, t.speed, t.valve_type, t.setting,
           (SELECT json_agg(json_build_array(ST_X(d.geom), ST_Y(d.geom)) ORDER BY d.path)::text
              FROM ST_DumpPoints(t.path) d) AS path
    FROM heat.pipe_link t JOIN heat.pipe_node f ON f.id = t.from_node_id JOIN heat.pipe_node o ON o.id = t.to_node_id
    WHERE t.network_id = $1::int ORDER BY t.code)", {id}));
  std::map<std::string, int> index;
  for (size_t k = 0; k < m.net.nodes.size(); ++k) index[m.net.nodes[k].id] = static_cast<int>(k);
  for (int i = 0; i < r.size(); ++i) {
    Link l;
    l.id = r.get(i, "code");
    l.from = index.at(r.get(i, "from_code"));
    l.to = index.at(r.get(i, "to_code"));
    FillLink(r, i, l, m.net);
    m.net.links.push_back(std::move(l));
  }
  return Status::Ok();
}

}  // namespace

Result<PipeModel> LoadPipeModel(db::Conn& conn, const std::string& network) {
  PipeModel m;
  m.network = network;
  std::string formula;
  HEAT_ASSIGN(std::string id, NetworkId(conn, network, &formula));
  m.net.title = network;
  m.net.formula = Lookup(kFormulas, formula);
  HEAT_TRY(LoadNodes(conn, id, m));
  if (m.net.nodes.empty())
    return Status::NotFound("network " + network + " has no hydraulic model yet: add pipe_nodes and pipe_links " +
                            "with heatctl import, or an EPANET file with heatctl network import-inp");
  HEAT_TRY(LoadLinks(conn, id, m));
  return m;
}

namespace {

bool LooksLikeLonLat(const analysis::Network& net, int* seen, std::string* why) {
  auto in = [&](double x, double y) { return std::abs(x) <= 180 && std::abs(y) <= 90; };
  bool ok = true;
  for (const auto& n : net.nodes) {
    if (!n.has_xy) continue;
    ++*seen;
    if (ok && !in(n.x, n.y)) ok = false, *why = "node " + n.id + " at " + std::to_string(n.x) + ", " + std::to_string(n.y);
  }
  for (const auto& l : net.links)
    for (const auto& [x, y] : l.vertices)
      if (ok && !in(x, y)) ok = false, *why = "a vertex of link " + l.id;
  return ok;
}

Status CheckCodes(const analysis::Network& net) {
  const Field code{"code", "code", FieldType::kCode, true};
  for (const auto& n : net.nodes)
    if (!Canonical(code, n.id).ok() || n.id.size() > 64)
      return Status::Usage("node '" + n.id + "': ids must be letters, digits, _ . - (up to 64)");
  for (const auto& l : net.links)
    if (!Canonical(code, l.id).ok() || l.id.size() > 64)
      return Status::Usage("link '" + l.id + "': ids must be letters, digits, _ . - (up to 64)");
  return Status::Ok();
}

json NodesJson(const analysis::Network& net, bool geometry) {
  static const char* kKinds[] = {"junction", "reservoir", "tank"};
  json out = json::array();
  for (const auto& n : net.nodes) {
    json j = {{"code", n.id}, {"kind", kKinds[static_cast<int>(n.kind)]}, {"elevation_m", n.elevation_m}};
    if (n.kind == Node::Kind::kJunction) j["demand_m3h"] = n.demand_m3s * kSecondsPerHour;
    else j["head_m"] = n.head_m;
    if (n.kind == Node::Kind::kTank)
      j.update({{"min_level_m", n.min_level_m}, {"max_level_m", n.max_level_m}, {"tank_diameter_m", n.tank_diameter_m}});
    if (geometry && n.has_xy) j.update({{"lon", n.x}, {"lat", n.y}});
    out.push_back(std::move(j));
  }
  return out;
}

json CurveJson(const analysis::Network& net, int curve) {
  json pts = json::array();
  for (const auto& [x, y] : net.curves.at(curve).points) pts.push_back({x * kSecondsPerHour, y});
  return pts;
}

json LinkJson(const analysis::Network& net, const Link& l, bool geometry) {
  static const char* kKinds[] = {"pipe", "pump", "valve"};
  json j = {{"code", l.id}, {"kind", kKinds[static_cast<int>(l.kind)]},
            {"from", net.nodes.at(l.from).id}, {"to", net.nodes.at(l.to).id}};
  if (l.status == InitialStatus::kClosed) j["status"] = "closed";
  else if (l.status == InitialStatus::kOpen && l.kind == Link::Kind::kValve) j["status"] = "open";
  if (l.kind != Link::Kind::kPump) j.update({{"diameter_mm", l.diameter_m * 1000}, {"minor_loss", l.minor_loss}});
  if (l.kind == Link::Kind::kPipe)
    j.update({{"length_m", l.length_m}, {"roughness", l.roughness}, {"check_valve", l.check_valve}});
  if (l.kind == Link::Kind::kPump) {
    j["speed"] = l.speed;
    if (l.curve >= 0) j["curve"] = CurveJson(net, l.curve);
    else j["power_kw"] = l.power_kw;
  }
  if (l.kind == Link::Kind::kValve) {
    j["valve_type"] = NameOf(kValves, l.valve);
    if (l.valve == ValveType::kGPV) j["curve"] = CurveJson(net, l.curve);
    else j["setting"] = l.setting * (l.valve == ValveType::kFCV ? kSecondsPerHour : 1);
  }
  const Node &a = net.nodes.at(l.from), &b = net.nodes.at(l.to);
  if (geometry && !l.vertices.empty() && a.has_xy && b.has_xy) {
    json path = json::array({{a.x, a.y}});
    for (const auto& [x, y] : l.vertices) path.push_back({x, y});
    path.push_back({b.x, b.y});
    j["path"] = std::move(path);
  }
  return j;
}

constexpr const char* kInsertNodes = R"(
  INSERT INTO heat.pipe_node (network_id, code, kind, elevation_m, demand_m3h, head_m, min_level_m, max_level_m,
                              tank_diameter_m, location)
  SELECT $1::int, x.code, x.kind, x.elevation_m, coalesce(x.demand_m3h, 0), x.head_m, x.min_level_m, x.max_level_m,
         x.tank_diameter_m, CASE WHEN x.lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326) END
  FROM jsonb_to_recordset($2::jsonb) AS x(code text, kind text, elevation_m float8, demand_m3h float8, head_m float8,
                                          min_level_m float8, max_level_m float8, tank_diameter_m float8,
                                          lon float8, lat float8))";

constexpr const char* kInsertLinks = R"(
  INSERT INTO heat.pipe_link (network_id, code, kind, from_node_id, to_node_id, status, length_m, diameter_mm,
                              roughness, minor_loss, check_valve, curve, power_kw, speed, valve_type, setting, path)
  SELECT $1::int, x.code, x.kind, f.id, o.id, x.status, x.length_m, x.diameter_mm, x.roughness,
         coalesce(x.minor_loss, 0), coalesce(x.check_valve, false), x.curve, x.power_kw, coalesce(x.speed, 1),
         x.valve_type, x.setting,
         (SELECT ST_SetSRID(ST_MakeLine(ST_MakePoint((e.p->>0)::float8, (e.p->>1)::float8) ORDER BY e.i), 4326)
            FROM jsonb_array_elements(x.path) WITH ORDINALITY AS e(p, i))
  FROM jsonb_to_recordset($2::jsonb) AS x(code text, kind text, "from" text, "to" text, status text,
                                          length_m float8, diameter_mm float8, roughness float8, minor_loss float8,
                                          check_valve boolean, curve jsonb, power_kw float8, speed float8,
                                          valve_type text, setting float8, path jsonb)
  JOIN heat.pipe_node f ON f.network_id = $1::int AND f.code = x."from"
  JOIN heat.pipe_node o ON o.network_id = $1::int AND o.code = x."to")";

Status RemoveModel(db::Conn& conn, const std::string& id, bool replace, StoreReport& rep) {
  HEAT_ASSIGN(db::Rows n, conn.Query(
      "SELECT (SELECT count(*) FROM heat.pipe_node WHERE network_id = $1::int),"
      " (SELECT count(*) FROM heat.pipe_link WHERE network_id = $1::int)", {id}));
  if (n.get_int(0, 0) == 0) return Status::Ok();
  if (!replace)
    return Status::Conflict("the network already has a model (" + n.get(0, 0) + " nodes, " + n.get(0, 1) +
                            " links): add --replace to replace it");
  HEAT_ASSIGN(db::Rows l, conn.Query("DELETE FROM heat.pipe_link WHERE network_id = $1::int", {id}));
  HEAT_ASSIGN(db::Rows d, conn.Query("DELETE FROM heat.pipe_node WHERE network_id = $1::int", {id}));
  rep.removed_links = static_cast<int>(l.affected());
  rep.removed_nodes = static_cast<int>(d.affected());
  return Status::Ok();
}

}  // namespace

Result<StoreReport> StorePipeModel(db::Conn& conn, const std::string& network, const analysis::Network& net,
                                   bool replace) {
  HEAT_TRY(analysis::Validate(net));
  HEAT_TRY(CheckCodes(net));
  StoreReport rep;
  int seen = 0;
  std::string why;
  rep.geometry = LooksLikeLonLat(net, &seen, &why) && seen > 0;
  rep.coordinates = seen == 0 ? "no coordinates in the file: stored without geometry"
                    : rep.geometry ? std::to_string(seen) + " node coordinates within lon/lat ranges: stored as WGS84 lon/lat"
                                   : "coordinates are no lon/lat (" + why + "): stored without geometry";
  HEAT_ASSIGN(auto tx, db::Transaction::Start(conn));
  HEAT_ASSIGN(std::string id, NetworkId(conn, network));
  HEAT_TRY(RemoveModel(conn, id, replace, rep));
  HEAT_TRY(conn.Exec("UPDATE heat.network SET headloss_formula = $2 WHERE id = $1::int AND headloss_formula <> $2",
                     {id, NameOf(kFormulas, net.formula)}));
  HEAT_ASSIGN(db::Rows n, conn.Query(kInsertNodes, {id, NodesJson(net, rep.geometry).dump()}));
  json links = json::array();
  for (const auto& l : net.links) links.push_back(LinkJson(net, l, rep.geometry));
  HEAT_ASSIGN(db::Rows l, conn.Query(kInsertLinks, {id, links.dump()}));
  rep.nodes = static_cast<int>(n.affected());
  rep.links = static_cast<int>(l.affected());
  HEAT_TRY(tx->Commit());
  return rep;
}

}  // namespace heat::network
