// The fast path of Writer::Write (telemetry/writer.h): new readings, the
// common case, go from the staging table into heat.reading with a plain
// INSERT (no ON CONFLICT, no RETURNING), and the rollups are computed here
// from the batch in memory and sent as one small row per point and hour.
// The database then does little more than the insert plus a few thousand
// upserts. Anything unusual — a reading already stored, a point deleted
// meanwhile — makes the insert or the rollups fail (or, for an hour split
// between two company days, is seen before), the savepoint is rolled back,
// and the staged batch takes the exact path instead.
#include <cmath>
#include <map>

#include "heat/telemetry/copy_binary.h"
#include "heat/telemetry/copy_text.h"
#include "heat/telemetry/quality.h"
#include "heat/telemetry/rollup_sql.h"
#include "heat/telemetry/writer.h"

namespace heat::telemetry {
namespace {

constexpr const char* kStageHours =
    "CREATE TEMP TABLE IF NOT EXISTS ingest_hr (point_id int, hour_ms bigint, day date, n int, sum float8,"
    " min float8, max float8, last_value float8, last_ts_ms bigint, last_q smallint) ON COMMIT DELETE ROWS";

// Hourly upsert from the hour rows; latest and daily from the same few
// rows (the newest hour of each point; the hours of each company day,
// which the caller computed: an hour lies within one company day).
constexpr const char* kRollup = R"(
WITH hr AS (
  SELECT point_id, timestamptz 'epoch' + hour_ms * interval '1 millisecond' AS hour, day, n, sum, min, max,
         last_value, timestamptz 'epoch' + last_ts_ms * interval '1 millisecond' AS last_ts, last_q
  FROM ingest_hr),
h AS (
  INSERT INTO heat.reading_hourly AS h (point_id, hour, n, sum, min, max, last_value, last_ts)
  SELECT point_id, hour, n, sum, min, max, last_value, last_ts FROM hr
  ON CONFLICT (point_id, hour))" HEAT_ROLLUP_MERGE("h") R"(),
lat AS (
  INSERT INTO heat.latest AS l (point_id, ts, value, quality, received_at)
  SELECT DISTINCT ON (point_id) point_id, last_ts, last_value, last_q, now() FROM hr
  ORDER BY point_id, last_ts DESC)" HEAT_LATEST_MERGE R"()
INSERT INTO heat.reading_daily AS d (point_id, day, n, sum, min, max, last_value, last_ts)
SELECT point_id, day, sum(n), sum(sum), min(min), max(max),
       (array_agg(last_value ORDER BY last_ts DESC))[1], max(last_ts) FROM hr GROUP BY 1, 2
ON CONFLICT (point_id, day))" HEAT_ROLLUP_MERGE("d");

std::string Number(double v) {
  std::string s;
  AppendDouble(s, v);
  return s;
}

struct HourAgg {
  int64_t n = 0;
  double sum = 0, min = INFINITY, max = -INFINITY, last_value = 0;
  int64_t last_ts = INT64_MIN;
  int16_t last_q = 0;
};

int64_t HourOf(int64_t ms) {
  int64_t h = ms / 3600000 - (ms % 3600000 < 0 ? 1 : 0);
  return h * 3600000;
}

std::map<std::pair<int32_t, int64_t>, HourAgg> Hours(const Batch& batch) {
  std::map<std::pair<int32_t, int64_t>, HourAgg> hours;
  for (const auto& r : batch) {
    if (r.quality & kOutOfRange) continue;  // stored, but not in rollups or latest
    HourAgg& a = hours[{r.point_id, HourOf(r.ts_ms)}];
    a.n++;
    a.sum += r.value;
    a.min = std::min(a.min, r.value);
    a.max = std::max(a.max, r.value);
    if (r.ts_ms > a.last_ts) {
      a.last_ts = r.ts_ms;
      a.last_value = r.value;
      a.last_q = r.quality;
    }
  }
  return hours;
}

}  // namespace

