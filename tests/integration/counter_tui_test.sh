#!/usr/bin/env bash
# billctl tui, used as a cashier uses it (BIL-3, BIL-5, BIL-8, BIL-9,
# BIL-11, BIL-12, BIL-13, BIL-14): tmux runs the counter in an 80×24 terminal,
# send-keys types, capture-pane reads the screen. Search, a card swipe, a
# charge with change, a reversal, a request that needs approval, a refused
# action with its reason, the subsidiary house charged first, a request
# filed on the payment page taken and finished (F8); what the
# screen says is checked against what the database stored.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
heatctl user add ba_$$ --role bill_admin >/dev/null
heatctl user add ca_$$ --role bill_cashier >/dev/null
ADMIN=ba_$$ CASH=ca_$$

# A season running today, so the counter charges the current one.
Y=$(TZ=Asia/Shanghai date +%Y)   # the company zone, as billctl
if [ "$(TZ=Asia/Shanghai date +%m)" -ge 7 ]; then S=$Y-$((Y + 1)); START=$Y-10-10; END=$((Y + 1))-04-10
else S=$((Y - 1))-$Y; START=$((Y - 1))-10-10; END=$Y-04-10; fi
as $ADMIN billctl season add "$S" --start "$START" --end "$END" >/dev/null
as $ADMIN billctl tariff set --season "$S" --house-type residential --price 22.00 >/dev/null
cat >"$TMP/houses.csv" <<'CSV'
house_code,community,building,unit,room,area_m2,house_type,customer_name,phone,card_no
H001,幸福小区,3号楼,2单元,501,100.00,residential,张三,13900000001,C0001
H002,幸福小区,3号楼,2单元,502,87.53,住宅,李四,13900000002,62220001
H003,长春花园,1号楼,1单元,101,50.00,residential,王五,13900000003,
H004,长春花园,1号楼,1单元,102,50.00,residential,王五,13900000003,
CSV
as $ADMIN billctl import houses "$TMP/houses.csv" >/dev/null
as $ADMIN billctl link H003 H004 >/dev/null   # H004 is paid before H003 (BIL-4)

# --- the terminal ---------------------------------------------------------
SOCK="$TMP/tmux.sock"
T() { tmux -S "$SOCK" "$@"; }
CUPSD=
trap 'T kill-server 2>/dev/null || true; [ -z "$CUPSD" ] || kill $CUPSD 2>/dev/null; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
screen() { T capture-pane -p -t counter; }
# keys K...: tmux key names or literal text (-l for text with spaces)
keys() { T send-keys -t counter "$@"; }
# wait_for PATTERN DESCRIPTION: polls the screen for up to 10 s.
wait_for() {
  for _ in $(seq 100); do
    if screen | grep -qE -- "$1"; then ok "$2"; return 0; fi
    sleep 0.1
  done
  fail "$2: no /$1/ on the screen:"; screen | sed 's/^/  | /' >&2
  return 0
}
# shot NAME: with HEAT_SCREENS=DIR, the screen with its colours (ANSI) in
# DIR/NAME.ans, for a person to look at.
shot() { [ -z "${HEAT_SCREENS:-}" ] || T capture-pane -e -p -t counter >"$HEAT_SCREENS/$1.ans"; }
start_counter() {  # start_counter LOGIN [ARGS]
  local login=$1; shift
  T kill-session -t counter 2>/dev/null || true
  T new-session -d -s counter -x 80 -y 24 \
    "env ${COUNTER_ENV:-} PGUSER=$login PGHOST=$PGHOST PGPORT=$PGPORT PGDATABASE=$PGDATABASE LANG=C.UTF-8 TERM=xterm-256color \
     $HEAT_BIN/billctl tui $* 2>$TMP/tui.err; echo exit=\$? >$TMP/tui.exit; sleep 30"
  wait_for "供热收费 柜台" "the counter starts in 80x24"
}

