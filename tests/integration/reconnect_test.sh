#!/usr/bin/env bash
# Every daemon goes on by itself when PostgreSQL goes away (OPS-1):
# heatd-ingest, heatd-alarm, heatd-control and heatd-forecast run against
# the test server while (a) all their backends are terminated, three times
# in a row, and (b) the server is stopped for a few seconds and started
# again, with MQTT readings published throughout. Afterwards each daemon
# is still running and connected again, has said so once per outage, and
# every reading the broker acknowledged is stored exactly once.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
cat >"$TMP/net.yaml" <<'YAML'
org_units: [{code: HQ, name: 公司}]
stations: [{code: R1, name: 重连站, org: HQ}]
devices:
  - {code: R1-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: R1, points: [{tag: t2s}, {tag: t2r}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
MPORT=$(free_port)
start_mosquitto
sleep 0.3
ingest_config reconnect-test "modbus_enabled: false" "coap_enabled: false" \
  "mqtt_uri: tcp://127.0.0.1:$MPORT" "mqtt_client_id: rc-ingest-$$" >"$TMP/heat.yaml"
cat >>"$TMP/heat.yaml" <<YAML
alarm:
  refresh: 1s
control:
  mqtt_uri: tcp://127.0.0.1:$MPORT
  mqtt_client_id: rc-ctl-$$
  refresh: 1s
forecast:
  weather_site: URC
  interval: 60s
  delay: 0s
YAML
PIDS=""
for d in ingest alarm control forecast; do
  heatd-$d --config "$TMP/heat.yaml" >"$TMP/$d.log" 2>&1 &
  PIDS="$PIDS $!"
done
cleanup() {
  kill $PIDS $MOS 2>/dev/null || true
  "$HEAT_SOURCE_DIR/scripts/pg" start "$HEAT_TEST_PG" "$(cat "$HEAT_TEST_PG/port")" >/dev/null 2>&1 || true
  dropdb --force "$PGDATABASE" 2>/dev/null || true
}
trap cleanup EXIT
connected() { sql "SELECT count(DISTINCT application_name) FROM pg_stat_activity
                   WHERE application_name IN ('heatd-ingest', 'heatd-alarm', 'heatd-control'$1)"; }
# within SECONDS QUERY WANT: polls until the query prints WANT
within() {
  local got
  for _ in $(seq $(($1 * 5))); do got=$(sql "$2" 2>/dev/null || true); [ "$got" = "$3" ] && return 0; sleep 0.2; done
  echo "$got"; return 1
}
within 20 "SELECT count(DISTINCT application_name) FROM pg_stat_activity WHERE application_name LIKE 'heatd-%'" 4 >/dev/null &&
  ok "all four daemons connected" || fail "not all daemons connected: $(sql "SELECT string_agg(DISTINCT application_name, ',') FROM pg_stat_activity")"

# publish FROM COUNT: telemetry messages FROM..FROM+COUNT-1 over about a
# second each 20, both points, one instant per message (yesterday, inside
# ingest.max_age_control_box); mosquitto_pub -q 1 exits 0 once the broker
# has acknowledged them all.
T0=$((($(date +%s) / 86400 - 1) * 86400000))
publish() {
  python3 -c '
import sys, json, time
start, n, t0 = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
for i in range(start, start + n):
    print(json.dumps({"ts": t0 + i * 1000, "v": {"t2s": i, "t2r": i}}), flush=True)
    time.sleep(0.05)
' "$1" "$2" "$T0" | mosquitto_pub -p "$MPORT" -q 1 -t heat/v1/R1/telemetry -l
}
publish 0 40 || fail "broker refused"

# --- (a) every backend terminated, three times in a row, under load -------
publish 100 100 & PUB=$!
for _ in 1 2 3; do
  sleep 1
  sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE 'heatd-%'" >/dev/null
done
wait $PUB || fail "broker refused during (a)"
within 20 "$(printf "SELECT count(DISTINCT application_name) FROM pg_stat_activity WHERE application_name IN ('heatd-ingest', 'heatd-alarm', 'heatd-control')")" 3 >/dev/null &&
  ok "(a) ingest, alarm and control connected again by themselves" || fail "(a) not reconnected: $(connected "")"

# --- (b) the server stopped for 4 s and started again, under load ---------
publish 300 100 & PUB=$!
sleep 1
"$HEAT_SOURCE_DIR/scripts/pg" stop "$HEAT_TEST_PG"; ok "PostgreSQL stopped"
sleep 4
"$HEAT_SOURCE_DIR/scripts/pg" start "$HEAT_TEST_PG" "$(cat "$HEAT_TEST_PG/port")" >/dev/null; ok "PostgreSQL started"
wait $PUB || fail "broker refused during (b)"
within 30 "$(printf "SELECT count(DISTINCT application_name) FROM pg_stat_activity WHERE application_name IN ('heatd-ingest', 'heatd-alarm', 'heatd-control')")" 3 >/dev/null &&
  ok "(b) ingest, alarm and control connected again by themselves" || fail "(b) not reconnected: $(connected "")"
# heatd-forecast connects for its rounds (forecast.interval 60 s): the next
# one finds its idle session gone and makes a new one.
within 75 "SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = 'heatd-forecast'" t >/dev/null &&
  ok "heatd-forecast ran its next round on a new connection" || fail "heatd-forecast not connected again"

# --- stored exactly once; nobody exited; one line per outage ---------------
want=$(((40 + 100 + 100) * 2))
within 60 "SELECT count(*) FROM heat.reading" $want >/dev/null && ok "$want readings stored" ||
  fail "readings: $(sql 'SELECT count(*) FROM heat.reading'), want $want"
[ "$(sql "SELECT count(*) FROM (SELECT point_id, ts FROM heat.reading GROUP BY 1, 2 HAVING count(*) > 1) d")" = 0 ] &&
  ok "no reading twice" || fail "duplicates stored"
[ "$(sql "SELECT count(*) FROM heat.reading WHERE value <> round(value) OR value < 0 OR value >= 400")" = 0 ] &&
  ok "only what was published" || fail "unexpected values"
i=0
for d in ingest alarm control forecast; do
  i=$((i + 1)); pid=$(echo $PIDS | cut -d' ' -f$i)
  kill -0 "$pid" 2>/dev/null && ok "heatd-$d still running" || { fail "heatd-$d exited"; tail -5 "$TMP/$d.log" >&2; }
done
for d in alarm control; do
  n=$(grep -c "database unavailable" "$TMP/$d.log" || true)
  [ "$n" -ge 1 ] && [ "$n" -le 5 ] && ok "heatd-$d: $n outage lines (not one per attempt)" ||
    { fail "heatd-$d: $n outage lines"; sed 's/^/  | /' "$TMP/$d.log" >&2; }
  expect_in "$TMP/$d.log" "heatd-$d: database back after" "heatd-$d says when the database is back"
done
finish
