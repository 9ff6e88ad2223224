// sim/run_plant.cc — the loops, PLCs and sensors heatsim run plays.
#include "heat/sim/run_plant.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <regex>
#include <set>

#include "heat/db/conn.h"
#include "heat/sim/physics/exchanger.h"

namespace heat::sim {
namespace {

using physics::Station;
using physics::StationDesign;

std::optional<double> Opt(const db::Rows& r, int i, const char* col) {
  auto v = r.opt(i, col);
  if (!v) return std::nullopt;
  return std::strtod(v->c_str(), nullptr);
}

double Area(const std::vector<BuildingRow>& b) {
  double a = 0;
  for (const auto& x : b) a += x.area_m2;
  return a;
}

// Station rows, their buildings, and who plays them (box, PLCs).
struct Inventory {
  std::vector<StationRow> stations;
  std::map<std::string, std::vector<BuildingRow>> buildings;  // by station
  std::set<std::string> boxes;                                // stations with an MQTT box
  std::map<std::string, std::vector<Plc>> plcs;               // by station, loop unset
};

Status ReadStations(db::Conn& c, Inventory& inv) {
  HEAT_ASSIGN(db::Rows r, c.Query("SELECT code, heating_area_m2, design_supply_c, design_return_c, design_flow_m3h"
                                  " FROM heat.station ORDER BY code"));
  for (int i = 0; i < r.size(); ++i)
    inv.stations.push_back({r.get(i, 0), Opt(r, i, "heating_area_m2").value_or(0), Opt(r, i, "design_supply_c"),
                            Opt(r, i, "design_return_c"), Opt(r, i, "design_flow_m3h")});
  HEAT_ASSIGN(r, c.Query("SELECT b.code, s.code AS station, b.area_m2 FROM heat.building b"
                         " JOIN heat.station s ON s.id = b.station_id ORDER BY b.code"));
  for (int i = 0; i < r.size(); ++i)
    inv.buildings[r.get(i, "station")].push_back({r.get(i, 0), Opt(r, i, "area_m2").value_or(0)});
  return Status::Ok();
}

Status ReadDevices(db::Conn& c, Inventory& inv) {
  HEAT_ASSIGN(db::Rows r, c.Query("SELECT DISTINCT s.code FROM heat.device d JOIN heat.station s ON s.id = d.station_id"
                                  " WHERE d.kind = 'control_box' AND d.protocol = 'mqtt'"));
  for (int i = 0; i < r.size(); ++i) inv.boxes.insert(r.get(i, 0));
  HEAT_ASSIGN(r, c.Query("SELECT d.code, s.code AS station, d.address, m.code AS map, m.body::text AS body"
                         " FROM heat.device d JOIN heat.station s ON s.id = d.station_id"
                         " JOIN heat.register_map m ON m.id = d.register_map_id"
                         " WHERE d.kind = 'plc' AND d.protocol = 'modbus_tcp' AND d.address IS NOT NULL"
                         " ORDER BY d.code"));
  for (int i = 0; i < r.size(); ++i) {
    auto map = proto::ParseRegisterMap(nlohmann::json::parse(r.get(i, "body")), r.get(i, "map"));
    if (!map.ok()) return map.status().With("PLC " + r.get(i, 0));
    inv.plcs[r.get(i, "station")].push_back({r.get(i, 0), r.get(i, "address"), std::move(map).value(), 0});
  }
  return Status::Ok();
}

// The station's loops: box first, then its PLCs, with their buildings.
Status AddStation(const Inventory& inv, const StationRow& s, uint64_t seed, Plant& p) {
  bool box = inv.boxes.count(s.code) > 0;
  auto pi = inv.plcs.find(s.code);
  std::vector<Plc> plcs = pi == inv.plcs.end() ? std::vector<Plc>{} : pi->second;
  int loops = (box ? 1 : 0) + static_cast<int>(plcs.size());
  if (loops == 0) return Status::Ok();
  auto bi = inv.buildings.find(s.code);
  std::vector<BuildingRow> all = bi == inv.buildings.end() ? std::vector<BuildingRow>{} : bi->second;
  auto dealt = DealBuildings(all, loops);
  double total = Area(all);
  for (int l = 0; l < loops; ++l) {
    double share = total > 0 ? Area(dealt[l]) / total : 1.0 / loops;
    bool is_box = box && l == 0;
    std::string name = is_box ? s.code : plcs[static_cast<size_t>(l - (box ? 1 : 0))].device;
    HEAT_ASSIGN(Loop loop, MakeLoop(s, name, is_box, std::max(share, 0.01), dealt[l], seed));
    if (!is_box) {
      Plc plc = plcs[static_cast<size_t>(l - (box ? 1 : 0))];
      plc.loop = p.loops.size();
      p.plcs.push_back(std::move(plc));
    }
    p.loops.push_back(std::move(loop));
  }
  return Status::Ok();
}

// Room sensors (coap, with a point temp) of the loops' buildings.
Status ReadSensors(db::Conn& c, Plant& p, uint64_t seed) {
  HEAT_ASSIGN(db::Rows r, c.Query(
      "SELECT d.address, b.code AS building, d.settings::text AS settings FROM heat.device d"
      " JOIN heat.building b ON b.id = d.building_id WHERE d.kind = 'room_sensor' AND d.protocol = 'coap'"
      " AND d.address IS NOT NULL AND EXISTS (SELECT 1 FROM heat.point t WHERE t.device_id = d.id AND t.tag = 'temp')"
      " ORDER BY d.code"));
  std::map<std::pair<size_t, size_t>, std::vector<size_t>> by_building;
  for (int i = 0; i < r.size(); ++i) {
    for (size_t l = 0; l < p.loops.size(); ++l) {
      const auto& bs = p.loops[l].buildings;
      auto it = std::find(bs.begin(), bs.end(), r.get(i, "building"));
      if (it == bs.end()) continue;
      Sensor s;
      s.address = r.get(i, 0);
      s.loop = l;
      s.building = static_cast<size_t>(it - bs.begin());
      s.rng = physics::Rng(SeedFor(s.address, seed));
      auto set = nlohmann::json::parse(r.get(i, "settings"), nullptr, false);
      if (set.is_object() && set.value("upload_s", 0) > 0) s.upload_s = set.value("upload_s", 1800);
      if (set.is_object() && set.value("sample_s", 0) > 0) s.sample_s = set.value("sample_s", 600);
      by_building[{l, s.building}].push_back(p.sensors.size());
      p.sensors.push_back(std::move(s));
    }
  }
  for (auto& [key, idx] : by_building) {
    std::vector<Sensor*> ss;
    for (size_t i : idx) ss.push_back(&p.sensors[i]);
    PlaceSensors(p.loops[key.first].model.buildings()[key.second], key.second, ss);
  }
  return Status::Ok();
}

}  // namespace

uint64_t SeedFor(const std::string& name, uint64_t seed) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : name) h = (h ^ ch) * 0x100000001b3ULL;
  return h ^ (seed * 0x9e3779b97f4a7c15ULL);
}

