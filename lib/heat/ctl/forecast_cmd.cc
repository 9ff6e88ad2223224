// heatctl forecast list|accuracy (FC-1..4): the forecasts heatd-forecast
// issued for heat sources and stations, and how good they turned out
// against what was measured. Reads go through row-level security: a
// person sees the forecasts of the org units of their scope (lib/sql 0030);
// the accuracy is aggregated in the database (heat.forecast_accuracy,
// lib/sql 0031), so it stays quick over many issues.
#include "heat/ctl/commands.h"

namespace heat::ctl {

cli::Command ForecastShowCommand();

Result<ForecastTarget> FindForecastTarget(db::Conn& db, const std::string& code, const std::string& kind) {
  if (kind != "" && kind != "source" && kind != "station")
    return Status::Usage("--kind: source or station, not '" + kind + "'");
  HEAT_ASSIGN(db::Rows r, db.Query(R"(
    SELECT kind, object_id, count(*) OVER () AS objects,
           count(*) FILTER (WHERE kind = 'source') OVER () AS sources
    FROM heat.forecast_issue WHERE code = $1 AND ($2 = '' OR kind = $2)
    GROUP BY kind, object_id ORDER BY max(origin) DESC)", {code, kind}));
  if (!r.empty()) {
    int64_t sources = r.get_int(0, "sources");
    if (sources > 0 && sources < r.get_int(0, "objects"))
      return Status::Usage(code + " is both a heat source and a station: say which with --kind source|station");
    return ForecastTarget{r.get(0, "kind"), r.get(0, "object_id"), code};
  }
  HEAT_ASSIGN(db::Rows seen, db.Query(R"(
    SELECT (SELECT count(*) FROM heat.heat_source WHERE code::text = $1 AND $2 IN ('', 'source'))
         + (SELECT count(*) FROM heat.station WHERE code::text = $1 AND $2 IN ('', 'station')))", {code, kind}));
  if (seen.get_int(0, 0) == 0) return Status::NotFound("no heat source or station " + code + " in your scope");
  return Status::NotFound(code + ": no forecast issued yet (heatd-forecast issues one every hour once it has " +
                          "enough measured history)");
}

namespace {

struct Args {
  std::string code, kind;
  int days = 0;
};

Status List(cli::Context& ctx, const Args& a) {
  if (a.days < 1) return Status::Usage("--days: at least 1");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  ForecastTarget t;
  if (!a.code.empty()) {
    HEAT_ASSIGN(t, FindForecastTarget(*db, a.code, a.kind));
  }
  HEAT_ASSIGN(db::Rows r, db->Query(R"(
    SELECT i.code, i.kind, to_char(i.origin, 'YYYY-MM-DD HH24:MI') AS origin,
           to_char(i.issued_at, 'YYYY-MM-DD HH24:MI:SS') AS issued_at, i.horizon_h, i.weather, i.supply_from,
           i.history_h
    FROM heat.forecast_issue i
    WHERE ($1 = '' OR (i.kind = $1 AND i.object_id::text = $2)) AND i.origin >= now() - make_interval(days => $3::int)
    ORDER BY i.code, i.kind, i.origin DESC)", {t.kind, t.id, std::to_string(a.days)}));
  using K = cli::Cell::Kind;
  cli::Print(RowsTable(r, {{"horizon_h", K::kInt}, {"history_h", K::kInt}}), ctx.format, ctx.out());
  return Status::Ok();
}

Status Accuracy(cli::Context& ctx, const Args& a) {
  if (a.days < 1) return Status::Usage("--days: at least 1");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(ForecastTarget t, FindForecastTarget(*db, a.code, a.kind));
  std::string days = std::to_string(a.days);
  HEAT_ASSIGN(db::Rows n, db->Query(R"(
    SELECT count(*), to_char(min(origin), 'YYYY-MM-DD HH24:MI'), to_char(max(origin), 'YYYY-MM-DD HH24:MI')
    FROM heat.forecast_issue
    WHERE kind = $1 AND object_id = $2::int AND origin >= now() - make_interval(days => $3::int))",
                                    {t.kind, t.id, days}));
  if (n.get_int(0, 0) == 0)
    return Status::NotFound(t.Name() + ": no forecast with an origin in the last " + days + " days");
  HEAT_ASSIGN(db::Rows r, db->Query(R"(
    SELECT horizon_h, round(mape_pct::numeric, 2) AS mape_pct, round(mae_kw::numeric, 1) AS mae_kw,
           round(bias_kw::numeric, 1) AS bias_kw, points, round(supply_mae_c::numeric, 2) AS supply_mae_c,
           supply_points
    FROM heat.forecast_accuracy($1, $2::int, $3::int))", {t.kind, t.id, days}));
  if (ctx.format == cli::Format::kTable)
    ctx.out() << t.Name() << ": " << n.get(0, 0) << " forecasts with origins " << n.get(0, 1) << " .. "
              << n.get(0, 2) << " (last " << days << " days) against the measured hours; leads 1..H\n";
  using K = cli::Cell::Kind;
  cli::Print(RowsTable(r, {{"horizon_h", K::kInt}, {"mape_pct", K::kNumber}, {"mae_kw", K::kNumber},
                           {"bias_kw", K::kNumber}, {"points", K::kInt}, {"supply_mae_c", K::kNumber},
                           {"supply_points", K::kInt}}),
             ctx.format, ctx.out());
  return Status::Ok();
}

cli::Command ListRow() {
  return {"forecast list", "the forecasts issued for heat sources and stations, newest first", "FC-1 FC-3",
          [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<Args>();
            a->days = 7;
            app.add_option("code", a->code, "one heat source's or station's");
            app.add_option("--kind", a->kind, "source or station (when a code names both)");
            app.add_option("--days", a->days, "origins within the last N days (default 7)");
            return [a](cli::Context& ctx) { return List(ctx, *a); };
          }};
}

cli::Command AccuracyRow() {
  return {"forecast accuracy", "how close the forecasts came to the measured load and supply temperature, by horizon",
          "FC-4", [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<Args>();
            a->days = 30;
            app.add_option("code", a->code, "heat source or station code")->required();
            app.add_option("--kind", a->kind, "source or station (when the code names both)");
            app.add_option("--days", a->days, "forecasts whose origin is within the last N days (default 30)");
            return [a](cli::Context& ctx) { return Accuracy(ctx, *a); };
          }};
}

}  // namespace

std::vector<cli::Command> ForecastCommands() { return {ForecastShowCommand(), ListRow(), AccuracyRow()}; }

}  // namespace heat::ctl
