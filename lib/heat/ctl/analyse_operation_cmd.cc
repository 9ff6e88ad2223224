// heatctl analyse precision|rooms (ANA-1, ANA-5), and the table of the
// operation analyses (energy and curve: analyse_energy_cmd.cc). Reads go
// through lib/sql 0041 as the person running heatctl; the statistics are
// lib/heat/analysis/'s.
#include <algorithm>
#include <set>

#include "heat/analysis/precision.h"
#include "heat/analysis/rooms.h"
#include "heat/ctl/analyse_operation.h"
#include "heat/ctl/commands.h"

namespace heat::ctl {
namespace {

constexpr int64_t kWarmupS = 48 * 3600;  // the composite filter and the loops settle before the span
constexpr double kValveTolPct = 0.5, kPumpTolHz = 0.5;

struct PrecisionArgs {
  std::string station, from = "-7d", to;
  double band = 2;
  bool histogram = false;
};

// The station's room sensors as the controller reads them, per hour.
using RoomsByHour = std::map<std::pair<std::string, int64_t>, std::vector<control::RoomReading>>;
RoomsByHour ByHour(const RoomData& d) {
  RoomsByHour out;
  for (const auto& h : d.hours) out[{d.sensors[h.sensor].station, h.hour_s}].push_back({h.temp_c, 0, true});
  return out;
}

struct StationPrecision {
  const StationSetup* setup = nullptr;
  analysis::Controlled controlled = analysis::Controlled::kSupply;
  analysis::DeviationStats dev;
  analysis::Spread valve, pump;
};

StationPrecision Analyse(const StationSetup& s, const std::map<int64_t, std::map<std::string, double>>& hours,
                         const RoomsByHour& rooms, const Span& span, const TimeZone& tz, double band) {
  StationPrecision p{&s, analysis::ControlledBy(s.cfg.valve), {}, {}, {}};
  std::vector<analysis::Hour> replay;
  for (const auto& [h, v] : hours) {
    auto r = rooms.find({s.code, h});
    replay.push_back({h, HourMeasurements(s.tags, v, r == rooms.end() ? std::vector<control::RoomReading>{}
                                                                      : r->second)});
  }
  std::vector<double> sp(replay.size(), control::kUnknown);
  if (s.configured && s.error.empty())
    sp = analysis::Setpoints(s.cfg, replay, replay.empty() ? 0 : ToLocal(replay.front().start_s, tz).utc_offset_s);
  std::vector<double> measured, setpoint, valve, pump;
  const std::string tag = p.controlled == analysis::Controlled::kSupply   ? s.tags.t2s
                          : p.controlled == analysis::Controlled::kReturn ? s.tags.t2r : s.tags.f1;
  for (size_t i = 0; i < replay.size(); ++i) {
    if (replay[i].start_s < span.from) continue;
    const auto& v = hours.at(replay[i].start_s);
    auto get = [&](const std::string& k) { return v.count(k) ? v.at(k) : control::kUnknown; };
    measured.push_back(get(tag));
    setpoint.push_back(sp[i]);
    valve.push_back(get(s.tags.valve));
    pump.push_back(get(s.tags.pump + "_hz"));
  }
  p.dev = analysis::Deviation(measured, setpoint, band);
  p.valve = analysis::Distribute(valve, 0, 100, kValveTolPct);
  p.pump = analysis::Distribute(pump, s.cfg.limits.pump_min_hz, s.cfg.limits.pump_max_hz, kPumpTolHz);
  return p;
}

cli::Table PrecisionTable(const std::vector<StationPrecision>& rows, double band) {
  cli::Table t;
  t.columns = {"station", "strategy", "controlled", "hours", "dev_mean", "dev_abs_mean", "dev_abs_p95",
               "dev_abs_max", "hours_outside", "beyond_band", "valve_p05", "valve_p50", "valve_p95",
               "valve_hours_closed", "valve_hours_open", "pump_hz_p05", "pump_hz_p50", "pump_hz_p95",
               "pump_hours_min", "pump_hours_max"};
  for (const auto& p : rows) {
    const auto& d = p.dev;
    bool beyond = d.hours > 0 && d.p95_abs > band;
    t.Add({{p.setup->code}, {p.setup->strategy}, {analysis::ControlledTag(p.controlled)}, Int(d.hours),
           Num(d.mean, 2), Num(d.mean_abs, 2), Num(d.p95_abs, 2), Num(d.max_abs, 2), Int(d.hours_outside),
           {beyond ? "true" : "false", cli::Cell::kBool}, Num(p.valve.p05, 1), Num(p.valve.p50, 1),
           Num(p.valve.p95, 1), Int(p.valve.at_low), Int(p.valve.at_high), Num(p.pump.p05, 1),
           Num(p.pump.p50, 1), Num(p.pump.p95, 1), Int(p.pump.at_low), Int(p.pump.at_high)});
  }
  return t;
}

cli::Table HistogramTable(const std::vector<StationPrecision>& rows) {
  cli::Table t;
  t.columns = {"station", "actuator", "bucket", "lo", "hi", "hours"};
  for (const auto& p : rows) {
    const auto& lim = p.setup->cfg.limits;
    for (auto [name, s, lo, hi] : {std::tuple{"valve_pct", &p.valve, 0.0, 100.0},
                                   std::tuple{"pump_hz", &p.pump, lim.pump_min_hz, lim.pump_max_hz}})
      for (int b = 0; b < 10; ++b)
        t.Add({{p.setup->code}, {name}, Int(b + 1), Num(lo + (hi - lo) * b / 10, 1),
               Num(lo + (hi - lo) * (b + 1) / 10, 1), Int(s->buckets[static_cast<size_t>(b)])});
  }
  return t;
}

void PrecisionWarnings(cli::Context& ctx, const std::vector<StationPrecision>& rows, double band) {
  std::string beyond, none;
  for (const auto& p : rows) {
    if (p.dev.hours > 0 && p.dev.p95_abs > band) beyond += " " + p.setup->code;
    if (p.dev.hours == 0) none += " " + p.setup->code;
  }
  ctx.out() << (beyond.empty() ? "no station beyond ±" + Num(band, 1).text.value() + " (95 % of hours)"
                               : "warning: beyond ±" + Num(band, 1).text.value() + " in more than 5 % of hours:" + beyond)
            << "\n";
  if (!none.empty()) ctx.out() << "no setpoint to compare with (no configuration or no hours):" << none << "\n";
}

Status Precision(cli::Context& ctx, const PrecisionArgs& a) {
  if (!(a.band > 0)) return Status::Usage("--band: more than 0");
  HEAT_ASSIGN(TimeZone tz, TimeZone::Load(ctx.config().str("site.timezone")));
  HEAT_ASSIGN(Span span, ParseSpan(a.from, a.to, tz));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(std::vector<StationSetup> setups, LoadSetups(*db, a.station));
  Span wide{span.from - kWarmupS, span.to};
  HEAT_ASSIGN(StationHours hours, LoadStationHours(*db, wide, LoopTagList(setups)));
  HEAT_ASSIGN(RoomData rooms, LoadRooms(*db, wide, a.station, tz));
  RoomsByHour by_hour = ByHour(rooms);
  std::vector<StationPrecision> rows;
  for (const auto& s : setups) rows.push_back(Analyse(s, hours[s.code], by_hour, span, tz, a.band));
  if (a.histogram) {
    cli::Print(HistogramTable(rows), ctx.format, ctx.out());
    return Status::Ok();
  }
  if (ctx.format == cli::Format::kTable)
    ctx.out() << "precision " << FormatLocal(span.from, tz).substr(0, 16) << " – "
              << FormatLocal(span.to, tz).substr(0, 16) << ", hourly means; deviation = measured − setpoint\n";
  cli::Print(PrecisionTable(rows, a.band), ctx.format, ctx.out());
  if (ctx.format == cli::Format::kTable) PrecisionWarnings(ctx, rows, a.band);
  return Status::Ok();
}

struct RoomArgs {
  std::string station, from = "-7d", to, show = "building";
  analysis::RoomBand band;
};

cli::Table GroupTable(const std::vector<analysis::RoomGroup>& groups, analysis::RoomLevel level) {
  cli::Table t;
  t.columns = {"station"};
  if (level != analysis::RoomLevel::kStation) t.columns.push_back("building");
  if (level == analysis::RoomLevel::kFloor) t.columns.push_back("floor");
  for (const char* c : {"sensors", "hours", "mean_c", "p10_c", "p50_c", "p90_c", "min_c", "max_c", "hours_below",
                        "hours_above", "share_in_band"})
    t.columns.push_back(c);
  for (const auto& g : groups) {
    std::vector<cli::Cell> row{{g.station}};
    if (level != analysis::RoomLevel::kStation) row.push_back({g.building});
    if (level == analysis::RoomLevel::kFloor) row.push_back(g.floor ? Int(*g.floor) : cli::Cell{"?"});
    for (cli::Cell c : {Int(g.sensors), Int(g.hours), Num(g.mean, 2), Num(g.p10, 2), Num(g.p50, 2), Num(g.p90, 2),
                        Num(g.min, 2), Num(g.max, 2), Int(g.hours_below), Int(g.hours_above),
                        Num(g.share_in_band, 3)})
      row.push_back(c);
    t.Add(std::move(row));
  }
  return t;
}

cli::Table OutsideTable(const RoomData& d, const analysis::RoomBand& band, bool below) {
  cli::Table t;
  t.columns = {"sensor", "station", "building", "floor", "hours", below ? "hours_below" : "hours_above", "mean_c",
               below ? "lowest_c" : "highest_c"};
  for (const auto& f : analysis::Outside(d.sensors, d.hours, band, below)) {
    const auto& s = d.sensors[f.sensor];
    t.Add({{s.code}, {s.station}, {s.building}, s.floor ? Int(*s.floor) : cli::Cell{std::nullopt, cli::Cell::kInt},
           Int(f.hours), Int(f.hours_outside), Num(f.mean, 2), Num(f.extreme, 2)});
  }
  return t;
}

cli::Table DailyTable(const RoomData& d, const analysis::RoomBand& band) {
  cli::Table t;
  t.columns = {"station", "day", "flats", "in_band", "share_in_band"};
  for (const auto& s : analysis::DailyInBand(d.sensors, d.hours, band))
    t.Add({{s.station}, {FormatDate(s.day)}, Int(s.flats), Int(s.in_band), Num(s.share(), 3)});
  return t;
}

// The room figure of CTL-3 per station over the span (rooms.h).
Result<cli::Table> FigureTable(db::Conn& db, const RoomData& d, const std::string& station) {
  HEAT_ASSIGN(std::vector<StationSetup> setups, LoadSetups(db, station));
  std::map<std::string, control::RoomTarget> targets;
  for (const auto& s : setups) targets[s.code] = s.cfg.room;
  std::map<std::string, std::vector<double>> figures;
  for (const auto& h : analysis::StationFigures(d.sensors, d.hours, targets)) figures[h.station].push_back(h.figure_c);
  std::map<std::string, std::vector<double>> all;
  for (const auto& h : d.hours) all[d.sensors[h.sensor].station].push_back(h.temp_c);
  cli::Table t;
  t.columns = {"station", "strategy", "percentile", "min_sensors", "hours", "figure_mean_c", "figure_min_c",
               "figure_max_c", "rooms_mean_c"};
  for (const auto& s : setups) {
    const auto& f = figures[s.code];
    auto spread = analysis::Distribute(f, 0, 1, 0);
    auto rooms = analysis::Distribute(all[s.code], 0, 1, 0);
    t.Add({{s.code}, {s.strategy}, Num(s.cfg.room.percentile, 2), Int(s.cfg.room.min_sensors),
           Int(spread.hours), Num(spread.mean, 2), Num(analysis::Quantile(f, 0), 2),
           Num(analysis::Quantile(f, 1), 2), Num(rooms.mean, 2)});
  }
  return t;
}

Status Rooms(cli::Context& ctx, const RoomArgs& a) {
  static const std::map<std::string, analysis::RoomLevel> kLevels = {
      {"station", analysis::RoomLevel::kStation}, {"building", analysis::RoomLevel::kBuilding},
      {"floor", analysis::RoomLevel::kFloor}};
  static const std::set<std::string> kOthers = {"under", "over", "daily", "figure"};
  if (!kLevels.count(a.show) && !kOthers.count(a.show))
    return Status::Usage("--show: station, building, floor, under, over, daily or figure, not '" + a.show + "'");
  if (!(a.band.low_c < a.band.high_c)) return Status::Usage("--low must be below --high");
  HEAT_ASSIGN(TimeZone tz, TimeZone::Load(ctx.config().str("site.timezone")));
  HEAT_ASSIGN(Span span, ParseSpan(a.from, a.to, tz));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  if (!a.station.empty()) HEAT_TRY(LoadSetups(*db, a.station).status());
  HEAT_ASSIGN(RoomData d, LoadRooms(*db, span, a.station, tz));
  cli::Table t;
  if (kLevels.count(a.show)) {
    t = GroupTable(analysis::Summarise(d.sensors, d.hours, a.band, kLevels.at(a.show)), kLevels.at(a.show));
  } else if (a.show == "figure") {
    HEAT_ASSIGN(t, FigureTable(*db, d, a.station));
  } else {
    t = a.show == "daily" ? DailyTable(d, a.band) : OutsideTable(d, a.band, a.show == "under");
  }
  if (ctx.format == cli::Format::kTable) {
    ctx.out() << "rooms " << FormatLocal(span.from, tz).substr(0, 16) << " – " << FormatLocal(span.to, tz).substr(0, 16)
              << ", " << d.sensors.size() << " sensors, band " << Num(a.band.low_c, 1).text.value() << ".."
              << Num(a.band.high_c, 1).text.value() << " °C\n";
    long unknown = std::count_if(d.sensors.begin(), d.sensors.end(), [](const auto& s) { return !s.floor; });
    if (a.show == "floor" && unknown > 0) ctx.out() << "floor unknown for " << unknown << " sensors (shown as ?)\n";
  }
  cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

cli::Command PrecisionRow() {
  return {"analyse precision", "how closely stations held their setpoint; valve and pump use", "ANA-1",
          [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<PrecisionArgs>();
            app.add_option("station", a->station, "one station (default: every station of your scope)");
            app.add_option("--from", a->from, "from this time (2026-12-01, -30d; default -7d)");
            app.add_option("--to", a->to, "until this time (default now)");
            app.add_option("--band", a->band, "warn beyond ± this deviation, °C (m³/h for constant flow); default 2");
            app.add_flag("--histogram", a->histogram, "the valve's and pump's hours in ten buckets of their range");
            return [a](cli::Context& ctx) { return Precision(ctx, *a); };
          }};
}

cli::Command RoomsRow() {
  return {"analyse rooms", "room temperatures by station, building, floor; flats too cold or too warm", "ANA-5",
          [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<RoomArgs>();
            app.add_option("station", a->station, "one station (default: every station of your scope)");
            app.add_option("--from", a->from, "from this time (2026-12-01, -30d; default -7d)");
            app.add_option("--to", a->to, "until this time (default now)");
            app.add_option("--show", a->show, "station, building (default), floor, under, over, daily or figure");
            app.add_option("--low", a->band.low_c, "under-heated below this, °C (default 18)");
            app.add_option("--high", a->band.high_c, "over-heated above this, °C (default 24)");
            return [a](cli::Context& ctx) { return Rooms(ctx, *a); };
          }};
}

}  // namespace

std::vector<cli::Command> OperationAnalysisCommands() {
  return {PrecisionRow(), RoomsRow(), EnergyCommand(), CurveCommand()};
}

}  // namespace heat::ctl
