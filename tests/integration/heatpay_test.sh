#!/usr/bin/env bash
# The residents' page end to end (BIL-23, BIL-27; heatpay.cgi(8)): the real
# heatpay.cgi as FastCGI workers of a private lighttpd (their database
# through pgbouncer), and once as a plain CGI; the fake WeChat Pay v3 server
# (support/fake_wechat.py) and Debian's headless chromium at 375x667.
#  - look up (a wrong code and a wrong factor read the same), see the bill,
#    pay with H5 on the fake's page, come back to "缴费成功"; the ledger holds
#    one payment (mobile, wechat, receipt WX-…) of exactly what was owed;
#  - a notify sent 5 times is one entry; 8 concurrent posts of one
#    transaction are one entry; a forged notify signature is refused (401)
#    and posts nothing; an amount other than the order's is refused and
#    logged; a lost notify is found by the order page's query;
#  - a cashier's charge while an order is open: the notify's money is still
#    entered, the order says how much was paid over;
#  - a closed channel (BIL-27) shows "pay at the hall" and refuses orders;
#  - the workers stay between requests, read a changed configuration (and
#    keep theirs when the new one is broken); one that dies is started
#    again and no request is lost meanwhile.
# HEAT_SCREENS=DIR keeps the screenshots.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
start_fake_wechat
HTTPD=$TMP/httpd
trap 'kill $FAKE_PID 2>/dev/null; "$HEAT_SOURCE_DIR/scripts/heatpay-httpd" stop "$HTTPD"; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
[ -n "$MSERIAL" ] && ok "the fake WeChat Pay runs at $API" || { cat "$TMP/fake.log"; fail "no fake"; finish; }

ADMIN=ba_$$ PAY=pay_$$ CASH=ca_$$
heatctl user add $ADMIN --role bill_admin >/dev/null
heatctl user add $PAY --role heat_pay >/dev/null
heatctl user add $CASH --role bill_cashier >/dev/null
demo_billing $ADMIN

WEB_PORT=$(free_port)
URL=http://127.0.0.1:$WEB_PORT
head -c 24 /dev/urandom | base64 >"$TMP/page.key"; chmod 600 "$TMP/page.key"
POOL_PORT=$(free_port)
"$HEAT_SOURCE_DIR/scripts/heatpay-httpd" pool "$HTTPD" "$POOL_PORT" "host=$PGHOST port=$PGPORT" "$PAY"
{ printf 'site:\n  company: 测试热力公司\ndb:\n  conninfo: "host=127.0.0.1 port=%s dbname=%s user=%s"\n' "$POOL_PORT" "$PGDATABASE" "$PAY"
  printf 'pay:\n  key_file: %s\n  public_url: %s\n' "$TMP/page.key" "$URL"
  wechat_yaml "$URL/notify"; } >"$TMP/heat.yaml"
"$HEAT_SOURCE_DIR/scripts/heatpay-httpd" start "$HTTPD" "$WEB_PORT" "$HEAT_BIN/heatpay.cgi" "$TMP/heat.yaml" >/dev/null
ok "lighttpd serves heatpay.cgi at $URL, through a pgbouncer transaction pool"
SHOTS=${HEAT_SCREENS:-$TMP}; mkdir -p "$SHOTS"

