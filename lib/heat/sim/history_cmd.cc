// sim/history_cmd.cc — heatsim history: database in, CSV out.
#include "heat/sim/history_cmd.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <ostream>
#include <set>

#include "heat/core/file.h"
#include "heat/core/time.h"
#include "heat/db/conn.h"
#include "heat/sim/history.h"
#include "heat/sim/run_mqtt.h"
#include "heat/sim/run_plant.h"

namespace heat::sim {
namespace {

// The points of boxes and PLCs, by the name of the loop that gives them
// (the station code for a box, the device code for a PLC), each with its
// model tag; tags the model has no value for are left out.
using PointsByLoop = std::map<std::string, std::vector<HistoryPoint>>;

// A database without the schema would only say that a relation does not
// exist; say what to do instead.
Result<db::Conn> OpenDatabase() {
  HEAT_ASSIGN(db::Conn c, db::Conn::Open("", "heatsim"));
  HEAT_ASSIGN(db::Rows r, c.Query("SELECT to_regclass('heat.point') IS NOT NULL"));
  if (r.get(0, 0) != "t")
    return Status::NotFound("the database has no heat schema: run heatctl db migrate and heatctl import first");
  return c;
}

Result<PointsByLoop> ReadPoints(db::Conn& c, const std::set<std::string>& model_tags) {
  HEAT_ASSIGN(db::Rows r, c.Query(
      "SELECT p.code, p.tag, d.code AS device, d.kind, s.code AS station FROM heat.point p"
      " JOIN heat.device d ON d.id = p.device_id JOIN heat.station s ON s.id = d.station_id"
      " WHERE (d.kind = 'control_box' AND d.protocol = 'mqtt') OR (d.kind = 'plc' AND d.protocol = 'modbus_tcp')"
      " ORDER BY p.code"));
  PointsByLoop out;
  for (int i = 0; i < r.size(); ++i) {
    bool box = r.get(i, "kind") == "control_box";
    std::string tag = box ? r.get(i, "tag") : ModelTag(r.get(i, "tag"));
    if (!model_tags.count(tag)) continue;
    out[box ? r.get(i, "station") : r.get(i, "device")].push_back({r.get(i, 0), tag, BoxDecimals(tag)});
  }
  return out;
}

Status CheckStations(const std::vector<std::string>& wanted, const Plant& p) {
  for (const auto& s : wanted)
    if (std::none_of(p.loops.begin(), p.loops.end(), [&](const Loop& l) { return l.station == s; }))
      return Status::NotFound("--stations: no station " + s + " with a control box (mqtt) or a PLC");
  return Status::Ok();
}

// Each loop of the plant under the default control configuration, with
// its points; loops without points are left out (nothing to report).
Result<std::vector<HistoryLoop>> MakeLoops(Plant& plant, PointsByLoop& points, std::set<std::string>& stations) {
  std::vector<HistoryLoop> loops;
  for (Loop& l : plant.loops) {
    auto it = points.find(l.name);
    if (it == points.end()) continue;
    control::StationConfig cfg = DefaultHistoryConfig(l.model.design());
    HEAT_ASSIGN(HistoryLoop h, MakeHistoryLoop(ControlledStation(std::move(l.model), cfg), std::move(it->second)));
    loops.push_back(std::move(h));
    stations.insert(l.station);
  }
  if (loops.empty()) return Status::NotFound("no points of control boxes or PLCs to write");
  return loops;
}

Result<WallWeather> LoadWallWeather(const HistoryOptions& o, const HistorySpan& span) {
  if (o.weather_csv.empty()) return DesignWinterOnClock(span, o.forecast_out.empty() ? 0 : o.forecast_hours);
  HEAT_ASSIGN(physics::Weather w, physics::Weather::LoadCsv(o.weather_csv));
  return CsvOnClock(std::move(w), span);
}

Status WriteForecast(const HistoryOptions& o, const WallWeather& w, int64_t end_s) {
  return WriteFileAtomically(o.forecast_out, ForecastCsv(w, end_s, o.forecast_hours)).With("--forecast-out");
}

// The rows of every loop, point by point, hour by hour.
size_t WriteRows(std::ostream& out, const std::vector<HistoryLoop>& loops, const std::vector<LoopHistory>& hist,
                 const HistorySpan& span) {
  size_t rows = 0;
  out << "point,hour,n,sum,min,max,last_value,last_ts\n";
  for (size_t l = 0; l < loops.size(); ++l)
    for (size_t p = 0; p < loops[l].points.size(); ++p) {
      const HistoryPoint& pt = loops[l].points[p];
      std::string block;
      for (int h = 0; h < span.hours(); ++h)
        block += HourlyCsvRow(pt.code, span.start_s() + int64_t{h} * 3600, hist[l].hours[p][h], pt.decimals);
      out << block;
      rows += static_cast<size_t>(span.hours());
    }
  return rows;
}

Status CheckOptions(const HistoryOptions& o) {
  if (o.forecast_hours < 1 || o.forecast_hours > kMaxForecastHours)
    return Status::Usage("--forecast-hours must be in 1.." + std::to_string(kMaxForecastHours));
  if (o.threads < 1) return Status::Usage("threads must be at least 1");
  return Status::Ok();
}

}  // namespace

Result<int64_t> HistoryEnd(const std::string& end, int64_t now_s) {
  int64_t t = now_s;
  if (!end.empty()) {
    HEAT_ASSIGN(TimeZone utc, TimeZone::Load("UTC"));
    auto parsed = ParseTime(end, utc, now_s);
    if (!parsed.ok()) return parsed.status().With("--end");
    t = *parsed;
  }
  return t - ((t % 3600) + 3600) % 3600;
}

Result<HistoryReport> RunHistory(const HistoryOptions& o, std::ostream& out) {
  auto began = std::chrono::steady_clock::now();
  HEAT_TRY(CheckOptions(o));
  HistorySpan span{0, o.days, o.step_s};
  HEAT_ASSIGN(span.end_s, HistoryEnd(o.end, std::time(nullptr)));
  HEAT_TRY(CheckSpan(span));
  HEAT_ASSIGN(WallWeather weather, LoadWallWeather(o, span));
  HEAT_ASSIGN(db::Conn conn, OpenDatabase());
  HEAT_ASSIGN(Plant plant, LoadPlant(o.stations, o.seed));
  HEAT_TRY(CheckStations(o.stations, plant));
  std::vector<std::string> tags = SampleTags(plant.loops.front().model);
  HEAT_ASSIGN(PointsByLoop points, ReadPoints(conn, {tags.begin(), tags.end()}));
  std::set<std::string> stations;
  HEAT_ASSIGN(std::vector<HistoryLoop> loops, MakeLoops(plant, points, stations));
  if (!o.forecast_out.empty()) HEAT_TRY(WriteForecast(o, weather, span.end_s));
  std::vector<LoopHistory> hist = SimulateLoops(loops, span, weather, o.threads);
  HistoryReport rep;
  rep.rows = WriteRows(out, loops, hist, span);
  if (!out.flush()) return Status::Failure("cannot write the history to standard output");
  rep.stations = stations.size();
  rep.loops = loops.size();
  for (const auto& l : loops) rep.points += l.points.size();
  rep.hours = span.hours();
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return rep;
}

}  // namespace heat::sim