start_counter $CASH
wait_for "收费员 $CASH" "the title names the cashier"
wait_for "供暖季 $S" "and the season charged"
wait_for "F8 工单  F9 日结  F10 退出" "the search screen's key line names F8 (the hall's requests)"
# A digit typed over a result box on the search screen goes to the search
# line (regression: it opened an empty house screen and crashed).
keys F9
wait_for "日结 $CASH" "F9 works before any house is open"
keys Enter
wait_for "日结已提交" "an empty day is handed in"
keys -l 6
wait_for "查找: 6" "a digit over the box starts a search on the search screen"
keys Escape

# Search by pinyin initials: a list of 幸福小区's houses.
keys -l xfxq; keys Enter
wait_for "找到 2 户" "xfxq lists two houses"
wait_for "H001 +幸福小区 3号楼 2单元 501 +张三" "a house line shows code, address and customer"
shot search
# Wide characters keep their columns: the customer column starts at 43.
line=$(screen | grep -m1 "H001")
[ "$(python3 -c "import sys,unicodedata as u; s=sys.argv[1]; i=s.index('张三'); print(sum(2 if u.east_asian_width(c) in 'WF' else 1 for c in s[:i]))" "$line")" = 43 ] &&
  ok "the customer column is at display column 43 after Chinese addresses" || fail "column drift: $line"
keys Down Enter
wait_for "H002 +幸福小区 3号楼 2单元 502" "Down, Enter opens the second house"
wait_for "欠费 1925.66" "the house screen shows what it owes (87.53 m2 x 22.00)"
wait_for "户主 李四" "and its customer"
wait_for "502  住宅 87.53 m2" "the house type by its dictionary label"
wait_for "i发票 F9日结 F10退出$" "the house screen's key line fits in 80 columns (Esc, back, is left out of it)"
shot house

# A card swipe: digits and Enter open the house at once, from any screen.
keys -l 62220001; keys Enter
wait_for "H002 +幸福小区" "a swiped card opens its house"
# Capitals type a code from the house screen too.
keys -l H001; keys Enter
wait_for "H001 +幸福小区 3号楼 2单元 501" "a code typed on the house screen opens that house"
wait_for "欠费 2200.00" "H001 owes 2200.00"

# --- a charge with change: c, the amount proposed, cash given ------------
keys c
wait_for "收费 H001 $S" "c opens the charge screen"
wait_for "金额 +2200.00" "the amount proposed is what is owed"
wait_for "应缴 2200.00" "and the due line"
keys Tab; keys -l 3000
wait_for "找零 800.00" "cash given 3000 shows change 800.00 before confirming"
shot charge
keys Enter
wait_for "收款成功 H001" "Enter takes the payment"
wait_for "找零 800.00" "the receipt box repeats the change"
shot receipt
R1=$(screen | grep -oE "收据 [A-Za-z0-9_]+-[0-9]+" | head -1 | cut -d' ' -f2)
[ -n "$R1" ] && ok "a receipt number was taken by itself: $R1" || fail "no receipt number on the screen"
[ "$(sql "SELECT -e.amount_fen || ' ' || e.method || ' ' || e.by_login FROM bill.receipt r JOIN bill.entry e ON e.id = r.entry_id WHERE r.receipt_no = '$R1'")" = "220000 cash $CASH" ] &&
  ok "the stored entry is 2200.00 cash by the cashier" || fail "stored entry of $R1: $(sql "SELECT * FROM bill.receipt WHERE receipt_no = '$R1'")"
wait_for "未配置打印机" "with no printer for this terminal the box says the receipt was not printed"
keys Space
wait_for "无欠费" "after the charge the house shows no arrears"
keys p
wait_for "收据号 +$R1" "p proposes the last receipt for a copy"
keys Enter
wait_for "没有打印机.*未计数" "with no printer a copy is refused and not counted"
keys Escape
[ "$(sql "SELECT prints FROM bill.receipt WHERE receipt_no = '$R1'")" = 1 ] && ok "no copy counted" || fail "a copy was counted"
wait_for "缴费 +-2200.00 +$R1" "and the payment in its entries"

