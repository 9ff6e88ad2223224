# tests/integration/lib.sh — helpers for the shell integration tests.
# Each test gets its own database in the cluster CTest's fixture started
# (HEAT_TEST_PG), migrated, and dropped at exit.
set -euo pipefail
: "${HEAT_TEST_PG:?run through ctest}" "${HEAT_SOURCE_DIR:?}" "${HEAT_BIN:?}"
export PATH="$HEAT_BIN:$PATH"
eval "$("$HEAT_SOURCE_DIR/scripts/pg" env "$HEAT_TEST_PG")"
export PGDATABASE="it_$(basename "$0" .sh)_$$"
SUPER=postgres
createdb "$PGDATABASE"
trap 'dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
heatctl db migrate >/dev/null
TMP=$(mktemp -d)

fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
# expect_exit CODE DESCRIPTION CMD...: runs CMD, checks its exit code.
expect_exit() {
  local want=$1 what=$2; shift 2
  local got=0
  "$@" >"$TMP/out" 2>"$TMP/err" || got=$?
  if [ "$got" = "$want" ]; then ok "$what (exit $got)"; else
    fail "$what: exit $got, want $want"; sed 's/^/  | /' "$TMP/out" "$TMP/err" >&2; fi
}
# expect_in FILE PATTERN DESCRIPTION
expect_in() { if grep -qE -- "$2" "$1"; then ok "$3"; else fail "$3: no /$2/ in:"; sed 's/^/  | /' "$1" >&2; fi; }
# as LOGIN COMMAND...: runs COMMAND as the database login LOGIN.
as() { local u=$1; shift; PGUSER=$u "$@"; }
# sql QUERY: one value, as superuser
sql() { PGUSER=$SUPER psql -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
# json EXPR < input: evaluates a Python expression on the parsed JSON as j
# eventually SQL WANT: polls for up to 5 s until the query prints WANT
# (what the daemons write within about a second, like device marks).
eventually() {
  local got
  for _ in $(seq 50); do
    got=$(sql "$1")
    [ "$got" = "$2" ] && return 0
    sleep 0.1
  done
  echo "$got"
  return 1
}
json() { python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }
# free_port [udp]: a free port on 127.0.0.1
free_port() {
  python3 -c "import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1:] == ['udp'] else socket.SOCK_STREAM); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])" "$@"
}
# ingest_config INSTANCE [LINE...]: a heat.yaml for a test heatd-ingest on
# this test's database; each LINE is one more "key: value" of ingest.
# The daemon connects as a heat_service login, as in production (not as the
# superuser: row-level security and grants must hold for it).
ingest_config() {
  local inst=$1; shift
  SVC=${SVC:-svc_$$}
  [ "$(sql "SELECT count(*) FROM pg_roles WHERE rolname = '$SVC'")" = 1 ] ||
    PGUSER=$SUPER heatctl user add "$SVC" --role heat_service >/dev/null
  printf 'db:\n  conninfo: "host=%s port=%s dbname=%s user=%s"\ningest:\n  instance: %s\n  spool_dir: %s/spool\n  stats_interval: 1s\n' \
    "$PGHOST" "$PGPORT" "$PGDATABASE" "$SVC" "$inst" "$TMP"
  local line; for line in "$@"; do printf '  %s\n' "$line"; done
}
# start_mosquitto: a private broker on 127.0.0.1:$MPORT, anonymous; sets MOS.
start_mosquitto() {
  printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$MPORT" >"$TMP/mq.conf"
  mosquitto -c "$TMP/mq.conf" >"$TMP/mq.log" 2>&1 & MOS=$!
}
finish() { if [ "$fails" = 0 ]; then echo "all checks passed"; else echo "$fails checks failed"; exit 1; fi; }
# edge_daemon INSTANCE IMEI STATION: a network of one room sensor (IMEI,
# point temp) and one station with a control box (point t2s), a private
# mosquitto, and heatd-ingest taking both CoAP (CPORT) and MQTT (MPORT);
# sets ING and MOS and waits until the daemon has reported once.
edge_daemon() {
  local inst=$1 imei=$2 st=$3
  CPORT=$(free_port udp)
  MPORT=$(free_port)
  cat >"$TMP/net.yaml" <<YAML
org_units: [{code: HQ, name: 公司}]
stations: [{code: $st, name: 站, org: HQ}]
buildings: [{code: $st-B1, name: 1号楼, station: $st}]
devices:
  - {code: RT-$st, name: 室温, kind: room_sensor, protocol: coap, address: "$imei", building: $st-B1,
     points: [{tag: temp, unit: °C}]}
  - {code: $st-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: $st, points: [{tag: t2s}]}
YAML
  heatctl import "$TMP/net.yaml" >/dev/null
  start_mosquitto
  ingest_config "$inst" "modbus_enabled: false" "coap_bind: 127.0.0.1" "coap_port: $CPORT" \
    "coap_threads: 2" "mqtt_uri: tcp://127.0.0.1:$MPORT" "mqtt_client_id: $inst-$$" >"$TMP/heat.yaml"
  heatd-ingest --config "$TMP/heat.yaml" >"$TMP/ingest.log" 2>&1 & ING=$!
  trap 'kill $ING $MOS 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
  eventually "SELECT count(*) FROM heat.ingest_stats WHERE instance = '$inst'" 1 >/dev/null ||
    fail "heatd-ingest did not start: $(tail -3 "$TMP/ingest.log")"
}

# start_cupsd PRINTER: a private cupsd on 127.0.0.1 (CUPS_SERVER exported,
# its pid in CUPSD) with PRINTER, a generic PostScript printer whose
# device is the file $CUPS/out/PRINTER.out. The caller kills $CUPSD.
start_cupsd() {
  # cupsd runs its filters as lp: they must reach the spool through $TMP.
  CUPS=$TMP/cups; mkdir -p "$CUPS"/{spool,cache,state,tmp,log,out}; chmod 711 "$TMP"; chmod 755 "$CUPS"
  chmod 1777 "$CUPS/out" "$CUPS/tmp"
  local port; port=$(free_port)
  printf 'Listen 127.0.0.1:%s\nLogLevel warn\nWebInterface No\nBrowsing Off\nDefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n<Policy default>\n  <Limit All>\n    Order deny,allow\n    Allow all\n  </Limit>\n</Policy>\n' "$port" >"$CUPS/cupsd.conf"
  printf 'ServerRoot %s\nRequestRoot %s/spool\nCacheDir %s/cache\nStateDir %s/state\nTempDir %s/tmp\nErrorLog %s/log/error_log\nAccessLog %s/log/access_log\nPageLog %s/log/page_log\nFileDevice Yes\n' \
    "$CUPS" "$CUPS" "$CUPS" "$CUPS" "$CUPS" "$CUPS" "$CUPS" "$CUPS" >"$CUPS/cups-files.conf"
  cupsd -f -c "$CUPS/cupsd.conf" -s "$CUPS/cups-files.conf" >"$CUPS/cupsd.out" 2>&1 & CUPSD=$!
  export CUPS_SERVER=127.0.0.1:$port
  for _ in $(seq 50); do lpstat -r >/dev/null 2>&1 && break; sleep 0.1; done
  lpadmin -p "$1" -E -v "file://$CUPS/out/$1.out" -m drv:///sample.drv/generic.ppd 2>/dev/null
}
# printed PRINTER: waits up to 20 s for a whole job in PRINTER's file.
printed() {
  for _ in $(seq 100); do
    [ -s "$CUPS/out/$1.out" ] && grep -q '%%EOF' "$CUPS/out/$1.out" && return 0
    sleep 0.2
  done
  return 1
}
# start_fake_wechat: merchant and platform keys made with openssl in $TMP
# (as an operator gets them from WeChat Pay), and the fake WeChat Pay v3
# server (support/fake_wechat.py) on a free loopback port. Sets API (its
# base URL), MSERIAL (the merchant certificate's serial) and FAKE_PID; the
# caller kills FAKE_PID. wechat_yaml NOTIFY_URL prints the matching
# wechat: section of heat.yaml.
start_fake_wechat() {
  (cd "$TMP" &&
   openssl req -x509 -newkey rsa:2048 -nodes -keyout merchant_key.pem -out merchant_cert.pem -days 30 \
     -subj "/CN=1900000109/O=WeChat Pay merchant test" 2>/dev/null &&
   openssl req -x509 -newkey rsa:2048 -nodes -keyout platform_key.pem -out platform_cert.pem -days 30 \
     -subj "/CN=Tenpay.com test platform" 2>/dev/null &&
   head -c 24 /dev/urandom | base64 | tr -d '\n' >apiv3.key &&   # 32 characters
   chmod 600 merchant_key.pem apiv3.key)
  MSERIAL=$(openssl x509 -in "$TMP/merchant_cert.pem" -noout -serial | cut -d= -f2)
  /usr/bin/python3 "$HEAT_SOURCE_DIR/tests/integration/support/fake_wechat.py" --mchid 1900000109 \
    --appid wx8888888888888888 --merchant-cert "$TMP/merchant_cert.pem" --platform-key "$TMP/platform_key.pem" \
    --platform-cert "$TMP/platform_cert.pem" --apiv3-key-file "$TMP/apiv3.key" --state "$TMP/fake.json" \
    >"$TMP/fake.port" 2>"$TMP/fake.log" &
  FAKE_PID=$!
  for _ in $(seq 100); do [ -s "$TMP/fake.port" ] && break; sleep 0.1; done
  API=http://127.0.0.1:$(head -1 "$TMP/fake.port")
}
wechat_yaml() {
  printf 'wechat:\n  api_url: %s\n  mchid: "1900000109"\n  appid: wx8888888888888888\n  merchant_serial: %s\n  merchant_key_file: %s\n  apiv3_key_file: %s\n  platform_cert_file: %s\n  notify_url: %s\n  timeout_ms: 5000\n' \
    "$API" "$MSERIAL" "$TMP/merchant_key.pem" "$TMP/apiv3.key" "$TMP/platform_cert.pem" "$1"
}
# demo_billing ADMIN: as the bill_admin login ADMIN, the season of today
# (SEASON; y its first year), the residential tariff (22.00 yuan/m², base
# 30 %) and the demo houses (etc/examples/demo-houses.csv).
demo_billing() {
  y=$(TZ=Asia/Shanghai date +%Y); [ "$(TZ=Asia/Shanghai date +%m)" -lt 7 ] && y=$((y - 1))
  SEASON="$y-$((y + 1))"
  PGUSER=$1 billctl season add "$SEASON" --start "$y-07-01" --end "$((y + 1))-06-30" >/dev/null
  PGUSER=$1 billctl tariff set --season "$SEASON" --house-type residential --price 22.00 --base-ratio 0.30 >/dev/null
  PGUSER=$1 billctl import houses "$HEAT_SOURCE_DIR/etc/examples/demo-houses.csv" >/dev/null
}
