// heatctl analyse energy|curve (ANA-7, ANA-4): energy per area and degree-
// day per source or station against last season and the plan, and the
// heating curve a station's history recommends. Reads go through lib/sql
// 0041 as the person running heatctl; the figures and the fit are
// lib/heat/analysis/energy.h and curve.h. The curve is only shown: the
// command that would apply it is printed for the engineer to run.
#include <cmath>
#include <ctime>

#include "heat/analysis/curve.h"
#include "heat/analysis/energy.h"
#include "heat/control/curve.h"
#include "heat/control/outdoor.h"
#include "heat/ctl/analyse_operation.h"

namespace heat::ctl {
namespace {

constexpr int64_t kWarmupS = 48 * 3600;

struct EnergyArgs {
  std::string by = "station", from, to;
  double base_c = 18;
};

Date YearBefore(Date d) {
  d.year -= 1;
  if (d.month == 2 && d.day == 29) d.day = 28;
  return d;
}

double Value(const db::Rows& r, int i, const char* col) {
  return r.is_null(i, r.column(col)) ? control::kUnknown : std::stod(r.get(i, col));
}

Result<std::vector<analysis::StationDay>> LoadDays(db::Conn& db, Date from, Date to) {
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT day, coalesce(source, '') AS source, station, area_m2, heat_gj, water_m3,"
                                   " power_kwh, plan_heat_gj, f1_m3h, outdoor_c"
                                   " FROM api.analysis_station_day($1::date, $2::date)",
                                   {FormatDate(from), FormatDate(to)}));
  std::vector<analysis::StationDay> out;
  for (int i = 0; i < r.size(); ++i) {
    analysis::StationDay d;
    HEAT_ASSIGN(d.day, ParseDate(r.get(i, "day")));
    d.source = r.get(i, "source");
    d.station = r.get(i, "station");
    d.area_m2 = Value(r, i, "area_m2");
    d.heat_gj = Value(r, i, "heat_gj"), d.water_m3 = Value(r, i, "water_m3"), d.power_kwh = Value(r, i, "power_kwh");
    d.plan_heat_gj = Value(r, i, "plan_heat_gj"), d.f1_m3h = Value(r, i, "f1_m3h");
    d.outdoor_c = Value(r, i, "outdoor_c");
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::pair<Date, Date>> Days(const EnergyArgs& a, const TimeZone& tz) {
  int64_t now = std::time(nullptr);
  Date to = AddDays(LocalDate(now, tz), -1);
  if (!a.to.empty()) {
    auto t = ParseTime(a.to, tz, now);
    if (!t.ok()) return t.status().With("--to");
    to = LocalDate(*t, tz);
  }
  Date from = AddDays(to, -6);
  if (!a.from.empty()) {
    auto f = ParseTime(a.from, tz, now);
    if (!f.ok()) return f.status().With("--from");
    from = LocalDate(*f, tz);
  }
  if (to < from) return Status::Usage("--to must not be before --from");
  if (DaysBetween(from, to) > 366) return Status::Usage("at most 367 days at once");
  return std::pair{from, to};
}

cli::Table EnergyTable(const std::vector<analysis::EnergyFigures>& now,
                       const std::vector<analysis::EnergyFigures>& before, const std::string& by) {
  cli::Table t;
  t.columns = {by, "stations", "without_heat", "area_m2", "days", "heat_gj", "heat_mj_m2_day", "heat_mj_m2", "degree_days",
               "heat_kj_m2_dd", "f1_m3h_10k_m2", "water_m3_10k_m2", "power_kwh_m2", "last_heat_kj_m2_dd",
               "change_pct", "plan_heat_gj", "plan_share"};
  for (const auto& f : now) {
    analysis::EnergyFigures last;
    for (const auto& b : before)
      if (b.group == f.group) last = b;
    t.Add({{f.group}, Int(f.stations), Int(f.stations_without_heat), Num(f.area_m2, 0), Int(f.days), Num(f.heat_gj, 3), Num(f.heat_mj_m2_day, 3),
           Num(f.heat_mj_m2, 2), Num(f.degree_days, 1), Num(f.heat_kj_m2_dd, 2), Num(f.f1_m3h_10k_m2, 2),
           Num(f.water_m3_10k_m2, 3), Num(f.power_kwh_m2, 4), Num(last.heat_kj_m2_dd, 2),
           Num(analysis::NormalisedChangePct(f, last), 1), Num(f.plan_heat_gj > 0 ? f.plan_heat_gj : NAN, 3),
           Num(f.plan_share, 3)});
  }
  return t;
}

Status Energy(cli::Context& ctx, const EnergyArgs& a) {
  if (a.by != "source" && a.by != "station") return Status::Usage("--by: source or station, not '" + a.by + "'");
  if (!(a.base_c > -30 && a.base_c < 30)) return Status::Usage("--base: a temperature in -30..30 °C");
  HEAT_ASSIGN(TimeZone tz, TimeZone::Load(ctx.config().str("site.timezone")));
  HEAT_ASSIGN(auto days, Days(a, tz));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto now, LoadDays(*db, days.first, days.second));
  HEAT_ASSIGN(auto before, LoadDays(*db, YearBefore(days.first), YearBefore(days.second)));
  bool by_source = a.by == "source";
  auto figures = analysis::FiguresBy(by_source, now, a.base_c);
  if (ctx.format == cli::Format::kTable)
    ctx.out() << "energy " << FormatDate(days.first) << " .. " << FormatDate(days.second) << " by " << a.by
              << "; degree-days base " << Num(a.base_c, 1).text.value() << " °C; last season "
              << FormatDate(YearBefore(days.first)) << " .. " << FormatDate(YearBefore(days.second)) << "\n";
  cli::Print(EnergyTable(figures, analysis::FiguresBy(by_source, before, a.base_c), a.by), ctx.format, ctx.out());
  return Status::Ok();
}

struct CurveArgs {
  std::string station, from, to;
  bool season = false;
  double target_c = 20;
};

// --season: since 1 October of the heating season that holds --to.
Result<Span> CurveSpan(const CurveArgs& a, const TimeZone& tz) {
  if (a.season == !a.from.empty()) return Status::Usage("give either --season or --from");
  if (!a.season) return ParseSpan(a.from, a.to, tz);
  HEAT_ASSIGN(Span s, ParseSpan("-1d", a.to, tz));
  Date end = LocalDate(s.to, tz);
  HEAT_ASSIGN(s.from, StartOfLocalDay(Date{end.month >= 7 ? end.year : end.year - 1, 10, 1}, tz));
  return s;
}

// Hourly (composite outdoor, t2s, room figure) of one station (curve.h).
std::vector<analysis::CurveSample> Samples(const StationSetup& s, const StationHours& hours, const RoomData& rooms,
                                           const Span& span) {
  std::map<int64_t, double> figure;
  for (const auto& h : analysis::StationFigures(rooms.sensors, rooms.hours, {{s.code, s.cfg.room}}))
    figure[h.hour_s] = h.figure_c;
  std::vector<analysis::CurveSample> out;
  double composite = control::kUnknown;
  int64_t last = 0;
  auto it = hours.find(s.code);
  if (it == hours.end()) return out;
  for (const auto& [h, v] : it->second) {
    double tout = v.count(s.tags.tout) ? v.at(s.tags.tout) : control::kUnknown;
    composite = control::FilterOutdoor(s.cfg.composite, composite, tout, last ? static_cast<double>(h - last) : 0);
    last = h;
    auto f = figure.find(h);
    if (h < span.from || f == figure.end() || !v.count(s.tags.t2s)) continue;
    out.push_back({composite, v.at(s.tags.t2s), f->second});
  }
  return out;
}

cli::Table CurveTable(const analysis::CurveFit& f, const control::HeatingCurve& current, double target) {
  cli::Table t;
  t.columns = {"outdoor_c", "supply_c", "current_c", "change_c", "room_by_current_c"};
  for (const auto& [out, supply] : f.curve.points) {
    double now = control::CurveSupply(current, out, target);
    t.Add({Num(out, 0), Num(supply, 1), Num(now, 1), Num(supply - now, 1), Num(analysis::FittedRoom(f, out, now), 1)});
  }
  return t;
}

void CurveNotes(cli::Context& ctx, const analysis::CurveFit& f) {
  ctx.out() << "fitted from " << f.samples << " hours: room = " << Num(f.c0, 2).text.value() << " + "
            << Num(f.c_excess, 4).text.value() << "·x + " << Num(f.c_excess2, 6).text.value() << "·x² + "
            << Num(f.c_outdoor, 4).text.value() << "·outdoor, x = supply − outdoor; RMSE " << Num(f.rmse_c, 2).text.value() << " °C; outdoor "
            << Num(f.outdoor_lo, 1).text.value() << " .. " << Num(f.outdoor_hi, 1).text.value()
            << " °C (points beyond are extrapolated)\n";
}

void CurveAdvice(cli::Context& ctx, const StationSetup& s, const analysis::CurveFit& f, const CurveArgs& a) {
  control::StationConfig next = s.cfg;
  next.curve = f.curve;
  Status valid = control::Validate(next);
  ctx.out() << "a recommendation only: nothing was changed. To apply it (heat_engineer):\n"
            << "  heatctl control set " << s.code << " 'curve.points=" << analysis::PointsJson(f.curve)
            << "' curve.room_ref_c=" << Num(a.target_c, 1).text.value() << " curve.parallel_c=0\n";
  if (!valid.ok()) ctx.out() << "note: heatd-control would refuse it: " << valid.message() << "\n";
}

Status Curve(cli::Context& ctx, const CurveArgs& a) {
  if (!(a.target_c >= 10 && a.target_c <= 30)) return Status::Usage("--target: a room temperature in 10..30 °C");
  HEAT_ASSIGN(TimeZone tz, TimeZone::Load(ctx.config().str("site.timezone")));
  HEAT_ASSIGN(Span span, CurveSpan(a, tz));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(std::vector<StationSetup> setups, LoadSetups(*db, a.station));
  const StationSetup& s = setups.front();
  HEAT_ASSIGN(StationHours hours, LoadStationHours(*db, {span.from - kWarmupS, span.to}, {s.tags.t2s, s.tags.tout}));
  HEAT_ASSIGN(RoomData rooms, LoadRooms(*db, span, s.code, tz));
  auto fit = analysis::FitCurve(Samples(s, hours, rooms, span), a.target_c, s.cfg.curve);
  if (!fit.ok()) return fit.status().With(s.code);
  if (ctx.format == cli::Format::kTable) {
    ctx.out() << "curve for " << s.code << " to hold its room figure (CTL-3's low percentile) at "
              << Num(a.target_c, 1).text.value() << " °C, " << FormatLocal(span.from, tz).substr(0, 16) << " – "
              << FormatLocal(span.to, tz).substr(0, 16) << "\n";
    CurveNotes(ctx, *fit);
  }
  cli::Print(CurveTable(*fit, s.cfg.curve, a.target_c), ctx.format, ctx.out());
  if (ctx.format == cli::Format::kTable) CurveAdvice(ctx, s, *fit, a);
  return Status::Ok();
}

}  // namespace

cli::Command EnergyCommand() {
  return {"analyse energy", "heat, flow, water and electricity per m² and degree-day; last season; plan", "ANA-7",
          [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<EnergyArgs>();
            app.add_option("--by", a->by, "source or station (default)");
            app.add_option("--from", a->from, "first day (2026-12-01, -30d; default 6 days before --to)");
            app.add_option("--to", a->to, "last day (default yesterday)");
            app.add_option("--base", a->base_c, "degree-day base temperature, °C (default 18)");
            return [a](cli::Context& ctx) { return Energy(ctx, *a); };
          }};
}

cli::Command CurveCommand() {
  return {"analyse curve", "the heating curve a station's history recommends for a room target (never applied)",
          "ANA-4", [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<CurveArgs>();
            app.add_option("station", a->station, "station code")->required();
            app.add_flag("--season", a->season, "from 1 October of the heating season");
            app.add_option("--from", a->from, "from this time (2026-12-01, -30d)");
            app.add_option("--to", a->to, "until this time (default now)");
            app.add_option("--target", a->target_c, "room temperature to hold, °C (default 20)");
            return [a](cli::Context& ctx) { return Curve(ctx, *a); };
          }};
}

}  // namespace heat::ctl
