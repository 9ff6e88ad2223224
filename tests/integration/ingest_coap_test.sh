#!/usr/bin/env bash
# Room sensors over CoAP (DEV-1): POST /rt with a batch of readings, the
# 2.04 reply with the sensor's upload period, sample interval and clock
# from its settings, idempotent replays, unknown and malformed uploads.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
PORT=$(free_port udp)
IMEI=861234567890123
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: HQ, name: 公司}]
stations: [{code: R1, name: 站, org: HQ}]
buildings: [{code: R1-B1, name: 1号楼, station: R1}]
devices:
  - {code: RT1, name: 室温1, kind: room_sensor, protocol: coap, address: "$IMEI", building: R1-B1,
     settings: {upload_s: 900, sample_s: 300}, points: [{tag: temp, unit: °C}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
ingest_config coap-test "mqtt_enabled: false" "modbus_enabled: false" "coap_bind: 127.0.0.1" \
  "coap_port: $PORT" "coap_threads: 3" >"$TMP/heat.yaml"
heatd-ingest --config "$TMP/heat.yaml" >"$TMP/ingest.log" 2>&1 & ING=$!
trap 'kill $ING 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
sleep 1
now=$(date +%s)
body="{\"id\":\"$IMEI\",\"seq\":1,\"rssi\":-85,\"r\":[[$((now - 1200)),215],[$((now - 600)),218],[$now,-31]]}"
post() { coap-client-notls -m post -t 50 -B 5 -e "$1" "coap://127.0.0.1:$PORT/rt" 2>&1; }
post "$body" >"$TMP/reply"
expect_in "$TMP/reply" '"up":900' "2.04 reply carries the upload period from the settings"
expect_in "$TMP/reply" '"iv":300' "reply carries the sample interval"
expect_in "$TMP/reply" '"t":[0-9]{10}' "reply carries the server clock"
[ "$(sql "SELECT string_agg(value::text, ',' ORDER BY ts) FROM heat.reading")" = "21.5,21.8,-3.1" ] &&
  ok "three readings stored in °C" || fail "readings: $(sql 'SELECT count(*) FROM heat.reading')"
post "$body" >/dev/null
[ "$(sql "SELECT count(*) FROM heat.reading")" = 3 ] && ok "a replayed upload is stored once" || fail "replay duplicated"
post "{\"id\":\"999999999999999\",\"r\":[[$now,200]]}" >"$TMP/unknown"
expect_in "$TMP/unknown" "4.04" "unknown sensor gets 4.04"
post '{"id":"x","r":"garbage"}' >"$TMP/bad"
expect_in "$TMP/bad" "4.00" "malformed upload gets 4.00"
post "{\"id\":\"$IMEI\",\"r\":[[$now,5000]]}" >"$TMP/range"
expect_in "$TMP/range" "4.00" "an implausible temperature gets 4.00"
[ "$(sql "SELECT count(*) FROM heat.reading")" = 3 ] && ok "bad uploads wrote nothing" || fail "bad uploads wrote"
# coap_threads: 3 sockets share the port (SO_REUSEPORT); each client's
# requests land on one of them, and every socket answers.
udp_sockets() { awk -v p="$(printf ':%04X' "$PORT")" '$2 ~ p"$" {n++} END {print n+0}' /proc/net/udp; }
[ "$(udp_sockets)" = 3 ] && ok "three CoAP sockets listen on port $PORT" || fail "sockets on $PORT: $(udp_sockets)"
pids=()
for i in $(seq 1 12); do post "{\"id\":\"$IMEI\",\"r\":[[$((now - 3600 - i * 60)),200]]}" >"$TMP/many.$i" & pids+=($!); done
wait "${pids[@]}"
[ "$(cat "$TMP"/many.* | grep -c '"up":')" = 12 ] && ok "12 clients on separate ports all answered 2.04" ||
  fail "answers: $(cat "$TMP"/many.* | head -c 300)"
[ "$(sql "SELECT count(*) FROM heat.reading")" = 15 ] && ok "and their 12 readings stored" ||
  fail "readings: $(sql 'SELECT count(*) FROM heat.reading')"
# Spread, not just bound: with SO_REUSEADDR alone the three sockets would
# exist but one of them would get every datagram.
sleep 1.5
used=$(sql "SELECT count(*) FROM heat.ingest_stats, jsonb_array_elements_text(stats->'coap'->'by_socket') n WHERE instance = 'coap-test' AND n::int > 0")
[ "$used" -ge 2 ] && ok "requests spread over $used of the 3 sockets" ||
  fail "by_socket: $(sql "SELECT stats->'coap'->'by_socket' FROM heat.ingest_stats")"
heatctl device set RT1 'settings={"upload_s":600,"sample_s":300}' >/dev/null
kill -HUP $ING; sleep 1
post "$body" >"$TMP/reply2"
expect_in "$TMP/reply2" '"up":600' "SIGHUP reloads device settings (upload_s=600)"
sleep 1.5
[ "$(sql "SELECT online FROM heat.device_status s JOIN heat.device d ON d.id = s.device_id WHERE d.code = 'RT1' AND last_seen > now() - interval '1 minute'")" = t ] &&
  ok "sensor marked online with last_seen" || fail "device_status not kept"
heatctl ingest unknown --format csv >"$TMP/unk"
expect_in "$TMP/unk" "coap,999999999999999,1" "unknown IMEI counted"
kill -TERM $ING; wait $ING && ok "SIGTERM: clean exit" || fail "exit $?"
finish
