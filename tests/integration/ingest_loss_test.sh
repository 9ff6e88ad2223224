#!/usr/bin/env bash
# Nothing acknowledged is lost, over MQTT: every reading is
# numbered; (a) kill -9 of heatd-ingest under load and a restart, (b)
# PostgreSQL stopped for 30 s under load and started again. Afterwards every
# reading the broker acknowledged is in heat.reading exactly once.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
PORT=$(free_port)

cat >"$TMP/net.yaml" <<'YAML'
org_units: [{code: HQ, name: 公司}]
stations: [{code: L1, name: 负载站, org: HQ}]
devices:
  - code: L1-CB
    name: 控制箱
    kind: control_box
    protocol: mqtt
    station: L1
    points: [{tag: t1s}, {tag: t1r}, {tag: t2s}, {tag: t2r}, {tag: p2s}, {tag: p2r}, {tag: f1}, {tag: f2}, {tag: v1}, {tag: pw1}]
YAML
heatctl import "$TMP/net.yaml" >/dev/null

printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n' "$PORT" >"$TMP/mosquitto.conf"
mosquitto -c "$TMP/mosquitto.conf" >"$TMP/mosquitto.log" 2>&1 &
MQ=$!
ingest_config loss-test "mqtt_uri: tcp://127.0.0.1:$PORT" "mqtt_client_id: loss-test-$$" \
  "coap_enabled: false" "modbus_enabled: false" >"$TMP/heat.yaml"
INGEST=""
start_ingest() { heatd-ingest --config "$TMP/heat.yaml" >>"$TMP/ingest.log" 2>&1 & INGEST=$!; }
cleanup() {
  kill -9 $INGEST $MQ 2>/dev/null || true
  "$HEAT_SOURCE_DIR/scripts/pg" start "$HEAT_TEST_PG" "$(cat "$HEAT_TEST_PG/port")" >/dev/null 2>&1 || true
  dropdb --force "$PGDATABASE" 2>/dev/null || true
}
trap cleanup EXIT
start_ingest
sleep 1

# Message i is stamped T0 + i s: yesterday 00:00 UTC, inside
# ingest.max_age_control_box (older telemetry is refused).
T0=$((($(date +%s) / 86400 - 1) * 86400000))
# publish FROM COUNT SECONDS: messages numbered FROM..FROM+COUNT-1, spread
# over SECONDS so that the failure lands under load, 10 readings each,
# value = message number, one instant per message. mosquitto_pub -q 1
# exits 0 only when the broker has acknowledged every message.
publish() {
  python3 -c '
import sys, json, time
start, n, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
t0 = int(sys.argv[4])
tags = ["t1s", "t1r", "t2s", "t2r", "p2s", "p2r", "f1", "f2", "v1", "pw1"]
for i in range(start, start + n):
    print(json.dumps({"ts": t0 + i * 1000, "seq": i, "v": {t: i for t in tags}}), flush=True)
    time.sleep(secs / n)
'  "$1" "$2" "$3" "$T0" | mosquitto_pub -p "$PORT" -q 1 -t heat/v1/L1/telemetry -l
}
# wait_for N: until heat.reading holds N rows (60 s at most)
wait_for() {
  for _ in $(seq 120); do
    [ "$(sql 'SELECT count(*) FROM heat.reading' 2>/dev/null || echo 0)" -ge "$1" ] && return 0
    sleep 0.5
  done
  return 1
}
check_exact() {
  local n=$1 what=$2
  wait_for $((n * 10)) || true
  local want="$((n * 10)) $((n * 10)) $n 0 $((n - 1))"
  local got; got=$(sql "SELECT count(*) || ' ' || count(DISTINCT (point_id, ts)) || ' ' ||
    count(DISTINCT value) || ' ' || coalesce(min(value), 0) || ' ' || coalesce(max(value), 0) FROM heat.reading")
  if [ "$got" = "$want" ]; then ok "$what: $n messages, $((n * 10)) readings, each once"
  else fail "$what: want '$want' (rows, distinct, values, min, max), got '$got'"; fi
}

# (a) kill -9 under load.
publish 0 3000 4 & PUB=$!
sleep 1
kill -9 "$INGEST"; ok "killed heatd-ingest with -9 under load"
sleep 2
start_ingest
wait "$PUB" && ok "broker acknowledged all 3000 messages" || fail "publisher failed"
check_exact 3000 "after kill -9"

# (b) PostgreSQL away for 30 s under load.
publish 3000 2000 6 & PUB=$!
sleep 1
"$HEAT_SOURCE_DIR/scripts/pg" stop "$HEAT_TEST_PG"; ok "PostgreSQL stopped"
sleep 30
"$HEAT_SOURCE_DIR/scripts/pg" start "$HEAT_TEST_PG" "$(cat "$HEAT_TEST_PG/port")" >/dev/null; ok "PostgreSQL started"
wait "$PUB" && ok "broker acknowledged all 2000 messages" || fail "publisher failed"
check_exact 5000 "after PostgreSQL was away"
if grep -q "replayed" "$TMP/ingest.log"; then ok "spooled readings were replayed"; else fail "no spool replay logged"; fi

# SIGTERM drains and exits 0.
kill -TERM "$INGEST"
if wait "$INGEST"; then ok "SIGTERM: clean exit"; else fail "SIGTERM: exit $?"; fi
if heatctl ingest stats --format json | json 'j[0]["instance"]' | grep -q loss-test; then ok "stats written"
else fail "no stats"; fi
# Regression: spool_bytes kept the size from before the replay.
spool=$(heatctl ingest stats --format json | json 'j[0]["spool_bytes"]')
[ "$spool" = 0 ] && ok "the spool is empty after its replay" || fail "spool_bytes after the replay: $spool"
sed 's/^/  ingest| /' "$TMP/ingest.log" | tail -5
finish
