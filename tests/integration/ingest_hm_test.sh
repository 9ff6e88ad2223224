#!/usr/bin/env bash
# Heat meters over CoAP (DEV-2): POST /hm with real CJ/T 188 and M-Bus
# frames (made by heatsim frame), read back on the right points with the
# right values and times; replays stored once, unknown meters counted, a
# bad checksum refused with nothing stored, monthly records derived.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
PORT=$(free_port udp)
CJT=78330011223344 MBUS=06855817
points="[{tag: heat, unit: GJ}, {tag: volume, unit: m³}, {tag: power, unit: kW}, {tag: flow, unit: m³/h},
         {tag: t_sup, unit: °C}, {tag: t_ret, unit: °C}, {tag: hours, unit: h}]"
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: HQ, name: 公司}]
stations: [{code: R1, name: 站, org: HQ}]
buildings: [{code: R1-B1, name: 1号楼, station: R1}]
devices:
  - {code: HM1, name: 热表1, kind: heat_meter, protocol: cjt188, address: "$CJT", building: R1-B1, points: $points}
  - {code: HM2, name: 热表2, kind: heat_meter, protocol: mbus, address: "$MBUS", building: R1-B1, points: $points}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
ingest_config hm-test "mqtt_enabled: false" "modbus_enabled: false" "coap_bind: 127.0.0.1" \
  "coap_port: $PORT" >"$TMP/heat.yaml"
heatd-ingest --config "$TMP/heat.yaml" >"$TMP/ingest.log" 2>&1 & ING=$!
trap 'kill $ING 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
sleep 1
now=$(date +%s)
heatsim frame cjt188 $CJT --index 0 --time "$now" >"$TMP/cjt.bin"
heatsim frame cjt188 $CJT --index 0 --time "$now" --values >"$TMP/cjt.json"
heatsim frame mbus $MBUS --index 1 --time "$now" >"$TMP/mbus.bin"
heatsim frame mbus $MBUS --index 1 --time "$now" --values >"$TMP/mbus.json"
post() { coap-client-notls -m post -t 42 -B 5 -f "$1" "coap://127.0.0.1:$PORT/hm" 2>&1; }
count() { sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id
               JOIN heat.device d ON d.id = p.device_id WHERE d.code = '$1'"; }
# check_values DEVICE JSON CLOCK: every tag of the frame on its point, at the meter's clock.
check_values() {
  sql "SELECT p.tag, r.value, extract(epoch FROM r.ts)::bigint FROM heat.reading r
       JOIN heat.point p ON p.id = r.point_id JOIN heat.device d ON d.id = p.device_id
       WHERE d.code = '$1' ORDER BY p.tag" >"$TMP/got"
  python3 - "$2" "$3" "$TMP/got" <<'PY'
import json, sys
want = json.load(open(sys.argv[1])); want["heat"] = want["heat_gj"]
clock, bad, seen = int(sys.argv[2]), [], set()
for line in open(sys.argv[3]):
    tag, value, ts = line.strip().split("|")
    seen.add(tag)
    if abs(float(value) - want[tag]) > 1e-9 or int(ts) != clock:
        bad.append(f"{tag}={value}@{ts}, want {want[tag]}@{clock}")
missing = {"heat", "volume", "power", "flow", "t_sup", "t_ret", "hours"} - seen
sys.exit(f"wrong: {bad}, missing: {sorted(missing)}" if bad or missing else 0)
PY
}
post "$TMP/cjt.bin" >"$TMP/reply"
if grep -qE '^[45]\.' "$TMP/reply"; then fail "cjt188 frame refused: $(cat "$TMP/reply")"; fi
check_values HM1 "$TMP/cjt.json" "$now" && ok "CJ/T 188 frame: 7 readings on the meter's points, at its clock" ||
  fail "CJ/T 188 readings: $(cat "$TMP/got")"
post "$TMP/mbus.bin" >"$TMP/reply"
if grep -qE '^[45]\.' "$TMP/reply"; then fail "mbus frame refused: $(cat "$TMP/reply")"; fi
check_values HM2 "$TMP/mbus.json" "$((now - now % 60))" && ok "M-Bus frame: 7 readings, at its clock (to the minute)" ||
  fail "M-Bus readings: $(cat "$TMP/got")"
heatsim frame cjt188 11111111111111 --time "$now" >"$TMP/unknown.bin"
post "$TMP/unknown.bin" >"$TMP/unknown"
expect_in "$TMP/unknown" "4.04" "a frame from an unknown meter gets 4.04"
post "$TMP/cjt.bin" >/dev/null
post "$TMP/mbus.bin" >/dev/null
[ "$(count HM1) $(count HM2)" = "7 7" ] && ok "replayed frames are stored once" || fail "replay: $(count HM1) $(count HM2)"
# Unknown keys are written within about a second (with device marks).
eventually "SELECT count FROM heat.ingest_unknown WHERE source = 'coap-hm' AND key = '11111111111111'" 1 >/dev/null &&
  ok "unknown meter address counted in heat.ingest_unknown" || fail "unknown: $(sql 'TABLE heat.ingest_unknown')"
heatsim frame cjt188 $CJT --time "$((now + 5))" >"$TMP/later.bin"
python3 -c "import sys; b = bytearray(open(sys.argv[1], 'rb').read()); b[-2] ^= 0x01; open(sys.argv[2], 'wb').write(b)" \
  "$TMP/later.bin" "$TMP/badsum.bin"
post "$TMP/badsum.bin" >"$TMP/badsum"
expect_in "$TMP/badsum" "4.00" "a frame with a bad checksum gets 4.00"
expect_in "$TMP/badsum" "checksum" "... and the reason names the checksum"
[ "$(count HM1)" = 7 ] && ok "the bad frame stored nothing" || fail "bad frame stored: $(count HM1)"
sql "SELECT heat.refresh_meter_months(current_date)" >/dev/null
sql "SELECT d.code, round(m.heat_end_gj::numeric, 6), round(m.volume_end_m3::numeric, 2), m.readings
     FROM heat.meter_month m JOIN heat.device d ON d.id = m.device_id ORDER BY d.code" >"$TMP/months"
want=$(python3 -c "import json
for c, f in (('HM1', '$TMP/cjt.json'), ('HM2', '$TMP/mbus.json')):
    j = json.load(open(f)); print(f\"{c}|{j['heat_gj']:.6f}|{j['volume']:.2f}|1\")")
[ "$(cat "$TMP/months")" = "$want" ] && ok "heat.meter_month has this month's row for each meter" ||
  fail "meter_month: $(cat "$TMP/months"), want $want"
kill -TERM $ING; wait $ING && ok "SIGTERM: clean exit" || fail "exit $?"
finish
