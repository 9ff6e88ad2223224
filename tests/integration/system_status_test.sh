#!/usr/bin/env bash
# heatctl system status and heatd-alarm's system alarms (OPS-1), on the
# private PostgreSQL and real daemons:
#  - a multi-host db.conninfo is split: the fixture's server shows as the
#    primary (timeline 1), a host where nothing listens as down;
#  - this machine's disk and memory figures are shown (no exporter);
#  - heatd-ingest started with a metrics port shows ready with its
#    version, a metrics address where nothing listens unreachable;
#  - an engineer sees it, a cashier is refused with nothing shown;
#  - heatd-alarm with alarm.disk_max_pct 1 raises system:disk, and
#    system:daemon for the dead address and system:node for the dead
#    host; set back to 99 and reloaded (SIGHUP), system:disk clears; an
#    operator sees the system alarms in heatctl alarm list.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
heatctl user add eng_$$ --role heat_engineer >/dev/null
heatctl user add op_$$ --role heat_operator >/dev/null
heatctl user add cash_$$ --role bill_cashier >/dev/null
DEAD_PG=$(free_port)       # no PostgreSQL there
DEAD_METRICS=$(free_port)  # no daemon there
ING_METRICS=$(free_port)
ALM_METRICS=$(free_port)
CPORT=$(free_port udp)
HOST=$(hostname)

# heatd-ingest with its metrics endpoint (the daemons' side, heatd-ingest(8)).
ingest_config sys-test "modbus_enabled: false" "mqtt_enabled: false" "coap_bind: 127.0.0.1" "coap_port: $CPORT" \
  "coap_threads: 1" "metrics_listen: 127.0.0.1:$ING_METRICS" >"$TMP/ingest.yaml"
heatd-ingest --config "$TMP/ingest.yaml" >"$TMP/ingest.log" 2>&1 & ING=$!
trap 'kill $ING ${ALM:-} 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT

# The system's view: both "servers", every daemon's address.
system_yaml() {  # USER DISK_MAX: heat.yaml as USER ("" = PGUSER) with alarm.disk_max_pct DISK_MAX
  local user=${1:+ user=$1}
  cat <<YAML
db:
  conninfo: "host=$PGHOST,127.0.0.1 port=$PGPORT,$DEAD_PG dbname=$PGDATABASE$user target_session_attrs=read-write connect_timeout=2"
ingest:
  metrics_listen: 127.0.0.1:$ING_METRICS
control:
  metrics_listen: 127.0.0.1:$DEAD_METRICS
forecast:
  metrics_listen: ""
alarm:
  metrics_listen: 127.0.0.1:$ALM_METRICS
  system_interval: 1s
  disk_max_pct: $2
  refresh: 1s
system:
  watch_paths: /:$TMP
YAML
}
system_yaml "" 80 >"$TMP/heat.yaml"
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$ING_METRICS/ready" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$ING_METRICS/ready" >/dev/null || fail "heatd-ingest is not ready: $(tail -5 "$TMP/ingest.log")"

# --- heatctl system status -------------------------------------------------
expect_exit 0 "an engineer runs system status" env PGUSER=eng_$$ heatctl --config "$TMP/heat.yaml" system status
cp "$TMP/out" "$TMP/status.txt"
expect_in "$TMP/status.txt" "^node +$PGHOST:$PGPORT +postgresql +primary .* 1 " "the fixture's server is the primary, timeline 1"
expect_in "$TMP/status.txt" "^node +127.0.0.1:$DEAD_PG +postgresql +down " "the host where nothing listens is down"
expect_in "$TMP/status.txt" "^disk +$HOST +/ +ok +[0-9.]+ +%" "this machine's root filesystem in per cent"
expect_in "$TMP/status.txt" "^memory +$HOST +memory +ok +[0-9.]+ +%" "this machine's memory in per cent"
expect_in "$TMP/status.txt" "^cpu +$HOST +load " "this machine's load"
expect_in "$TMP/status.txt" "^daemon +127.0.0.1:$ING_METRICS +heatd-ingest +ready .*version [0-9]" "heatd-ingest is ready, with its version"
expect_in "$TMP/status.txt" "^daemon +127.0.0.1:$DEAD_METRICS +heatd-control +unreachable" "a dead metrics address is unreachable"
if grep -q heatd-forecast "$TMP/status.txt"; then fail "a metrics address set to \"\" is left out"; else ok "forecast's empty address is left out"; fi

