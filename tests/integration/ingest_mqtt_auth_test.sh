#!/usr/bin/env bash
# heatd-ingest logs in to a broker that refuses anonymous clients (DEV-4):
# user name from heat.yaml, password from a file; a wrong password is
# refused by the broker, logged, and nothing is taken.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
MQ=$(free_port)
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: HQ, name: 公司}]
stations: [{code: M1, name: 站, org: HQ}]
devices:
  - {code: M1-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: M1, points: [{tag: t2s}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
chmod 755 "$TMP"  # mosquitto drops root for its own user: it must read the password file
touch "$TMP/passwd"
mosquitto_passwd -b "$TMP/passwd" ingest s3cret 2>/dev/null
mosquitto_passwd -b "$TMP/passwd" box boxpw 2>/dev/null
chmod 644 "$TMP/passwd"
printf 'listener %s 127.0.0.1\nallow_anonymous false\npassword_file %s\n' "$MQ" "$TMP/passwd" >"$TMP/mq.conf"
mosquitto -c "$TMP/mq.conf" >"$TMP/mq.log" 2>&1 & MOS=$!
printf 'wrong\n' >"$TMP/bad.pw"; printf 's3cret\n' >"$TMP/good.pw"; chmod 600 "$TMP"/*.pw
ING=""
trap 'kill $ING $MOS 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
sleep 0.5
start() {
  ingest_config "$1" "coap_enabled: false" "modbus_enabled: false" "mqtt_uri: tcp://127.0.0.1:$MQ" \
    "mqtt_client_id: $1" "mqtt_username: ingest" "mqtt_password_file: $TMP/$2.pw" >"$TMP/$1.yaml"
  heatd-ingest --config "$TMP/$1.yaml" >"$TMP/$1.log" 2>&1 & ING=$!
  sleep 2
}
pub() { mosquitto_pub -p "$MQ" -u box -P boxpw -q 1 -t heat/v1/M1/telemetry -m "{\"ts\":$(($(date +%s) * 1000 + $1)),\"seq\":$1,\"v\":{\"t2s\":55.$1}}"; }
start bad bad
pub 1
sleep 1
expect_in "$TMP/bad.log" "bad user name or password" "a wrong password is refused and logged"
[ "$(sql "SELECT count(*) FROM heat.reading")" = 0 ] && ok "nothing taken without a login" || fail "stored without login"
kill $ING; wait $ING 2>/dev/null || true
start good good
pub 2
sleep 2
[ "$(sql "SELECT count(*) FROM heat.reading")" -ge 1 ] && ok "logged in: telemetry stored" || fail "nothing stored: $(tail -3 "$TMP/good.log")"
kill -TERM $ING; wait $ING && ok "SIGTERM: clean exit" || fail "exit $?"
ING=""
finish
