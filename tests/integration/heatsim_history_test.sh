#!/usr/bin/env bash
# heatsim history (FC-3, FC-4): three days of hourly history of the demo
# network, loaded into heat.reading_hourly with the loader of heatsim(1),
# HISTORY: one row per station point and hour, pw1 positive everywhere in
# the design winter, the same output for the same seed, the weather after
# the span as a forecast, and clear errors for bad options and a missing
# database.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
heatctl import "$HEAT_SOURCE_DIR/etc/examples/demo-network.yaml" >/dev/null
END=2025-01-20T00:00:00Z

heatsim history --days 3 --end "$END" --seed 7 --forecast-out "$TMP/fc.csv" --forecast-hours 48 \
  >"$TMP/h.csv" 2>"$TMP/h.err" || fail "heatsim history: $(cat "$TMP/h.err")"
expect_in "$TMP/h.err" '^heatsim history: stations=14 loops=15 .*hours=72 rows=[0-9]+ seconds=' "a summary on stderr"
[ "$(head -1 "$TMP/h.csv")" = "point,hour,n,sum,min,max,last_value,last_ts" ] && ok "the header" ||
  fail "header: $(head -1 "$TMP/h.csv")"

# The loader, as heatsim(1) gives it.
psql -qX -v ON_ERROR_STOP=1 >/dev/null <<SQL || fail "the loader failed"
CREATE TEMP TABLE h (point text, hour timestamptz, n int, sum float8, min float8, max float8, last_value float8, last_ts timestamptz);
\copy h FROM '$TMP/h.csv' CSV HEADER
INSERT INTO heat.reading_hourly SELECT p.id, h.hour, h.n, h.sum, h.min, h.max, h.last_value, h.last_ts FROM h JOIN heat.point p ON p.code = h.point ON CONFLICT DO NOTHING;
SQL

