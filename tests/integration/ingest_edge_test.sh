#!/usr/bin/env bash
# The edge never dies and never wedges (SYS-1, DEV-1, DEV-4): the three
# reproductions, each a named regression check against a running
# heatd-ingest, then the proof that ingest still works after each:
#  - cbor_object_of_excessive_size: a 9-byte CoAP /rt packet whose CBOR
#    map header claims 2^63 entries aborted the daemon;
#  - mqtt_event_with_nul: an event jsonb refuses (\u0000) was never
#    acknowledged, so the session reconnected for ever and no telemetry
#    was stored any more;
#  - mqtt_absurd_timestamp: telemetry with "ts":9e18 failed the write, went
#    to the spool, and every later batch followed it there;
#  - mqtt_oversized_payload: a PUBLISH of any claimed size was held whole.
# Rejected messages are answered as bad and kept in heat.ingest_rejected.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
IMEI=861234567890777
edge_daemon edge-test "$IMEI" E1
now=$(date +%s)
post() { coap-client-notls -m post -t 50 -B 5 -e "$1" "coap://127.0.0.1:$CPORT/rt" 2>&1; }
pub() { mosquitto_pub -p "$MPORT" -q 1 -t "heat/v1/E1/$1" -m "$2"; }

# cbor_object_of_excessive_size (and the same with an array header)
python3 -c "
import socket, sys
s = socket.socket(2, 2)
s.settimeout(2)
for mid, tail in ((1, bytes([0xbb, 0x7f]) + b'\xff' * 7), (2, bytes([0x9b, 0x7f]) + b'\xff' * 7)):
    s.sendto(bytes([0x40, 2, 0, mid, 0xb2]) + b'rt' + bytes([0x11, 60, 0xff]) + tail, ('127.0.0.1', $CPORT))
    print(s.recvfrom(100)[0][1])
" >"$TMP/cbor" 2>&1 || true
[ "$(tr '\n' ' ' <"$TMP/cbor")" = "128 128 " ] &&
  ok "cbor_object_of_excessive_size: answered 4.00 twice" || fail "cbor_object_of_excessive_size: $(cat "$TMP/cbor")"
kill -0 $ING 2>/dev/null && ok "cbor_object_of_excessive_size: heatd-ingest still runs" ||
  fail "cbor_object_of_excessive_size: heatd-ingest died: $(tail -3 "$TMP/ingest.log")"
post "{\"id\":\"$IMEI\",\"r\":[[$((now - 60)),215]]}" >"$TMP/rt"
expect_in "$TMP/rt" '"up":' "cbor_object_of_excessive_size: a valid upload after it is stored (2.04)"

# mqtt_event_with_nul
pub event '{"msg":"\u0000"}'
pub telemetry "{\"ts\":$((now * 1000)),\"seq\":1,\"v\":{\"t2s\":55.5}}"
eventually "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.code = 'E1.t2s'" 1 \
  >/dev/null && ok "mqtt_event_with_nul: telemetry after it is stored" ||
  fail "mqtt_event_with_nul: no telemetry stored after the event"
eventually "SELECT count(*) FROM heat.ingest_rejected WHERE source = 'mqtt' AND key = 'E1/event'" 1 >/dev/null &&
  ok "mqtt_event_with_nul: the event is in the quarantine" || fail "mqtt_event_with_nul: not quarantined"
sleep 1.2
[ "$(sql "SELECT stats->'mqtt'->>'reconnects' FROM heat.ingest_stats WHERE instance = 'edge-test'")" = 0 ] &&
  ok "mqtt_event_with_nul: no reconnects" ||
  fail "mqtt_event_with_nul: reconnects $(sql "SELECT stats->'mqtt' FROM heat.ingest_stats")"

