#!/usr/bin/env bash
# The daemons' metrics endpoints (OPS-1): heatd-ingest and heatd-alarm on
# free ports of 127.0.0.1 against this test's database.
#  - /metrics in text format 0.0.4: HELP and TYPE of every family,
#    counters ending _total, heat_build_info with the program's version;
#  - heat_ready 1 and /ready 200 when connected; heat_ready 0 and /ready
#    503 while the database cannot be reached;
#  - readings sent over MQTT raise heat_ingest_readings_total{protocol=
#    "mqtt"} by exactly their number, and heat_ingest_stored_total by the
#    rows stored;
#  - other paths 404, other methods 405; a client that sends nothing does
#    not hold up a scrape; a port in use is logged and the daemon runs on;
#  - a bad address is refused by --check-config, naming the key.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
MPORT=$(free_port)
IPORT=$(free_port)
APORT=$(free_port)
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: HQ, name: 公司}]
stations: [{code: M1, name: 一站, org: HQ}]
devices:
  - {code: M1-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: M1, points: [{tag: t2s}, {tag: t2r}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
start_mosquitto
ingest_config metrics-test "modbus_enabled: false" "coap_enabled: false" "mqtt_uri: tcp://127.0.0.1:$MPORT" \
  "mqtt_client_id: metrics-$$" "metrics_listen: 127.0.0.1:$IPORT" >"$TMP/heat.yaml"
cat >>"$TMP/heat.yaml" <<YAML
alarm:
  refresh: 1s
  metrics_listen: 127.0.0.1:$APORT
YAML
heatd-ingest --config "$TMP/heat.yaml" >"$TMP/ingest.log" 2>&1 & ING=$!
heatd-alarm --config "$TMP/heat.yaml" >"$TMP/alarm.log" 2>&1 & ALM=$!
OTHERS=""
trap 'kill $ING $ALM $MOS $OTHERS 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT

scrape() { curl -s --max-time 5 "http://127.0.0.1:$1/metrics"; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${@:2}" "http://127.0.0.1:$1"; }
# value PORT SAMPLE: the value of one sample line (the name with its labels)
value() { scrape "$1" | awk -v s="$2" '$1 == s { print $2 }'; }
# until_value PORT SAMPLE WANT: polls for up to 10 s
until_value() {
  local got
  for _ in $(seq 100); do got=$(value "$1" "$2"); [ "$got" = "$3" ] && return 0; sleep 0.1; done
  echo "$got"; return 1
}

until_value "$IPORT" heat_ready 1 >/dev/null && ok "heatd-ingest: heat_ready 1 once running" ||
  fail "heatd-ingest not ready: $(tail -3 "$TMP/ingest.log")"
until_value "$APORT" heat_ready 1 >/dev/null && ok "heatd-alarm: heat_ready 1 once its rounds run" ||
  fail "heatd-alarm not ready: $(tail -3 "$TMP/alarm.log")"
[ "$(code "$IPORT/ready")" = 200 ] && ok "/ready answers 200" || fail "/ready: $(code "$IPORT/ready")"

version=$(heatd-ingest --version | awk '{print $2}')
scrape "$IPORT" >"$TMP/m1"
expect_in "$TMP/m1" "^heat_build_info\{program=\"heatd-ingest\",version=\"$version\"\} 1$" "heat_build_info names the program and its version"
expect_in "$TMP/m1" '^# HELP heat_ingest_stored_total .+' "a family has its HELP line"
expect_in "$TMP/m1" '^# TYPE heat_ingest_readings_total counter$' "... and its TYPE line"
expect_in "$TMP/m1" '^heat_start_time_seconds [0-9]+$' "heat_start_time_seconds is a Unix time"
bad=$(awk '$1 == "#" && $2 == "TYPE" && $4 == "counter" && $3 !~ /_total$/' "$TMP/m1")
[ -z "$bad" ] && ok "every counter's name ends in _total" || fail "counters without _total: $bad"
# Every sample's family was announced by TYPE before it (a scraper's parse).
awk '$1 == "#" && $2 == "TYPE" { t[$3] = 1; next } /^#/ { next }
     { n = $1; sub(/\{.*/, "", n); if (!(n in t)) { print "untyped " n; exit 1 } }' "$TMP/m1" &&
  ok "every sample follows its family's TYPE" || fail "a sample without TYPE"

sample='heat_ingest_readings_total{protocol="mqtt"}'
before=$(value "$IPORT" "$sample")
stored_before=$(value "$IPORT" heat_ingest_stored_total)
now=$(date +%s%3N)
for i in $(seq 0 24); do
  mosquitto_pub -p "$MPORT" -q 1 -t heat/v1/M1/telemetry -m "{\"ts\":$((now - 100000 + i * 1000)),\"v\":{\"t2s\":$((60 + i)),\"t2r\":40}}"
done
eventually "SELECT count(*) FROM heat.reading" 50 >/dev/null && ok "50 readings stored" || fail "stored: $(sql 'SELECT count(*) FROM heat.reading')"
got=$(until_value "$IPORT" "$sample" $((before + 50))) && ok "$sample went up by exactly the 50 readings sent" ||
  fail "$sample: $before -> $got, want +50"
until_value "$IPORT" heat_ingest_stored_total $((stored_before + 50)) >/dev/null &&
  ok "heat_ingest_stored_total went up by the 50 rows stored" || fail "stored_total: $(value "$IPORT" heat_ingest_stored_total)"
[ "$(value "$IPORT" heat_ingest_queue_readings)" = 0 ] && ok "nothing left queued" || fail "queue not empty"

scrape "$APORT" >"$TMP/m2"
expect_in "$TMP/m2" "^heat_build_info\{program=\"heatd-alarm\",version=\"$version\"\} 1$" "heatd-alarm has its own heat_build_info"
expect_in "$TMP/m2" '^heat_alarm_active [0-9]+$' "heatd-alarm: heat_alarm_active"
expect_in "$TMP/m2" '^heat_alarm_round_seconds [0-9.e+-]+$' "... heat_alarm_round_seconds"
expect_in "$TMP/m2" '^heat_alarm_rounds_total [1-9][0-9]*$' "... rounds counted"

# --- refusals and hostile clients -------------------------------------------
[ "$(code "$IPORT/nope")" = 404 ] && ok "another path is 404" || fail "/nope: $(code "$IPORT/nope")"
[ "$(code "$IPORT/metrics" -X POST -d x=1)" = 405 ] && ok "POST /metrics is 405" || fail "POST: $(code "$IPORT/metrics" -X POST)"
[ "$(code "$IPORT/metrics" -H "X-Junk: $(head -c 10000 /dev/zero | tr '\0' a)")" = 431 ] &&
  ok "a 10 kB request head is refused (431)" || fail "oversized request not refused"
python3 -c "import socket,time; s=socket.create_connection(('127.0.0.1',$IPORT)); time.sleep(30)" & IDLE=$!
OTHERS="$IDLE"
sleep 0.3
start=$(date +%s%N)
[ "$(code "$IPORT/metrics")" = 200 ] && ok "a scrape next to a client that sends nothing is served" || fail "scrape blocked"
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -lt 1000 ] && ok "... at once ($ms ms)" || fail "scrape took $ms ms"
kill "$IDLE" 2>/dev/null || true

# --- not ready while the database cannot be reached --------------------------
DEAD=$(free_port)
sed "s/port=$PGPORT /port=$DEAD /; s/127.0.0.1:$IPORT/127.0.0.1:$(free_port)/; s|$TMP/spool|$TMP/dead-spool|" \
  "$TMP/heat.yaml" >"$TMP/dead.yaml"
# The dead instance's alarm shares heatd-alarm's port: in use, logged, runs on.
heatd-alarm --config "$TMP/dead.yaml" >"$TMP/dead-alarm.log" 2>&1 & DALM=$!
DPORT=$(grep -o 'metrics_listen: 127.0.0.1:[0-9]*' "$TMP/dead.yaml" | head -1 | cut -d: -f3)
sed -i "s/mqtt_client_id: metrics-$$/mqtt_client_id: dead-$$/; s/instance: metrics-test/instance: dead/" "$TMP/dead.yaml"
heatd-ingest --config "$TMP/dead.yaml" >"$TMP/dead-ingest.log" 2>&1 & DING=$!
OTHERS="$DALM $DING"
sleep 1
until_value "$DPORT" heat_ready 0 >/dev/null && ok "heat_ready 0 while the database cannot be reached" ||
  fail "dead ingest: heat_ready $(value "$DPORT" heat_ready): $(tail -3 "$TMP/dead-ingest.log")"
[ "$(code "$DPORT/ready")" = 503 ] && ok "... and /ready answers 503" || fail "dead /ready: $(code "$DPORT/ready")"
for _ in $(seq 50); do grep -q "cannot listen on 127.0.0.1:$APORT" "$TMP/dead-alarm.log" && break; sleep 0.1; done
expect_in "$TMP/dead-alarm.log" "metrics: cannot listen on 127.0.0.1:$APORT: Address already in use; running without metrics" \
  "a port in use is logged as an error"
kill -0 "$DALM" 2>/dev/null && ok "... and the daemon runs on" || fail "heatd-alarm exited over a port in use"
[ "$(value "$APORT" heat_ready)" = 1 ] && ok "the first heatd-alarm still serves its metrics" || fail "first alarm lost its port"

# --- configuration --------------------------------------------------------------
printf 'ingest:\n  metrics_listen: "0.0.0.0:9561"\n' >"$TMP/bad.yaml"
expect_exit 2 "metrics_listen on every interface is refused" heatd-ingest --check-config -c "$TMP/bad.yaml"
expect_in "$TMP/err" "bad.yaml:2: ingest.metrics_listen: expected host:port" "... naming file, line and key"
printf 'forecast:\n  metrics_listen: "localhost:http"\n' >"$TMP/bad.yaml"
expect_exit 2 "a host name or a service name is refused" heatd-forecast --check-config -c "$TMP/bad.yaml"
printf 'control:\n  metrics_listen: ""\n' >"$TMP/off.yaml"
expect_exit 0 "an empty address (no metrics) is valid" heatd-control --check-config -c "$TMP/off.yaml"
finish
