#!/usr/bin/env bash
# Faults of the physical model raised by the right rules (ALM-1, ALM-2):
# heatsim run plays four stations over MQTT with a fault each — F1's
# circulation pump trips, F2's control valve sticks, F3 leaks, F4's heat
# meter stops counting — through heatd-ingest; heatd-control commands F2's
# valve and finds it not following; heatd-alarm raises:
#   F1 pump_fault (state bit), F2 valve_nf (not_following),
#   F3 makeup_high (rate of make-up water), F4 q1_frozen (frozen value),
# and none of these rules at a station without its fault; and F5's PLC,
# polled over Modbus, raises a limit on its own tag.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
MPORT=$(free_port)
PLCPORT=$(free_port)
box='[{tag: t1s}, {tag: t1r}, {tag: t2s}, {tag: t2r}, {tag: f1}, {tag: pw1}, {tag: q1}, {tag: v1}, {tag: v1_set}, {tag: manual}, {tag: pump1_hz}, {tag: pump1_fault}, {tag: tout}, {tag: p2s}, {tag: p2r}, {tag: mw_m3}]'
{
  echo "org_units: [{code: HQ, name: 公司}]"
  cat <<YAML
register_maps:
  - code: HZ
    name: 高区
    registers:
      - {tag: t2s_h, table: input, addr: 0, type: i16, scale: 0.1}
      - {tag: t2r_h, table: input, addr: 1, type: i16, scale: 0.1}
      - {tag: v2, table: input, addr: 10, type: f32, word_order: CDAB}
    scan_groups: [{name: fast, period_s: 1, tags: [t2s_h, t2r_h, v2]}]
YAML
  echo "stations:"
  for s in F1 F2 F3 F4 F5; do echo "  - {code: $s, name: 站$s, org: HQ, heating_area_m2: 50000}"; done
  echo "devices:"
  for s in F1 F2 F3 F4; do echo "  - {code: $s-CB, name: 箱, kind: control_box, protocol: mqtt, station: $s, points: $box}"; done
  echo "  - {code: F5-PLC, name: PLC, kind: plc, protocol: modbus_tcp, address: \"127.0.0.1:$PLCPORT/1\", station: F5,"
  echo "     register_map: HZ, points: [{tag: t2s_h}, {tag: t2r_h}, {tag: v2}]}"
} >"$TMP/net.yaml"
heatctl import "$TMP/net.yaml" >/dev/null
start_mosquitto
ingest_config sim-alarm "coap_enabled: false" "mqtt_uri: tcp://127.0.0.1:$MPORT" \
  "mqtt_client_id: sa-ingest-$$" "modbus_timeout_ms: 500" >"$TMP/heat.yaml"
cat >>"$TMP/heat.yaml" <<YAML
control:
  mqtt_uri: tcp://127.0.0.1:$MPORT
  mqtt_client_id: sa-ctl-$$
  refresh: 1s
  ack_timeout: 3s
  follow_margin: 2s
alarm:
  refresh: 1s
YAML
heatctl alarm rule set pump_fault kind=state tag=pump1_fault limit=1 priority=1 >/dev/null
heatctl alarm rule set valve_nf kind=not_following priority=2 >/dev/null
# The model runs 10 times faster than the readings' clock: the make-up
# pump's 2 m³/h is 0.33 m³ a minute of the readings' time.
heatctl alarm rule set makeup_high kind=rate tag=mw_m3 limit=0.05 off_delay=30s priority=2 >/dev/null
heatctl alarm rule set q1_frozen kind=frozen tag=q1 count=6 priority=3 >/dev/null
# Over Modbus: any supply of the PLC's high zone above 10 °C.
heatctl alarm rule set t2sh_high kind=high tag=t2s_h limit=10 priority=3 >/dev/null
heatd-ingest --config "$TMP/heat.yaml" >"$TMP/ingest.log" 2>&1 & ING=$!
heatd-alarm --config "$TMP/heat.yaml" >"$TMP/alarm.log" 2>&1 & ALM=$!
sleep 0.5
heatsim run --mqtt "tcp://127.0.0.1:$MPORT" --coap-port 0 --speed 10 --period-ms 500 --seed 5 \
  --fault F1:pump_trip --fault F2:valve_stuck --fault F3:leak --fault F4:frozen_q1 >"$TMP/run.out" 2>"$TMP/run.err" & SIM=$!
heatd-control --config "$TMP/heat.yaml" >"$TMP/control.log" 2>&1 & CTL=$!
trap 'kill $SIM $CTL $ALM $ING $MOS 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
eventually "SELECT count(DISTINCT p.code) FROM heat.latest l JOIN heat.point p ON p.id = l.point_id WHERE p.tag = 'v1'" 4 ||
  fail "no telemetry: $(tail -3 "$TMP/run.err")"
heatctl control set F2 valve_running_time_s=3 >/dev/null
heatctl valve F2 20% --until +10m >/dev/null
raised() {  # raised RULE STATION: up to 90 s
  for _ in $(seq 900); do
    [ "$(sql "SELECT count(*) FROM heat.alarm a JOIN heat.station s ON s.id = a.station_id
              WHERE a.rule_code = '$1' AND s.code = '$2'")" -ge 1 ] && return 0
    sleep 0.1
  done
  return 1
}
raised pump_fault F1 && ok "F1's tripped pump: pump_fault" || fail "no pump_fault at F1"
raised valve_nf F2 && ok "F2's stuck valve, commanded and not following: valve_nf" ||
  fail "no valve_nf at F2: $(sql "SELECT state FROM heat.command c JOIN heat.station s ON s.id = c.station_id WHERE s.code = 'F2'")"
raised makeup_high F3 && ok "F3's leak, the make-up pump running: makeup_high" || fail "no makeup_high at F3"
raised q1_frozen F4 && ok "F4's heat meter stopped counting: q1_frozen" || fail "no q1_frozen at F4"
raised t2sh_high F5 && ok "F5's PLC polled over Modbus: t2sh_high" || fail "no t2sh_high at F5: $(tail -3 "$TMP/ingest.log")"
sql "SELECT s.code || ' ' || a.rule_code FROM heat.alarm a JOIN heat.station s ON s.id = a.station_id ORDER BY 1" >"$TMP/all"
for wrong in "F[234] pump_fault" "F[134] valve_nf" "F[124] makeup_high" "F[23] q1_frozen"; do
  grep -qE "^$wrong$" "$TMP/all" && fail "raised where its fault is not: $(grep -E "^$wrong$" "$TMP/all" | head -1)" ||
    ok "no ${wrong#* } where its fault is not"
done
kill -TERM $ALM; wait $ALM && ok "heatd-alarm: clean exit" || fail "heatd-alarm exit $?"
finish
