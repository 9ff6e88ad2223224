#!/usr/bin/env bash
# SIGHUP never half-applies (OPS-1): db.conninfo (restart-only) is changed
# to a database that does not exist and ingest.points_refresh (reloadable)
# from 60s to 1s. After SIGHUP every part keeps the old conninfo — the
# writers store, the point refresh finds a sensor added later (within the
# new 1 s), Modbus reloads, statistics are written — the change is logged
# once and heatctl ingest stats shows the restart pending.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
PORT=$(free_port udp)
net() {  # net IMEI...: a room sensor per IMEI
  printf 'org_units: [{code: HQ, name: 公司}]\nstations: [{code: R1, name: 站, org: HQ}]\n'
  printf 'buildings: [{code: R1-B1, name: 1号楼, station: R1}]\ndevices:\n'
  for imei in "$@"; do
    printf '  - {code: RT%s, name: 室温, kind: room_sensor, protocol: coap, address: "%s", building: R1-B1, points: [{tag: temp}]}\n' \
      "${imei: -3}" "$imei"
  done
}
net 861234567890001 >"$TMP/net.yaml"
heatctl import "$TMP/net.yaml" >/dev/null
config() {  # config CONNINFO_DBNAME POINTS_REFRESH
  ingest_config reload-test "mqtt_enabled: false" "coap_bind: 127.0.0.1" "coap_port: $PORT" \
    "coap_threads: 1" "points_refresh: $2" | sed "s/dbname=[^ \"]*/dbname=$1/"
}
config "$PGDATABASE" 60s >"$TMP/heat.yaml"
heatd-ingest --config "$TMP/heat.yaml" >"$TMP/ingest.log" 2>&1 & ING=$!
trap 'kill $ING 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "running as" "$TMP/ingest.log" && break; sleep 0.1; done
post() { coap-client-notls -m post -t 50 -B 5 -e "{\"id\":\"$1\",\"r\":[[$2,215]]}" "coap://127.0.0.1:$PORT/rt" 2>&1; }

config no_such_database 1s >"$TMP/heat.yaml"
kill -HUP $ING
kill -HUP $ING  # twice: still logged once
net 861234567890001 861234567890002 >"$TMP/net.yaml"
heatctl import "$TMP/net.yaml" >/dev/null
now=$(date +%s)
for _ in $(seq 40); do post 861234567890002 "$now" | grep -q '"up":' && break; sleep 0.1; done
[ "$(sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id
          JOIN heat.device d ON d.id = p.device_id WHERE d.address = '861234567890002'")" = 1 ] &&
  ok "a sensor added after SIGHUP is found (new points_refresh, old conninfo) and its reading stored" ||
  fail "new sensor's reading not stored; log: $(tail -3 "$TMP/ingest.log")"
post 861234567890001 $((now - 60)) >/dev/null
[ "$(sql "SELECT count(*) FROM heat.reading")" = 2 ] && ok "the writers store with the old conninfo" ||
  fail "readings: $(sql 'SELECT count(*) FROM heat.reading')"
[ "$(grep -c "db.conninfo changed; it needs a restart" "$TMP/ingest.log")" = 1 ] &&
  ok "the restart-only change is logged once" || fail "log: $(grep -c 'needs a restart' "$TMP/ingest.log") lines"
[ "$(grep -c "modbus: patrol mode" "$TMP/ingest.log")" -ge 2 ] && ! grep -q "modbus reload refused" "$TMP/ingest.log" &&
  ok "Modbus reloaded with the old conninfo" || fail "modbus: $(grep modbus "$TMP/ingest.log" | tail -2)"
sql "UPDATE heat.ingest_stats SET stats = '{}' WHERE instance = 'reload-test'"
eventually "SELECT stats->>'restart_pending' FROM heat.ingest_stats WHERE instance = 'reload-test'" db.conninfo &&
  ok "statistics written with the old conninfo, restart pending shown" || fail "stats not written"
heatctl ingest stats --format csv >"$TMP/stats"
expect_in "$TMP/stats" "reload-test,.*,db.conninfo" "heatctl ingest stats shows restart_pending db.conninfo"
kill -TERM $ING; wait $ING && ok "SIGTERM: clean exit" || fail "exit $?"
finish