env PGUSER=eng_$$ heatctl --config "$TMP/heat.yaml" system status --format json >"$TMP/status.json"
want_df=$(df --output=pcent / | tail -1 | tr -dc 0-9)
got_df=$(json "round([r['value'] for r in j if r['kind'] == 'disk' and r['name'] == '/'][0])" <"$TMP/status.json")
[ $((got_df - want_df)) -ge -1 ] && [ $((got_df - want_df)) -le 1 ] &&
  ok "disk % of / is df's ($got_df, df $want_df)" || fail "disk % of /: $got_df, df says $want_df"
[ "$(json "[r['timeline'] for r in j if r['state'] == 'primary'][0]" <"$TMP/status.json")" = 1 ] &&
  ok "json: the timeline is a number" || fail "json timeline: $(cat "$TMP/status.json")"

expect_exit 4 "a cashier is refused" env PGUSER=cash_$$ heatctl --config "$TMP/heat.yaml" system status
[ -s "$TMP/out" ] && fail "the cashier was shown: $(cat "$TMP/out")" || ok "nothing is shown to the cashier"
expect_in "$TMP/err" "heat_engineer" "the refusal names the role needed"

# --- heatd-alarm's system alarms -------------------------------------------
system_yaml "$SVC" 1 >"$TMP/alarm.yaml"
heatd-alarm --config "$TMP/alarm.yaml" >"$TMP/alarm.log" 2>&1 & ALM=$!
active() { echo "SELECT count(*) FROM heat.alarm WHERE active AND kind = 'system' AND rule_code = '$1' AND source = '$2'"; }
eventually "$(active system:disk "$HOST:/")" 1 >/dev/null &&
  ok "disk above alarm.disk_max_pct 1 raised system:disk for $HOST:/" || fail "no system:disk: $(tail -3 "$TMP/alarm.log")"
eventually "$(active system:daemon "heatd-control@$HOST:$DEAD_METRICS")" 1 >/dev/null &&
  ok "the dead metrics address raised system:daemon" || fail "no system:daemon: $(sql "SELECT rule_code, source FROM heat.alarm")"
eventually "$(active system:node "127.0.0.1:$DEAD_PG")" 1 >/dev/null &&
  ok "the dead host raised system:node" || fail "no system:node"
[ "$(sql "$(active system:daemon "heatd-ingest@$HOST:$ING_METRICS")")" = 0 ] && ok "the ready heatd-ingest raised nothing" ||
  fail "system:daemon for a ready heatd-ingest"
[ "$(sql "SELECT count(*) FROM heat.alarm WHERE source LIKE 'heatd-alarm@%'")" = 0 ] && ok "heatd-alarm does not check itself" ||
  fail "heatd-alarm raised an alarm on itself"
sql "SELECT message FROM heat.alarm WHERE rule_code = 'system:disk' AND source = '$HOST:/' AND active" >"$TMP/msg"
expect_in "$TMP/msg" "^$HOST: the filesystem of / \(/\) is [0-9.]+ % full, above alarm.disk_max_pct 1 %" "the message names the figure and the limit"
sleep 2
[ "$(sql "SELECT count(*) FROM heat.alarm WHERE rule_code = 'system:disk' AND source = '$HOST:/'")" = 1 ] &&
  ok "checked again and again: still one alarm" || fail "the disk alarm was raised more than once"

env PGUSER=op_$$ heatctl alarm list >"$TMP/list"
expect_in "$TMP/list" "system:disk" "an operator sees the system alarms in heatctl alarm list"
id=$(sql "SELECT id FROM heat.alarm WHERE rule_code = 'system:disk' AND source = '$HOST:/' AND active")
expect_exit 0 "an operator acknowledges a system alarm" env PGUSER=op_$$ heatctl alarm ack "$id"

system_yaml "$SVC" 99 >"$TMP/alarm.yaml"
kill -HUP $ALM
eventually "$(active system:disk "$HOST:/")" 0 >/dev/null &&
  ok "alarm.disk_max_pct 99 and SIGHUP: system:disk cleared" || fail "system:disk not cleared: $(tail -3 "$TMP/alarm.log")"
[ "$(sql "SELECT string_agg(what, ',' ORDER BY e.id) FROM heat.alarm_event e WHERE alarm_id = $id")" = "raise,ack,clear" ] &&
  ok "its transitions: raise, ack, clear" || fail "transitions: $(sql "SELECT what FROM heat.alarm_event WHERE alarm_id = $id")"
[ "$(sql "$(active system:daemon "heatd-control@$HOST:$DEAD_METRICS")")" = 1 ] &&
  ok "the daemon alarm stays while the address is dead" || fail "the daemon alarm cleared although the address is dead"
kill $ALM; wait $ALM 2>/dev/null || true; ALM=
finish
