#!/usr/bin/env bash
# Electronic invoices (BIL-21, BIL-24, BIL-28) against a fake invoicing
# vendor (support/fake_nuonuo.py, the 诺诺 open API with its signature):
# a payment at the counter, its invoice requested; the vendor down (HTTP
# 503, or hanging past invoice.timeout_ms) →
# billctl invoice run leaves it queued, says so and sets a later try; the
# vendor up → issued once, the number and PDF link on the receipt, in
# billctl invoice show and billctl show, the PDF served; run again and
# ask again → still one invoice at the vendor; the payment reversed →
# a red-letter invoice issued and the blue one voided; a receipt voided
# before its invoice was sent → cancelled, nothing sent; a bad tax id
# refused with nothing stored; a cashier of another branch refused; the
# run as a heat_service login (the timer's); the secret never printed.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
ADMIN=iba_$$ CASH=ica_$$ OTHER=ico_$$ SVC=isv_$$
SECRET="s3cret-$$-$RANDOM"
printf '%s\n' "$SECRET" >"$TMP/secret"; printf 'token-%s\n' "$$" >"$TMP/token"
chmod 600 "$TMP/secret" "$TMP/token"
python3 "$HEAT_SOURCE_DIR/tests/integration/support/fake_nuonuo.py" --app-key app$$ \
  --secret-file "$TMP/secret" --token-file "$TMP/token" >"$TMP/fake.port" 2>"$TMP/fake.log" & FAKE=$!
trap 'kill $FAKE 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$TMP/fake.port" ] && break; sleep 0.1; done
PORT=$(head -1 "$TMP/fake.port")
VENDOR=http://127.0.0.1:$PORT
cat >"$TMP/heat.yaml" <<YAML
invoice:
  api_url: $VENDOR/open/v1/services
  app_key: app$$
  app_secret_file: $TMP/secret
  access_token_file: $TMP/token
  seller_tax_id: 91650100MA77XYZ12K
  tax_rate: 9
  timeout_ms: 2000
  retry: 1m
YAML
export HEAT_CONFIG=$TMP/heat.yaml
down() { curl -s -X POST -d "{\"down\": $1, \"mode\": \"${2:-503}\"}" "$VENDOR/fake/down" >/dev/null; }
at_vendor() { curl -s "$VENDOR/fake/invoices" | json "$1"; }

cat >"$TMP/org.yaml" <<YAML
org_units: [{code: BR1, name: 一分公司}, {code: BR2, name: 二分公司}]
YAML
heatctl import "$TMP/org.yaml" >/dev/null
heatctl user add $ADMIN --role bill_admin >/dev/null
heatctl user add $CASH --role bill_cashier --org BR1 >/dev/null
heatctl user add $OTHER --role bill_cashier --org BR2 >/dev/null
heatctl user add $SVC --role heat_service >/dev/null
demo_billing $ADMIN
sql "UPDATE bill.community SET org_id = (SELECT id FROM heat.org_unit WHERE code = 'BR1')" >/dev/null

# --- a payment, its invoice requested, the vendor down --------------------------
expect_exit 0 "charge at the counter" as $CASH billctl charge XF11101 --amount 100.00 --method cash --format json
R=$(json 'j["receipt_no"]' <"$TMP/out")
expect_exit 2 "a bad tax id is refused" as $CASH billctl invoice request "$R" --buyer 某公司 --tax-id 12345
expect_in "$TMP/err" "tax id" "... saying what is wrong"
[ "$(sql "SELECT count(*) FROM bill.invoice")" = 0 ] && ok "nothing stored for the bad tax id" || fail "a row was stored"
expect_exit 4 "a cashier of another branch is refused" as $OTHER billctl invoice request "$R"
expect_in "$TMP/err" "outside your data scope" "... as outside their scope"
[ "$(sql "SELECT count(*) FROM bill.invoice")" = 0 ] && ok "nothing stored for the other branch" || fail "a row was stored"
expect_exit 0 "request the invoice" as $CASH billctl invoice request "$R" --format json
[ "$(json 'j["state"], j["order_no"], j["buyer"]' <"$TMP/out")" = "queued INV$R 王芳" ] &&
  ok "queued as INV$R for the customer 王芳" || fail "request: $(cat "$TMP/out")"

down true
t0=$(sql "SELECT extract(epoch FROM now())::bigint")
expect_exit 1 "invoice run with the vendor down" as $ADMIN billctl invoice run
expect_in "$TMP/err" "stay queued: vendor not reached: HTTP 503; next try at" "it says the invoice stays queued and when it is tried again"
[ "$(sql "SELECT state, attempts, next_try_at > now() + interval '50 s' FROM bill.invoice" | tr '|' ' ')" = "queued 1 t" ] &&
  ok "the row stays queued, one attempt, next try a minute later" || fail "after the outage: $(sql "SELECT * FROM bill.invoice")"
