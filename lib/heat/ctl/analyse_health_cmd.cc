// heatctl analyse health|findings (ANA-6, ANA-10): the health check — the
// rules of analysis.rules (analysis/rules.h) evaluated on the last hours
// of readings of the stations in the person's scope (row-level security
// decides which), listed, and with --write stored as findings
// (lib/sql 0040) that heatd-alarm raises as alarms. The same finding again
// moves its last_seen; one no longer seen on a checked station is
// resolved. heatctl analyse theft is analyse_theft_cmd.cc.
#include <map>
#include <set>

#include "heat/analysis/health.h"
#include "heat/ctl/commands.h"
#include "heat/core/time.h"

namespace heat::ctl {

cli::Command TheftCommand();
Result<analysis::RuleBase> LoadHealthRules(cli::Context& ctx, const std::string& path);

namespace {

using analysis::Finding;
using analysis::HealthObject;

struct Args {
  std::string station, rules, rule;
  int hours = 24;
  bool write = false, all = false;
};

// Hourly values of every point of the stations in scope, by object:
// station devices together under the station, building devices apart.
constexpr const char* kHourly = R"(
SELECT CASE WHEN d.building_id IS NULL THEN 'station' ELSE 'device' END AS object_kind,
       CASE WHEN d.building_id IS NULL THEN s.code::text ELSE d.code::text END AS object_code,
       s.id AS station_id, p.code AS point, p.tag, d.kind AS device_kind,
       extract(epoch FROM r.hour)::bigint AS hour_s, r.n, r.min, r.max, r.sum / r.n AS avg, r.last_value
FROM heat.point p JOIN heat.device d ON d.id = p.device_id
LEFT JOIN heat.building b ON b.id = d.building_id
JOIN heat.station s ON s.id = coalesce(d.station_id, b.station_id)
JOIN heat.reading_hourly r ON r.point_id = p.id AND r.n > 0
 AND r.hour >= date_trunc('hour', now() - make_interval(hours => $2::int)) AND r.hour <= now()
WHERE $1 = '' OR s.code::text = $1
ORDER BY 1, 2, d.code, p.code, r.hour)";

Result<std::vector<HealthObject>> LoadObjects(db::Conn& db, const Args& a) {
  HEAT_ASSIGN(db::Rows r, db.Query(kHourly, {a.station, std::to_string(a.hours)}));
  std::vector<HealthObject> out;
  for (int i = 0; i < r.size(); ++i) {
    std::string kind = r.get(i, "object_kind"), code = r.get(i, "object_code"), point = r.get(i, "point");
    if (out.empty() || out.back().kind != kind || out.back().code != code)
      out.push_back({kind, code, static_cast<int>(r.get_int(i, "station_id")), {}});
    auto& pts = out.back().points;
    if (pts.empty() || pts.back().code != point) pts.push_back({point, r.get(i, "tag"), r.get(i, "device_kind"), {}, {}});
    pts.back().hours.push_back({r.get_int(i, "hour_s"), static_cast<int>(r.get_int(i, "n")),
                                std::stod(r.get(i, "min")), std::stod(r.get(i, "max")), std::stod(r.get(i, "avg")),
                                std::stod(r.get(i, "last_value"))});
  }
  return out;
}

// Raw readings, only for the points a reversals rule watches.
Status LoadRaw(db::Conn& db, const analysis::RuleBase& base, const Args& a, std::vector<HealthObject>& objects) {
  std::map<std::string, analysis::PointSeries*> want;
  for (auto& o : objects)
    for (auto& p : o.points)
      for (const auto& r : base.rules)
        if (r.cond.kind == analysis::CondKind::kReversals && analysis::TagMatches(r.points.tag, p.tag)) want[p.code] = &p;
  if (want.empty()) return Status::Ok();
  std::string codes = "{";
  for (const auto& [code, p] : want) codes += (codes.size() > 1 ? "," : "") + code;  // codes need no quoting
  HEAT_ASSIGN(db::Rows r, db.Query(R"(
    SELECT p.code, extract(epoch FROM r.ts)::bigint, r.value FROM heat.reading r JOIN heat.point p ON p.id = r.point_id
    WHERE p.code = ANY ($1::text[]) AND r.ts >= date_trunc('hour', now() - make_interval(hours => $2::int))
    ORDER BY p.code, r.ts)", {codes + "}", std::to_string(a.hours)}));
  for (int i = 0; i < r.size(); ++i) want[r.get(i, 0)]->raw.push_back({r.get_int(i, 1), std::stod(r.get(i, 2))});
  return Status::Ok();
}

std::string FindingsJson(const std::vector<Finding>& fs) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& f : fs)
    arr.push_back({{"rule", f.rule}, {"object_kind", f.object_kind}, {"object_code", f.object_code},
                   {"point", f.point}, {"station_id", f.station_id}, {"from", f.from_s}, {"to", f.to_s},
                   {"severity", f.severity}, {"title", f.title}, {"fault", f.fault}, {"advice", f.advice},
                   {"evidence", f.evidence}});
  return arr.dump();
}

