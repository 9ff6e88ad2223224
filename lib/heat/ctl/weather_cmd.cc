// heatctl weather import|list (FC-2, FC-3): the hourly weather forecasts
// heatd-forecast reads, from a CSV file or QWeather's hourly answer
// (ctl/weather_parse.h). The database decides who may import
// (heat_engineer, heat_service; lib/sql 0030): an operator's import is
// refused there. A file is stored whole or not at all: one statement.
#include <ctime>
#include <functional>
#include <iostream>
#include <iterator>
#include <set>

#include "heat/core/file.h"
#include "heat/ctl/commands.h"
#include "heat/ctl/weather_parse.h"

namespace heat::ctl {
namespace {

struct ImportArgs {
  std::string file, site, issued;
};

// One value of each row: a column of the upsert below.
using Column = std::function<std::optional<double>(const WeatherRow&)>;

// "{1,2.5,NULL}": a float8[] parameter, exact to the last bit.
std::string Array(const std::vector<WeatherRow>& rows, const Column& f) {
  std::string out = "{";
  char buf[40];
  for (const WeatherRow& r : rows) {
    std::optional<double> v = f(r);
    if (v) std::snprintf(buf, sizeof buf, "%.17g", *v);
    out += (out.size() > 1 ? "," : "") + (v ? std::string(buf) : std::string("NULL"));
  }
  return out + "}";
}

constexpr const char* kUpsert = R"(
INSERT INTO heat.weather_forecast AS w
  (site, issued, valid_time, temp_c, wind_ms, solar_wm2, humidity_pct, cloud_pct, source)
SELECT $1, to_timestamp(i), to_timestamp(v), t, wi, so, hu, cl, $2
FROM unnest($3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[])
  AS u(i, v, t, wi, so, hu, cl)
ON CONFLICT (site, issued, valid_time) DO UPDATE
SET temp_c = excluded.temp_c, wind_ms = excluded.wind_ms, solar_wm2 = excluded.solar_wm2,
    humidity_pct = excluded.humidity_pct, cloud_pct = excluded.cloud_pct, source = excluded.source,
    imported_by = session_user, imported_at = now())";

Status Store(db::Conn& db, const std::string& site, const WeatherFile& f) {
  using R = const WeatherRow&;
  db::Params params = {site, f.source};
  for (const Column& c : std::initializer_list<Column>{
           [](R r) { return double(r.issued); }, [](R r) { return double(r.valid_time); },
           [](R r) { return r.temp_c; }, [](R r) { return r.wind_ms; }, [](R r) { return r.solar_wm2; },
           [](R r) { return r.humidity_pct; }, [](R r) { return r.cloud_pct; }})
    params.push_back(Array(f.rows, c));
  Status st = db.Exec(kUpsert, params);
  if (st.code() == Code::kPermission)
    return Status::Permission(st.message() + " (importing weather forecasts needs the heat_engineer role)");
  return st;
}

// "168 hours of weather for site URUMQI issued 2021-02-16 13:35:00, valid
// 2021-02-16 15:00:00 .. 2021-02-23 14:00:00 (qweather)".
std::string Summary(const std::string& site, const WeatherFile& f, const TimeZone& tz) {
  std::set<int64_t> issues;
  int64_t first = f.rows.front().valid_time, last = first;
  for (const WeatherRow& r : f.rows) {
    issues.insert(r.issued);
    first = std::min(first, r.valid_time), last = std::max(last, r.valid_time);
  }
  std::string issued = FormatLocal(*issues.begin(), tz);
  if (issues.size() > 1)
    issued += " .. " + FormatLocal(*issues.rbegin(), tz) + " (" + std::to_string(issues.size()) + " issues)";
  return std::to_string(f.rows.size()) + " hours of weather for site " + site + " issued " + issued + ", valid " +
         FormatLocal(first, tz) + " .. " + FormatLocal(last, tz) + " (" + f.source + ")";
}

Result<std::string> ReadInput(const std::string& file) {
  if (file != "-") return ReadRegularFile(file, 64u << 20, "a weather forecast file is far smaller");
  std::string text(std::istreambuf_iterator<char>(std::cin), {});
  return text;
}

Status Import(cli::Context& ctx, const ImportArgs& a) {
  HEAT_ASSIGN(TimeZone tz, TimeZone::Load(ctx.config().str("site.timezone")));
  std::optional<int64_t> issued;
  if (!a.issued.empty()) {
    auto t = ParseTime(a.issued, tz, std::time(nullptr));
    if (!t.ok()) return t.status().With("--issued");
    issued = *t;
  }
  HEAT_ASSIGN(std::string text, ReadInput(a.file));
  auto parsed = ParseWeather(a.file, text, tz, issued);
  if (!parsed.ok())
    return Status(parsed.status().code(), a.file + ": " + parsed.status().message() + "; nothing stored");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_TRY(Store(*db, a.site, *parsed));
  ctx.out() << Summary(a.site, *parsed, tz) << "\n";
  return Status::Ok();
}

struct ListArgs {
  std::string site, from, to;
};

Status List(cli::Context& ctx, const ListArgs& a) {
  HEAT_ASSIGN(TimeZone tz, TimeZone::Load(ctx.config().str("site.timezone")));
  int64_t now = std::time(nullptr);
  int64_t from = now - now % 3600;  // default: from the current hour on
  if (!a.from.empty()) {
    HEAT_ASSIGN(from, ParseTime(a.from, tz, now));
  }
  db::Param to;
  if (!a.to.empty()) {
    HEAT_ASSIGN(int64_t t, ParseTime(a.to, tz, now));
    to = std::to_string(t);
  }
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(R"(
    SELECT DISTINCT ON (w.site, w.valid_time) w.site,
           to_char(w.valid_time, 'YYYY-MM-DD HH24:MI') AS valid_time, w.temp_c,
           round(w.wind_ms::numeric, 1) AS wind_ms, w.solar_wm2, w.humidity_pct, w.cloud_pct,
           to_char(w.issued, 'YYYY-MM-DD HH24:MI') AS issued, w.source
    FROM heat.weather_forecast w
    WHERE ($1 = '' OR w.site::text = $1) AND w.valid_time >= to_timestamp($2::float8)
      AND ($3::float8 IS NULL OR w.valid_time < to_timestamp($3::float8))
    ORDER BY w.site, w.valid_time, w.issued DESC)", {a.site, std::to_string(from), to}));
  using K = cli::Cell::Kind;
  cli::Print(RowsTable(r, {{"temp_c", K::kNumber}, {"wind_ms", K::kNumber}, {"solar_wm2", K::kNumber},
                           {"humidity_pct", K::kNumber}, {"cloud_pct", K::kNumber}}),
             ctx.format, ctx.out());
  return Status::Ok();
}

cli::Command ImportRow() {
  return {"weather import", "store a site's hourly weather forecast from a CSV file or QWeather's hourly JSON",
          "FC-2 FC-3", [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<ImportArgs>();
            app.add_option("file", a->file, "FILE.csv, FILE.json (QWeather /v7/weather/168h) or - for stdin")
                ->required();
            app.add_option("--site", a->site, "the weather site's code, as heatd-forecast is told to read it")
                ->required();
            app.add_option("--issued", a->issued, "when the forecast was issued (instead of the file's)");
            return [a](cli::Context& ctx) { return Import(ctx, *a); };
          }, false};
}

cli::Command ListRow() {
  return {"weather list", "each hour's weather forecast as last issued", "FC-2 FC-3",
          [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<ListArgs>();
            app.add_option("--site", a->site, "one site's");
            app.add_option("--from", a->from, "valid from this time (default: the current hour)");
            app.add_option("--to", a->to, "valid before this time (default: all to come)");
            return [a](cli::Context& ctx) { return List(ctx, *a); };
          }};
}

}  // namespace

std::vector<cli::Command> WeatherCommands() { return {ImportRow(), ListRow()}; }

}  // namespace heat::ctl