due() { as $CASH billctl --format json show "$1" | json 'j["accounts"][0]["balance_fen"]'; }
payments() { sql "SELECT count(*) FROM bill.entry e JOIN bill.account a ON a.id = e.account_id JOIN bill.house h ON h.id = a.house_id WHERE h.code = '$1' AND e.kind = 'payment' AND e.channel = 'mobile' AND e.method = 'wechat'"; }
browse() { printf '%s' "$1" >"$TMP/steps.json"; /usr/bin/python3 "$HEAT_SOURCE_DIR/tests/integration/support/browser.py" "$TMP/steps.json"; }
# session HOUSE FACTOR: a cookie jar $TMP/jar.HOUSE looked up, and $CSRF of its forms.
session() {
  local jar=$TMP/jar.$1 tok
  rm -f "$jar"
  tok=$(curl -s -c "$jar" -b "$jar" "$URL/" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$tok" --data-urlencode "house=$1" \
    --data-urlencode "factor=$2" "$URL/lookup"
  CSRF=$(curl -s -c "$jar" -b "$jar" "$URL/bill" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
}
# native_order HOUSE: POST /pay NATIVE in HOUSE's session; prints the order number.
native_order() {
  curl -s -o /dev/null -w '%{redirect_url}' -b "$TMP/jar.$1" --data-urlencode "csrf=$CSRF" -d type=NATIVE "$URL/pay" |
    sed 's/.*no=//'
}
fakepay() { curl -sS -X POST "$API/fake/pay" -d "$1" >"$TMP/pay.json"; }

# --- look-up: the same answer for a wrong code and a wrong factor -------------------
curl -s -D "$TMP/h0" -o "$TMP/p0" "$URL/"
expect_in "$TMP/h0" "^Content-Security-Policy: default-src 'none'; style-src 'self'" "a strict Content-Security-Policy"
expect_in "$TMP/h0" "^Set-Cookie: hp_c=[0-9a-f]{32}; .*HttpOnly; SameSite=Strict" "the form's cookie is HttpOnly and SameSite=Strict"
lookup_body() {
  local jar=$TMP/jar.probe tok
  rm -f "$jar"
  tok=$(curl -s -c "$jar" -b "$jar" "$URL/" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
  curl -s -c "$jar" -b "$jar" --data-urlencode "csrf=$tok" --data-urlencode "house=$1" --data-urlencode "factor=$2" \
    -w '%{http_code}' "$URL/lookup" | sed "s/value=\"[0-9a-f]*\"//; s/value=\"$1\"//"
}
lookup_body XF11101 9999 >"$TMP/wrong_factor"
lookup_body XF99999 0001 >"$TMP/wrong_code"
cmp -s "$TMP/wrong_factor" "$TMP/wrong_code" && ok "a wrong code and a wrong factor get the same page" ||
  { fail "the answers differ"; diff "$TMP/wrong_factor" "$TMP/wrong_code" >&2 || true; }
expect_in "$TMP/wrong_code" "户号或验证信息不对" "and it says the code or the factor is wrong"

# --- the resident pays on the phone (H5) -------------------------------------------
DUE1=$(due XF11101)
browse '[{"go": "'"$URL"'/"}, {"shot": "'"$SHOTS"'/heatpay-1-lookup.png"},
 {"fill": {"#house": "XF11101", "#factor": "0001"}}, {"click": "button[type=submit]"},
 {"wait_text": "供热费账单"}, {"shot": "'"$SHOTS"'/heatpay-2-bill.png"}, {"text": "'"$TMP"'/bill.txt"},
 {"click": "form[action=\"/pay\"] button"}, {"wait_text": "确认支付"}, {"shot": "'"$SHOTS"'/heatpay-3-wechat.png"},
 {"click": "button"}, {"wait_text": "缴费成功", "timeout": 30}, {"shot": "'"$SHOTS"'/heatpay-4-paid.png"},
 {"text": "'"$TMP"'/paid.txt"}, {"go": "'"$URL"'/bill"}, {"text": "'"$TMP"'/bill2.txt"},
 {"shot": "'"$SHOTS"'/heatpay-5-bill-paid.png"}]' && ok "chromium: look up, see the bill, pay, see it paid" || fail "the browser's walk"
YUAN1=$(python3 -c "import sys; f=int(sys.argv[1]); print('¥%d.%02d' % (f // 100, f % 100))" "$DUE1")
expect_in "$TMP/bill.txt" "XF11101" "the bill shows the house"
expect_in "$TMP/bill.txt" "幸福小区 1号楼 1单元 \*01" "the address with the room masked"
expect_in "$TMP/bill.txt" "王\*" "the name masked"
expect_in "$TMP/bill.txt" "$YUAN1" "what is owed, as the ledger has it ($YUAN1)"
grep -q "101室\|王芳" "$TMP/bill.txt" && fail "the full room or name is shown" || ok "no full room or name on the page"
expect_in "$TMP/paid.txt" "WX-[0-9]{8}" "the paid page shows the WX receipt"
expect_in "$TMP/bill2.txt" "已缴清" "the bill now says paid"
[ "$(payments XF11101)" = 1 ] && ok "one payment entry (mobile, wechat)" || fail "payments of XF11101: $(payments XF11101)"
[ "$(sql "SELECT -e.amount_fen FROM bill.online_order o JOIN bill.entry e ON e.id = o.entry_id WHERE o.house_id = (SELECT id FROM bill.house WHERE code = 'XF11101')")" = "$DUE1" ] &&
  ok "the entry is exactly what was owed ($DUE1 fen)" || fail "entry amount"
[ "$(due XF11101)" = 0 ] && ok "billctl show: nothing owed" || fail "still owed: $(due XF11101)"
[ "$(sql "SELECT r.receipt_no ~ '^WX-[0-9]{8}$' AND e.by_login = '$PAY' FROM bill.entry e JOIN bill.receipt r ON r.entry_id = e.id WHERE e.channel = 'mobile'")" = t ] &&
  ok "its receipt is WX-… and it was entered by the page's login" || fail "receipt or login of the entry"

# --- the e-invoice of that payment (BIL-21): asked on the page, issued by the worker ---
printf 'secret-%s\n' $$ >"$TMP/nn.secret"; printf 'token-%s\n' $$ >"$TMP/nn.token"; chmod 600 "$TMP/nn.secret" "$TMP/nn.token"
/usr/bin/python3 "$HEAT_SOURCE_DIR/tests/integration/support/fake_nuonuo.py" --app-key app$$ \
  --secret-file "$TMP/nn.secret" --token-file "$TMP/nn.token" >"$TMP/nn.port" 2>"$TMP/nn.log" & NN_PID=$!
trap 'kill $FAKE_PID $NN_PID 2>/dev/null; "$HEAT_SOURCE_DIR/scripts/heatpay-httpd" stop "$HTTPD"; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$TMP/nn.port" ] && break; sleep 0.1; done
printf 'invoice:\n  api_url: http://127.0.0.1:%s/open/v1/services\n  app_key: app%s\n  app_secret_file: %s\n  access_token_file: %s\n  seller_tax_id: 91650100MA77XYZ12K\n' \
  "$(head -1 "$TMP/nn.port")" $$ "$TMP/nn.secret" "$TMP/nn.token" >"$TMP/invoice.yaml"
SVC=svc_$$
heatctl user add $SVC --role heat_service >/dev/null
browse '[{"go": "'"$URL"'/"}, {"fill": {"#house": "XF11101", "#factor": "101"}}, {"click": "button[type=submit]"},
 {"wait_text": "开发票"}, {"click": "details form button"}, {"wait_text": "发票申请已提交"}]' &&
  ok "chromium: the resident asks for the receipt's e-invoice (room as the second factor)" || fail "asking for the invoice"
[ "$(sql "SELECT state FROM bill.invoice WHERE kind = 'blue'")" = queued ] && ok "the invoice is queued" || fail "invoice: $(sql "SELECT * FROM bill.invoice")"
expect_exit 0 "billctl invoice run issues it" env PGUSER=$SVC HEAT_CONFIG="$TMP/invoice.yaml" billctl invoice run
browse '[{"go": "'"$URL"'/"}, {"fill": {"#house": "XF11101", "#factor": "0001"}}, {"click": "button[type=submit]"},
 {"wait_text": "发票"}, {"shot": "'"$SHOTS"'/heatpay-6-invoice.png"}, {"html": "'"$TMP"'/bill3.html"}]' || fail "the bill after the invoice"
