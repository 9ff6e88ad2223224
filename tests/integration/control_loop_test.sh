#!/usr/bin/env bash
# The closed loop, for real (CTL-1, CTL-2, DEV-3, DEV-4): heatd-control
# against heatsim run's physical stations, over a real mosquitto (boxes)
# and Modbus TCP (a PLC), with heatd-ingest storing what they send:
#  - a supply setpoint on a box station brings the simulated t2s to it
#    within ±1 °C, and a changed setpoint moves it again;
#  - the same over Modbus: a PLC-only station's high-zone loop, written
#    and read back, its t2s_h at the setpoint;
#  - a stuck valve acknowledges, does not move, and is reported as not
#    following;
#  - a station in local forced manual gets no command from its loop, and
#    a person's command is refused by the box (code 3).
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
MPORT=$(free_port)
PLCPORT=$(free_port)
box='[{tag: t1s}, {tag: t1r}, {tag: t2s}, {tag: t2r}, {tag: f1}, {tag: pw1}, {tag: v1}, {tag: v1_set}, {tag: manual}, {tag: pump1_hz}, {tag: tout}, {tag: p2s}, {tag: p2r}]'
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: HQ, name: 公司}]
register_maps:
  - code: HZ
    name: 高区
    registers:
      - {tag: t2s_h, table: input, addr: 0, type: i16, scale: 0.1}
      - {tag: t2r_h, table: input, addr: 1, type: i16, scale: 0.1}
      - {tag: v2, table: input, addr: 10, type: f32, word_order: CDAB}
      - {tag: v2_set, table: holding, addr: 100, type: f32, word_order: CDAB, writable: true}
      - {tag: pump2_hz, table: holding, addr: 102, type: u16, scale: 0.01, writable: true}
      - {tag: pump2_run, table: coil, addr: 0, writable: true}
    scan_groups: [{name: fast, period_s: 1, tags: [t2s_h, t2r_h, v2]}]
stations:
  - {code: K1, name: 甲, org: HQ, heating_area_m2: 60000, design_supply_c: 110, design_return_c: 60, design_flow_m3h: 51.6}
  - {code: K2, name: 乙, org: HQ, heating_area_m2: 40000}
  - {code: K3, name: 丙, org: HQ}
  - {code: K4, name: 丁, org: HQ, heating_area_m2: 30000}