// Whether this login may COPY into heat.reading: PostgreSQL refuses COPY
// FROM into a table with row-level security unless the login bypasses it
// (a superuser, or a role with BYPASSRLS — heatd-ingest(8)).
Result<bool> Writer::CanCopyDirect() {
  if (!copy_direct_) {
    HEAT_ASSIGN(db::Rows r, conn_.Query("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"));
    copy_direct_ = r.size() == 1 && r.get(0, 0) == "t";
  }
  return *copy_direct_;
}

Status Writer::CopyReadings(const Batch& batch, bool direct) {
  if (!direct)
    return conn_.Exec(
        "INSERT INTO heat.reading (point_id, ts, value, quality)"
        " SELECT point_id, timestamptz 'epoch' + ts_ms * interval '1 millisecond', value, quality FROM ingest_in");
  return conn_.CopyInBinary("heat.reading", {"point_id", "ts", "value", "quality"}, ReadingsCopyBinary(batch));
}

// The company day of each hour the batch touches; false when an hour
// straddles two days (a zone whose offset is not whole hours): the slow
// path then rolls up reading by reading.
Result<bool> Writer::HourDays(const Batch& batch, std::map<int64_t, Date>& days) {
  if (!zone_) {
    HEAT_ASSIGN(TimeZone z, TimeZone::Load(tz_));
    zone_ = z;
  }
  if (hour_days_.size() > 10000) hour_days_.clear();  // a year is 8760 hours
  for (const auto& r : batch) {
    int64_t h = HourOf(r.ts_ms);
    if (days.count(h)) continue;
    auto [it, added] = hour_days_.try_emplace(h);
    if (added) {
      Date first = LocalDate(h / 1000, *zone_), last = LocalDate((h + 3599999) / 1000, *zone_);
      if (first == last) it->second = first;
    }
    if (!it->second) return false;
    days[h] = *it->second;
  }
  return true;
}

Status Writer::Rollups(const Batch& batch, const std::map<int64_t, Date>& days) {
  if (!hours_staged_) {
    HEAT_TRY(conn_.Exec(kStageHours));
    hours_staged_ = true;
  }
  std::vector<std::vector<db::Param>> rows;
  for (const auto& [key, a] : Hours(batch))
    rows.push_back({std::to_string(key.first), std::to_string(key.second), FormatDate(days.at(key.second)),
                    std::to_string(a.n), Number(a.sum),
                    Number(a.min), Number(a.max), Number(a.last_value), std::to_string(a.last_ts),
                    std::to_string(a.last_q)});
  HEAT_TRY(conn_.CopyIn("ingest_hr", {"point_id", "hour_ms", "day", "n", "sum", "min", "max", "last_value", "last_ts_ms",
                                      "last_q"}, rows));
  // Prepared: the statement is planned once per connection, not per batch.
  return conn_.QueryPrepared(kRollup).status();
}

// In the caller's transaction: true when the batch went in by the fast
// path; false (and nothing of it written) when the slow path must run.
// The fast path does not ask first whether every point still exists: the
// ids come from the daemon's index, so they nearly always do, and asking
// cost a query per batch. A reading already stored (kConflict) or of a
// point deleted meanwhile (heat.latest's foreign key: kUsage) fails the
// copy or the rollups; both are under one savepoint, rolled back, and the
// exact path then counts the orphans.
Result<bool> Writer::TryFast(const Batch& batch, bool direct) {
  std::map<int64_t, Date> days;
  HEAT_ASSIGN(bool whole_hours, HourDays(batch, days));
  if (!whole_hours) return false;
  HEAT_TRY(conn_.Exec("SAVEPOINT fast_copy"));
  Status st = CopyReadings(batch, direct);
  if (st.ok()) st = Rollups(batch, days);
  if (st.code() == Code::kConflict || st.code() == Code::kUsage) {
    HEAT_TRY(conn_.Exec("ROLLBACK TO SAVEPOINT fast_copy"));
    return false;
  }
  HEAT_TRY(st);
  HEAT_TRY(conn_.Exec("RELEASE SAVEPOINT fast_copy"));
  return true;
}

}  // namespace heat::telemetry