INV=$(sql "SELECT invoice_no || ' ' || invoice_url FROM bill.receipt WHERE invoice_no IS NOT NULL")
expect_in "$TMP/bill3.html" "href=\"${INV#* }\"[^>]*>发票 ${INV%% *}<" "the bill links the invoice ${INV%% *} to its PDF"

# --- a notify sent five times, and eight at once -----------------------------------
session XF11301 0002
NO2=$(native_order XF11301)
[[ "$NO2" =~ ^HP[0-9]{18}$ ]] && ok "a NATIVE order $NO2" || fail "native order: '$NO2'"
curl -s -b "$TMP/jar.XF11301" "$URL/order?no=$NO2" >"$TMP/order2.html"
expect_in "$TMP/order2.html" "<svg[^>]*aria-label=\"支付二维码\"" "the order page shows its QR code"
expect_in "$TMP/order2.html" "http-equiv=\"refresh\"" "and refreshes itself"
fakepay "{\"out_trade_no\": \"$NO2\", \"repeat\": 5}"
[ "$(payments XF11301)" = 1 ] && ok "five notifies: one entry" || fail "five notifies gave $(payments XF11301) entries"
[ "$(sql "SELECT string_agg(outcome, ',' ORDER BY id) FROM bill.online_event WHERE out_trade_no = '$NO2'")" = "posted,duplicate,duplicate,duplicate,duplicate" ] &&
  ok "one posted, four duplicates in the payment log" || fail "events: $(sql "SELECT string_agg(outcome, ',' ORDER BY id) FROM bill.online_event WHERE out_trade_no = '$NO2'")"

