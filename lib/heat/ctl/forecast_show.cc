// heatctl forecast show (FC-1, FC-2, FC-3): one issued forecast of a heat
// source or station, hour by hour in the company's time zone, against the
// measured load and supply temperature (heat.forecast_history, as the
// person sees it) as far as they are known; as a table, CSV, JSON, or an
// SVG chart (ctl/forecast_svg.h).
#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "heat/core/time.h"
#include "heat/ctl/commands.h"
#include "heat/ctl/forecast_svg.h"

namespace heat::ctl {
namespace {

struct ShowArgs {
  std::string code, kind, horizon = "24h", issued;
};

struct Issue {
  std::string id, issued_at, origin, origin_s, weather, supply_from;
  int64_t horizon_h = 0, history_h = 0;
};

// "24h", "3d" or "24" (hours): 1 to 336 hours.
Result<int64_t> ParseHorizon(const std::string& s) {
  static const std::regex re(R"(^(\d{1,3})([hd]?)$)");
  std::smatch m;
  int64_t h = 0;
  if (std::regex_match(s, m, re)) h = std::stoll(m[1]) * (m[2] == "d" ? 24 : 1);
  if (h < 1 || h > 336) return Status::Usage("--horizon: 1h to 336h (14d), e.g. 24h or 3d, not '" + s + "'");
  return h;
}

Result<Issue> PickIssue(db::Conn& db, const ForecastTarget& t, const db::Param& before, const std::string& shown) {
  HEAT_ASSIGN(db::Rows r, db.Query(R"(
    SELECT id, to_char(issued_at, 'YYYY-MM-DD HH24:MI') AS issued_at, to_char(origin, 'YYYY-MM-DD HH24:MI') AS origin,
           extract(epoch FROM origin)::bigint AS origin_s, horizon_h, weather, supply_from, history_h
    FROM heat.forecast_issue
    WHERE kind = $1 AND object_id = $2::int AND ($3::float8 IS NULL OR issued_at <= to_timestamp($3::float8))
    ORDER BY issued_at DESC, origin DESC LIMIT 1)", {t.kind, t.id, before}));
  if (r.empty()) return Status::NotFound(t.Name() + ": no forecast issued at or before " + shown);
  return Issue{r.get(0, "id"),      r.get(0, "issued_at"),   r.get(0, "origin"),
               r.get(0, "origin_s"), r.get(0, "weather"),     r.get(0, "supply_from"),
               r.get_int(0, "horizon_h"), r.get_int(0, "history_h")};
}

Result<db::Rows> Hours(db::Conn& db, const ForecastTarget& t, const Issue& i, int64_t hours) {
  return db.Query(R"(
    SELECT to_char(v.valid_time, 'YYYY-MM-DD HH24:MI') AS time,
           (extract(epoch FROM v.valid_time) - $4::bigint)::bigint / 3600 + 1 AS lead_h,
           round(v.load_kw::numeric, 1) AS load_kw, round(v.load_lo::numeric, 1) AS load_lo,
           round(v.load_hi::numeric, 1) AS load_hi, round(a.load_kw::numeric, 1) AS actual_kw,
           round(v.supply_c::numeric, 1) AS supply_c, round(a.supply_c::numeric, 1) AS actual_supply_c,
           round(v.outdoor_c::numeric, 1) AS outdoor_c
    FROM heat.forecast_value v
    LEFT JOIN heat.forecast_history($2, $3::int, to_timestamp($4::float8),
                                    to_timestamp($4::float8) + make_interval(hours => $5::int)) a
      ON a.hour = v.valid_time
    WHERE v.issue_id = $1::bigint AND v.valid_time >= to_timestamp($4::float8)
      AND v.valid_time < to_timestamp($4::float8) + make_interval(hours => $5::int)
    ORDER BY v.valid_time)", {i.id, t.kind, t.id, i.origin_s, std::to_string(hours)});
}

std::string WeatherNote(const std::string& w) {
  if (w == "forecast") return "forecast (a weather forecast for every hour)";
  if (w == "partial")
    return "partial: a weather forecast for only some of the hours; the others assumed from climatology "
           "and the last measured outdoor temperature";
  return "none: no weather forecast was available; the outdoor temperature was assumed from climatology "
         "and the last measured temperature";
}

std::string SupplyNote(const std::string& s) {
  if (s == "curve") return "curve (the heating curve of the closed loop)";
  if (s == "learned") return "learned (from the measured supply temperature)";
  return "none (not forecast)";
}

void Header(std::ostream& out, const ForecastTarget& t, const Issue& i, int64_t hours) {
  out << t.Name() << ": forecast issued " << i.issued_at << " for the hours from " << i.origin << " ("
      << std::min(hours, i.horizon_h) << " of " << i.horizon_h << " h shown)\n"
      << "weather: " << WeatherNote(i.weather) << "\n"
      << "supply temperature from: " << SupplyNote(i.supply_from) << "\n"
      << "measured history: " << i.history_h << " h\n\n";
}

void Json(std::ostream& out, const ForecastTarget& t, const Issue& i, const cli::Table& table) {
  nlohmann::json meta = {{"code", t.code},       {"kind", t.kind},           {"issued_at", i.issued_at},
                         {"origin", i.origin},   {"horizon_h", i.horizon_h}, {"weather", i.weather},
                         {"supply_from", i.supply_from}, {"history_h", i.history_h}};
  std::string head = meta.dump();
  head.pop_back();  // the closing brace: the hours follow
  std::ostringstream hours;
  cli::Print(table, cli::Format::kJson, hours);
  out << head << ",\"hours\":" << hours.str() << "}\n";
}

double Value(const db::Rows& r, int row, const char* col) {
  std::string v = r.get(row, col);
  return v.empty() ? NAN : std::strtod(v.c_str(), nullptr);
}

std::string Svg(cli::Context& ctx, const ForecastTarget& t, const Issue& i, const db::Rows& r) {
  Chart c;
  c.title = t.Name() + ": heat load forecast issued " + i.issued_at + ", weather " + i.weather;
  c.x_axis = "hour (" + ctx.config().str("site.timezone") + ")";
  for (int k = 0; k < r.size(); ++k) {
    std::string time = r.get(k, "time");  // "2026-11-02 08:00"
    c.hours.push_back({time.substr(5, 5), time.substr(11), Value(r, k, "load_kw"), Value(r, k, "load_lo"),
                       Value(r, k, "load_hi"), Value(r, k, "actual_kw")});
  }
  return ForecastSvg(c);
}

Status Show(cli::Context& ctx, const ShowArgs& a) {
  HEAT_ASSIGN(int64_t hours, ParseHorizon(a.horizon));
  db::Param before;
  if (!a.issued.empty()) {
    HEAT_ASSIGN(TimeZone tz, TimeZone::Load(ctx.config().str("site.timezone")));
    auto at = ParseTime(a.issued, tz, std::time(nullptr));
    if (!at.ok()) return at.status().With("--issued");
    before = std::to_string(*at);
  }
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(ForecastTarget t, FindForecastTarget(*db, a.code, a.kind));
  HEAT_ASSIGN(Issue issue, PickIssue(*db, t, before, a.issued.empty() ? "now" : a.issued));
  HEAT_ASSIGN(db::Rows r, Hours(*db, t, issue, hours));
  if (ctx.other_format == "svg") {
    ctx.out() << Svg(ctx, t, issue, r);
    return Status::Ok();
  }
  using K = cli::Cell::Kind;
  std::map<std::string, K> kinds = {{"lead_h", K::kInt}};
  for (const char* c : {"load_kw", "load_lo", "load_hi", "actual_kw", "supply_c", "actual_supply_c", "outdoor_c"})
    kinds[c] = K::kNumber;
  cli::Table table = RowsTable(r, kinds);
  if (ctx.format == cli::Format::kJson) {
    Json(ctx.out(), t, issue, table);
    return Status::Ok();
  }
  if (ctx.format == cli::Format::kTable) Header(ctx.out(), t, issue, hours);
  cli::Print(table, ctx.format, ctx.out());
  return Status::Ok();
}

}  // namespace

cli::Command ForecastShowCommand() {
  cli::Command c{"forecast show",
                 "a heat source's or station's latest forecast, hour by hour, against the actual "
                 "(--format svg: a chart)",
                 "FC-1 FC-2 FC-3", [](CLI::App& app) -> cli::Runner {
                   auto a = std::make_shared<ShowArgs>();
                   app.add_option("code", a->code, "heat source or station code")->required();
                   app.add_option("--kind", a->kind, "source or station (when the code names both)");
                   app.add_option("--horizon", a->horizon, "hours shown: 24h (default), 72h, 3d, ... up to 336h");
                   app.add_option("--issued", a->issued, "the latest forecast issued at or before this time");
                   return [a](cli::Context& ctx) { return Show(ctx, *a); };
                 }};
  c.more_formats = {"svg"};
  return c;
}

}  // namespace heat::ctl
