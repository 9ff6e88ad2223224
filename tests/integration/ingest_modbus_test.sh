#!/usr/bin/env bash
# heatd-ingest polls Modbus TCP PLCs by scan group (DEV-4, MON-1): values
# land on the station's points; a PLC that stops answering holds nothing
# up, and polling resumes when it is back.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
PORT=$(free_port)
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: HQ, name: 公司}]
register_maps:
  - code: PMAP
    name: 轮询表
    registers:
      - {tag: t2s, table: input, addr: 0, type: i16, scale: 0.1}
      - {tag: kwh, table: input, addr: 4, type: u32, word_order: CDAB, scale: 0.1}
      - {tag: pump1_run, table: coil, addr: 0}
    scan_groups:
      - {name: fast, period_s: 1, tags: [t2s, pump1_run]}
      - {name: slow, period_s: 3, tags: [kwh]}
stations: [{code: P1, name: 轮询站, org: HQ}]
devices:
  - code: P1-PLC
    name: PLC
    kind: plc
    protocol: modbus_tcp
    address: "127.0.0.1:$PORT/1"
    station: P1
    register_map: PMAP
    points: [{tag: t2s}, {tag: kwh}]
YAML
heatctl import "$TMP/net.yaml" >/dev/null
ingest_config modbus-test "mqtt_enabled: false" "coap_enabled: false" "modbus_timeout_ms: 300" >"$TMP/heat.yaml"
start_plc() { heatsim plc --map PMAP --port "$PORT" --set t2s=55.5 --set kwh=1234567.8 --set pump1_run=1 >>"$TMP/plc.log" 2>&1 & PLC=$!; }
start_plc
heatd-ingest --config "$TMP/heat.yaml" >"$TMP/ingest.log" 2>&1 & ING=$!
trap 'kill $ING $PLC 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
sleep 4
[ "$(sql "SELECT value FROM api.latest WHERE point = 'P1.t2s'")" = 55.5 ] && ok "fast group: t2s stored" || fail "t2s: $(sql "SELECT value FROM api.latest WHERE point = 'P1.t2s'")"
[ "$(sql "SELECT value FROM api.latest WHERE point = 'P1.kwh'")" = 1234567.8 ] && ok "slow group: u32 CDAB kwh stored" || fail "kwh"
n1=$(sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.code = 'P1.t2s'")
[ "$n1" -ge 3 ] && ok "fast group polled every second ($n1 readings in 4 s)" || fail "only $n1 t2s readings"
heatctl ingest unknown --format csv >"$TMP/unk"
expect_in "$TMP/unk" "modbus,P1.pump1_run" "a tag without a point is counted, not dropped silently"
kill $PLC; wait $PLC 2>/dev/null || true
sleep 3
kill -0 $ING && ok "heatd-ingest keeps running when the PLC goes away" || fail "heatd-ingest died"
[ "$(grep -c 'modbus P1-PLC' "$TMP/ingest.log")" -le 2 ] && ok "failures logged at most once a minute" || fail "log flood"
start_plc
sleep 4
n2=$(sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.code = 'P1.t2s'")
[ "$n2" -gt "$n1" ] && ok "polling resumes when the PLC is back" || fail "no readings after the PLC came back ($n1 -> $n2)"
# One connection kept open between polls: while the PLC is up, polls go
# on and the connection count stands still (stats are written every
# second; reconnecting attempts while it was away do not count here).
mstat() { sql "SELECT (stats->'modbus'->>'connects') || ' ' || (stats->'modbus'->>'polls') FROM heat.ingest_stats WHERE instance = 'modbus-test'"; }
read -r c1 p1 < <(mstat)
sleep 3
read -r c2 p2 < <(mstat)
[ "$((p2 - p1))" -ge 2 ] && [ "$c2" = "$c1" ] && ok "persistent connection: $((p2 - p1)) polls, no new connection" ||
  fail "connects $c1 -> $c2 while polls $p1 -> $p2"

# Scan modes (MON-2) by SIGHUP: an area that has no PLC is refused and
# polling goes on; a fixed-station watch reads P1 whole every second.
sed -i 's/^ingest:/ingest:\n  modbus_mode: area\n  modbus_area: NOWHERE/' "$TMP/heat.yaml"
kill -HUP $ING; sleep 2
expect_in "$TMP/ingest.log" "modbus reload refused" "a reload naming an empty area is refused"
n3=$(sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.code = 'P1.t2s'")
sleep 2
n4=$(sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.code = 'P1.t2s'")
[ "$n4" -gt "$n3" ] && ok "polling goes on after a refused reload" || fail "polling stopped ($n3 -> $n4)"
sed -i -e 's/modbus_mode: area/modbus_mode: watch/' -e 's/modbus_area: NOWHERE/modbus_watch: P1\n  modbus_watch_period: 1s/' "$TMP/heat.yaml"
kill -HUP $ING; sleep 3
expect_in "$TMP/ingest.log" "modbus: watch mode" "watch mode taken on reload"
k1=$(sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.code = 'P1.kwh'")
sleep 3
k2=$(sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.code = 'P1.kwh'")
[ $((k2 - k1)) -ge 2 ] && ok "the watched station's slow tag now every second ($k1 -> $k2 in 3 s)" || fail "watch: $k1 -> $k2"
expect_exit 0 "heatctl scan --watch" heatctl scan P1 --watch 1 --count 2
[ "$(grep -c '^# P1 ' "$TMP/out")" = 2 ] && ok "two rounds, each headed by the time" || fail "scan watch: $(cat "$TMP/out")"

kill -TERM $ING; wait $ING && ok "SIGTERM: clean exit" || fail "exit $?"
finish
