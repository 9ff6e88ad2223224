#!/usr/bin/env bash
# heatsim run (CTL-1, DEV-3, DEV-4): the physical model over MQTT, Modbus
# TCP and CoAP, through a real mosquitto and heatd-ingest into the private
# PostgreSQL. Telemetry is stored and physically consistent (the heat the
# primary gives, pw1, is the heat the secondary carries, 1.163·f2·(t2s −
# t2r), within 2 % over a window); commands are answered on cmd/ack with
# the value applied and the valve feedback follows at its stroke time; a
# stuck valve acknowledges but does not move; forced manual answers 3;
# a Modbus write of v2_set reads back clamped and v2 follows; room
# sensors upload over CoAP; SIGTERM leaves the boxes "offline".
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
CPORT=$(free_port udp)
MPORT=$(free_port)
PLCPORT=$(free_port)
box_points='[{tag: t1s}, {tag: t1r}, {tag: t2s}, {tag: t2r}, {tag: f1}, {tag: f2}, {tag: pw1}, {tag: v1}, {tag: v1_set}, {tag: manual}, {tag: pump1_hz}]'
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: HQ, name: 公司}]
register_maps:
  - code: HZ
    name: 高区
    registers:
      - {tag: t2s_h, table: input, addr: 0, type: i16, scale: 0.1}
      - {tag: v2, table: input, addr: 10, type: f32, word_order: CDAB}
      - {tag: v2_set, table: holding, addr: 100, type: f32, word_order: CDAB, writable: true}
      - {tag: pump2_hz, table: holding, addr: 102, type: u16, scale: 0.01, writable: true}
      - {tag: pump2_run, table: coil, addr: 0, writable: true}
    scan_groups: [{name: fast, period_s: 5, tags: [t2s_h, v2]}]
stations:
  - {code: A1, name: 甲, org: HQ, heating_area_m2: 60000, design_supply_c: 110, design_return_c: 60, design_flow_m3h: 51.6}
  - {code: A2, name: 乙, org: HQ, heating_area_m2: 40000}
  - {code: A3, name: 丙, org: HQ}
buildings:
  - {code: A1-B1, name: 1号楼, station: A1, area_m2: 20000}
  - {code: A1-B2, name: 2号楼, station: A1, area_m2: 20000}