session XF11501 0003
NO3=$(native_order XF11501)
AMT3=$(sql "SELECT amount_fen FROM bill.online_order WHERE out_trade_no = '$NO3'")
pids=()
for i in $(seq 8); do
  PGUSER=$PAY psql -qAtX -c "SELECT bill.pay_notified('notify', '$NO3', '4200000000000003', 'SUCCESS', $AMT3, now())" >"$TMP/conc.$i" &
  pids+=($!)
done
wait "${pids[@]}"
[ "$(cat "$TMP"/conc.* | sort | uniq -c | tr -s ' ' | sed 's/^ //' | tr '\n' ' ')" = "7 duplicate 1 posted " ] &&
  ok "eight concurrent posts of one transaction: one posted, seven duplicates" || fail "concurrent: $(cat "$TMP"/conc.*)"
[ "$(payments XF11501)" = 1 ] && ok "and one entry" || fail "entries after concurrent posts: $(payments XF11501)"
session YH12102 0028
NOX=$(native_order YH12102)
[ "$(PGUSER=$PAY psql -qAtX -c "SELECT bill.pay_notified('notify', '$NOX', '4200000000000003', 'SUCCESS', (SELECT 1), now())")" = refused ] &&
  [ "$(sql "SELECT reason FROM bill.online_event WHERE out_trade_no = '$NOX'")" = "transaction 4200000000000003 paid another order" ] &&
  ok "a transaction that paid another order is refused" || fail "a reused transaction id: $(sql "SELECT * FROM bill.online_event WHERE out_trade_no = '$NOX'")"
sql "UPDATE bill.online_order SET state = 'closed' WHERE out_trade_no = '$NOX'" >/dev/null

# --- refused: a forged signature, an amount other than the order's ------------------
session XF12102 0004
NO4=$(native_order XF12102)
fakepay "{\"out_trade_no\": \"$NO4\", \"forge\": true}"
expect_in "$TMP/pay.json" "401" "a notify with a forged signature is answered 401"
[ "$(payments XF12102)" = 0 ] && ok "and posts nothing" || fail "a forged notify posted"
expect_in "$HTTPD/cgi.log" "notify refused" "the refusal is in the page's log"
NO5=$(native_order XF12102)
[ "$NO5" = "$NO4" ] && ok "the open order is reused, not doubled" || fail "a second order $NO5 beside $NO4"
sql "UPDATE bill.online_order SET state = 'closed' WHERE out_trade_no = '$NO4'" >/dev/null   # WeChat paid it, see below
NO5=$(native_order XF12102)
AMT5=$(sql "SELECT amount_fen FROM bill.online_order WHERE out_trade_no = '$NO5'")
fakepay "{\"out_trade_no\": \"$NO5\", \"amount\": $((AMT5 - 1))}"
[ "$(payments XF12102)" = 0 ] && ok "1 fen less than the order: nothing posted" || fail "a short amount posted"
[ "$(sql "SELECT outcome || ': ' || reason FROM bill.online_event WHERE out_trade_no = '$NO5' ORDER BY id LIMIT 1")" = "refused: the order is for $AMT5 fen" ] &&
  ok "refused and logged: the order is for $AMT5 fen" || fail "events of $NO5: $(sql "SELECT * FROM bill.online_event WHERE out_trade_no = '$NO5'")"

# --- a lost notify: the order page asks WeChat ---------------------------------------
session YH12102 0028
NO6=$(native_order YH12102)
fakepay "{\"out_trade_no\": \"$NO6\", \"notify\": false}"
[ "$(payments YH12102)" = 0 ] && ok "paid at WeChat, the notify lost: nothing posted yet" || fail "posted without notify"
curl -s -b "$TMP/jar.YH12102" "$URL/order?no=$NO6" >"$TMP/order6.html"
expect_in "$TMP/order6.html" "缴费成功" "the order page asked WeChat and shows it paid"
[ "$(sql "SELECT source || ':' || outcome FROM bill.online_event WHERE out_trade_no = '$NO6'")" = "query:posted" ] &&
  ok "posted from the query" || fail "events of $NO6"

