#!/usr/bin/env bash
# WeChat Pay reaches the ledger exactly once (BIL-23): against the fake
# WeChat Pay v3 server (support/fake_wechat.py, which checks the
# merchant's signature on every request and signs every reply), orders
# are made through the page's database doors as a heat_pay login and at
# WeChat as the page makes them; their notifies are lost (notify_url is a
# closed port). billctl wechat reconcile, as the heat_pay login:
#  - posts a paid order from its query once (a WX receipt, one entry,
#    one bill.online_event 'posted'); a second run posts nothing;
#  - posts from the trade bill a payment whose order was closed meanwhile;
#  - reports an amount WeChat took that differs from the order, and a bill
#    amount that differs from the ledger, to the fen, exit 5;
#  - refuses replies whose platform signature is forged (exit 4) and
#    posts nothing on their word; once they are genuine again it posts.
source "$(dirname "$0")/lib.sh"
# Dates as billing takes them: the company's day (site.timezone, by default
# Asia/Shanghai), also in psql, or the test's "today" is yesterday between
# 00:00 and 08:00 there.
export PGTZ=Asia/Shanghai
export PGUSER=$SUPER
start_fake_wechat
trap 'kill $FAKE_PID 2>/dev/null; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
[ -n "$MSERIAL" ] && ok "the fake WeChat Pay runs at $API" || { cat "$TMP/fake.log"; fail "no fake"; finish; }
# The page's notify URL is a closed port: every notify is lost.
wechat_yaml http://127.0.0.1:1/heatpay.cgi/notify >"$TMP/heat.yaml"
export HEAT_CONFIG=$TMP/heat.yaml