[ "$(at_vendor 'len(j)')" = 0 ] && ok "nothing issued at the vendor" || fail "the vendor issued while down"
expect_exit 0 "a run before the next try sends nothing" as $ADMIN billctl invoice run --format json
[ "$(json 'j["claimed"]' <"$TMP/out")" = 0 ] && ok "not due yet: nothing claimed" || fail "claimed too early: $(cat "$TMP/out")"
down true timeout   # the vendor takes the connection and never answers
sql "UPDATE bill.invoice SET next_try_at = now()" >/dev/null
expect_exit 1 "invoice run with the vendor hanging" as $ADMIN billctl invoice run
expect_in "$TMP/err" "stay queued: vendor not reached: Timeout" "a call past invoice.timeout_ms counts as not reached"
[ "$(sql "SELECT state, attempts, next_try_at > now() + interval '110 s' FROM bill.invoice" | tr '|' ' ')" = "queued 2 t" ] &&
  ok "still queued, the next wait doubled to two minutes" || fail "after the timeout: $(sql "SELECT * FROM bill.invoice")"

# --- the vendor up: issued once ---------------------------------------------------
down false
sql "UPDATE bill.invoice SET next_try_at = now()" >/dev/null   # the minute passed
expect_exit 0 "invoice run as the timer's heat_service login" as $SVC billctl invoice run
expect_in "$TMP/out" "INV$R issued" "the run names the issued invoice"
row=$(sql "SELECT state, attempts, amount_fen, tax_fen, tax_rate_pct, invoice_no <> '', pdf_url LIKE '$VENDOR/pdf/%' FROM bill.invoice" | tr '|' ' ')
[ "$row" = "issued 3 10000 826 9 t t" ] && ok "issued on the third try: 100.00 with 8.26 tax at 9 %" || fail "row: $row"
NO=$(sql "SELECT invoice_no FROM bill.invoice")
URL=$(sql "SELECT pdf_url FROM bill.invoice")
[ "$(sql "SELECT invoice_no = '$NO' AND invoice_url = '$URL' FROM bill.receipt WHERE receipt_no = '$R'")" = t ] &&
  ok "number $NO and link on the receipt" || fail "receipt: $(sql "SELECT * FROM bill.receipt WHERE receipt_no = '$R'")"
[ "$(at_vendor 'len(j), j[0]["buyerName"], j[0]["tax"], j[0]["taxRate"], j[0]["goodsName"]')" = "1 王芳 8.26 0.09 *供热*采暖费" ] &&
  ok "the vendor has one invoice: buyer, tax, rate and item as sent" || fail "vendor: $(curl -s "$VENDOR/fake/invoices")"
curl -s -o "$TMP/inv.pdf" "$URL"
pdftotext "$TMP/inv.pdf" - 2>/dev/null | grep -q "INVOICE .* $NO" && ok "the PDF link serves the invoice" || fail "PDF at $URL"
expect_exit 0 "invoice show" as $CASH billctl invoice show "$R"
expect_in "$TMP/out" "$NO" "show: the number"
expect_in "$TMP/out" "$URL" "show: the link"
expect_exit 0 "billctl show of the house" as $CASH billctl show XF11101
expect_in "$TMP/out" "invoice $NO of $R: $URL" "billctl show: the invoice of the receipt"

expect_exit 0 "invoice run again" as $ADMIN billctl invoice run --format json
[ "$(json 'j["claimed"]' <"$TMP/out")" = 0 ] && ok "nothing left to send" || fail "run again: $(cat "$TMP/out")"
expect_exit 0 "ask again for the same receipt" as $CASH billctl invoice request "$R" --format json
[ "$(json 'j["state"], j["invoice_no"]' <"$TMP/out")" = "issued $NO" ] && ok "the same invoice is returned" || fail "again: $(cat "$TMP/out")"
# A worker that died after sending: the row is due again with no serial; the order number keeps it one invoice.
sql "UPDATE bill.invoice SET state = 'queued', serial = NULL, next_try_at = now()" >/dev/null
expect_exit 0 "the same order sent again" as $ADMIN billctl invoice run
[ "$(at_vendor 'len(j)')" = 1 ] && ok "still one invoice at the vendor" || fail "the vendor issued twice"
[ "$(sql "SELECT state, invoice_no FROM bill.invoice" | tr '|' ' ')" = "issued $NO" ] && ok "and the same number recorded" || fail "resend"

# --- the payment reversed: red-letter invoice --------------------------------------
expect_exit 0 "reverse the payment (红冲)" as $CASH billctl reverse "$R" --reason "wrong house"
[ "$(sql "SELECT state FROM bill.invoice WHERE kind = 'red'")" = queued ] && ok "a red-letter invoice is queued" || fail "no red row"
expect_exit 0 "invoice run sends the red-letter invoice" as $ADMIN billctl invoice run
[ "$(sql "SELECT string_agg(kind || ' ' || state || ' ' || amount_fen || ' ' || tax_fen, ', ' ORDER BY id) FROM bill.invoice")" = \
  "blue voided 10000 826, red issued -10000 -826" ] && ok "red issued for -100.00/-8.26, the blue one voided" ||
  fail "after the reversal: $(sql "SELECT kind, state, amount_fen, tax_fen, last_error FROM bill.invoice")"