struct Stored {
  int added = 0, again = 0, resolved = 0;
};

// One transaction: upsert what was found, resolve what was not on the
// stations that had readings.
Result<Stored> Store(db::Conn& db, const std::vector<Finding>& fs, const std::vector<HealthObject>& objects) {
  HEAT_ASSIGN(auto tx, db::Transaction::Start(db));
  HEAT_ASSIGN(db::Rows up, db.Query(R"(
    INSERT INTO heat.analysis_finding AS f (rule, object_kind, object_code, point_code, station_id, window_from,
                                           window_to, severity, title, fault, advice, evidence)
    SELECT e->>'rule', e->>'object_kind', e->>'object_code', e->>'point', (e->>'station_id')::int,
           to_timestamp((e->>'from')::bigint), to_timestamp((e->>'to')::bigint), (e->>'severity')::smallint,
           e->>'title', e->>'fault', e->>'advice', e->'evidence'
    FROM jsonb_array_elements($1::jsonb) e
    ON CONFLICT (rule, object_kind, object_code, point_code) WHERE state = 'open' DO UPDATE SET
      window_from = excluded.window_from, window_to = excluded.window_to, severity = excluded.severity,
      title = excluded.title, fault = excluded.fault, advice = excluded.advice, evidence = excluded.evidence,
      last_seen = now()
    RETURNING f.id, (f.first_seen = f.last_seen) AS added)", {FindingsJson(fs)}));
  Stored s;
  std::string ids = "{", stations = "{";
  for (int i = 0; i < up.size(); ++i) {
    (up.get_bool(i, "added") ? s.added : s.again)++;
    ids += (i ? "," : "") + up.get(i, "id");
  }
  std::set<int> seen;
  for (const auto& o : objects) seen.insert(o.station_id);
  for (int st : seen) stations += (stations.size() > 1 ? "," : "") + std::to_string(st);
  HEAT_ASSIGN(db::Rows gone, db.Query(R"(
    UPDATE heat.analysis_finding SET state = 'resolved', resolved_at = now()
    WHERE state = 'open' AND object_kind <> 'house' AND station_id = ANY ($1::int[]) AND id <> ALL ($2::bigint[])
    RETURNING id)", {stations + "}", ids + "}"}));
  s.resolved = gone.size();
  HEAT_TRY(tx->Commit());
  return s;
}