# mqtt_absurd_timestamp
pub telemetry '{"ts":9000000000000000000,"seq":2,"v":{"t2s":1}}'
pub telemetry "{\"ts\":18446744073709551416,\"seq\":3,\"v\":{\"t2s\":1}}"
pub telemetry "{\"ts\":$(((now + 3600) * 1000)),\"seq\":4,\"v\":{\"t2s\":99}}"
pub telemetry "{\"ts\":$(((now + 1) * 1000)),\"seq\":5,\"v\":{\"t2s\":56.5}}"
eventually "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.code = 'E1.t2s'" 2 \
  >/dev/null && ok "mqtt_absurd_timestamp: the later telemetry is stored" ||
  fail "mqtt_absurd_timestamp: readings of E1.t2s: $(sql "SELECT count(*) FROM heat.reading")"
eventually "SELECT count(*) FROM heat.ingest_rejected WHERE source = 'mqtt' AND key = 'E1/telemetry'" 3 >/dev/null &&
  ok "mqtt_absurd_timestamp: the three implausible times are quarantined" ||
  fail "mqtt_absurd_timestamp: quarantined $(sql "SELECT string_agg(reason, ' | ') FROM heat.ingest_rejected")"
[ "$(sql "SELECT value FROM heat.latest l JOIN heat.point p ON p.id = l.point_id WHERE p.code = 'E1.t2s'")" = 56.5 ] &&
  ok "mqtt_absurd_timestamp: latest is the newest plausible reading" || fail "latest pinned"
[ -z "$(find "$TMP/spool" -type f -size +0 2>/dev/null)" ] && ok "mqtt_absurd_timestamp: nothing spooled" ||
  fail "mqtt_absurd_timestamp: spool $(ls -l "$TMP/spool")"
[ "$(sql "SELECT count(*) FROM pg_class WHERE relname ~ '^reading_2[1-9][0-9]{4}'")" = 0 ] &&
  ok "mqtt_absurd_timestamp: no partition far in the future" || fail "partitions created for absurd months"

# mqtt_oversized_payload: a 2 MiB PUBLISH was read into memory whole (the
# client allocated whatever length a packet claimed). Now its payload is
# read away unheld; it is quarantined and acknowledged in order.
python3 -c "print('{\"ts\":1,\"v\":{\"t2s\":' + '1' * (2 << 20) + '}}')" >"$TMP/big.json"
mosquitto_pub -p "$MPORT" -q 1 -t heat/v1/E1/telemetry -f "$TMP/big.json"
pub telemetry "{\"ts\":$(((now + 2) * 1000)),\"seq\":6,\"v\":{\"t2s\":57.5}}"
eventually "SELECT count(*) FROM heat.ingest_rejected WHERE source = 'mqtt' AND reason LIKE 'payload over %'" 1 \
  >/dev/null && ok "mqtt_oversized_payload: quarantined without its payload" ||
  fail "mqtt_oversized_payload: not quarantined: $(sql "SELECT string_agg(reason, ' | ') FROM heat.ingest_rejected")"
eventually "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.code = 'E1.t2s'" 3 \
  >/dev/null && ok "mqtt_oversized_payload: the telemetry after it is stored" ||
  fail "mqtt_oversized_payload: later telemetry not stored"

# Block-wise uploads (RFC 7959): 1000 readings, the documented limit, in
# 64-byte blocks; 1001 readings get 4.13 and nothing of them is stored.
upload() {  # N FIRST_TS: a JSON upload of N readings a second apart
  python3 -c "import json,sys; n,t=int(sys.argv[1]),int(sys.argv[2]); print(json.dumps({'id':'$IMEI','r':[[t+i,200+i%100] for i in range(n)]}),end='')" "$@"
}
upload 1000 $((now - 7200)) >"$TMP/big.json"
coap-client-notls -m post -t 50 -B 10 -b 64 -f "$TMP/big.json" "coap://127.0.0.1:$CPORT/rt" >"$TMP/big" 2>&1
expect_in "$TMP/big" '"up":' "1000 readings in 64-byte blocks are answered 2.04"
[ "$(sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.tag = 'temp'")" = 1001 ] &&
  ok "and all 1000 are stored" || fail "block upload stored $(sql "SELECT count(*) FROM heat.reading")"