# --- 红冲 of that payment (the same cashier, the same day: at once) -------
keys v
wait_for "红冲" "v opens the reversal"
wait_for "收据/序号 +$R1" "the last payment's receipt is proposed"
keys Tab; keys -l "收错了"; keys Enter
wait_for "红冲.*完成" "the reversal is done"
keys Space
wait_for "$R1 .*作废" "the receipt shows voided"
wait_for "欠费 2200.00" "and the house owes again"
[ "$(sql "SELECT status FROM bill.receipt WHERE receipt_no = '$R1'")" = voided ] && ok "stored: voided" || fail "receipt not voided"

# --- a request above 50 yuan needs a supervisor (BIL-13) ----------------
keys q
wait_for "申请" "q opens requests"
keys Tab; keys -l 120; keys Tab; keys -l "暖气不热"; keys Enter
wait_for "outcome pending|pending" "a 120.00 reduction is left pending"
wait_for "bill_supervisor" "and says who must approve it"
shot request
[ "$(sql "SELECT count(*) FROM bill.request WHERE outcome = 'pending'")" = 1 ] && ok "one pending request stored" || fail "no pending request"
keys Space

# --- a refused action shows billctl's reason ------------------------------
keys r
wait_for "退费 H001" "r opens the refund"
keys -l 100; keys Tab Tab; keys -l "多缴"; keys Enter
wait_for "refund of 100.00 yuan is more than the 0.00 yuan paid" "a refund beyond what was paid is refused with billctl's reason"
keys Escape
wait_for "已取消" "Esc leaves the refused form"
[ "$(sql "SELECT count(*) FROM bill.entry e JOIN bill.account a ON a.id = e.account_id JOIN bill.house h ON h.id = a.house_id WHERE h.code = 'H001' AND e.kind = 'refund'")" = 0 ] &&
  ok "nothing stored for the refused refund" || fail "a refund was stored"

# --- BIL-4: the subsidiary house first ------------------------------------
keys -l H003; keys Enter
wait_for "附属 H004 \(先缴\)" "H003 shows its subsidiary house"
keys c
wait_for "收费 H004 .*附属房屋先缴" "charging H003 charges its subsidiary H004 first"
wait_for "金额 +1100.00" "with what H004 owes"
keys w Enter
wait_for "收款成功 H004" "w (wechat) and Enter: 3 keys for the charge"
[ "$(sql "SELECT e.method FROM bill.entry e JOIN bill.account a ON a.id = e.account_id JOIN bill.house h ON h.id = a.house_id WHERE h.code = 'H004' AND e.kind = 'payment'")" = wechat ] &&
  ok "stored as wechat" || fail "H004 payment method"
keys Space c
wait_for "收费 H003 $S" "then H003 itself"
keys Enter
wait_for "收款成功 H003" "H003 paid"
keys Space
wait_for "无欠费" "no arrears left"

# --- the receipt on this terminal's printer (BIL-21, BIL-12) --------------
start_cupsd till
cat >"$TMP/heat.yaml" <<YAML
site:
  company: 测试热力公司
counter:
  templates: $HEAT_SOURCE_DIR/etc/templates
  printers: "till-1=till"
YAML
COUNTER_ENV="HEAT_CONFIG=$TMP/heat.yaml HEAT_TERMINAL=till-1 CUPS_SERVER=$CUPS_SERVER"
start_counter $CASH
keys -l H002; keys Enter
wait_for "H002 +幸福小区" "H002 open on terminal till-1"
keys c Enter
wait_for "收款成功 H002" "charged"
wait_for "收据已送打印机 till" "the receipt went to till-1's printer"
R2=$(screen | grep -oE "收据 [A-Za-z0-9_]+-[0-9]+" | head -1 | cut -d' ' -f2)
printed till && ok "the printer's file holds the job" || fail "nothing printed on till"
keys Space p
wait_for "收据号 +$R2" "p proposes that receipt"
keys Enter
wait_for "副本 2 已送打印机 till" "a copy printed and counted as copy 2"
[ "$(sql "SELECT prints FROM bill.receipt WHERE receipt_no = '$R2'")" = 2 ] && ok "stored: 2 prints" || fail "prints of $R2"
keys Space

