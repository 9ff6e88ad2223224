// ctl/analyse_operation_data.cc — the span, the stations' configurations
// and the hourly history of heatctl analyse precision|rooms|curve.
#include <cmath>
#include <cstdio>
#include <ctime>
#include <set>

#include "heat/controld/config_json.h"
#include "heat/ctl/analyse_operation.h"

namespace heat::ctl {

using nlohmann::json;

Result<Span> ParseSpan(const std::string& from, const std::string& to, const TimeZone& tz) {
  int64_t now = std::time(nullptr);
  auto f = ParseTime(from, tz, now);
  if (!f.ok()) return f.status().With("--from");
  int64_t t = now;
  if (!to.empty()) {
    auto parsed = ParseTime(to, tz, now);
    if (!parsed.ok()) return parsed.status().With("--to");
    t = *parsed;
  }
  Span s{*f - ((*f % 3600) + 3600) % 3600, t};
  if (s.to <= s.from) return Status::Usage("--to must be after --from");
  return s;
}

namespace {

const char* StrategyName(control::ValveStrategy v) {
  switch (v) {
    case control::ValveStrategy::kConstantSupply: return "constant_supply";
    case control::ValveStrategy::kConstantReturn: return "constant_return";
    case control::ValveStrategy::kConstantFlow: return "constant_flow";
    case control::ValveStrategy::kRoomTarget: return "room_target";
    default: return "outdoor_compensation";
  }
}

// As heatd-control takes it (controld/plant.cc): tags first, then the rest.
void TakeSetup(const std::string& config, const std::string& limits, StationSetup& s) {
  json c = json::parse(config, nullptr, false), l = json::parse(limits, nullptr, false);
  Status st = controld::TakeLoopTags(c, s.tags);
  if (st.ok()) {
    auto parsed = controld::ParseStationConfig(c, l);
    if (parsed.ok()) s.cfg = *parsed;
    else st = parsed.status();
  }
  if (!st.ok()) s.error = st.message();
  s.strategy = s.configured ? StrategyName(s.cfg.valve) : "none";
}

double Mean(const db::Rows& r, int i, int c) { return r.is_null(i, c) ? NAN : std::stod(r.get(i, c)); }

}  // namespace

Result<std::vector<StationSetup>> LoadSetups(db::Conn& db, const std::string& station) {
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT s.code, coalesce(c.config, '{}'), coalesce(c.limits, '{}'), c.station_id IS NOT NULL"
      " FROM heat.station s LEFT JOIN heat.control_config c ON c.station_id = s.id"
      " WHERE $1 = '' OR s.code::text = $1 ORDER BY s.code", {station}));
  if (r.empty() && !station.empty()) return Status::NotFound("no station " + station + " in your scope");
  std::vector<StationSetup> out;
  for (int i = 0; i < r.size(); ++i) {
    StationSetup s;
    s.code = r.get(i, 0);
    s.configured = r.get(i, 3) == "t";
    TakeSetup(r.get(i, 1), r.get(i, 2), s);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> LoopTagList(const std::vector<StationSetup>& setups) {
  std::set<std::string> tags;
  for (const auto& s : setups) {
    const auto& t = s.tags;
    tags.insert({t.t1r, t.t2s, t.t2r, t.f1, t.pw1, t.tout, t.manual, t.valve, t.pump + "_hz"});
  }
  return {tags.begin(), tags.end()};
}

Result<StationHours> LoadStationHours(db::Conn& db, const Span& span, const std::vector<std::string>& tags) {
  std::string list = "{";
  for (const auto& t : tags) list += (list.size() > 1 ? "," : "") + t;
  list += "}";
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT station, extract(epoch FROM hour)::bigint, tag, mean"
      " FROM api.analysis_station_hour(to_timestamp($1), to_timestamp($2), $3::text[])",
      {std::to_string(span.from), std::to_string(span.to), list}));
  StationHours out;
  for (int i = 0; i < r.size(); ++i) out[r.get(i, 0)][r.get_int(i, 1)][r.get(i, 2)] = Mean(r, i, 3);
  return out;
}

Result<RoomData> LoadRooms(db::Conn& db, const Span& span, const std::string& station, const TimeZone& tz) {
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT station, building, floor, sensor, extract(epoch FROM hour)::bigint, temp_c"
      " FROM api.analysis_room_hour(to_timestamp($1), to_timestamp($2)) WHERE $3 = '' OR station = $3"
      " ORDER BY sensor, hour", {std::to_string(span.from), std::to_string(span.to), station}));
  RoomData d;
  std::map<std::string, size_t> index;
  for (int i = 0; i < r.size(); ++i) {
    auto [it, added] = index.emplace(r.get(i, 3), d.sensors.size());
    if (added) {
      analysis::Sensor s{r.get(i, 3), r.get(i, 0), r.get(i, 1), std::nullopt};
      if (!r.is_null(i, 2)) s.floor = static_cast<int>(r.get_int(i, 2));
      d.sensors.push_back(std::move(s));
    }
    int64_t hour = r.get_int(i, 4);
    d.hours.push_back({it->second, hour, LocalDate(hour, tz), Mean(r, i, 5)});
  }
  return d;
}

control::Measurements HourMeasurements(const controld::LoopTags& t, const std::map<std::string, double>& v,
                                       const std::vector<control::RoomReading>& rooms) {
  auto get = [&](const std::string& tag) {
    auto it = v.find(tag);
    return it == v.end() ? control::kUnknown : it->second;
  };
  control::Measurements m;
  m.t_out_c = get(t.tout);
  m.t1r = get(t.t1r), m.t2s = get(t.t2s), m.t2r = get(t.t2r);
  m.f1_m3h = get(t.f1), m.pw1_kw = get(t.pw1);
  m.valve_pct = get(t.valve), m.pump_hz = get(t.pump + "_hz");
  m.local_manual = get(t.manual) >= 0.5;  // in manual for most of the hour
  m.rooms = rooms;
  return m;
}

cli::Cell Num(double v, int decimals) {
  if (!std::isfinite(v)) return {std::nullopt, cli::Cell::kNumber};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.starts_with("-") && s.find_first_not_of("-0.") == std::string::npos) s = s.substr(1);  // no "-0.0"
  return {s, cli::Cell::kNumber};
}

cli::Cell Int(long v) { return {std::to_string(v), cli::Cell::kInt}; }

}  // namespace heat::ctl