[ "$(at_vendor '" ".join(v["invoiceType"] + ":" + v["status"] for v in j)')" = "1:3 2:2" ] &&
  ok "the vendor has the blue one reversed and the red one issued" || fail "vendor: $(curl -s "$VENDOR/fake/invoices")"
expect_exit 0 "invoice show of the voided receipt" as $CASH billctl invoice show "$R" --format json
[ "$(json '" ".join(v["kind"] + ":" + v["state"] for v in j)' <"$TMP/out")" = "red:issued blue:voided" ] &&
  ok "show lists both" || fail "show: $(cat "$TMP/out")"

# --- voided before it was sent: cancelled ------------------------------------------
as $CASH billctl charge XF11301 --amount 50.00 --method cash --format json >"$TMP/c2"
R2=$(json 'j["receipt_no"]' <"$TMP/c2")
expect_exit 0 "request with a company's tax id" as $CASH billctl invoice request "$R2" --buyer 某某有限公司 --tax-id 91650100MA7ABCDE1X
as $CASH billctl reverse "$R2" --reason "mistake" >/dev/null
[ "$(sql "SELECT state FROM bill.invoice WHERE receipt_no = '$R2'")" = cancelled ] && ok "not yet sent: cancelled" || fail "R2"
expect_exit 0 "a run sends nothing for it" as $ADMIN billctl invoice run --format json
[ "$(json 'j["claimed"]' <"$TMP/out")" = 0 ] && [ "$(at_vendor 'len(j)')" = 2 ] && ok "nothing sent" || fail "sent a cancelled one"
expect_exit 5 "a voided receipt gets no invoice" as $CASH billctl invoice request "$R2"

# --- a wrong secret: the vendor refuses the signature; asked again, issued ----------
as $CASH billctl charge XF11501 --amount 20.00 --method wechat --format json >"$TMP/c3"
R3=$(json 'j["receipt_no"]' <"$TMP/c3")
as $CASH billctl invoice request "$R3" >/dev/null
printf 'wrong\n' >"$TMP/wrong"; chmod 600 "$TMP/wrong"
sed "s|$TMP/secret|$TMP/wrong|" "$TMP/heat.yaml" >"$TMP/wrong.yaml"
expect_exit 1 "invoice run signed with a wrong secret" env HEAT_CONFIG="$TMP/wrong.yaml" PGUSER=$ADMIN billctl invoice run
expect_in "$TMP/err" "1 invoices refused by the vendor" "the run says an invoice was refused"
[ "$(sql "SELECT state, last_error FROM bill.invoice WHERE receipt_no = '$R3'" | tr '|' ' ')" = "failed vendor 070302: 签名错误" ] &&
  ok "the vendor refuses the signature: failed, with its reason" || fail "R3: $(sql "SELECT * FROM bill.invoice WHERE receipt_no = '$R3'")"
expect_exit 0 "asked again" as $CASH billctl invoice request "$R3" --format json
[ "$(json 'j["state"]' <"$TMP/out")" = queued ] && ok "a failed invoice asked again is queued anew" || fail "again: $(cat "$TMP/out")"
expect_exit 0 "invoice run with the right secret" as $ADMIN billctl invoice run
[ "$(sql "SELECT state, amount_fen, tax_fen FROM bill.invoice WHERE receipt_no = '$R3'" | tr '|' ' ')" = "issued 2000 165" ] &&
  ok "issued: 20.00 with 1.65 tax" || fail "R3 after: $(sql "SELECT * FROM bill.invoice WHERE receipt_no = '$R3'")"

# --- the log, the list, the secret ------------------------------------------------
[ "$(sql "SELECT string_agg(DISTINCT action, ',' ORDER BY action) FROM heat.op_log WHERE object_kind = 'invoice'")" = \
  "invoice_cancel,invoice_fail,invoice_issue,invoice_request,invoice_reverse" ] &&
  ok "requests, issues, failures, reversals and cancels are logged" ||
  fail "log: $(sql "SELECT action, object_code FROM heat.op_log WHERE object_kind = 'invoice'")"
expect_exit 0 "invoice list --state issued" as $CASH billctl invoice list --state issued --format csv
[ "$(grep -c RED "$TMP/out")" = 1 ] && ok "list by state" || fail "list: $(cat "$TMP/out")"
expect_exit 4 "a cashier cannot run the worker" as $CASH billctl invoice run
grep -rq "$SECRET" "$TMP"/out "$TMP"/err && fail "the secret was printed" || ok "the secret is never printed"
chmod 644 "$TMP/secret"
expect_exit 4 "a secret file others can read is refused" as $ADMIN billctl invoice run
finish