# --- a season, houses, and the page's login ----------------------------------------
ADMIN=ba_$$ PAY=pay_$$
heatctl user add $ADMIN --role bill_admin >/dev/null
heatctl user add $PAY --role heat_pay >/dev/null
demo_billing $ADMIN
TODAY=$(sql "SELECT bill.today()")
paysql() { PGUSER=$PAY psql -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

# order HOUSE ROOM: an order as the page makes it — look-up, the order in the
# database, the order at WeChat (a signed POST /v3/pay/transactions/native),
# its code_url stored. Prints "OUT_TRADE_NO AMOUNT_FEN".
order() {
  local token no amount code_url
  token=$(paysql "SELECT bill.pay_login('$1', '$2', '127.0.0.1')")
  paysql "SELECT bill.pay_bill('$token')" >/dev/null   # opens the season's account, as the page shows the bill
  read -r no amount < <(paysql "SELECT out_trade_no, amount_fen FROM bill.pay_order_new('$token', 'NATIVE', '127.0.0.1')" | tr '|' ' ')
  code_url=$(python3 - "$API" "$MSERIAL" "$TMP/merchant_key.pem" "$no" "$amount" <<'PY'
import base64, json, secrets, sys, time, urllib.request
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
api, serial, keyfile, no, amount = sys.argv[1:]
key = serialization.load_pem_private_key(open(keyfile, "rb").read(), None)
body = json.dumps({"appid": "wx8888888888888888", "mchid": "1900000109", "description": "供热费 test",
                   "out_trade_no": no, "notify_url": "http://127.0.0.1:1/heatpay.cgi/notify",
                   "amount": {"total": int(amount), "currency": "CNY"}}, ensure_ascii=False)
path, ts, nonce = "/v3/pay/transactions/native", str(int(time.time())), secrets.token_hex(16)
sig = base64.b64encode(key.sign(f"POST\n{path}\n{ts}\n{nonce}\n{body}\n".encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
auth = f'WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="{nonce}",signature="{sig}",timestamp="{ts}",serial_no="{serial}"'
req = urllib.request.Request(api + path, data=body.encode(), method="POST",
                             headers={"Authorization": auth, "Content-Type": "application/json", "Accept": "application/json"})
print(json.load(urllib.request.urlopen(req))["code_url"])
PY
)
  paysql "SELECT bill.pay_order_opened('$no', '$code_url', NULL, NULL)" >/dev/null
  echo "$no $amount"
}
fakepay() { curl -sS -X POST "$API/fake/pay" -d "$1" >"$TMP/pay.json"; }
reconcile() { as $PAY billctl --format json wechat reconcile --date "$TODAY"; }
# line EVENT NO: "source transaction_id bill_fen ledger_fen difference_fen" of
# the reconcile output's line EVENT about order NO (json), or nothing.
line() {
  python3 -c "import json,sys
for r in json.load(open(sys.argv[1])):
  if r['event'] == sys.argv[2] and r['out_trade_no'] == sys.argv[3]:
    print(' '.join('null' if r[k] is None else str(r[k]) for k in ('source', 'transaction_id', 'bill_fen', 'ledger_fen', 'difference_fen')))" "$TMP/out" "$1" "$2"
}
# expect_line EVENT NO WANT DESCRIPTION
expect_line() {
  local got; got=$(line "$1" "$2")
  [ "$got" = "$3" ] && ok "$4: $1 $got" || { fail "$4: line $1 of $2 is '$got', want '$3'"; sed 's/^/  | /' "$TMP/out" >&2; }
}
entries() { sql "SELECT count(*) FROM bill.entry WHERE kind = 'payment' AND channel = 'mobile' AND method = 'wechat' AND note LIKE '%$1%'"; }

read -r NO1 AMT1 < <(order XF11101 0001)
[[ "$NO1" =~ ^HP[0-9]{18}$ ]] && ok "order $NO1 of $AMT1 fen made and opened at WeChat" || fail "order: '$NO1'"
expect_in "$TMP/fake.json" "\"$NO1\"" "the fake holds the order"
curl -sS "$API/v3/pay/transactions/out-trade-no/$NO1?mchid=1900000109" -o "$TMP/unsigned.json" -w '%{http_code}\n' >"$TMP/code"
expect_in "$TMP/code" "^401$" "an unsigned request is refused by the fake (401)"
expect_in "$TMP/unsigned.json" "SIGN_ERROR" "with SIGN_ERROR"

# --- a lost notify: reconcile posts it once ----------------------------------------
fakepay "{\"out_trade_no\": \"$NO1\", \"notify\": true}"
TX1=$(json 'j["transaction_id"]' <"$TMP/pay.json")
[ "$(json 'j["notify_status"]' <"$TMP/pay.json")" = "[0]" ] && ok "paid at WeChat ($TX1); the notify was lost" || fail "pay: $(cat "$TMP/pay.json")"
[ "$(sql "SELECT state FROM bill.online_order WHERE out_trade_no = '$NO1'")" = open ] && ok "the order is still open in the database" || fail "order state before reconcile"
expect_exit 0 "reconcile posts the payment the notify would have" reconcile
expect_line posted "$NO1" "query $TX1 $AMT1 null null" "the line says posted from the query"
[ "$(entries "$NO1")" = 1 ] && ok "one ledger entry (mobile, wechat)" || fail "entries of $NO1: $(entries "$NO1")"
R1=$(sql "SELECT receipt_no FROM bill.online_order WHERE out_trade_no = '$NO1'")
[[ "$R1" =~ ^WX-[0-9]{8}$ ]] && ok "its receipt is $R1" || fail "receipt: '$R1'"
[ "$(sql "SELECT state || ' ' || transaction_id FROM bill.online_order WHERE out_trade_no = '$NO1'")" = "paid $TX1" ] && ok "the order is paid by $TX1" || fail "order after reconcile"
E1=$(sql "SELECT -e.amount_fen FROM bill.entry e JOIN bill.online_order o ON o.entry_id = e.id WHERE o.out_trade_no = '$NO1'")
[ "$E1" = "$AMT1" ] && ok "the entry is $AMT1 fen" || fail "entry amount: '$E1', want $AMT1"
[ "$(sql "SELECT string_agg(source || ':' || outcome || ':' || by_login, ',') FROM bill.online_event WHERE out_trade_no = '$NO1'")" = "query:posted:$PAY" ] && ok "one event: query posted by $PAY" || fail "events: $(sql "SELECT * FROM bill.online_event")"
TOTAL=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))[-1]; print(r['event'], r['bill_fen'], r['ledger_fen'], r['difference_fen'])" "$TMP/out")
[ "$TOTAL" = "total $AMT1 $AMT1 0" ] && ok "totals: bill $AMT1 = ledger $AMT1, difference 0" || fail "totals: $TOTAL"

expect_exit 0 "reconcile again" reconcile
[ "$(entries "$NO1")" = 1 ] && ok "still one ledger entry after the second run" || fail "entries after 2nd run: $(entries "$NO1")"
[ "$(sql "SELECT count(*) FROM bill.online_event WHERE out_trade_no = '$NO1' AND outcome = 'posted'")" = 1 ] && ok "still one posted event" || fail "posted events"
grep -q '"posted"' "$TMP/out" && fail "the second run posted something" || ok "the second run posts nothing"

# --- the trade bill: a payment whose order was closed meanwhile --------------------
read -r NO2 AMT2 < <(order XF11301 0002)
fakepay "{\"out_trade_no\": \"$NO2\", \"notify\": false}"
TX2=$(json 'j["transaction_id"]' <"$TMP/pay.json")
sql "UPDATE bill.online_order SET state = 'closed', closed_state = 'test' WHERE out_trade_no = '$NO2'" >/dev/null
expect_exit 0 "reconcile finds it in the trade bill" reconcile
expect_line posted "$NO2" "tradebill $TX2 $AMT2 null null" "posted from the trade bill"
[ "$(entries "$NO2")" = 1 ] && ok "one entry for $NO2" || fail "entries of $NO2"
expect_exit 0 "and again" reconcile
[ "$(entries "$NO2")" = 1 ] && ok "still one entry for $NO2" || fail "entries of $NO2 after the rerun"

# --- amounts that differ --------------------------------------------------------
read -r NO3 AMT3 < <(order XF11501 0003)
fakepay "{\"out_trade_no\": \"$NO3\", \"notify\": false, \"amount\": $((AMT3 + 1))}"
expect_exit 5 "WeChat took 1 fen more than the order: a difference" reconcile
TX3=$(json 'j["transaction_id"]' <"$TMP/pay.json")
expect_line refused "$NO3" "query $TX3 $((AMT3 + 1)) null null" "the database refused the query's amount"
expect_line missing_in_ledger "$NO3" " $TX3 $((AMT3 + 1)) null $((AMT3 + 1))" "reported as paid at WeChat, not in the ledger, to the fen"
[ "$(entries "$NO3")" = 0 ] && ok "nothing entered for $NO3" || fail "entries of $NO3"
expect_in "$TMP/err" "differences between WeChat Pay's bill of $TODAY and the ledger" "the error says so"
curl -sS -X POST "$API/fake/mode" -d "{\"bill_amounts\": {\"$NO1\": $((AMT1 - 5))}}" >/dev/null
expect_exit 5 "the bill says 5 fen less for $NO1 than the ledger" reconcile
expect_line amount_differs "$NO1" " $TX1 $((AMT1 - 5)) $AMT1 -5" "the bill's amount differs from the ledger's by -5 fen"
TOTAL=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))[-1]; print(r['bill_fen'], r['ledger_fen'], r['difference_fen'])" "$TMP/out")
[ "$TOTAL" = "$((AMT1 - 5 + AMT2 + AMT3 + 1)) $((AMT1 + AMT2)) $((AMT3 + 1 - 5))" ] && ok "totals to the fen: $TOTAL" || fail "totals: $TOTAL"
as $PAY billctl wechat reconcile --date "$TODAY" >"$TMP/table" 2>/dev/null || true
expect_in "$TMP/table" "amount_differs .*-0\.05" "the table shows the difference in yuan"