devices:
  - {code: A1-CB, name: 箱, kind: control_box, protocol: mqtt, station: A1, points: $box_points}
  - {code: A2-CB, name: 箱, kind: control_box, protocol: mqtt, station: A2, points: $box_points}
  - {code: A3-CB, name: 箱, kind: control_box, protocol: mqtt, station: A3, points: $box_points}
  - {code: A1-PLC, name: 高区PLC, kind: plc, protocol: modbus_tcp, address: "127.0.0.1:$PLCPORT/1", station: A1,
     register_map: HZ, points: [{tag: t2s_h}, {tag: v2}]}
  - {code: A1-RS, name: 室温, kind: room_sensor, protocol: coap, address: "861234567890123", building: A1-B1,
     settings: {upload_s: 60, sample_s: 20}, points: [{tag: temp, unit: °C}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
start_mosquitto
ingest_config run-test "modbus_enabled: false" "coap_bind: 127.0.0.1" "coap_port: $CPORT" \
  "mqtt_uri: tcp://127.0.0.1:$MPORT" "mqtt_client_id: run-test-$$" >"$TMP/heat.yaml"
heatd-ingest --config "$TMP/heat.yaml" >"$TMP/ingest.log" 2>&1 & ING=$!
sleep 0.5
mosquitto_sub -p "$MPORT" -q 1 -t 'heat/v1/+/cmd/ack' -v >"$TMP/acks" 2>&1 & SUB=$!
# Speed 20: the valve's 120 s stroke takes 6 s of wall clock.
heatsim run --mqtt "tcp://127.0.0.1:$MPORT" --coap-port "$CPORT" --speed 20 --period-ms 500 --seed 7 \
  --fault A2:valve_stuck --manual A3 >"$TMP/run.out" 2>"$TMP/run.err" & SIM=$!
trap 'kill $SIM $SUB $ING $MOS 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT

latest() { sql "SELECT round(value::numeric, 2) FROM heat.latest l JOIN heat.point p ON p.id = l.point_id WHERE p.code = '$1'"; }
readings() { sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.code = '$1'"; }
cmd() { mosquitto_pub -p "$MPORT" -q 1 -t "heat/v1/$1/cmd" -m "$2"; }
# ack ID: the answer to command ID (waits up to 5 s)
ack() {
  for _ in $(seq 50); do grep -q "\"id\":\"$1\"" "$TMP/acks" && break; sleep 0.1; done
  grep "\"id\":\"$1\"" "$TMP/acks" | tail -1 | cut -d' ' -f2-
}
# settles TAG WANT SECONDS: polls the latest value until it is WANT (±0.5)
settles() {
  local got
  for _ in $(seq $(($3 * 10))); do
    got=$(latest "$1")
    python3 -c "import sys; sys.exit(0 if abs(float('${got:-nan}') - $2) <= 0.5 else 1)" && return 0
    sleep 0.1
  done
  echo "$got"; return 1
}

for _ in $(seq 100); do [ "$(readings A1.pw1)" -ge 12 ] && break; sleep 0.1; done
[ "$(readings A1.pw1)" -ge 12 ] && ok "telemetry stored ($(readings A1.pw1) readings of A1.pw1)" ||
  fail "telemetry: $(readings A1.pw1) readings; $(tail -3 "$TMP/run.err")"
[ "$(sql "SELECT online FROM heat.device_status s JOIN heat.device d ON d.id = s.device_id WHERE d.code = 'A1-CB'")" = t ] &&
  ok "the box is online" || fail "device status: $(sql 'SELECT * FROM heat.device_status')"

# Energy balance over the readings so far: primary power against the
# secondary's heat from its flow and temperatures, message by message.
balance_sql="WITH v AS (SELECT r.ts, max(r.value) FILTER (WHERE p.tag = 'pw1') AS pw1,
    max(r.value) FILTER (WHERE p.tag = 'f2') AS f2, max(r.value) FILTER (WHERE p.tag = 't2s') AS t2s,
    max(r.value) FILTER (WHERE p.tag = 't2r') AS t2r, max(r.value) FILTER (WHERE p.tag = 'f1') AS f1,
    max(r.value) FILTER (WHERE p.tag = 't1s') AS t1s, max(r.value) FILTER (WHERE p.tag = 't1r') AS t1r
  FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.code LIKE 'A1.%' GROUP BY r.ts)
  SELECT round((100 * abs(sum(1.163 * f2 * (t2s - t2r)) - sum(pw1)) / sum(pw1))::numeric, 3) || ' '
      || round((100 * abs(sum(1.163 * f1 * (t1s - t1r)) - sum(pw1)) / sum(pw1))::numeric, 3) || ' '
      || round(avg(pw1)::numeric) || ' ' || count(*) FROM v"
balance=$(sql "$balance_sql")
read -r sec prim pw n <<<"$balance"
echo "energy balance over $n messages: secondary vs pw1 ${sec} %, primary vs pw1 ${prim} %, mean pw1 ${pw} kW"
python3 -c "import sys; sys.exit(0 if $sec < 2 and $prim < 2 and $pw > 100 else 1)" &&
  ok "energy balance across the exchanger within 2 % (secondary ${sec} %, primary ${prim} %)" ||
  fail "energy balance: $balance"

# set_valve: acknowledged with the value applied; the feedback follows.
[ "$(latest A1.v1)" = 80.00 ] && ok "the valve starts at 80 %" || fail "A1.v1 = $(latest A1.v1)"
cmd A1 '{"id": "c1", "op": "set_valve", "args": {"v1": 50}}'
expect_in <(ack c1) '"code":0.*"applied":\{"v1":50(\.0)?\}' "set_valve acknowledged with applied v1"
settles A1.v1 50 10 >/dev/null && ok "v1 follows the setpoint within the stroke time" || fail "A1.v1 = $(latest A1.v1)"
cmd A1 '{"id": "c2", "op": "set_valve", "args": {"v1": 120}}'
expect_in <(ack c2) '"applied":\{"v1":100(\.0)?\}' "a setpoint of 120 is applied as 100"
cmd A1 '{"id": "c1", "op": "set_valve", "args": {"v1": 50}}'
sleep 1
[ "$(grep -c '"id":"c1"' "$TMP/acks")" = 2 ] && ok "a repeated id is answered again" || fail "c1 answers: $(grep -c c1 "$TMP/acks")"
settles A1.v1_set 100 5 >/dev/null && ok "... and not applied again (v1_set stays 100)" || fail "A1.v1_set = $(latest A1.v1_set)"
cmd A1 '{"id": "c3", "op": "set_valve", "args": {"v1": 40}, "expires": 1000}'
expect_in <(ack c3) '"code":2' "an expired command answers 2"
cmd A1 '{"id": "c4", "op": "open_everything"}'
expect_in <(ack c4) '"code":1' "an unknown op answers 1"
cmd A1 'not json at all {{{'
cmd A1 '{"id": "c5", "op": "set_pump", "args": {"pump1_hz": 10}}'
expect_in <(ack c5) '"code":0.*"pump1_hz":20(\.0)?' "after junk the box still answers; 10 Hz is applied as the converter's 20"

# A stuck valve acknowledges but does not move; manual refuses.
cmd A2 '{"id": "s1", "op": "set_valve", "args": {"v1": 20}}'
expect_in <(ack s1) '"code":0.*"applied":\{"v1":20(\.0)?\}' "a stuck valve acknowledges"
sleep 4
[ "$(latest A2.v1)" = 80.00 ] && [ "$(latest A2.v1_set)" = 20.00 ] && ok "... but its feedback v1 stays at 80 (v1_set 20)" ||
  fail "stuck: v1 $(latest A2.v1) v1_set $(latest A2.v1_set)"
cmd A3 '{"id": "m1", "op": "set_valve", "args": {"v1": 20}}'
expect_in <(ack m1) '"code":3' "forced manual answers 3"
[ "$(latest A3.manual)" = 1.00 ] && ok "... and the box reports manual 1" || fail "A3.manual = $(latest A3.manual)"

# Modbus: v2_set written as f32 CDAB, read back clamped; v2 follows.
modbus() {
  python3 - "$PLCPORT" "$@" <<'PY'
import socket, struct, sys
port, op = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port), timeout=3)
def call(pdu):
    s.sendall(struct.pack(">HHHB", 1, 0, len(pdu) + 1, 1) + pdu)
    head = s.recv(7)
    return s.recv(struct.unpack(">HHHB", head)[2] - 1)
def f32(words):  # CDAB: low word first
    return struct.unpack(">f", struct.pack(">HH", words[1], words[0]))[0]
if op == "write":
    hi, lo = struct.unpack(">HH", struct.pack(">f", float(sys.argv[4])))
    r = call(struct.pack(">BHHB", 16, int(sys.argv[3]), 2, 4) + struct.pack(">HH", lo, hi))
    print("exception" if r[0] & 0x80 else "written")
else:
    fc = 3 if op == "holding" else 4
    r = call(struct.pack(">BHH", fc, int(sys.argv[3]), 2))
    print(round(f32(struct.unpack(">HH", r[2:6])), 2))
PY
}
v2_before=$(modbus input 10)
[ "$(modbus write 100 150)" = written ] && ok "Modbus write of v2_set answered" || fail "write refused"
[ "$(modbus holding 100)" = 100.0 ] && ok "v2_set reads back clamped to 100" || fail "v2_set = $(modbus holding 100)"
sleep 3
v2_after=$(modbus input 10)
python3 -c "import sys; sys.exit(0 if $v2_after > $v2_before + 5 else 1)" &&
  ok "v2 follows the written setpoint ($v2_before -> $v2_after %)" || fail "v2 $v2_before -> $v2_after"