# Every point of a box, and of a PLC, that the model has a value for: here all of them.
points=$(sql "SELECT count(*) FROM heat.point p JOIN heat.device d ON d.id = p.device_id
              WHERE (d.kind = 'control_box' AND d.protocol = 'mqtt') OR (d.kind = 'plc' AND d.protocol = 'modbus_tcp')")
stations=$(sql "SELECT count(DISTINCT d.station_id) FROM heat.device d WHERE d.kind = 'control_box'")
rows=$(sql "SELECT count(*) FROM heat.reading_hourly")
[ "$stations" = 14 ] && [ "$points" -ge $((14 * 14)) ] && [ "$rows" = $((points * 72)) ] &&
  [ "$(($(wc -l <"$TMP/h.csv") - 1))" = "$rows" ] &&
  ok "$rows rows: $stations stations, $points points × 72 hours" ||
  fail "rows $rows, points $points, stations $stations, CSV lines $(wc -l <"$TMP/h.csv")"
[ "$(sql "SELECT count(DISTINCT hour) || ' ' || min(hour) AT TIME ZONE 'UTC' || ' ' || max(hour) AT TIME ZONE 'UTC'
          FROM heat.reading_hourly")" = "72 2025-01-17 00:00:00 2025-01-19 23:00:00" ] &&
  ok "72 hours ending at --end" || fail "hours: $(sql "SELECT count(DISTINCT hour), min(hour), max(hour) FROM heat.reading_hourly")"
[ "$(sql "SELECT count(*) FROM heat.reading_hourly WHERE n <> 60 OR date_trunc('hour', last_ts) <> hour
          OR min > sum / n + 1e-9 OR max < sum / n - 1e-9")" = 0 ] && ok "60 samples an hour, mean within min..max" ||
  fail "bad hours: $(sql "SELECT * FROM heat.reading_hourly WHERE n <> 60 OR min > sum / n + 1e-9 LIMIT 3")"

# pw1 of every station, every hour, in the design winter.
pw1=$(sql "SELECT count(*) || ' ' || count(*) FILTER (WHERE r.sum / r.n > 0)
           FROM heat.reading_hourly r JOIN heat.point p ON p.id = r.point_id WHERE p.tag = 'pw1'")
[ "$pw1" = "$((14 * 72)) $((14 * 72))" ] && ok "pw1 positive in every station's every hour" || fail "pw1: $pw1"
hist=$(sql "SELECT count(*) FILTER (WHERE load_kw > 0 AND outdoor_c < 0) FROM heat.forecast_history('station',
              (SELECT id FROM heat.station WHERE code = 'S01'), '2025-01-17', '2025-01-20')" 2>&1 || true)
[ "$hist" = 72 ] && ok "heat.forecast_history reads the 72 hours" || fail "forecast_history: $hist"

heatsim history --days 3 --end "2025-01-20 00:40" --seed 7 >"$TMP/h2.csv" 2>/dev/null
cmp -s "$TMP/h.csv" "$TMP/h2.csv" && ok "the same seed gives the same history (--end rounded down)" ||
  fail "two runs differ"
heatsim history --days 1 --end "$END" --seed 8 --stations S03,S14 >"$TMP/h3.csv" 2>"$TMP/h3.err"
[ "$(tail -n +2 "$TMP/h3.csv" | cut -d. -f1 | LC_ALL=C sort -u | tr '\n' ' ')" = "S03 S14 " ] &&
  ok "--stations S03,S14" || fail "--stations: $(tail -n +2 "$TMP/h3.csv" | cut -d. -f1 | LC_ALL=C sort -u | tr '\n' ' ')"

[ "$(head -2 "$TMP/fc.csv" | tail -1 | cut -d, -f1,2)" = "2025-01-20T00:00:00Z,2025-01-20T00:00:00Z" ] &&
  [ "$(wc -l <"$TMP/fc.csv")" = 49 ] && expect_in "$TMP/fc.csv" '^issued,valid_time,outdoor_temp_c,wind_ms,solar_wm2$' \
  "a forecast of 48 hours from --end" || fail "forecast: $(head -3 "$TMP/fc.csv")"
# Its first hour continues the last hour of the history (the same source, one hour on).
last_tout=$(awk -F, '$1 == "S01.tout" && $2 == "2025-01-19T23:00:00Z" {print $7}' "$TMP/h.csv")
python3 -c "import sys; sys.exit(0 if abs($last_tout - $(sed -n 2p "$TMP/fc.csv" | cut -d, -f3)) < 1.5 else 1)" &&
  ok "the forecast continues the history's weather" || fail "tout $last_tout, forecast $(sed -n 2p "$TMP/fc.csv")"

expect_exit 0 "heatctl weather import takes the forecast" heatctl weather import "$TMP/fc.csv" --site URUMQI
[ "$(sql "SELECT count(*) FROM heat.weather_forecast WHERE site = 'URUMQI' AND issued = '$END'")" = 48 ] &&
  ok "48 hours of forecast stored" || fail "forecast rows: $(sql "SELECT count(*) FROM heat.weather_forecast")"

expect_exit 2 "--days 0 is a usage error" heatsim history --days 0
expect_exit 2 "--days is required" heatsim history
expect_exit 2 "a step that does not divide the hour" heatsim history --days 1 --step-s 7
expect_exit 2 "a bad --end" heatsim history --days 1 --end yesterday
expect_in "$TMP/err" "--end" "the error names --end"
expect_exit 2 "--forecast-hours needs --forecast-out" heatsim history --days 1 --forecast-hours 5
expect_exit 3 "an unknown station" heatsim history --days 1 --stations S99
expect_exit 3 "a missing weather file" heatsim history --days 1 --weather "$TMP/none.csv"
expect_exit 1 "no database server" env PGHOST=/nonexistent heatsim history --days 1
expect_in "$TMP/err" "cannot connect to PostgreSQL" "the error says the database is not there"
finish