# --- a cashier takes the fee while the order is open ----------------------------------
session YH12302 0029
NO7=$(native_order YH12302)
AMT7=$(sql "SELECT amount_fen FROM bill.online_order WHERE out_trade_no = '$NO7'")
as $CASH billctl charge YH12302 --amount "$(python3 -c "print('%d.%02d' % divmod($AMT7, 100))")" --method cash >/dev/null
fakepay "{\"out_trade_no\": \"$NO7\"}"
[ "$(sql "SELECT state || ' ' || overpaid_fen FROM bill.online_order WHERE out_trade_no = '$NO7'")" = "paid $AMT7" ] &&
  ok "paid at the counter meanwhile: the WeChat money is entered and $AMT7 fen marked paid over" ||
  fail "order after a counter charge: $(sql "SELECT state, overpaid_fen FROM bill.online_order WHERE out_trade_no = '$NO7'")"

# --- a closed channel (BIL-27) ----------------------------------------------------------
as $ADMIN billctl channel close wechat >/dev/null
session YH12502 0030
curl -s -b "$TMP/jar.YH12502" "$URL/bill" >"$TMP/closed.html"
expect_in "$TMP/closed.html" "网上缴费暂停" "method wechat closed: the bill says to pay at the hall"
grep -q 'action="/pay"' "$TMP/closed.html" && fail "a payment is still offered" || ok "and offers no payment"
before=$(sql "SELECT count(*) FROM bill.online_order")
code=$(curl -s -o "$TMP/closed_pay.html" -w '%{http_code}' -b "$TMP/jar.YH12502" --data-urlencode "csrf=$CSRF" -d type=H5 "$URL/pay")
[ "$code" = 409 ] && ok "an order anyway is refused (409)" || fail "order with the method closed: $code"
[ "$(sql "SELECT count(*) FROM bill.online_order")" = "$before" ] && ok "and no order is made" || fail "an order was made"
as $ADMIN billctl channel open wechat >/dev/null

# --- probes: markup in every field, forged posts, a flood of look-ups ---------------
EVIL='<script>alert(1)</script>"'"'"'><img src=x onerror=alert(2)>'
session XF11101 0001
code=$(curl -s -o "$TMP/hall_post" -w '%{http_code}' -b "$TMP/jar.XF11101" --data-urlencode "csrf=$CSRF" \
  -d kind=repair --data-urlencode "detail=$EVIL" --data-urlencode "phone=13990000001" "$URL/hall")
[ "$code" = 303 ] && ok "a repair request with markup in it is filed from the page" || fail "hall filing: $code $(cat "$TMP/hall_post")"
[ "$(sql "SELECT detail FROM bill.hall_request ORDER BY id DESC LIMIT 1")" = "$EVIL" ] && ok "stored as typed" || fail "stored detail"
curl -s -b "$TMP/jar.XF11101" "$URL/hall" >"$TMP/hall.html"
grep -qF '<script>alert(1)' "$TMP/hall.html" || grep -qF '<img src=x' "$TMP/hall.html" && fail "markup reached the page" ||
  ok "the page shows it escaped, no markup"
expect_in "$TMP/hall.html" "&lt;script&gt;alert\(1\)&lt;/script&gt;&quot;&#39;&gt;&lt;img" "as text"
expect_in "$TMP/hall.html" "报修" "with its kind and state"
tok=$(curl -s -c "$TMP/jar.evil" -b "$TMP/jar.evil" "$URL/" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
curl -s -c "$TMP/jar.evil" -b "$TMP/jar.evil" --data-urlencode "csrf=$tok" --data-urlencode "house=$EVIL" \
  --data-urlencode "factor=$EVIL" "$URL/lookup" >"$TMP/evil_lookup"
grep -qF '<script>alert(1)' "$TMP/evil_lookup" && fail "the look-up echoes markup" || ok "a look-up with markup echoes none"
orders=$(sql "SELECT count(*) FROM bill.online_order") halls=$(sql "SELECT count(*) FROM bill.hall_request")
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/jar.XF11101" -d type=H5 "$URL/pay")
[ "$code" = 403 ] && ok "POST /pay without the token: 403" || fail "pay without token: $code"
session XF11301 0002
OTHER=$CSRF
session XF11101 0001
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/jar.XF11101" --data-urlencode "csrf=$OTHER" -d kind=repair \
  -d detail=x -d phone=13990000001 "$URL/hall")
[ "$code" = 403 ] && ok "POST /hall with another session's token: 403" || fail "hall with another token: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: http://evil.example" -d type=NATIVE -d csrf=0 "$URL/pay")
[ "$code" = 403 ] && ok "a cross-site POST without cookies: 403" || fail "cross-site post: $code"
[ "$(sql "SELECT count(*) FROM bill.online_order")/$(sql "SELECT count(*) FROM bill.hall_request")" = "$orders/$halls" ] &&
  ok "and nothing was stored" || fail "a forged post changed something"
