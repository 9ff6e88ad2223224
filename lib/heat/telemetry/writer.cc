#include "heat/telemetry/writer.h"

#include <algorithm>
#include <chrono>

#include "heat/telemetry/copy_text.h"
#include "heat/telemetry/rollup_sql.h"

namespace heat::telemetry {
namespace {

constexpr const char* kStage =
    "CREATE TEMP TABLE IF NOT EXISTS ingest_in (point_id int, ts_ms bigint, value float8,"
    " quality smallint) ON COMMIT DELETE ROWS";

// One statement: new rows into reading, then latest and rollups from just
// those rows (data-modifying CTEs all run once, on the same snapshot).
constexpr const char* kMove = R"(
WITH src AS (
  SELECT DISTINCT ON (i.point_id, i.ts_ms) i.point_id,
         timestamptz 'epoch' + i.ts_ms * interval '1 millisecond' AS ts, i.value, i.quality
  FROM ingest_in i JOIN heat.point p ON p.id = i.point_id   -- a point deleted meanwhile
  ORDER BY i.point_id, i.ts_ms),
ins AS (
  INSERT INTO heat.reading (point_id, ts, value, quality) SELECT * FROM src
  ON CONFLICT DO NOTHING RETURNING point_id, ts, value, quality),
lat AS (
  INSERT INTO heat.latest AS l (point_id, ts, value, quality, received_at)
  SELECT DISTINCT ON (point_id) point_id, ts, value, quality, now() FROM ins WHERE quality & 1 = 0
  ORDER BY point_id, ts DESC)" HEAT_LATEST_MERGE R"(),
hr AS (
  INSERT INTO heat.reading_hourly AS h (point_id, hour, n, sum, min, max, last_value, last_ts)
  SELECT point_id, date_trunc('hour', ts), count(*), sum(value), min(value), max(value),
         (array_agg(value ORDER BY ts DESC))[1], max(ts) FROM ins WHERE quality & 1 = 0 GROUP BY 1, 2
  ON CONFLICT (point_id, hour))" HEAT_ROLLUP_MERGE("h") R"(),
dy AS (
  INSERT INTO heat.reading_daily AS d (point_id, day, n, sum, min, max, last_value, last_ts)
  SELECT point_id, (ts AT TIME ZONE $1)::date, count(*), sum(value), min(value), max(value),
         (array_agg(value ORDER BY ts DESC))[1], max(ts) FROM ins WHERE quality & 1 = 0 GROUP BY 1, 2
  ON CONFLICT (point_id, day))" HEAT_ROLLUP_MERGE("d") R"()
SELECT (SELECT count(*) FROM ins) AS inserted,
       (SELECT count(*) FROM ingest_in WHERE point_id NOT IN (SELECT id FROM heat.point)) AS orphaned)";

int64_t MonthStartMs(int64_t ms, int add_months) {
  int64_t days = ms / 86400000 - (ms < 0 && ms % 86400000 ? 1 : 0);
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  auto ym = std::chrono::year_month{ymd.year(), ymd.month()} + std::chrono::months{add_months};
  std::chrono::sys_days first{ym / std::chrono::day{1}};
  return static_cast<int64_t>(first.time_since_epoch().count()) * 86400000;
}

}  // namespace

Status Writer::EnsurePartitions(const Batch& batch) {
  auto [lo, hi] = std::minmax_element(batch.begin(), batch.end(),
                                      [](const Reading& a, const Reading& b) { return a.ts_ms < b.ts_ms; });
  if (known_to_ms_ > known_from_ms_ && lo->ts_ms >= known_from_ms_ && hi->ts_ms < known_to_ms_)
    return Status::Ok();
  HEAT_TRY(conn_.Exec("SELECT heat.ensure_reading_partitions(to_timestamp($1::float8 / 1000),"
                      " to_timestamp($2::float8 / 1000))",
                      {std::to_string(lo->ts_ms), std::to_string(hi->ts_ms)}));
  // Remember only the range just made sure of (whole months).
  known_from_ms_ = MonthStartMs(lo->ts_ms, 0);
  known_to_ms_ = MonthStartMs(hi->ts_ms, 1);
  return Status::Ok();
}

// COPY into a session-temporary table, for the exact path (and the fast
// path of a login under row-level security, which may not COPY into
// heat.reading itself).
Status Writer::Stage(const Batch& batch) {
  if (!staged_) {
    HEAT_TRY(conn_.Exec(kStage));
    staged_ = true;
  }
  return conn_.CopyInText("ingest_in", {"point_id", "ts_ms", "value", "quality"}, ReadingsCopyText(batch));
}

// Tries the fast path — straight into heat.reading when this login may,
// else from the staged rows — and, when it cannot be taken, moves the
// staged rows exactly. All in one transaction.
Result<WriteResult> Writer::Write(const Batch& batch) {
  WriteResult res;
  if (batch.empty()) return res;
  HEAT_TRY(EnsurePartitions(batch));
  HEAT_ASSIGN(bool direct, CanCopyDirect());
  HEAT_ASSIGN(auto tx, db::Transaction::Start(conn_));
  bool fast = false;
  if (direct) {
    HEAT_ASSIGN(fast, TryFast(batch, true));
    if (fast) ++direct_;
  }
  if (!fast) HEAT_TRY(Stage(batch));
  if (!fast && !direct) {
    HEAT_ASSIGN(fast, TryFast(batch, false));
  }
  if (fast) {
    HEAT_TRY(tx->Commit());
    ++fast_;
    res.inserted = static_cast<int64_t>(batch.size());
    return res;
  }
  ++exact_;
  HEAT_ASSIGN(db::Rows moved, conn_.Query(kMove, {tz_}));
  HEAT_TRY(tx->Commit());
  res.inserted = moved.get_int(0, "inserted");
  res.orphaned = moved.get_int(0, "orphaned");
  res.duplicates = static_cast<int64_t>(batch.size()) - res.inserted - res.orphaned;
  return res;
}

Status Writer::NoteUnknown(const std::string& source, const std::string& key, int64_t count) {
  return conn_.Exec(
      "INSERT INTO heat.ingest_unknown AS u (source, key, count) VALUES ($1, $2, $3)"
      " ON CONFLICT (source, key) DO UPDATE SET count = u.count + excluded.count, last_seen = now()",
      {source, key, std::to_string(count)});
}

Status Writer::NoteSeen(const std::vector<int32_t>& ids) {
  std::string arr = "{";
  for (size_t i = 0; i < ids.size(); ++i) arr += (i ? "," : "") + std::to_string(ids[i]);
  arr += "}";
  return conn_.QueryPrepared(
      "INSERT INTO heat.device_status AS s (device_id, online, since, last_seen)"
      " SELECT d.id, true, now(), now() FROM heat.device d WHERE d.id = ANY ($1::int[])"
      " ON CONFLICT (device_id) DO UPDATE SET last_seen = now(), online = true,"
      " since = CASE WHEN s.online THEN s.since ELSE now() END",
      {arr}).status();
}

Result<std::unordered_map<std::string, PointInfo>> LoadPointIndex(db::Conn& conn) {
  HEAT_ASSIGN(db::Rows r, conn.Query("SELECT code, id, scale, value_offset FROM heat.point"));
  std::unordered_map<std::string, PointInfo> out;
  out.reserve(static_cast<size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i)
    out[r.get(i, 0)] = PointInfo{static_cast<int32_t>(std::stol(r.get(i, 1))), std::stod(r.get(i, 2)),
                                 std::stod(r.get(i, 3))};
  return out;
}

}  // namespace heat::telemetry