# --- the e-invoice of a receipt (BIL-21): i queues it --------------------------
keys i
wait_for "收据号 +$R2" "i proposes the last receipt for an e-invoice"
keys Tab; keys -l 某公司; keys Tab; keys -l 12345; keys Enter
wait_for "纳税人识别号|tax id" "a bad tax id is refused in billctl's words"
[ "$(sql "SELECT count(*) FROM bill.invoice")" = 0 ] && ok "and nothing is stored" || fail "an invoice row after a bad tax id"
keys BSpace BSpace BSpace BSpace BSpace; keys -l 91650100MA77XXXX1A; keys Enter
wait_for "电子发票 .* 完成" "a company's tax id queues the invoice"
[ "$(sql "SELECT i.state || ' ' || i.buyer_name || ' ' || i.buyer_tax_id FROM bill.invoice i WHERE i.receipt_no = '$R2'")" = \
  "queued 某公司 91650100MA77XXXX1A" ] && ok "stored: queued for 某公司 with its tax id" ||
  fail "stored invoice: $(sql "SELECT * FROM bill.invoice")"
keys Space

# --- 日结 (BIL-19): F9 hands in the day -------------------------------------
keys F9
wait_for "日结 $CASH" "F9 opens the day's hand-in"
keys -l 3300; keys Enter
wait_for "日结已提交" "the day is submitted"
TAKEN=$(sql "SELECT -sum(e.amount_fen) FROM bill.entry e WHERE e.by_login = '$CASH' AND e.kind IN ('payment', 'refund', 'reversal')")
wait_for "收款 $(python3 -c "print(f'{$TAKEN / 100:.2f}')")" "the sheet's takings equal the ledger's"
[ "$(sql "SELECT state FROM bill.day_sheet WHERE cashier = '$CASH'")" = submitted ] && ok "stored: submitted" || fail "no submitted sheet"
keys Space

# --- the service hall's requests (F8, BIL-14) ------------------------------
heatctl user add pay_$$ --role heat_pay >/dev/null
TOK=$(PGUSER=pay_$$ psql -qAtX -c "SELECT bill.pay_login('H002', '0002', '127.0.0.1')")
HR=$(PGUSER=pay_$$ psql -qAtX -c "SELECT bill.hall_file('$TOK', 'repair', '卧室暖气片不热', '13900000002')")
keys F8
wait_for "服务厅工单" "F8 opens the hall's requests"
wait_for "^ $HR +H002 +报修 +新 .*卧室暖气片不热" "the request filed on the page is listed as new"
wait_for "电话 13900000002" "with the resident's phone"
shot hall
keys t
wait_for "工单 $HR 已受理" "t takes it"
wait_for "^ $HR +H002 +报修 +已受理 .*$CASH" "the list shows it taken by the cashier"
keys f
wait_for "办结工单 $HR" "f asks for the answer"
keys -l "已派人维修"; keys Enter
wait_for "工单 $HR 已办结" "Enter finishes it"
wait_for "没有未办结的工单了" "and it leaves the list of open requests"
[ "$(sql "SELECT state || ' ' || taken_by || ' ' || ended_by || ' ' || answer FROM bill.hall_request WHERE id = $HR")" = \
  "done $CASH $CASH 已派人维修" ] && ok "stored: done by the cashier with the answer" ||
  fail "stored: $(sql "SELECT * FROM bill.hall_request WHERE id = $HR")"
[ "$(PGUSER=pay_$$ psql -qAtX -c "SELECT state || ' ' || answer FROM bill.hall_requests_of('$TOK')")" = "done 已派人维修" ] &&
  ok "the resident's page shows the answer" || fail "resident's view"
keys Escape
wait_for "H002 +幸福小区" "Esc goes back to the house open before"

# --- leaving ----------------------------------------------------------------
keys F10
for _ in $(seq 50); do [ -s "$TMP/tui.exit" ] && break; sleep 0.1; done
[ "$(cat "$TMP/tui.exit" 2>/dev/null)" = exit=0 ] && ok "F10 leaves with exit 0" || fail "exit: $(cat "$TMP/tui.exit" 2>/dev/null) $(cat "$TMP/tui.err")"

# Not on a terminal: a clear refusal, exit 2.
expect_exit 2 "billctl tui without a terminal" as $CASH billctl tui </dev/null
expect_in "$TMP/err" "needs a terminal" "the reason is given"
finish
