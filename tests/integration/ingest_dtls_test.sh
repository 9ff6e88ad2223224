#!/usr/bin/env bash
# CoAP over DTLS-PSK (DEV-1): a key per device, the identity
# is the device's address; a wrong key or an unknown identity stores
# nothing; a device may post only its own data.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
PORT=$(free_port udp)
DPORT=$(free_port udp)
A=861234567890001 B=861234567890002
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: HQ, name: 公司}]
stations: [{code: R1, name: 站, org: HQ}]
buildings: [{code: R1-B1, name: 1号楼, station: R1}]
devices:
  - {code: RTA, name: 室温A, kind: room_sensor, protocol: coap, address: "$A", building: R1-B1,
     settings: {psk: "secret-a"}, points: [{tag: temp}]}
  - {code: RTB, name: 室温B, kind: room_sensor, protocol: coap, address: "$B", building: R1-B1,
     settings: {psk: "secret-b"}, points: [{tag: temp}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
ingest_config dtls-test "mqtt_enabled: false" "modbus_enabled: false" "coap_bind: 127.0.0.1" \
  "coap_port: $PORT" "coap_dtls_port: $DPORT" >"$TMP/heat.yaml"
heatd-ingest --config "$TMP/heat.yaml" >"$TMP/ingest.log" 2>&1 & ING=$!
trap 'kill $ING 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
sleep 1
now=$(date +%s)
# post IDENTITY KEY BODY
post() { timeout 20 coap-client-openssl -m post -t 50 -B 4 -u "$1" -k "$2" -e "$3" "coaps://127.0.0.1:$DPORT/rt" 2>&1 || true; }
post $A secret-a "{\"id\":\"$A\",\"r\":[[$now,215]]}" >"$TMP/ok"
expect_in "$TMP/ok" '"up":1800' "the right key: 2.04 over DTLS"
[ "$(sql "SELECT count(*) FROM heat.reading")" = 1 ] && ok "stored" || fail "not stored: $(cat "$TMP/ok")"
post $A wrong-key "{\"id\":\"$A\",\"r\":[[$((now - 60)),216]]}" >"$TMP/wrong"
[ "$(sql "SELECT count(*) FROM heat.reading")" = 1 ] && ok "a wrong key stores nothing" || fail "wrong key stored"
post 999 secret-a "{\"id\":\"999\",\"r\":[[$((now - 60)),216]]}" >/dev/null
sleep 2  # statistics are written every second
[ "$(sql "SELECT (stats->'coap'->>'dtls_refused')::int >= 1 FROM heat.ingest_stats")" = t ] &&
  ok "an unknown identity is refused and counted" || fail "dtls_refused: $(sql "SELECT stats FROM heat.ingest_stats")"
post $A secret-a "{\"id\":\"$B\",\"r\":[[$((now - 60)),216]]}" >"$TMP/other"
expect_in "$TMP/other" "4.03" "A cannot post for B"
[ "$(sql "SELECT count(*) FROM heat.reading")" = 1 ] && ok "nothing stored for B" || fail "B stored"
kill -TERM $ING; wait $ING && ok "SIGTERM: clean exit" || fail "exit $?"
finish