StationDesign DesignFor(const StationRow& s, const std::string& name, double share, int buildings,
                        uint64_t seed) {
  StationDesign d;
  d.code = name;
  d.area_m2 = (s.area_m2 > 0 ? s.area_m2 : kDefaultAreaM2) * share;
  if (s.supply_c && s.return_c) {
    d.primary_supply_c = *s.supply_c;
    d.primary_return_c = *s.return_c;
  }
  if (s.flow_m3h && *s.flow_m3h > 0 && s.area_m2 > 0)
    d.load_w_m2 = std::clamp(*s.flow_m3h * physics::kWaterKwPerM3hK *
                                 (d.primary_supply_c - d.primary_return_c) * 1000 / s.area_m2, 20.0, 150.0);
  if (buildings > 0) d.buildings = buildings;
  d.seed = SeedFor(name, seed);
  return d;
}

std::vector<std::vector<BuildingRow>> DealBuildings(const std::vector<BuildingRow>& b, int loops) {
  std::vector<std::vector<BuildingRow>> out(static_cast<size_t>(std::max(loops, 1)));
  size_t n = b.size(), k = out.size(), next = 0;
  for (size_t l = 0; l < k; ++l) {
    size_t take = n / k + (l < n % k ? 1 : 0);
    for (size_t i = 0; i < take; ++i) out[l].push_back(b[next++]);
  }
  return out;
}

