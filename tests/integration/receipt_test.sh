#!/usr/bin/env bash
# Receipts and forms on paper (BIL-21, BIL-26, BIL-12): a charge with
# --pdf gives the original receipt (number, amount in figures and in
# capitals, customer, address, cashier, method, a QR code); a reprint is
# COPY 2 / 副本2 and the stored count is 2; a reversed receipt reprints
# with 作废 VOID; the QR code decodes (zbarimg) and verifies, a tampered
# text is refused; the suspension, reduction and dunning forms; printing
# through a private cupsd on 127.0.0.1 (a file device), and a print that
# fails keeps the payment and says how to reprint. HEAT_SCREENS=DIR keeps
# the receipt PNGs.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
head -c 32 /dev/urandom | base64 >"$TMP/receipt.key"
chmod 600 "$TMP/receipt.key"
cat >"$TMP/heat.yaml" <<YAML
site:
  company: 测试热力公司
counter:
  templates: $HEAT_SOURCE_DIR/etc/templates
  receipt_key_file: $TMP/receipt.key
report:
  dirs: $HEAT_SOURCE_DIR/etc/reports
YAML
export HEAT_CONFIG=$TMP/heat.yaml
ADMIN=ba_$$ CASH=ca_$$
heatctl user add $ADMIN --role bill_admin >/dev/null
heatctl user add $CASH --role bill_cashier >/dev/null
y=$(TZ=Asia/Shanghai date +%Y); [ "$(TZ=Asia/Shanghai date +%m)" -lt 7 ] && y=$((y - 1))
SEASON="$y-$((y + 1))"
as $ADMIN billctl season add "$SEASON" --start "$y-07-01" --end "$((y + 1))-06-30" >/dev/null
as $ADMIN billctl tariff set --season "$SEASON" --house-type residential --price 22.00 --base-ratio 0.30 >/dev/null
as $ADMIN billctl import houses "$HEAT_SOURCE_DIR/etc/examples/demo-houses.csv" >/dev/null
pdftext() { pdftotext -layout "$1" - | tr -s ' '; }