Status Health(cli::Context& ctx, const Args& a) {
  if (a.hours < 1 || a.hours > 744) return Status::Usage("--hours: 1 to 744 (a month)");
  HEAT_ASSIGN(analysis::RuleBase base, LoadHealthRules(ctx, a.rules));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  if (!a.station.empty()) {
    HEAT_ASSIGN(db::Rows st, db->Query("SELECT 1 FROM heat.station WHERE code::text = $1", {a.station}));
    if (st.empty()) return Status::NotFound("no station " + a.station + " in your scope");
  }
  HEAT_ASSIGN(auto objects, LoadObjects(*db, a));
  HEAT_TRY(LoadRaw(*db, base, a, objects));
  std::vector<Finding> fs = analysis::Evaluate(base, objects);
  Stored stored;
  if (a.write) {
    HEAT_ASSIGN(stored, Store(*db, fs, objects));
  }
  HEAT_ASSIGN(TimeZone tz, TimeZone::Load(ctx.config().str("site.timezone")));
  using K = cli::Cell::Kind;
  cli::Table t{{"rule", "severity", "object", "point", "from", "to", "title", "fault", "advice", "evidence"}, {}};
  for (const auto& f : fs)
    t.Add({{f.rule}, {analysis::SeverityName(f.severity)}, {f.object_code}, {f.point},
           {FormatLocal(f.from_s, tz).substr(0, 16)}, {FormatLocal(f.to_s, tz).substr(0, 16)}, {f.title},
           {f.fault}, {f.advice}, {f.evidence.dump(), K::kJson}});
  if (ctx.format == cli::Format::kTable) {  // the evidence is for csv and json; the table stays readable
    for (auto& row : t.rows) row.pop_back(), row.pop_back();
    t.columns.resize(8);
  }
  cli::Print(t, ctx.format, ctx.out());
  if (ctx.format == cli::Format::kTable)
    ctx.out() << fs.size() << " findings on " << objects.size() << " objects, last " << a.hours << " h"
              << (a.write ? "; stored: " + std::to_string(stored.added) + " new, " + std::to_string(stored.again) +
                                " seen again, " + std::to_string(stored.resolved) + " resolved"
                          : std::string())
              << "\n";
  return Status::Ok();
}

Status Findings(cli::Context& ctx, const Args& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(R"(
    SELECT f.id, f.state, CASE f.severity WHEN 1 THEN 'critical' WHEN 2 THEN 'high' WHEN 3 THEN 'medium'
           ELSE 'low' END AS severity, f.rule, s.code AS station, f.object_code AS object, f.point_code AS point,
           to_char(f.window_from, 'YYYY-MM-DD HH24:MI') AS window_from,
           to_char(f.window_to, 'YYYY-MM-DD HH24:MI') AS window_to,
           to_char(f.first_seen, 'YYYY-MM-DD HH24:MI') AS first_seen,
           to_char(f.last_seen, 'YYYY-MM-DD HH24:MI') AS last_seen, f.alarm_id AS alarm, f.title, f.fault,
           f.advice, f.evidence
    FROM heat.analysis_finding f JOIN heat.station s ON s.id = f.station_id
    WHERE ($1 = '' OR s.code::text = $1) AND ($2 = '' OR f.rule = $2) AND ($3 OR f.state = 'open')
    ORDER BY f.state, f.severity, f.last_seen DESC, f.id)", {a.station, a.rule, a.all ? "true" : "false"}));
  using K = cli::Cell::Kind;
  cli::Table t = RowsTable(r, {{"id", K::kInt}, {"alarm", K::kInt}, {"evidence", K::kJson}});
  if (ctx.format == cli::Format::kTable) {
    for (auto& row : t.rows) row.resize(row.size() - 2);  // advice and evidence: csv and json
    t.columns.resize(t.columns.size() - 2);
  }
  cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

cli::Command HealthRow() {
  return {"analyse health", "the health check: abnormal devices with the likely fault, evidence and advice",
          "ANA-6 ANA-10", [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<Args>();
            app.add_option("--station", a->station, "one station (code) and its buildings' devices");
            app.add_option("--hours", a->hours, "the window: the last N hours (default 24)");
            app.add_flag("--write", a->write, "store the findings (heatd-alarm raises them as alarms)");
            app.add_option("--rules", a->rules, "rule file instead of analysis.rules");
            return [a](cli::Context& ctx) { return Health(ctx, *a); };
          }};
}

cli::Command FindingsRow() {
  return {"analyse findings", "stored findings of the health check, open ones first by severity", "ANA-6 ANA-10",
          [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<Args>();
            app.add_option("--station", a->station, "one station's");
            app.add_option("--rule", a->rule, "one rule's");
            app.add_flag("--all", a->all, "resolved ones too");
            return [a](cli::Context& ctx) { return Findings(ctx, *a); };
          }};
}

}  // namespace

Result<analysis::RuleBase> LoadHealthRules(cli::Context& ctx, const std::string& path) {
  return analysis::LoadRules(path.empty() ? ctx.config().str("analysis.rules") : path);
}

std::vector<cli::Command> HealthCommands() { return {HealthRow(), TheftCommand(), FindingsRow()}; }

}  // namespace heat::ctl
