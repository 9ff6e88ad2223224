// heatctl alarm stats (ALM-4): fault statistics as a table, over the
// alarms raised in a period that the person may see (row-level security):
//   by       counts per station, rule or day, by priority, chattering and
//            stale ones, times to acknowledge and to clear;
//   top      the ten most frequent alarms (rule and source);
//   eemua    the alarm rate each operator position (branch) faced, per ten
//            minutes, against the EEMUA 191 benchmark bands.
#include <ctime>
#include <sstream>

#include "heat/core/time.h"
#include "heat/ctl/commands.h"

namespace heat::ctl {
namespace {

struct StatsArgs {
  std::string from = "-7d", to, by = "station", section;
};

// The alarms of [from, to) with their station and branch, as a CTE.
constexpr const char* kAlarms = R"(
WITH a AS (
  SELECT a.*, coalesce(s.code::text, '-') AS station, coalesce(o.code::text, '-') AS branch,
         extract(epoch FROM a.acked_at - a.raised_at) AS ack_s,
         extract(epoch FROM a.cleared_at - a.raised_at) AS clear_s
  FROM heat.alarm a LEFT JOIN heat.station s ON s.id = a.station_id LEFT JOIN heat.org_unit o ON o.id = s.org_id
  WHERE a.raised_at >= to_timestamp($1) AND a.raised_at < to_timestamp($2)))";

std::string ByQuery(const std::string& key) {
  return std::string(kAlarms) + "\nSELECT " + key + R"( AS key, count(*) AS alarms, sum(raises) AS raises,
    count(*) FILTER (WHERE priority = 1) AS p1, count(*) FILTER (WHERE priority = 2) AS p2,
    count(*) FILTER (WHERE priority = 3) AS p3, count(*) FILTER (WHERE priority = 4) AS p4,
    count(*) FILTER (WHERE chattering) AS chattering,
    count(*) FILTER (WHERE active AND raised_at < now() - interval '24 hours') AS stale,
    count(*) FILTER (WHERE NOT acked) AS unacked,
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ack_s)::numeric) AS ack_median_s,
    round(max(ack_s)::numeric) AS ack_max_s,
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY clear_s)::numeric) AS clear_median_s,
    round(max(clear_s)::numeric) AS clear_max_s
  FROM a GROUP BY 1 ORDER BY alarms DESC, key)";
}

constexpr const char* kTop = R"(
SELECT rule_code AS rule, source, station, count(*) AS alarms, sum(raises) AS raises,
       count(*) FILTER (WHERE chattering) AS chattering
FROM a GROUP BY 1, 2, 3 ORDER BY alarms DESC, raises DESC, rule, source LIMIT 10)";

// EEMUA 191: long-term average alarms per 10 minutes of one operator:
// under 1 very likely acceptable, up to 2 manageable, up to 10 likely
// over-demanding, more very likely unacceptable. A 10-minute slot with
// more than 10 new alarms is a flood.
constexpr const char* kEemua = R"(,
slots AS (SELECT branch, date_bin('10 minutes', raised_at, to_timestamp($1)) AS slot, count(*) AS n
          FROM a GROUP BY 1, 2),
span AS (SELECT greatest(1, ceil(($2 - $1) / 600.0))::numeric AS slots)
SELECT branch AS position, sum(n) AS alarms, round(sum(n) / span.slots, 3) AS per_10min,
       max(n) AS peak_10min, round(100.0 * count(*) FILTER (WHERE n > 10) / span.slots, 2) AS flood_pct,
       CASE WHEN sum(n) / span.slots < 1 THEN 'very likely acceptable'
            WHEN sum(n) / span.slots <= 2 THEN 'manageable'
            WHEN sum(n) / span.slots <= 10 THEN 'likely over-demanding'
            ELSE 'very likely unacceptable' END AS eemua_191
FROM slots, span GROUP BY branch, span.slots ORDER BY per_10min DESC, branch)";