# --- the original: charge --pdf ------------------------------------------------
expect_exit 0 "charge with --pdf" as $CASH billctl charge XF11101 --amount 1234.56 --method cash --pdf "$TMP/r1.pdf" --format json
R=$(json 'j["receipt_no"]' <"$TMP/out")
[ -s "$TMP/r1.pdf" ] && ok "the receipt PDF is written" || fail "no receipt PDF"
pdftext "$TMP/r1.pdf" >"$TMP/r1.txt"
expect_in "$TMP/r1.txt" "No\. $R" "receipt number on it"
expect_in "$TMP/r1.txt" "¥1234\.56" "amount in figures"
expect_in "$TMP/r1.txt" "人民币壹仟贰佰叁拾肆元伍角陆分" "amount in capitals"
expect_in "$TMP/r1.txt" "王芳" "customer"
expect_in "$TMP/r1.txt" "幸福小区1号楼1单元101室" "address"
expect_in "$TMP/r1.txt" "XF11101" "house code"
expect_in "$TMP/r1.txt" "$CASH" "cashier"
expect_in "$TMP/r1.txt" "现金" "method"
expect_in "$TMP/r1.txt" "$SEASON（$y-07-01 至 $((y + 1))-06-29）" "season and its dates"
grep -qE 'COPY|副本|作废|VOID' "$TMP/r1.txt" && fail "the original is marked as a copy or void" || ok "the original has no copy or void mark"
[ "$(sql "SELECT prints FROM bill.receipt WHERE receipt_no = '$R'")" = 1 ] && ok "original: prints = 1" || fail "prints after the charge"
pdftoppm -png -r 100 -singlefile "$TMP/r1.pdf" "$TMP/r1"
pdftoppm -gray -r 100 -singlefile "$TMP/r1.pdf" "$TMP/r1"
dark=$(python3 -c "
import sys
d=open(sys.argv[1],'rb').read(); parts=d.split(None,4)  # P5 W H MAX pixels
print(sum(1 for b in parts[4] if b < 128))" "$TMP/r1.pgm")
[ "$dark" -gt 2000 ] && ok "the PNG is not blank ($dark dark pixels)" || fail "the PNG looks blank ($dark dark pixels)"

# --- the QR code: decoded, verified, tampered ---------------------------------
# The MAC recomputed here with openssl: HMAC-SHA256 under the key, 16 hex digits.
SIGNED="HEATRCPT1;$R;123456;$(TZ=Asia/Shanghai date +%F)"
MAC=$(printf '%s' "$SIGNED" | openssl dgst -sha256 -hmac "$(head -1 "$TMP/receipt.key")" | awk '{print substr($NF, 1, 16)}')
if command -v zbarimg >/dev/null; then
  QR=$(zbarimg -q --raw "$TMP/r1.png" | head -1)
  [ "$QR" = "$SIGNED;$MAC" ] && ok "the QR code decodes to the receipt and its MAC: $QR" || fail "QR text: '$QR', want '$SIGNED;$MAC'"
else
  QR="$SIGNED;$MAC"
  echo "zbarimg is not installed (zbar-tools): the QR code's text is checked through billctl receipt verify only"
fi
expect_exit 0 "verify the QR text" as $CASH billctl receipt verify "$QR" --format json
[ "$(json 'j["status"], j["mac"], j["valid"]' <"$TMP/out")" = "issued ok yes" ] && ok "issued, MAC ok, valid" || fail "verify: $(cat "$TMP/out")"
TAMPERED=$(echo "$QR" | sed 's/;123456;/;923456;/')
expect_exit 1 "a tampered amount is refused" as $CASH billctl receipt verify "$TAMPERED"
expect_in "$TMP/err" "MAC does not match" "the MAC gives the tampering away"
NOMAC=${QR%;*};
expect_exit 1 "a text without the MAC is refused when a key is configured" as $CASH billctl receipt verify "$NOMAC;"
expect_exit 2 "not a receipt's text" as $CASH billctl receipt verify "hello"
grep -v receipt_key_file "$TMP/heat.yaml" >"$TMP/nokey.yaml"
expect_exit 3 "without a key: an unknown receipt is not found" env HEAT_CONFIG="$TMP/nokey.yaml" PGUSER=$CASH \
  billctl receipt verify "HEATRCPT1;nobody-00000001;100;2026-12-07;"
expect_exit 1 "without a key: the database still catches a wrong amount" env HEAT_CONFIG="$TMP/nokey.yaml" PGUSER=$CASH \
  billctl receipt verify "$TAMPERED"

# --- a copy, then a voided copy -----------------------------------------------
expect_exit 0 "reprint --pdf" as $CASH billctl reprint "$R" --pdf "$TMP/r2.pdf"
pdftext "$TMP/r2.pdf" >"$TMP/r2.txt"
expect_in "$TMP/r2.txt" "副本2 COPY 2" "the copy is marked COPY 2 / 副本2"
expect_in "$TMP/r2.txt" "人民币壹仟贰佰叁拾肆元伍角陆分" "the copy has the capitals"
[ "$(sql "SELECT prints FROM bill.receipt WHERE receipt_no = '$R'")" = 2 ] && ok "copy count stored: 2" || fail "prints after a reprint"
expect_exit 0 "reverse the payment" as $CASH billctl reverse "$R" --reason "wrong house"
expect_exit 0 "reprint the voided receipt" as $CASH billctl reprint "$R" --pdf "$TMP/r3.pdf"
pdftext "$TMP/r3.pdf" >"$TMP/r3.txt"
pdftotext -raw "$TMP/r3.pdf" "$TMP/r3.raw"  # the stamp is rotated: in drawing order, not by layout
expect_in "$TMP/r3.raw" "作废 +VOID" "a voided receipt says 作废 VOID"
expect_in "$TMP/r3.txt" "COPY 3" "and is copy 3"
expect_exit 1 "a voided receipt does not verify" as $CASH billctl receipt verify "$QR" --format json
[ "$(json 'j["status"]' <"$TMP/out")" = voided ] && ok "verify says voided" || fail "verify after the reversal: $(cat "$TMP/out")"
expect_exit 3 "reprint of an unknown receipt" as $CASH billctl reprint nobody-00000001 --pdf "$TMP/x.pdf"
if [ -n "${HEAT_SCREENS:-}" ]; then
  mkdir -p "$HEAT_SCREENS"; cp "$TMP/r1.png" "$HEAT_SCREENS/receipt-original.png"
  pdftoppm -png -r 100 -singlefile "$TMP/r3.pdf" "$HEAT_SCREENS/receipt-void-copy"
fi

# --- forms (BIL-26) -------------------------------------------------------------
expect_exit 0 "suspension form" as $CASH billctl form suspension XF11301 --pdf "$TMP/s.pdf"
pdftext "$TMP/s.pdf" >"$TMP/s.txt"
expect_in "$TMP/s.txt" "供热报停申请表" "suspension form heading"
expect_in "$TMP/s.txt" "李娜" "suspension form: the customer"
expect_in "$TMP/s.txt" "幸福小区1号楼1单元301室" "suspension form: the address"
expect_exit 0 "a reduction request" as $CASH billctl request reduction XF11301 --amount 120 --reason hardship --format json
REQ=$(json 'j["request"]' <"$TMP/out")
expect_exit 0 "reduction form" as $CASH billctl form reduction "$REQ" --pdf "$TMP/red.pdf"
pdftext "$TMP/red.pdf" >"$TMP/red.txt"
expect_in "$TMP/red.txt" "供热费减免申请表" "reduction form heading"
expect_in "$TMP/red.txt" "120\.00 元" "reduction form: the amount in yuan"
expect_in "$TMP/red.txt" "hardship" "reduction form: the reason"
as $CASH billctl charge XF11501 --amount 500.00 --method cash >/dev/null  # a part paid: it owes the rest
expect_exit 0 "dunning notice of one house" as $CASH billctl form dunning XF11501 --pdf "$TMP/d.pdf"
pdftext "$TMP/d.pdf" >"$TMP/d.txt"
expect_in "$TMP/d.txt" "供热费催缴通知书" "dunning heading (reportgen's template)"
expect_in "$TMP/d.txt" "XF11501" "dunning: the house"
expect_in "$TMP/d.txt" "刘洋" "dunning: the customer"
[ "$(pdfinfo "$TMP/d.pdf" | awk '/^Pages/ {print $2}')" = 1 ] && ok "one page: that house only" || fail "dunning pages"
expect_exit 2 "a form with nowhere to go" as $CASH billctl form suspension XF11301
expect_exit 3 "a form of an unknown house" as $CASH billctl form suspension NOPE --pdf "$TMP/n.pdf"

# --- printing: a private cupsd, a printer writing to a file ----------------------
start_cupsd rcpt
trap 'kill $CUPSD 2>/dev/null; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
printf 'counter:\n  printers: "till-7=rcpt"\n' >>"$TMP/heat.yaml"
expect_exit 0 "charge --print on terminal till-7 (counter.printers)" env HEAT_TERMINAL=till-7 PGUSER=$CASH \
  billctl charge XF11301 --amount 100.10 --method wechat --print --format json
R2=$(json 'j["receipt_no"]' <"$TMP/out")
printed rcpt || true
if head -c 20 "$CUPS/out/rcpt.out" 2>/dev/null | grep -qE '%!PS|%PDF'; then
  ok "the printer's file holds the job ($(head -c 14 "$CUPS/out/rcpt.out"), $(stat -c %s "$CUPS/out/rcpt.out") bytes)"
else fail "nothing printed; cupsd log:"; grep '^E' "$CUPS/log/error_log" | tail -5 >&2; fi
lpstat -W completed -o rcpt >"$TMP/jobs" 2>&1
expect_in "$TMP/jobs" "rcpt-" "the job is in the queue's history"

# --- a failed print keeps the payment -----------------------------------------
DEAD=$(free_port)
expect_exit 1 "a print to an unreachable CUPS server fails" env CUPS_SERVER=127.0.0.1:$DEAD PGUSER=$CASH \
  billctl charge XF11501 --amount 10.00 --method cash --print rcpt --format json
R3=$(json 'j["receipt_no"]' <"$TMP/out")
expect_in "$TMP/err" "receipt $R3 not printed: lp -d rcpt: .*; reprint it with billctl reprint $R3" "the error says how to reprint"
[ "$(sql "SELECT count(*) FROM bill.receipt WHERE receipt_no = '$R3' AND status = 'issued'")" = 1 ] && ok "the payment is kept" || fail "the payment of a failed print"
expect_exit 1 "a reprint to an unreachable server" env CUPS_SERVER=127.0.0.1:$DEAD PGUSER=$CASH billctl reprint "$R3" --print rcpt
[ "$(sql "SELECT prints FROM bill.receipt WHERE receipt_no = '$R3'")" = 1 ] && ok "a copy that was not printed is not counted" || fail "prints after a failed reprint"
expect_exit 2 "--print with no printer configured" env HEAT_TERMINAL=other PGUSER=$CASH billctl reprint "$R3" --print
finish
