#!/usr/bin/env bash
# Packet-level soak of the edge (SYS-1), bounded to a few seconds: random
# and mutated CoAP datagrams and MQTT messages at a running heatd-ingest,
# between valid uploads. Afterwards the daemon still runs and answers,
# and the stored readings are exactly the valid ones (mutations go to an
# unknown IMEI or station, or to the event topic, so none of them can
# turn into a reading by chance). SOAK_SECONDS (default 3) bounds it.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
IMEI=861234567890555
edge_daemon soak-test "$IMEI" K1
# Prints one line per valid reading it had acknowledged: "temp|ts|value"
# or "t2s|ts_ms|value".
python3 - "$CPORT" "$MPORT" "$IMEI" "${SOAK_SECONDS:-3}" >"$TMP/valid" 2>"$TMP/soak.err" <<'PY'
import json, random, socket, struct, sys, time
cport, mport, imei, seconds = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
rnd = random.Random(9)
now = int(time.time())

def coap(payload, cf, mid, con=True):
    head = bytes([0x40 if con else 0x50, 2]) + struct.pack(">H", mid & 0xFFFF)
    return head + bytes([0xB2]) + b"rt" + bytes([0x11, cf, 0xFF]) + payload

def cbor(v):
    def head(major, n):
        if n < 24: return bytes([major << 5 | n])
        for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if n < 1 << (8 * size): return bytes([major << 5 | ai]) + n.to_bytes(size, "big")
    if isinstance(v, str): return head(3, len(v.encode())) + v.encode()
    if isinstance(v, int): return head(0, v) if v >= 0 else head(1, -1 - v)
    if isinstance(v, list): return head(4, len(v)) + b"".join(cbor(x) for x in v)
    return head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())

def mutate(b):
    b = bytearray(b)
    for _ in range(rnd.randint(1, 8)):
        op = rnd.randrange(3)
        i = rnd.randrange(len(b) + 1)
        if op == 0 and b: b[min(i, len(b) - 1)] = rnd.randrange(256)
        elif op == 1: b[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 9)))
        elif b: del b[min(i, len(b) - 1):min(i, len(b) - 1) + rnd.randint(1, 4)]
    return bytes(b)

def mqtt_connect():
    s = socket.create_connection(("127.0.0.1", mport))
    cid = b"soak-pub"
    body = struct.pack(">H", 4) + b"MQTT" + bytes([4, 2]) + struct.pack(">H", 30) + struct.pack(">H", len(cid)) + cid
    s.sendall(bytes([0x10, len(body)]) + body)
    s.recv(4)
    return s

def remaining(n):
    out = b""
    while True:
        d, n = n % 128, n // 128
        out += bytes([d | (0x80 if n else 0)])
        if not n: return out

def publish(s, topic, payload, qos, pid):
    t = topic.encode()
    body = struct.pack(">H", len(t)) + t + (struct.pack(">H", pid) if qos else b"") + payload
    s.sendall(bytes([0x30 | qos << 1]) + remaining(len(body)) + body)
    if qos:
        s.settimeout(10)
        ack = b""
        while len(ack) < 4: ack += s.recv(4 - len(ack))
        assert ack[0] == 0x40 and struct.unpack(">H", ack[2:4])[0] == pid, ack

u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(5)
m = mqtt_connect()
end = time.time() + seconds
k = sent = 0
while time.time() < end:
    k += 1
    ts = now - 3600 + k
    # A valid upload (JSON or CBOR), answered 2.04 before it counts.
    up = {"id": imei, "seq": k, "r": [[ts, 200 + k % 50]]}
    body, cf = (cbor(up), 60) if k % 2 else (json.dumps(up).encode(), 50)
    u.sendto(coap(body, cf, k), ("127.0.0.1", cport))
    while True:
        reply = u.recv(2048)
        if struct.unpack(">H", reply[2:4])[0] == k & 0xFFFF: break
    if reply[1] == 0x44:
        print(f"temp|{ts}|{(200 + k % 50) / 10:g}")
    # Garbage: random bytes, and mutations of an upload for an unknown IMEI.
    other = {"id": "000000000000000", "seq": k, "r": [[ts, 210]]}
    seed = cbor(other) if k % 2 else json.dumps(other).encode()
    for _ in range(10):
        junk = bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 64)))
        u.sendto(junk if rnd.random() < 0.3 else coap(mutate(seed), rnd.choice([50, 60]), 40000 + k, False),
                 ("127.0.0.1", cport))
    # MQTT: one valid telemetry (QoS 1, acknowledged), garbage elsewhere.
    tm = (now - 3600 + k) * 1000
    publish(m, "heat/v1/K1/telemetry", json.dumps({"ts": tm, "seq": k, "v": {"t2s": k % 90}}).encode(), 1, k % 60000 + 1)
    print(f"t2s|{tm // 1000}|{k % 90}")
    good = json.dumps({"ts": tm, "v": {"t2s": 1}, "msg": "x"}).encode()
    for _ in range(5):
        topic = rnd.choice(["heat/v1/ZZ/telemetry", "heat/v1/K1/event", "heat/v1/K1/cmd/ack", "heat/v1/ZZ/status"])
        publish(m, topic, mutate(good), 0, 0)
    sent += 1
print(f"{sent} rounds", file=sys.stderr)
PY
[ -s "$TMP/valid" ] && ok "soak: $(cat "$TMP/soak.err")" || fail "soak generator: $(tail -5 "$TMP/soak.err")"
kill -0 $ING 2>/dev/null && ok "heatd-ingest survived the soak" || fail "heatd-ingest died: $(tail -5 "$TMP/ingest.log")"
want=$(sort "$TMP/valid" | md5sum)
q="SELECT p.tag || '|' || extract(epoch FROM r.ts)::bigint || '|' || r.value FROM heat.reading r JOIN heat.point p ON p.id = r.point_id"
eventually "SELECT count(*) FROM heat.reading" "$(wc -l <"$TMP/valid")" >/dev/null || true
sql "$q" | sort >"$TMP/stored"
[ "$(md5sum <"$TMP/stored")" = "$want" ] && ok "stored readings are exactly the $(wc -l <"$TMP/valid") valid ones" ||
  fail "stored differs from valid: $(diff <(sort "$TMP/valid") "$TMP/stored" | head -5)"
post() { coap-client-notls -m post -t 50 -B 5 -e "$1" "coap://127.0.0.1:$CPORT/rt" 2>&1; }
post "{\"id\":\"$IMEI\",\"r\":[[$(date +%s),215]]}" >"$TMP/after"
expect_in "$TMP/after" '"up":' "after the soak a valid upload is answered 2.04"
kill -TERM $ING; wait $ING && ok "SIGTERM: clean exit" || fail "exit $?"
finish