# Room sensors over CoAP.
for _ in $(seq 50); do [ "$(readings A1-RS.temp)" -ge 1 ] && break; sleep 0.1; done
t=$(latest A1-RS.temp)
python3 -c "import sys; sys.exit(0 if 10 < ${t:-0} < 30 else 1)" && ok "room sensor upload stored ($t °C)" ||
  fail "room sensor: '$t'; $(grep -i coap "$TMP/run.err" | head -3)"

# Again over the whole run, the valve moves of the commands included.
read -r sec prim pw n <<<"$(sql "$balance_sql")"
echo "energy balance over the whole run, $n messages: secondary ${sec} %, primary ${prim} %"
python3 -c "import sys; sys.exit(0 if $sec < 2 and $prim < 2 else 1)" &&
  ok "energy balance within 2 % with the valve moving (secondary ${sec} %)" || fail "energy balance: $sec $prim"

kill -TERM $SIM
wait $SIM && ok "SIGTERM: clean exit" || fail "heatsim exit $?; $(tail -3 "$TMP/run.err")"
[ "$(mosquitto_sub -p "$MPORT" -t heat/v1/A1/status -C 1 -W 3)" = offline ] && ok "the box left 'offline' retained" ||
  fail "status not offline"
expect_in "$TMP/run.out" 'commands=[1-9]' "the report counts the commands"
finish