devices:
  - {code: K1-CB, name: 箱, kind: control_box, protocol: mqtt, station: K1, points: $box}
  - {code: K2-CB, name: 箱, kind: control_box, protocol: mqtt, station: K2, points: $box}
  - {code: K3-CB, name: 箱, kind: control_box, protocol: mqtt, station: K3, points: $box}
  - {code: K4-PLC, name: PLC, kind: plc, protocol: modbus_tcp, address: "127.0.0.1:$PLCPORT/1", station: K4,
     register_map: HZ, points: [{tag: t2s_h}, {tag: t2r_h}, {tag: v2}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
start_mosquitto
ingest_config loop-test "coap_enabled: false" "mqtt_uri: tcp://127.0.0.1:$MPORT" \
  "mqtt_client_id: loop-ingest-$$" "modbus_timeout_ms: 500" >"$TMP/heat.yaml"
cat >>"$TMP/heat.yaml" <<YAML
control:
  mqtt_uri: tcp://127.0.0.1:$MPORT
  mqtt_client_id: loop-ctl-$$
  refresh: 1s
  ack_timeout: 3s
  follow_margin: 2s
YAML
heatd-ingest --config "$TMP/heat.yaml" >"$TMP/ingest.log" 2>&1 & ING=$!
# Speed 5: a control step every 5 s is 25 s of the model; the valve's
# 120 s stroke takes 24 s of wall clock.
heatsim run --mqtt "tcp://127.0.0.1:$MPORT" --coap-port 0 --speed 5 --period-ms 500 --seed 3 \
  --fault K2:valve_stuck --manual K3 >"$TMP/run.out" 2>"$TMP/run.err" & SIM=$!
heatd-control --config "$TMP/heat.yaml" >"$TMP/control.log" 2>&1 & CTL=$!
trap 'kill $CTL $SIM $ING $MOS 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
latest() { sql "SELECT round(value::numeric, 2) FROM heat.latest l JOIN heat.point p ON p.id = l.point_id WHERE p.code = '$1'"; }
# settles POINT WANT SECONDS: the latest value within ±1 of WANT, and
# still there 5 s later (not a swing through it).
settles() {
  local got
  for _ in $(seq "$3"); do
    got=$(latest "$1")
    if python3 -c "import sys; sys.exit(0 if abs(float('${got:-nan}') - $2) <= 1 else 1)"; then
      sleep 5; got=$(latest "$1")
      python3 -c "import sys; sys.exit(0 if abs(float('${got:-nan}') - $2) <= 1 else 1)" && return 0
    fi
    sleep 1
  done
  echo "$got"; return 1
}
eventually "SELECT count(*) FROM heat.latest l JOIN heat.point p ON p.id = l.point_id WHERE p.code IN ('K1.t2s', 'K4.t2s_h')" 2 \
  >/dev/null || fail "no telemetry: $(tail -3 "$TMP/run.err") $(tail -3 "$TMP/ingest.log")"
start=$(latest K1.t2s)

# Over MQTT: constant supply at 10 °C below where it runs, then 6 °C up.
# The default valve PI gain (kp 0.8); its integral is shortened to the
# test's 5 s steps.
want=$(python3 -c "print(round($start - 10))")
heatctl control set K1 --enable --period 5 valve=constant_supply "supply_c=$want" setpoint_rate_c_per_h=0 valve_pi.ti_s=15 >/dev/null
settles K1.t2s "$want" 200 >"$TMP/got" && ok "K1: t2s from $start to the setpoint $want ±1 °C (MQTT box)" ||
  fail "K1: t2s $(cat "$TMP/got"), setpoint $want; $(tail -3 "$TMP/control.log")"
want2=$((want + 6))
heatctl control set K1 "supply_c=$want2" >/dev/null
settles K1.t2s "$want2" 200 >"$TMP/got" && ok "K1: a new setpoint $want2 is reached too" ||
  fail "K1: t2s $(cat "$TMP/got"), setpoint $want2"
[ "$(sql "SELECT count(*) FROM heat.command c JOIN heat.station s ON s.id = c.station_id
          WHERE s.code = 'K1' AND c.origin = 'control' AND c.state = 'applied'")" -gt 2 ] &&
  ok "K1: the loop's commands were answered and applied" ||
  fail "K1 commands: $(sql "SELECT string_agg(state, ',') FROM heat.command")"

# Over Modbus: the PLC's high zone, its own tags.
start4=$(latest K4.t2s_h)
want4=$(python3 -c "print(round($start4 - 8))")
heatctl control set K4 --enable --period 5 valve=constant_supply "supply_c=$want4" setpoint_rate_c_per_h=0 valve_pi.ti_s=15 \
  'tags={"t2s": "t2s_h", "t2r": "t2r_h", "valve": "v2", "pump": "pump2"}' >/dev/null
settles K4.t2s_h "$want4" 200 >"$TMP/got" && ok "K4: t2s_h from $start4 to $want4 ±1 °C (Modbus PLC)" ||
  fail "K4: t2s_h $(cat "$TMP/got"), setpoint $want4; $(tail -3 "$TMP/control.log")"
[ "$(sql "SELECT count(*) FROM heat.command c JOIN heat.station s ON s.id = c.station_id
          WHERE s.code = 'K4' AND c.state = 'applied' AND c.applied ? 'v2'")" -gt 0 ] &&
  ok "K4: written and read back (applied v2)" || fail "K4 commands: $(sql "SELECT string_agg(state || ' ' || coalesce(msg, ''), ',') FROM heat.command c JOIN heat.station s ON s.id = c.station_id WHERE s.code = 'K4'")"

# A stuck valve: acknowledged, does not move, reported.
heatctl control set K2 valve_running_time_s=5 >/dev/null
heatctl valve K2 20% >"$TMP/k2"
ID=$(grep -oE 'c[0-9]+' "$TMP/k2" | head -1); ID=${ID#c}
eventually "SELECT state FROM heat.command WHERE id = $ID" applied >/dev/null ||
  eventually "SELECT state FROM heat.command WHERE id = $ID" not_following >/dev/null
for _ in $(seq 30); do [ "$(sql "SELECT state FROM heat.command WHERE id = $ID")" = not_following ] && break; sleep 1; done
[ "$(sql "SELECT state FROM heat.command WHERE id = $ID")" = not_following ] &&
  ok "K2: the stuck valve acknowledged 20 % and is reported not following ($(latest K2.v1) %)" ||
  fail "K2: state $(sql "SELECT state FROM heat.command WHERE id = $ID"), v1 $(latest K2.v1)"
[ "$(sql "SELECT count(*) FROM heat.op_log WHERE action = 'valve_not_following' AND object_code = 'K2'")" -ge 1 ] &&
  ok "K2: logged" || fail "K2: not logged"

# Local forced manual: the loop sends nothing; a person's command is refused by the box.
heatctl control set K3 --enable --period 5 valve=constant_supply supply_c=40 >/dev/null
sleep 12
[ "$(sql "SELECT count(*) FROM heat.command c JOIN heat.station s ON s.id = c.station_id
          WHERE s.code = 'K3' AND c.origin = 'control'")" = 0 ] &&
  ok "K3: in local manual the loop commands nothing" || fail "K3: the loop sent commands in manual"
heatctl valve K3 50% >"$TMP/k3"
ID=$(grep -oE 'c[0-9]+' "$TMP/k3" | head -1); ID=${ID#c}
for _ in $(seq 50); do [ "$(sql "SELECT state FROM heat.command WHERE id = $ID")" = refused ] && break; sleep 0.2; done
[ "$(sql "SELECT state || ' ' || code FROM heat.command WHERE id = $ID")" = "refused 3" ] &&
  ok "K3: a person's command is refused by the box in manual (code 3)" ||
  fail "K3: $(sql "SELECT state || ' ' || coalesce(code::text, '') FROM heat.command WHERE id = $ID")"
kill -TERM $CTL; wait $CTL && ok "heatd-control: SIGTERM, clean exit" || fail "exit $?"
finish