upload 1001 $((now - 9000)) >"$TMP/over.json"
coap-client-notls -m post -t 50 -B 10 -b 1024 -f "$TMP/over.json" "coap://127.0.0.1:$CPORT/rt" >"$TMP/over" 2>&1
expect_in "$TMP/over" "4.13" "1001 readings get 4.13"
[ "$(sql "SELECT count(*) FROM heat.reading r JOIN heat.point p ON p.id = r.point_id WHERE p.tag = 'temp'")" = 1001 ] &&
  ok "and none of them is stored" || fail "an upload over the limit was stored"
heatctl ingest rejected --format csv >"$TMP/rej"
expect_in "$TMP/rej" "mqtt,E1/event,.*jsonb|mqtt,E1/event,.*encoding|mqtt,E1/event,.*\\\\u0000" \
  "heatctl ingest rejected lists the event with its reason"
expect_in "$TMP/rej" "E1/telemetry.*9000000000000000000" "heatctl ingest rejected shows the raw bytes"

# The quarantine is scoped by the station its key names, and kept for
# ingest.rejected_keep (pruned at every point refresh; SIGHUP refreshes).
printf 'org_units: [{code: OTHER, name: 别处}]\n' >"$TMP/other.yaml"
heatctl import "$TMP/other.yaml" >/dev/null
heatctl user add qop_in_$$ --role heat_operator --org HQ >/dev/null
heatctl user add qop_out_$$ --role heat_operator --org OTHER >/dev/null
[ "$(PGUSER=qop_in_$$ heatctl ingest rejected --format csv | grep -c 'E1/')" -ge 4 ] &&
  ok "quarantine_scope: an operator of the station's org sees its entries" ||
  fail "quarantine_scope: in scope: $(PGUSER=qop_in_$$ heatctl ingest rejected --format csv 2>&1 | head -3)"
[ "$(PGUSER=qop_out_$$ heatctl ingest rejected --format csv | grep -c 'E1/')" = 0 ] &&
  ok "quarantine_scope: an operator of another org sees none of them" ||
  fail "quarantine_scope: out of scope sees: $(PGUSER=qop_out_$$ heatctl ingest rejected --format csv 2>&1 | head -3)"
sql "INSERT INTO heat.ingest_rejected (at, source, key, reason, raw)
     VALUES (now() - interval '31 days', 'mqtt', 'E1/event', 'old', '\\x00')" >/dev/null
kill -HUP $ING
eventually "SELECT count(*) FROM heat.ingest_rejected WHERE reason = 'old'" 0 >/dev/null &&
  ok "quarantine_retention: an entry older than ingest.rejected_keep (30d) is removed" ||
  fail "quarantine_retention: the 31-day-old entry is still there"
[ "$(sql "SELECT count(*) FROM heat.ingest_rejected WHERE key LIKE 'E1/%'")" -ge 4 ] &&
  ok "quarantine_retention: the recent entries stay" || fail "quarantine_retention: recent entries removed"

# --check-config says what start-up would refuse: plain CoAP beyond loopback.
sed 's/coap_bind: 127.0.0.1/coap_bind: 0.0.0.0/' "$TMP/heat.yaml" >"$TMP/open.yaml"
rc=0; heatd-ingest --check-config --config "$TMP/open.yaml" >"$TMP/check" 2>&1 || rc=$?
[ $rc = 2 ] && grep -q "coap_dtls_port" "$TMP/check" &&
  ok "check_config_coap_exposure: 0.0.0.0 without DTLS is refused (exit 2, names the fix)" ||
  fail "check_config_coap_exposure: exit $rc: $(cat "$TMP/check")"
printf '  coap_insecure: true\n' >>"$TMP/open.yaml"
heatd-ingest --check-config --config "$TMP/open.yaml" >"$TMP/check" 2>&1 &&
  ok "check_config_coap_exposure: with coap_insecure it is accepted" ||
  fail "check_config_coap_exposure: insecure refused: $(cat "$TMP/check")"
kill -TERM $ING; wait $ING && ok "SIGTERM: clean exit" || fail "exit $?"
finish