sql "DELETE FROM bill.pay_attempt" >/dev/null
# 200 from one address within the minute the window lasts (it restarts a
# minute after its first look-up): the page answers fast enough for that.
n429=0 n200=0 t0=$(date +%s)
for i in $(seq 200); do
  case $(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/jar.probe" --data-urlencode "csrf=$(curl -s -c "$TMP/jar.probe" -b "$TMP/jar.probe" "$URL/" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)" \
         -d house=XF11101 -d factor=$((1000 + i)) "$URL/lookup") in
    429) n429=$((n429 + 1)) ;; 200) n200=$((n200 + 1)) ;;
  esac
done
[ "$n200" = 20 ] && [ "$n429" = 180 ] && ok "200 look-ups in a minute from one address: 20 answered, 180 refused (429)" ||
  fail "look-ups answered $n200, refused $n429 (in $(($(date +%s) - t0)) s)"


# --- FastCGI workers (heatpay.cgi(8), PERFORMANCE) --------------------------------
workers() { { pgrep -f "^$HTTPD/www/heatpay.cgi" || true; } | sort | paste -sd' '; }
before=$(workers)
for i in $(seq 12); do curl -s -o /dev/null "$URL/"; done
[ "$(echo "$before" | wc -w)" = 4 ] && [ "$(workers)" = "$before" ] &&
  ok "four FastCGI workers serve request after request (no process per request)" ||
  fail "workers before: '$before', after: '$(workers)'"
cp "$TMP/heat.yaml" "$TMP/heat.yaml.orig"
sed -i 's/company: 测试热力公司/company: 改名热力公司/' "$TMP/heat.yaml"
expect_in <(curl -s "$URL/") "改名热力公司" "a changed configuration is read before the next request"
printf 'site:\n  no_such_option: 1\n' >>"$TMP/heat.yaml"
code=$(curl -s -o "$TMP/after-bad.html" -w '%{http_code}' "$URL/")
[ "$code" = 200 ] && grep -q "改名热力公司" "$TMP/after-bad.html" &&
  ok "one that does not load is not used: the page still answers with the last good one" ||
  fail "after a broken configuration: $code"
expect_in "$HTTPD/cgi.log" "the configuration loaded before stays in use" "and the log says why"
cp "$TMP/heat.yaml.orig" "$TMP/heat.yaml"
kill -KILL "${before%% *}"
codes=$(for i in $(seq 8); do curl -s -o /dev/null -w '%{http_code} ' "$URL/" || echo "curl=$? "; done)
[ "$codes" = "$(printf '200 %.0s' $(seq 8))" ] && ok "a worker that died is not missed: every request answered" ||
  fail "after a worker died: codes '$codes'"
eventually_workers() { for _ in $(seq 50); do [ "$(workers | wc -w)" = 4 ] && return 0; sleep 0.1; done; return 1; }
eventually_workers && ok "and lighttpd started it again" || fail "workers after one died: '$(workers)'"

# --- the same page as a plain CGI (one process per request) -----------------------
CGI_DIR=$TMP/httpd-cgi CGI_PORT=$(free_port)
trap 'kill $FAKE_PID 2>/dev/null; "$HEAT_SOURCE_DIR/scripts/heatpay-httpd" stop "$HTTPD"; "$HEAT_SOURCE_DIR/scripts/heatpay-httpd" stop "$CGI_DIR"; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
"$HEAT_SOURCE_DIR/scripts/heatpay-httpd" start "$CGI_DIR" "$CGI_PORT" "$HEAT_BIN/heatpay.cgi" "$TMP/heat.yaml" cgi >/dev/null
sql "DELETE FROM bill.pay_attempt" >/dev/null
URL=http://127.0.0.1:$CGI_PORT session XF11301 0002
expect_in <(curl -s -b "$TMP/jar.XF11301" "http://127.0.0.1:$CGI_PORT/bill") "XF11301" "as CGI: the look-up leads to the bill"
[ -z "$(pgrep -f "^$CGI_DIR/www/heatpay.cgi")" ] && ok "and no process stays after its request" ||
  fail "CGI processes left: $(pgrep -f "^$CGI_DIR/www/heatpay.cgi")"

finish