Result<Loop> MakeLoop(const StationRow& s, const std::string& name, bool box, double share,
                      const std::vector<BuildingRow>& buildings, uint64_t seed) {
  StationDesign d = DesignFor(s, name, share, static_cast<int>(buildings.size()), seed);
  auto st = Station::Make(d);
  if (!st.ok()) {
    std::cerr << "heatsim: " << st.status().message() << "; using the default design temperatures\n";
    StationRow plain = s;
    plain.supply_c = plain.return_c = std::nullopt;
    st = Station::Make(DesignFor(plain, name, share, static_cast<int>(buildings.size()), seed));
    if (!st.ok()) return st.status();
  }
  st->valve().Command(kValveStartPct);
  Loop loop{name, s.code, box, {}, std::move(st).value()};
  for (const auto& b : buildings) loop.buildings.push_back(b.code);
  return loop;
}

std::string ModelTag(const std::string& plc_tag) {
  static const std::regex zone("^(.*[a-z0-9])_[hml]$");
  static const std::regex valve("^v[0-9]+(_set)?$");
  static const std::regex pump("^pump[0-9]+(_.*)$");
  std::smatch m;
  std::string t = plc_tag.size() <= 64 && std::regex_match(plc_tag, m, zone) ? m[1].str() : plc_tag;
  if (std::regex_match(t, m, valve)) return "v1" + m[1].str();
  if (std::regex_match(t, m, pump)) return "pump1" + m[1].str();
  return t;
}

std::optional<double> LoopTagValue(const Station& st, const std::string& tag, bool setpoint) {
  if (tag == "manual") return st.valve().forced_manual() ? 1.0 : 0.0;
  if (setpoint && tag == "pump1_hz") return st.pump().hz_setpoint();
  if (setpoint && tag == "pump1_run") return st.pump().run_command() ? 1.0 : 0.0;
  for (const auto& [k, v] : st.Tags())
    if (k == tag) return v;
  return std::nullopt;
}

Status ApplyFault(Station& st, const std::string& kind) {
  using physics::PumpFault;
  using physics::ValveFault;
  if (kind == "valve_stuck") st.valve().SetFault(ValveFault::kStuck);
  else if (kind == "valve_slow") st.valve().SetFault(ValveFault::kSlow);
  else if (kind == "valve_drift") st.valve().SetFault(ValveFault::kDriftingFeedback);
  else if (kind == "pump_trip") st.pump().SetFault(PumpFault::kTrip);
  else if (kind == "pump_converter") st.pump().SetFault(PumpFault::kConverterFault);
  else if (kind == "leak") st.pressure().SetLeak(1);
  else if (kind.rfind("frozen_", 0) == 0 && kind.size() > 7) st.FreezeTag(kind.substr(7));
  else return Status::Usage("unknown fault '" + kind +
                            "' (valve_stuck, valve_slow, valve_drift, pump_trip, pump_converter, leak, frozen_TAG)");
  return Status::Ok();
}

void PlaceSensors(const physics::Building& b, size_t building, std::vector<Sensor*>& sensors) {
  std::vector<size_t> flats;
  for (size_t f = 0; f < b.flats.size(); ++f)
    if (b.flats[f].p.has_sensor) flats.push_back(f);
  if (flats.empty())
    for (size_t f = 0; f < b.flats.size(); ++f) flats.push_back(f);
  for (size_t i = 0; i < sensors.size() && !flats.empty(); ++i) {
    sensors[i]->building = building;
    sensors[i]->flat = flats[i % flats.size()];
  }
}

Loop* Plant::Find(const std::string& name) {
  for (auto& l : loops)
    if (l.name == name) return &l;
  return nullptr;
}

Result<Plant> LoadPlant(const std::vector<std::string>& stations, uint64_t seed) {
  HEAT_ASSIGN(db::Conn c, db::Conn::Open("", "heatsim"));
  Inventory inv;
  HEAT_TRY(ReadStations(c, inv));
  HEAT_TRY(ReadDevices(c, inv));
  Plant p;
  for (const auto& s : inv.stations) {
    if (!stations.empty() && std::find(stations.begin(), stations.end(), s.code) == stations.end()) continue;
    HEAT_TRY(AddStation(inv, s, seed, p));
  }
  HEAT_TRY(ReadSensors(c, p, seed));
  if (p.loops.empty()) return Status::NotFound("no station with a control box (mqtt) or a PLC to play");
  return p;
}

}  // namespace heat::sim