Result<cli::Table> Section(db::Conn& db, const std::string& which, const StatsArgs& a, int64_t from, int64_t to) {
  std::string sql;
  if (which == "by") {
    const char* key = a.by == "station" ? "station" : a.by == "rule" ? "rule_code"
                    : "to_char(raised_at AT TIME ZONE current_setting('TimeZone'), 'YYYY-MM-DD')";
    sql = ByQuery(key);
  } else if (which == "top") {
    sql = std::string(kAlarms) + kTop;
  } else {
    sql = std::string(kAlarms) + kEemua;
  }
  HEAT_ASSIGN(db::Rows r, db.Query(sql, {std::to_string(from), std::to_string(to)}));
  using K = cli::Cell::Kind;
  std::map<std::string, K> kinds;
  for (const char* c : {"alarms", "raises", "p1", "p2", "p3", "p4", "chattering", "stale", "unacked",
                        "ack_median_s", "ack_max_s", "clear_median_s", "clear_max_s", "peak_10min"})
    kinds[c] = K::kInt;
  kinds["per_10min"] = kinds["flood_pct"] = K::kNumber;
  return RowsTable(r, kinds);
}

Status Stats(cli::Context& ctx, const StatsArgs& a) {
  if (a.by != "station" && a.by != "rule" && a.by != "day")
    return Status::Usage("--by: station, rule or day, not '" + a.by + "'");
  std::vector<std::string> sections = {"by", "top", "eemua"};
  if (!a.section.empty()) {
    if (a.section != "by" && a.section != "top" && a.section != "eemua")
      return Status::Usage("--section: by, top or eemua, not '" + a.section + "'");
    sections = {a.section};
  } else if (ctx.format == cli::Format::kCsv) {
    sections = {"by"};  // one table per CSV file; --section chooses another
  }
  HEAT_ASSIGN(TimeZone tz, TimeZone::Load(ctx.config().str("site.timezone")));
  int64_t now = std::time(nullptr);
  HEAT_ASSIGN(int64_t from, ParseTime(a.from, tz, now));
  int64_t to = now;
  if (!a.to.empty()) {
    HEAT_ASSIGN(to, ParseTime(a.to, tz, now));
  }
  if (to <= from) return Status::Usage("--to must be after --from");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  std::ostringstream json;
  for (size_t i = 0; i < sections.size(); ++i) {
    HEAT_ASSIGN(cli::Table t, Section(*db, sections[i], a, from, to));
    if (ctx.format == cli::Format::kJson) {
      json << (i ? ",\n" : "{") << "\"" << sections[i] << "\": ";
      cli::Print(t, ctx.format, json);
      continue;
    }
    if (ctx.format == cli::Format::kTable)
      ctx.out() << (i ? "\n" : "")
                << (sections[i] == "by" ? "alarms by " + a.by : sections[i] == "top" ? std::string("top 10")
                                                                  : std::string("alarm rate per operator position (EEMUA 191)"))
                << "\n";
    cli::Print(t, ctx.format, ctx.out());
  }
  if (ctx.format == cli::Format::kJson) ctx.out() << json.str() << "}\n";
  return Status::Ok();
}

}  // namespace

cli::Command AlarmStatsCommand() {
  return {"alarm stats", "fault statistics: counts, times to acknowledge and clear, top 10, EEMUA 191 rates",
          "ALM-4", [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<StatsArgs>();
            app.add_option("--from", a->from, "from this time (2026-12-01, '2026-12-01 08:00', -2h, -7d; default -7d)");
            app.add_option("--to", a->to, "until this time (default now)");
            app.add_option("--by", a->by, "station (default), rule or day");
            app.add_option("--section", a->section, "only one part: by, top or eemua (CSV: by unless chosen)");
            return [a](cli::Context& ctx) { return Stats(ctx, *a); };
          }};
}

}  // namespace heat::ctl
