#!/usr/bin/env bash
# heatd-control against a real mosquitto and heatd-ingest (CTL-1, DEV-3,
# DEV-4, SYS-2). The control box is played from the shell with
# mosquitto_sub/pub, so each answer (or silence) is the test's choice:
#  - a person's hold is sent as an MQTT cmd, answered, and applied with the
#    box's applied value (heatctl control history);
#  - a box that never answers gets the same id again, then the command
#    times out and the log says so;
#  - a valve that acknowledges but whose feedback stays put is
#    not_following, logged;
#  - the closed loop commands an enabled station, and stops commanding
#    while the station reports local manual;
#  - an operator of another branch cannot command the station.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
MPORT=$(free_port)
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: HQ, name: 公司}, {code: OTHER, name: 别处}]
stations: [{code: C1, name: 站, org: HQ}, {code: C2, name: 无数据站, org: HQ}]
devices:
  - {code: C2-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: C2, points: [{tag: t2s}, {tag: v1}]}
  - {code: C1-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: C1,
     points: [{tag: t2s}, {tag: t2r}, {tag: v1}, {tag: v1_set}, {tag: tout}, {tag: manual}, {tag: pump1_hz}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
start_mosquitto
ingest_config control-test "modbus_enabled: false" "coap_enabled: false" \
  "mqtt_uri: tcp://127.0.0.1:$MPORT" "mqtt_client_id: ctl-ingest-$$" >"$TMP/heat.yaml"
cat >>"$TMP/heat.yaml" <<YAML
control:
  mqtt_uri: tcp://127.0.0.1:$MPORT
  mqtt_client_id: ctl-$$
  refresh: 1s
  ack_timeout: 1s
  retries: 2
  follow_margin: 1s
YAML
heatd-ingest --config "$TMP/heat.yaml" >"$TMP/ingest.log" 2>&1 & ING=$!
mosquitto_sub -p "$MPORT" -q 1 -v -t 'heat/v1/+/cmd' >"$TMP/cmds" 2>/dev/null & SUB=$!
heatd-control --config "$TMP/heat.yaml" >"$TMP/control.log" 2>&1 & CTL=$!
trap 'kill $CTL $ING $SUB $MOS 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
heatctl user add cop_$$ --role heat_operator --org HQ >/dev/null
heatctl user add ceng_$$ --role heat_engineer --org HQ >/dev/null
heatctl user add cother_$$ --role heat_operator --org OTHER >/dev/null
pub() { mosquitto_pub -p "$MPORT" -q 1 -t "heat/v1/C1/$1" -m "$2"; }
telemetry() { pub telemetry "{\"ts\":$(date +%s%3N),\"v\":{$1}}"; }
# wait_for FILE PATTERN: up to 10 s
wait_for() { for _ in $(seq 100); do grep -qE -- "$2" "$1" && return 0; sleep 0.1; done; return 1; }
slow() {  # slow SQL WANT: like eventually, up to 15 s
  local got; for _ in $(seq 150); do got=$(sql "$1"); [ "$got" = "$2" ] && return 0; sleep 0.1; done; echo "$got"; return 1
}
state() { sql "SELECT state FROM heat.command WHERE id = $1"; }

# A person's hold: sent, answered, applied.
telemetry '"v1":20,"t2s":50,"manual":0'
PGUSER=cop_$$ heatctl control hold C1 v1=45 --until +1h >"$TMP/hold"
expect_in "$TMP/hold" "valve_pct held at 45, command c[0-9]+ queued" "an operator's hold is queued"
ID=$(grep -oE 'c[0-9]+' "$TMP/hold" | head -1); ID=${ID#c}
wait_for "$TMP/cmds" "\"id\":\"c$ID\"" && ok "the hold goes out on heat/v1/C1/cmd" ||
  fail "no cmd published: $(cat "$TMP/cmds") $(tail -3 "$TMP/control.log")"
expect_in "$TMP/cmds" "heat/v1/C1/cmd .*\"args\":\\{\"v1\":45(\\.0)?\\}.*\"op\":\"set_valve\"" "as set_valve v1=45"
pub cmd/ack "{\"id\":\"c$ID\",\"ok\":true,\"code\":0,\"msg\":\"\",\"applied\":{\"v1\":45.0}}"
slow "SELECT state || ' ' || (applied->>'v1')::float8 FROM heat.command WHERE id = $ID" "applied 45" >/dev/null &&
  ok "the box's answer marks it applied with the applied value" || fail "state: $(state $ID)"
PGUSER=cop_$$ heatctl control history C1 --format csv >"$TMP/hist"
expect_in "$TMP/hist" "^c$ID,.*,person,cop_$$,set_valve,.*applied" "heatctl control history shows who, what and the answer"

# The valve acknowledged but stays at 20 % (stuck): not_following.
PGUSER=ceng_$$ heatctl control set C1 valve_running_time_s=2 >/dev/null
for _ in 1 2 3 4 5; do sleep 1; telemetry '"v1":20'; done
slow "SELECT state FROM heat.command WHERE id = $ID" "not_following" >/dev/null &&
  ok "a valve whose feedback does not follow is not_following" || fail "state: $(state $ID)"
[ "$(sql "SELECT count(*) FROM heat.op_log WHERE action = 'valve_not_following' AND object_code = 'C1'")" = 1 ] &&
  ok "and the log says so" || fail "no valve_not_following entry"

# Silence: resent with the same id, then timeout.
PGUSER=cop_$$ heatctl pump C1 38Hz >"$TMP/pump"
PID=$(grep -oE 'c[0-9]+' "$TMP/pump" | head -1); PID=${PID#c}
slow "SELECT state || ' ' || attempts FROM heat.command WHERE id = $PID" "timeout 3" >/dev/null &&
  ok "an unanswered command is sent 3 times (1 + 2 retries) and times out" ||
  fail "state: $(sql "SELECT state || ' ' || attempts FROM heat.command WHERE id = $PID")"
[ "$(grep -c "\"id\":\"c$PID\"" "$TMP/cmds")" -ge 3 ] && ok "the same id each time" ||
  fail "published $(grep -c "\"id\":\"c$PID\"" "$TMP/cmds") times"
[ "$(sql "SELECT count(*) FROM heat.op_log WHERE action = 'command_timeout' AND object_code = 'C1'")" = 1 ] &&
  ok "the timeout is logged" || fail "no command_timeout entry"
PGUSER=cop_$$ heatctl control release C1 >/dev/null

# The closed loop: constant supply 60 °C at t2s 50 °C opens the valve.
expect_exit 4 "an operator cannot switch the loop on" env PGUSER=cop_$$ heatctl control set C1 --enable
PGUSER=ceng_$$ heatctl control set C1 --enable --period 5 valve=constant_supply supply_c=60 >/dev/null
PGUSER=ceng_$$ heatctl control set C2 --enable --period 5 valve=constant_supply supply_c=60 >/dev/null
telemetry '"v1":20,"t2s":50,"t2r":40,"tout":-10,"manual":0'
slow "SELECT count(*) > 0 FROM heat.command WHERE origin = 'control' AND op = 'set_valve'" "t" >/dev/null &&
  ok "the closed loop sends its valve setpoint" || fail "no control command: $(tail -3 "$TMP/control.log")"
expect_in "$TMP/cmds" "\"op\":\"set_pump\"" "and its pump command"
[ "$(sql "SELECT count(*) FROM heat.command c JOIN heat.station s ON s.id = c.station_id WHERE s.code = 'C2'")" = 0 ] &&
  ok "a station with no valve feedback is not commanded (a loop never starts blind)" ||
  fail "C2 was commanded: $(sql "SELECT string_agg(args::text, ' ') FROM heat.command c JOIN heat.station s ON s.id = c.station_id WHERE s.code = 'C2'")"
# Local manual: the loop stops commanding.
telemetry '"v1":20,"t2s":40,"t2r":35,"tout":-10,"manual":1'
sleep 1
before=$(sql "SELECT count(*) FROM heat.command WHERE origin = 'control'")
for _ in $(seq 7); do sleep 1; telemetry '"v1":20,"t2s":40,"t2r":35,"tout":-10,"manual":1'; done
[ "$(sql "SELECT count(*) FROM heat.command WHERE origin = 'control'")" = "$before" ] &&
  ok "in local manual the loop sends nothing (t2s far below its setpoint for 7 s)" ||
  fail "commands in manual: $(sql "SELECT string_agg(args::text, ' ') FROM heat.command WHERE origin = 'control'")"

# Scope: an operator of another branch is told there is no such station.
expect_exit 3 "an operator of another branch cannot hold C1" env PGUSER=cother_$$ heatctl valve C1 30%
kill -TERM $CTL; wait $CTL && ok "SIGTERM: clean exit" || fail "exit $?"
finish
