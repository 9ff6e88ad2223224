#!/usr/bin/env bash
# A real full disk (DEV-1, OPS-1): heatd-ingest's spool on a small tmpfs
# mounted here, numbered readings over MQTT under load, PostgreSQL stopped
# so that the spool fills the tmpfs (ENOSPC: no PUBACK, the broker keeps
# the messages), then PostgreSQL comes back and the space is freed. Every
# message the broker acknowledged is in heat.reading exactly once, and
# ingest resumed by itself.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
if [ "$(id -u)" != 0 ]; then echo "skipped: mounting a tmpfs needs root"; exit 0; fi
PORT=$(free_port)
cat >"$TMP/net.yaml" <<'YAML'
org_units: [{code: HQ, name: 公司}]
stations: [{code: F1, name: 满盘站, org: HQ}]
devices:
  - {code: F1-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: F1,
     points: [{tag: t1s}, {tag: t1r}, {tag: t2s}, {tag: t2r}, {tag: p2s}, {tag: p2r}, {tag: f1}, {tag: f2}, {tag: v1}, {tag: pw1}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null

FS=$TMP/fs
mkdir -p "$FS"
mount -t tmpfs -o size=256k tmpfs "$FS"
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n' "$PORT" >"$TMP/mosquitto.conf"
mosquitto -c "$TMP/mosquitto.conf" >"$TMP/mosquitto.log" 2>&1 & MQ=$!
ingest_config full-disk "mqtt_uri: tcp://127.0.0.1:$PORT" "mqtt_client_id: full-disk-$$" \
  "coap_enabled: false" "modbus_enabled: false" | sed "s|spool_dir: .*|spool_dir: $FS/spool|" >"$TMP/heat.yaml"
heatd-ingest --config "$TMP/heat.yaml" >"$TMP/ingest.log" 2>&1 & INGEST=$!
cleanup() {
  kill -9 $INGEST $MQ 2>/dev/null || true
  "$HEAT_SOURCE_DIR/scripts/pg" start "$HEAT_TEST_PG" "$(cat "$HEAT_TEST_PG/port")" >/dev/null 2>&1 || true
  umount "$FS" 2>/dev/null || true
  dropdb --force "$PGDATABASE" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do grep -q "connected to" "$TMP/ingest.log" && break; sleep 0.1; done

# Messages numbered 0..N-1, 10 readings each, value = number; mosquitto_pub
# -q 1 exits 0 only when the broker acknowledged every one of them.
# Message i is stamped T0 + i s, T0 yesterday 00:00 UTC: inside the
# window heatd-ingest accepts (ingest.max_age_control_box).
N=3000
T0=$((($(date +%s) / 86400 - 1) * 86400000))
T0=$T0 python3 -c '
import json, os, time
t0 = int(os.environ["T0"])
tags = ["t1s", "t1r", "t2s", "t2r", "p2s", "p2r", "f1", "f2", "v1", "pw1"]
for i in range(3000):
    print(json.dumps({"ts": t0 + i * 1000, "seq": i, "v": {t: i for t in tags}}), flush=True)
    time.sleep(0.002)
' | mosquitto_pub -p "$PORT" -q 1 -t heat/v1/F1/telemetry -l & PUB=$!

# Most of the tmpfs is taken by a filler, so the spool fills it in seconds.
sleep 0.5
dd if=/dev/zero of="$FS/filler" bs=1k count=200 status=none 2>/dev/null || true
"$HEAT_SOURCE_DIR/scripts/pg" stop "$HEAT_TEST_PG"; ok "PostgreSQL stopped under load"
for _ in $(seq 200); do grep -q "No space left on device" "$TMP/ingest.log" && break; sleep 0.1; done
expect_in "$TMP/ingest.log" "spool append failed, not acknowledged: .*No space left on device" \
  "the full tmpfs is refused, not acknowledged (back-pressure)"
df -k "$FS" | tail -1 | awk '{print "  tmpfs: " $3 "k used of " $2 "k"}'
"$HEAT_SOURCE_DIR/scripts/pg" start "$HEAT_TEST_PG" "$(cat "$HEAT_TEST_PG/port")" >/dev/null
ok "PostgreSQL started"
rm -f "$FS/filler"; ok "space freed"
if wait "$PUB"; then ok "broker acknowledged all $N messages"; else fail "publisher failed"; fi

want="$((N * 10)) $((N * 10)) $N 0 $((N - 1))"
q="SELECT count(*) || ' ' || count(DISTINCT (point_id, ts)) || ' ' || count(DISTINCT value) || ' ' ||
   coalesce(min(value), 0) || ' ' || coalesce(max(value), 0) FROM heat.reading"
for _ in $(seq 150); do got=$(sql "$q" 2>/dev/null || true); [ "$got" = "$want" ] && break; sleep 0.2; done
if [ "$got" = "$want" ]; then ok "every acknowledged reading stored exactly once ($((N * 10)))"
else fail "want '$want' (rows, distinct, values, min, max), got '$got'"; fi
expect_in "$TMP/ingest.log" "replayed [0-9]+ spooled readings" "what the spool took was replayed"

kill -TERM "$INGEST"; wait "$INGEST" && ok "SIGTERM: clean exit" || fail "SIGTERM: exit $?"
state=$(heatctl ingest stats --format json | json 'j[0]["spool_state"]')
[ "$state" = ok ] && ok "heatctl ingest stats: spool_state ok again" || fail "spool_state: $state"
sed 's/^/  ingest| /' "$TMP/ingest.log" | grep -v "^  ingest| .*mqtt" | tail -6
finish
