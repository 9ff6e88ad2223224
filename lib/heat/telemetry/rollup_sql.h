// telemetry/rollup_sql.h — the merge clauses of the rollup upserts, shared
// by the writer's exact path (writer.cc, kMove) and fast path
// (writer_fast.cc, kRollup), so the two cannot drift apart
// (WriterTest.FastAndExactPathsKeepTheSameRollups checks they agree).
// String-literal macros: they are pasted into the statements at compile
// time.
#pragma once

// An hourly or daily row (alias a) merged with a new aggregate: counts and
// sums add up, extremes widen, the last value is the newer one's.
#define HEAT_ROLLUP_MERGE(a)                                                                         \
  " DO UPDATE SET n = " a ".n + excluded.n, sum = " a ".sum + excluded.sum,"                         \
  " min = least(" a ".min, excluded.min), max = greatest(" a ".max, excluded.max),"                  \
  " last_value = CASE WHEN excluded.last_ts > " a ".last_ts THEN excluded.last_value ELSE " a        \
  ".last_value END, last_ts = greatest(" a ".last_ts, excluded.last_ts)"

// heat.latest (alias l): an older reading never replaces a newer one, and
// one from the future (more than 5 minutes ahead, stored before times
// were checked) never holds the place (SYS-1).
#define HEAT_LATEST_MERGE                                                                          \
  " ON CONFLICT (point_id) DO UPDATE SET ts = excluded.ts, value = excluded.value,"                \
  " quality = excluded.quality, received_at = excluded.received_at WHERE excluded.ts >= l.ts"      \
  " OR l.ts > now() + interval '5 minutes'"
