#!/usr/bin/env bash
# heatctl trend and heatctl db archive (ANA-2, ANA-8, ANA-9): the step
# chosen from the span, min/avg/max per bucket equal to SQL over the stored
# readings, a one-reading peak kept as a bucket's max, gaps left empty,
# % of range, charts; a month archived only once its rollups count every
# reading (refused, then rebuilt), its readings then read back from the
# archive at the archive's interval and joined with raw readings; scope.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: CO, name: 公司}, {code: BR1, name: 一分, parent: CO}, {code: BR2, name: 二分, parent: CO}]
heat_sources: [{code: HS1, name: 热源, kind: boiler, org: CO}]
networks: [{code: N1, name: 一级网, kind: primary, org: CO, source: HS1}]
stations: [{code: T1, name: 一站, org: BR1, network: N1}, {code: T2, name: 二站, org: BR2, network: N1}]
devices:
  - {code: T1-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: T1,
     points: [{tag: t2s, unit: °C, range_lo: 0, range_hi: 200}, {tag: v1, unit: '%'}]}
  - {code: T2-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: T2, points: [{tag: t2s, unit: °C}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
OPR=opr_$$ BR2=br2_$$ ADM=adm_$$
heatctl user add $OPR --role heat_operator --org CO >/dev/null
heatctl user add $BR2 --role heat_operator --org BR2 >/dev/null
heatctl user add $ADM --role heat_admin >/dev/null

# Readings every minute for the last 3 days (T1.t2s: 50 + 10 sin, one
# reading of 99 at -1d 12:00, nothing from -2d 06:00 to -2d 08:00; T1.v1:
# the minute of the hour), and for two days three months ago.
sql "SELECT heat.ensure_reading_partitions(now() - interval '100 days', now())" >/dev/null
OLD=$(sql "SELECT to_char(date_trunc('day', now() - interval '92 days'), 'YYYY-MM-DD')")
sql "INSERT INTO heat.reading (point_id, ts, value)
     SELECT p.id, ts, CASE WHEN p.tag = 't2s' THEN round((50 + 10 * sin(extract(epoch FROM ts) / 3600))::numeric, 3)
                           ELSE extract(minute FROM ts) END
     FROM heat.point p, generate_series(date_trunc('minute', now()) - interval '3 days', now(), interval '1 minute') ts
     WHERE p.code IN ('T1.t2s', 'T1.v1')
       AND NOT (ts >= date_trunc('hour', now()) - interval '2 days' - interval '4 hours'
                AND ts < date_trunc('hour', now()) - interval '2 days' - interval '2 hours')
     UNION ALL
     SELECT p.id, ts, 20 + extract(hour FROM ts AT TIME ZONE 'UTC')
     FROM heat.point p, generate_series('$OLD 00:00+00'::timestamptz, '$OLD 00:00+00'::timestamptz + interval '2 days' - interval '1 minute',
                                        interval '1 minute') ts
     WHERE p.code IN ('T1.t2s', 'T2.t2s')"
sql "UPDATE heat.reading SET value = 99 FROM heat.point p WHERE p.id = point_id AND p.code = 'T1.t2s'
     AND ts = date_trunc('hour', now()) - interval '1 day' - interval '30 minutes'"
# The rollups as heatd-ingest keeps them (hours UTC, days in the company zone).
sql "INSERT INTO heat.reading_hourly SELECT point_id, date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
       count(*), sum(value), min(value), max(value), (array_agg(value ORDER BY ts DESC))[1], max(ts)
     FROM heat.reading GROUP BY 1, 2"
sql "INSERT INTO heat.reading_daily SELECT point_id, (ts AT TIME ZONE 'Asia/Shanghai')::date,
       count(*), sum(value), min(value), max(value), (array_agg(value ORDER BY ts DESC))[1], max(ts)
     FROM heat.reading GROUP BY 1, 2"

# --- the step follows the span; values equal SQL over the readings ---
PGUSER=$OPR heatctl trend T1.t2s --from -90m >"$TMP/out"
expect_in "$TMP/out" "^trend .*, step raw from raw$" "90 minutes: readings as they came"
[ "$(($(wc -l <"$TMP/out") - 3))" = "$(sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id
    WHERE p.code = 'T1.t2s' AND ts >= now() - interval '90 minutes'")" ] && ok "raw: one row per stored reading" ||
  fail "raw rows: $(wc -l <"$TMP/out")"

PGUSER=$OPR heatctl trend T1.t2s T1.v1 --from -3d --format csv >"$TMP/csv"
python3 - "$TMP/csv" >"$TMP/buckets" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    print(r["time"], r["point"], r["min"], r["avg"], r["max"], r["n"], sep="|")
PY
sql "SELECT to_char(b AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS'), p.code,
            trim(trailing '.' FROM trim(trailing '0' FROM round(min(value)::numeric, 3)::text)),
            trim(trailing '.' FROM trim(trailing '0' FROM round(avg(value)::numeric, 3)::text)),
            trim(trailing '.' FROM trim(trailing '0' FROM round(max(value)::numeric, 3)::text)), count(*)
     FROM (SELECT point_id, value, date_bin('5 minutes', ts, '2000-01-01') AS b FROM heat.reading
           WHERE ts >= date_bin('5 minutes', now() - interval '3 days', '2000-01-01')) r
     JOIN heat.point p ON p.id = r.point_id WHERE p.code IN ('T1.t2s', 'T1.v1')
     GROUP BY 1, 2 ORDER BY 2, 1" | sed 's/|0|/|0|/' >"$TMP/want"
# min, max and n exactly; the average to its last printed digit: both
# sides round a binary mean to 3 decimals, and a mean that falls on a
# half (45.7335) may round either way (it did, in CI).
if python3 - "$TMP/buckets" "$TMP/want" >"$TMP/diff" <<'PY'
import sys
def load(path):
    rows = {}
    for line in open(path):
        t, point, lo, avg, hi, n = line.rstrip("\n").split("|")
        rows[(t, point)] = (lo, float(avg), hi, n)
    return rows
got, want = load(sys.argv[1]), load(sys.argv[2])
bad = [k for k in sorted(set(got) | set(want))
       if k not in got or k not in want or got[k][0::2] != want[k][0::2] or got[k][3] != want[k][3]
       or abs(got[k][1] - want[k][1]) > 0.0011]
for k in bad[:10]: print(k, got.get(k), want.get(k))
sys.exit(1 if bad else 0)
PY
then
  ok "3 days: 5-minute buckets, min/avg/max/n of each equal to SQL over the readings ($(wc -l <"$TMP/want") buckets)"
else fail "3-day buckets differ:"; head "$TMP/diff" >&2; fi
grep -q '|T1.t2s|.*|99|5$' "$TMP/buckets" && ok "the one-reading peak of 99 is its bucket's max" || fail "peak lost"
GAP=$(sql "SELECT to_char((date_trunc('hour', now()) - interval '2 days' - interval '3 hours') AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')")
grep -q "^$GAP|T1.t2s" "$TMP/buckets" && fail "a bucket in the gap" || ok "no bucket where no reading was stored"

PGUSER=$OPR heatctl trend T1.t2s --from -30d --format json >"$TMP/json"
json "sum(r['n'] for r in j) == $(sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id
  WHERE p.code = 'T1.t2s' AND ts >= now() - interval '31 days'") and all(r['time'].endswith(':00:00') for r in j)" <"$TMP/json" |
  grep -q True && ok "30 days: hourly buckets from the rollups count every reading" || fail "30-day hourly: $(head -c 300 "$TMP/json")"
PGUSER=$OPR heatctl trend T1.t2s --from -30d --to now --step 1d --format csv >"$TMP/csv"
[ "$(tail -n +2 "$TMP/csv" | cut -d, -f1 | cut -c12-)" = "$(yes 00:00:00 | head -$(($(wc -l <"$TMP/csv") - 1)))" ] &&
  ok "--step 1d: daily buckets begin at local midnight" || fail "daily: $(cat "$TMP/csv")"

PGUSER=$OPR heatctl trend T1.t2s --from -3d --unit % --format csv >"$TMP/pct"
paste -d, <(tail -n +2 "$TMP/pct" | cut -d, -f5) <(grep '|T1.t2s|' "$TMP/buckets" | sort | cut -d'|' -f4) |
  awk -F, '{ if (($1 - $2 / 2) ^ 2 > 1e-6) bad++ } END { exit bad > 0 }' &&
  ok "--unit %: each value in % of the point's range 0..200" || fail "percent: $(head -3 "$TMP/pct")"

PGUSER=$OPR heatctl trend T1.t2s T1.v1 --from -3d --format png -o "$TMP/t.png"
[ "$(head -c 8 "$TMP/t.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] && ok "--format png -o FILE writes a PNG" ||
  fail "png"
PGUSER=$OPR heatctl trend T1.t2s --from -3d --format svg >"$TMP/t.svg"
grep -q '<svg' "$TMP/t.svg" && ok "--format svg" || fail "svg: $(head -c 200 "$TMP/t.svg")"

# --- mistakes and scope ---
expect_exit 2 "a step that does not divide the hour" heatctl trend T1.t2s --step 7m
expect_exit 3 "a mistyped point" heatctl trend T1.t2x
expect_in "$TMP/err" "no point 'T1.t2x' \\(or it is outside your scope\\); points of T1: T1.t2s T1.v1" "… names the points of T1"
expect_exit 3 "a branch operator cannot trend another branch's point" env PGUSER=$BR2 heatctl trend T1.t2s
PGUSER=$BR2 heatctl trend T2.t2s --from "$OLD 08:00" --to "$OLD 14:00" --step 1h --format csv >"$TMP/csv"
[ "$(tail -n +2 "$TMP/csv" | wc -l)" = 6 ] && ok "… but trends its own (6 hours)" || fail "BR2 own point: $(cat "$TMP/csv")"

# --- archive: refused while a rollup is short, then rebuilt ---
PART=$(sql "SELECT 'reading_' || to_char('$OLD'::date, 'YYYYMM')")
sql "DELETE FROM heat.reading_hourly WHERE hour = '$OLD 10:00+00'::timestamptz AND point_id =
     (SELECT id FROM heat.point WHERE code = 'T2.t2s')" >/dev/null
expect_exit 4 "an operator may not archive" env PGUSER=$OPR heatctl db archive --keep 40d
PGUSER=$ADM heatctl db archive --keep 40d --dry-run >"$TMP/out"
expect_in "$TMP/out" "$PART .*rollups incomplete" "--dry-run names the month whose rollups are short"
expect_exit 5 "archive refuses a month whose rollups miss readings" env PGUSER=$ADM heatctl db archive --keep 40d
expect_in "$TMP/err" "rollups of $PART are incomplete: 1 hour\\(s\\) differ from the raw readings" "… with the month and the count"
[ "$(sql "SELECT to_regclass('heat.$PART') IS NOT NULL AND NOT EXISTS (SELECT FROM heat.archive_log)")" = t ] &&
  ok "… and drops nothing" || fail "refused archive changed something"
RAW_PART=$(sql "SELECT count(*) FROM heat.$PART")
RAW_OLD=$(sql "SELECT count(*) FROM heat.reading WHERE ts < now() - interval '80 days'")
PGUSER=$ADM heatctl db archive --keep 40d --rebuild --format csv >"$TMP/out"
expect_in "$TMP/out" "^$PART,.*,$RAW_PART,2,1,.*rebuilt and archived$" "--rebuild recomputes the short hour and archives"
[ "$(sql "SELECT to_regclass('heat.$PART') IS NULL")|$(sql "SELECT sum(n) FROM heat.reading_archive")" = "t|$RAW_OLD" ] &&
  ok "the partition is gone; the archive counts every reading of it" || fail "after archive"
[ "$(sql "SELECT n FROM heat.reading_hourly WHERE hour = '$OLD 10:00+00'::timestamptz AND point_id =
    (SELECT id FROM heat.point WHERE code = 'T2.t2s')")" = 60 ] && ok "the short hour was rebuilt from raw" || fail "rebuild"

# --- archived and raw history in one trend ---
PGUSER=$OPR heatctl trend T1.t2s --from "$OLD 08:00" --to "$OLD 09:00" --step 1m --format csv >"$TMP/csv" 2>"$TMP/err"
expect_in "$TMP/err" "step 5m, not 1m: readings before .* are archived at 5m" "a finer step than the archive's is raised, and said"
[ "$(tail -n +2 "$TMP/csv" | wc -l)|$(tail -n +2 "$TMP/csv" | cut -d, -f6,7 | sort -u)" = "12|$(sql "SELECT 20 + extract(hour FROM '$OLD 08:00+08'::timestamptz AT TIME ZONE 'UTC')"),5" ] &&
  ok "archived readings come back as 5-minute buckets of 5 readings" || fail "archive trend: $(cat "$TMP/csv")"
PGUSER=$OPR heatctl trend T1.t2s --from "$OLD" --to now --step 1h >"$TMP/out"
expect_in "$TMP/out" "step 1h from hourly" "a long span is read from the hourly rollups whatever was archived"
PGUSER=$OPR heatctl trend T1.t2s --from "$OLD" --to now --step 30m >"$TMP/out"
expect_in "$TMP/out" "step 30m from archive and raw" "30 minutes over archived and raw months: both, transparently"
HALF=$(sql "SELECT count(DISTINCT date_bin('30 minutes', ts, '2000-01-01')) FROM heat.reading r
  JOIN heat.point p ON p.id = r.point_id WHERE p.code = 'T1.t2s'")
[ "$(grep -c ' T1.t2s ' "$TMP/out")" = "$((HALF + 96))" ] &&
  ok "… every archived half hour (96) and every raw one ($HALF) is a row" || fail "joined rows: $(grep -c ' T1.t2s ' "$TMP/out")"
finish