# --- forged replies ---------------------------------------------------------------
read -r NO4 AMT4 < <(order XF12302 0005)
fakepay "{\"out_trade_no\": \"$NO4\", \"notify\": false}"
curl -sS -X POST "$API/fake/mode" -d '{"forge_replies": true}' >/dev/null
EVENTS=$(sql "SELECT count(*) FROM bill.online_event")
expect_exit 4 "replies with a forged platform signature are refused" reconcile
expect_in "$TMP/err" "signature does not match" "the error names the signature"
[ "$(sql "SELECT count(*) FROM bill.online_event")" = "$EVENTS" ] && ok "nothing was recorded on a forged reply's word" || fail "events were written"
[ "$(entries "$NO4")" = 0 ] && ok "$NO4 not posted" || fail "$NO4 posted on a forged reply"
curl -sS -X POST "$API/fake/mode" -d '{"forge_replies": false}' >/dev/null
expect_exit 5 "genuine replies again (the differences above remain)" reconcile
[ "$(entries "$NO4")" = 1 ] && ok "$NO4 posted once the replies are genuine" || fail "$NO4 entries"

# --- the configuration's secrets -------------------------------------------------
chmod 644 "$TMP/apiv3.key"
expect_exit 4 "an APIv3 key readable by others is refused" reconcile
expect_in "$TMP/err" "apiv3.key: mode 0644" "the error names the file and its mode"
grep -qF "$(head -c 32 "$TMP/apiv3.key")" "$TMP/err" && fail "the key is in the message" || ok "the key itself is not in the message"
chmod 600 "$TMP/apiv3.key"
finish
