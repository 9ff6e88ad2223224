#!/usr/bin/env bash
# billctl day (日结, BIL-19, BIL-9, BIL-12, BIL-13): two cashiers take cash,
# WeChat and card payments, a refund and a same-day reversal; a cashier
# submits with the cash counted and cannot close their own day; a
# supervisor closes it and the stored totals equal the ledger to the fen;
# a closed day takes no entry, also by raw bill.post; a reversal of a
# closed day's payment lands on the day it is made and the closed sheet
# stays byte for byte; day show reconciles, and catches a sheet the
# ledger moved past; the PDF shows the totals; reportgen's reports agree;
# then a random walk of charges, refunds, reversals and closes over three
# days by three cashiers keeps every closed sheet identical and the sheets
# equal to the ledger.
source "$(dirname "$0")/lib.sh"
# Dates as billing takes them: the company's day (site.timezone, by default
# Asia/Shanghai), also in psql, or the test's "today" is yesterday between
# 00:00 and 08:00 there.
export PGTZ=Asia/Shanghai
export PGUSER=$SUPER
cat >"$TMP/heat.yaml" <<YAML
site:
  company: 测试热力公司
report:
  dirs: $HEAT_SOURCE_DIR/etc/reports
YAML
export HEAT_CONFIG=$TMP/heat.yaml
ADMIN=da_$$ C1=d1_$$ C2=d2_$$ C3=d3_$$ SUP=ds_$$
heatctl user add $ADMIN --role bill_admin >/dev/null
heatctl user add $C1 --role bill_cashier >/dev/null
heatctl user add $C2 --role bill_cashier >/dev/null
heatctl user add $SUP --role bill_supervisor >/dev/null
PGUSER=$ADMIN heatctl user add $C3 --role bill_cashier >/dev/null   # made by ADMIN: related
# rsql USER QUERY: one value as USER (errors on stderr, exit 1)
rsql() { PGUSER=$1 psql -qAtX -v ON_ERROR_STOP=1 -c "$2"; }
D=$(sql "SELECT bill.today()")
Y=$(sql "SELECT bill.today() - 1")
y=${D%%-*}; [ "${D:5:2}" -lt 7 ] && y=$((y - 1))
SEASON="$y-$((y + 1))"
as $ADMIN billctl season add "$SEASON" --start "$y-07-01" --end "$((y + 1))-06-30" >/dev/null
as $ADMIN billctl tariff set --season "$SEASON" --house-type residential --price 22.00 >/dev/null
{
  echo "house_code,community,building,unit,room,area_m2,house_type"
  for n in 1 2 3 4 5 6 7 8 9; do echo "H$n,南湖小区,1号楼,1单元,10$n,100.00,residential"; done
} >"$TMP/h.csv"
as $ADMIN billctl import houses "$TMP/h.csv" >/dev/null
as $ADMIN billctl param set ledger.allow_prepayment true >/dev/null
acct() { as $C1 billctl show "$1" >/dev/null; sql "SELECT a.id FROM bill.account a JOIN bill.house h ON h.id = a.house_id WHERE h.code = '$1'"; }
receipt() { json 'j["receipt_no"]' <"$TMP/out"; }
ledger_sum() {  # CASHIER DAY [METHOD]: the day's takings entries summed straight from bill.entry
  sql "SELECT coalesce(-sum(e.amount_fen), 0) FROM bill.entry e LEFT JOIN bill.entry r ON r.id = e.reverses
       WHERE e.by_login = '$1' AND e.entry_date = '$2' AND coalesce(r.kind, e.kind) IN ('payment', 'refund')
         AND ('${3:-}' = '' OR coalesce(e.method, r.method) = '${3:-}')"
}
stored() { sql "SELECT totals::text FROM bill.day_sheet WHERE cashier = '$1' AND day = '$2' AND state <> 'reopened'"; }

# --- yesterday: C2 took 100.00 in cash (dated by hand), submitted and was closed
A7=$(acct H7)
R7=$(rsql $C2 "SELECT receipt_no FROM bill.post($A7, NULL, 'payment', -10000, '$Y', NULL, 'counter', 'cash', '')")
expect_exit 0 "C2 submits yesterday with 100.00 counted" as $C2 billctl day close --date "$Y" --cash-counted 100
expect_in "$TMP/out" "submitted" "the submission prints the sheet, state submitted"
expect_exit 0 "the supervisor closes C2's yesterday" as $SUP billctl day close --cashier $C2 --date "$Y" --format json
[ "$(json 'j["state"], j["cash_diff_fen"], j["totals"]["takings_fen"]' <"$TMP/out")" = "closed 0 10000" ] &&
  ok "ClosedSheetKeepsTakingsAndCashDifference" || fail "yesterday's close: $(cat "$TMP/out")"
BEFORE=$(stored $C2 "$Y")

# --- today: payments, a refund, a same-day reversal -----------------------------
as $C1 billctl charge H1 --amount 100.00 --method cash --format json >"$TMP/out"
as $C1 billctl charge H2 --amount 200.50 --method wechat --channel mobile >/dev/null
as $C1 billctl charge H3 --amount 150.00 --method card --format json >"$TMP/out"
R3=$(receipt)
expect_exit 0 "C1 reverses their own card payment the same day" as $C1 billctl reverse "$R3" --reason "wrong house"
as $C1 billctl charge H4 --amount 2300.00 --method cash >/dev/null   # 100.00 beyond the fee
expect_exit 0 "C1 refunds 80.00 of the credit" as $C1 billctl refund H4 --amount 80.00 --method cash --reason "overpaid"
as $C2 billctl charge H5 --amount 300.00 --method cash >/dev/null
as $C2 billctl charge H6 --amount 50.00 --method wechat --channel mobile >/dev/null
expect_exit 0 "C2 reverses yesterday's closed receipt today" as $C2 billctl reverse "$R7" --reason "paid twice"
[ "$(stored $C2 "$Y")" = "$BEFORE" ] && ok "ReversalOfAClosedDayLeavesItsSheetByteIdentical" ||
  fail "yesterday's sheet changed: $BEFORE -> $(stored $C2 "$Y")"
[ "$(sql "SELECT status FROM bill.receipt WHERE receipt_no = '$R7'")" = voided ] &&
  ok "the closed day's receipt is marked voided" || fail "receipt $R7 not voided"

# --- C1 submits, cannot close their own day, the supervisor closes --------------
CASH1=$(ledger_sum $C1 "$D" cash)
expect_exit 0 "C1 submits today with the cash counted 5.00 short" as $C1 billctl day close \
  --cash-counted "$(python3 -c "print(f'{($CASH1 - 500) / 100:.2f}')")"
expect_in "$TMP/out" "difference.*-5\.00" "the sheet prints the difference -5.00"
expect_in "$TMP/out" "收款员.*审核" "the sheet has the signature lines"
expect_exit 4 "CashierCannotCloseTheirOwnDay" as $C1 billctl day close --cashier $C1
expect_in "$TMP/err" "nobody closes or reopens their own day" "the refusal gives the reason"
expect_exit 4 "an administrator cannot close the day of a cashier they made" as $ADMIN billctl day close --cashier $C3
expect_exit 5 "a day not submitted is not closed" as $SUP billctl day close --cashier $C2
expect_exit 0 "SupervisorClosesTheSubmittedDay" as $SUP billctl day close --cashier $C1 --format json
[ "$(json 'j["totals"]["takings_fen"]' <"$TMP/out")" = "$(ledger_sum $C1 "$D")" ] &&
  ok "StoredTotalsEqualTheLedgerToTheFen ($(ledger_sum $C1 "$D") fen)" || fail "totals: $(cat "$TMP/out")"
for m in cash wechat card; do
  got=$(sql "SELECT coalesce(sum((l->>'takings_fen')::bigint), 0) FROM bill.day_sheet s, jsonb_array_elements(s.totals->'lines') l
             WHERE s.cashier = '$C1' AND s.day = '$D' AND l->>'method' = '$m'")
  [ "$got" = "$(ledger_sum $C1 "$D" $m)" ] && ok "method $m: $got fen as in the ledger" || fail "method $m: $got"
done
[ "$(json 'j["totals"]["payments"], j["totals"]["refunds"], j["totals"]["reversals"], len(j["totals"]["voided"])' <"$TMP/out")" = "4 1 1 1" ] &&
  ok "4 payments, 1 refund, 1 reversal, 1 voided receipt" || fail "counts: $(cat "$TMP/out")"
[ "$(json 'j["cash_diff_fen"]' <"$TMP/out")" = -500 ] && ok "the close keeps the 5.00 shortfall" || fail "diff"
CLOSED1=$(stored $C1 "$D")

# --- nothing more on a closed day, whatever the door ---------------------------
expect_exit 5 "ChargeAfterTheDayWasClosedIsRefused" as $C1 billctl charge H1 --amount 1.00 --method cash
expect_in "$TMP/err" "your day $D is closed" "the refusal names the day"
A1=$(acct H1)
if rsql $C1 "SELECT bill.post($A1, NULL, 'payment', -100, '$D', NULL, 'counter', 'cash', '')" 2>"$TMP/err"; then
  fail "RawBillPostIntoAClosedDayIsRefused: it went in"
else expect_in "$TMP/err" "is closed" "RawBillPostIntoAClosedDayIsRefused"; fi
rsql $C1 "UPDATE bill.day_sheet SET takings_fen = 0" 2>"$TMP/err" && fail "a cashier updated a sheet" ||
  expect_in "$TMP/err" "permission denied" "CashierCannotWriteTheSheetTable"
sql "UPDATE bill.day_sheet SET takings_fen = 0 WHERE cashier = '$C1'" 2>"$TMP/err" && fail "the owner changed a closed sheet" ||
  expect_in "$TMP/err" "never changed" "ClosedSheetTotalsCannotBeUpdatedEvenByTheOwner"
[ "$(stored $C1 "$D")" = "$CLOSED1" ] && ok "the closed sheet is as it was" || fail "C1's sheet changed"

# --- day show: states, reconciliation, a sheet the ledger moved past -----------
as $C3 billctl charge H8 --amount 10.00 --method cash >/dev/null
expect_exit 0 "DayShowByChannelReconciles" as $SUP billctl day show --by channel
expect_in "$TMP/out" "difference 0\.00" "the reconciliation line proves the ledger"
expect_in "$TMP/out" "mobile" "the mobile channel has its row"
expect_exit 0 "day show by cashier" as $SUP billctl day show --format json
[ "$(json '" ".join(r["state"] for r in j if r["cashier"] in ("'$C1'", "'$C2'", "'$C3'"))' <"$TMP/out")" = "closed open open" ] &&
  ok "DayShowGivesEachCashierItsState (a login without a sheet is open)" || fail "states: $(cat "$TMP/out")"
[ "$(json '[r for r in j if r["cashier"] == "total"][0]["takings_fen"]' <"$TMP/out")" = \
  "$(sql "SELECT -sum(e.amount_fen) FROM bill.entry e LEFT JOIN bill.entry r ON r.id = e.reverses
          WHERE e.entry_date = '$D' AND coalesce(r.kind, e.kind) IN ('payment', 'refund')")" ] &&
  ok "the total of the sheets is the day's ledger" || fail "total: $(cat "$TMP/out")"
expect_exit 0 "C2 submits" as $C2 billctl day close --cash-counted 0
as $C2 billctl charge H9 --amount 20.00 --method cash >/dev/null
expect_exit 1 "DayShowCatchesASubmittedSheetTheLedgerMovedPast" as $SUP billctl day show --by method
expect_in "$TMP/out" "differs: $C2: submitted sheet" "the difference names the cashier"
expect_exit 0 "C2 submits again (replaces the submission)" as $C2 billctl day close --cash-counted 20
expect_exit 0 "then it reconciles" as $SUP billctl day show --hall $C2 --format csv
[ "$(sql "SELECT count(*) FROM bill.day_sheet WHERE cashier = '$C2' AND day = '$D'")" = 1 ] &&
  ok "a resubmission replaces the row" || fail "two submissions kept"
expect_exit 0 "a cashier sees their own day" as $C1 billctl day show --format json
[ "$(json '",".join(r["cashier"] for r in j)' <"$TMP/out")" = "$C1,total" ] && ok "CashierSeesOnlyTheirOwnDay" ||
  fail "C1 sees: $(cat "$TMP/out")"

# --- the PDF and the reports ------------------------------------------------------
expect_exit 0 "the sheet as a PDF" as $SUP billctl day sheet --cashier $C1 --pdf "$TMP/c1.pdf"
pdftotext -layout "$TMP/c1.pdf" "$TMP/c1.txt"
YUAN1=$(python3 -c "print(f'{$(ledger_sum $C1 "$D") / 100:.2f}')")
expect_in "$TMP/c1.txt" "$YUAN1" "PdfShowsTheTakings ($YUAN1)"
expect_in "$TMP/c1.txt" "收款员" "the PDF has the cashier's signature line"
expect_in "$TMP/c1.txt" "审核" "the PDF has the supervisor's signature line"
expect_in "$TMP/c1.txt" "$R3" "the PDF lists the voided receipt"
expect_exit 0 "cashier-reconciliation" as $ADMIN reportgen run cashier-reconciliation --from "$D" --to "$D" --format csv
grep "^$C1," "$TMP/out" >"$TMP/c1.csv" || true
expect_in "$TMP/c1.csv" ",$YUAN1,closed$" "CashierReconciliationReportAgreesWithTheClosedSheet"
expect_in "$TMP/out" "^$C3,.*,open$" "the report shows an open day as open"
expect_exit 0 "daily-takings" as $ADMIN reportgen run daily-takings --from "$D" --to "$D" --format csv
TOTAL=$(as $ADMIN billctl day show --format json | json '[r for r in j if r["cashier"] == "total"][0]["takings_fen"]')
grep -q "^合计,.*,$(python3 -c "print(f'{$TOTAL / 100:.2f}')")$" "$TMP/out" &&
  ok "DailyTakingsReportEqualsTheSumOfTheSheets" || fail "daily-takings total vs $TOTAL: $(cat "$TMP/out")"

# --- reopening keeps the old sheet --------------------------------------------------
expect_exit 4 "a cashier does not reopen" as $C2 billctl day reopen --cashier $C1 --date "$D" --reason x
expect_exit 0 "the supervisor reopens C1's day" as $SUP billctl day reopen --cashier $C1 --date "$D" --reason "counted again"
[ "$(sql "SELECT state || ' ' || (totals::text = '$CLOSED1')::text FROM bill.day_sheet WHERE cashier = '$C1' AND day = '$D'")" = "reopened true" ] &&
  ok "ReopenKeepsTheClosedSheetAsHistory" || fail "after reopen: $(sql "SELECT state FROM bill.day_sheet WHERE cashier = '$C1'")"
[ "$(sql "SELECT count(*) FROM heat.op_log WHERE action = 'day_reopen' AND object_code = '$C1/$D' AND message = 'counted again'")" = 1 ] &&
  ok "the reopening is in the operation log" || fail "no log line"
expect_exit 0 "C1 may charge again" as $C1 billctl charge H1 --amount 1.00 --method cash

# --- property: random charges, refunds, reversals and closes over three days -----
export ADMIN SUP C1 C2 C3 SEASON
python3 - "$(sql "SELECT bill.today() - 4")" >"$TMP/walk.out" 2>&1 <<'PY' && ok "RandomWalkKeepsClosedSheetsIdenticalAndSheetsEqualTheLedger" || { fail "random walk"; sed 's/^/  | /' "$TMP/walk.out" >&2; }
import datetime, os, random, subprocess, sys
rnd = random.Random(19)
base = datetime.date.fromisoformat(sys.argv[1])
days = [str(base + datetime.timedelta(d)) for d in range(3)]
cashiers = [os.environ[c] for c in ("C1", "C2", "C3")]
sup = os.environ["SUP"]
def q(user, sql):
    p = subprocess.run(["psql", "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql], env=dict(os.environ, PGUSER=user),
                       capture_output=True, text=True)
    return p.returncode, p.stdout.strip(), p.stderr.strip()
def must(user, sql):
    rc, out, err = q(user, sql)
    assert rc == 0, f"{user}: {sql}: {err}"
    return out
accts = must("postgres", "SELECT string_agg(a.id::text, ' ') FROM bill.account a").split()
closed, snap, payments = set(), {}, []   # payments: (entry id, cashier, day)
for step in range(160):
    c, d = rnd.choice(cashiers), rnd.choice(days)
    act = rnd.choices(["pay", "refund", "reverse", "close"], [6, 1, 2, 1])[0]
    if act == "close":
        if (c, d) in closed: continue
        must(c, f"SELECT bill.day_submit('{d}', NULL)")
        must(sup, f"SELECT bill.day_close('{c}', '{d}')")
        closed.add((c, d))
        snap[(c, d)] = must("postgres", f"SELECT totals::text FROM bill.day_sheet WHERE cashier = '{c}' AND day = '{d}' AND state = 'closed'")
        continue
    a = rnd.choice(accts)
    if act == "pay":
        sql = (f"SELECT entry_id FROM bill.post({a}, NULL, 'payment', -{rnd.randint(1, 50000)}, '{d}', NULL,"
               f" '{rnd.choice(['counter', 'mobile', 'bank'])}', '{rnd.choice(['cash', 'wechat', 'card'])}', '')")
    elif act == "refund":
        if int(must("postgres", f"SELECT paid FROM bill.account_sums({a})")) < 100: continue
        sql = f"SELECT entry_id FROM bill.post({a}, NULL, 'refund', 100, '{d}', NULL, 'counter', 'cash', 'r')"
    else:
        mine = [p for p in payments if p[1] == c and p[2] <= d]
        if not mine: continue
        p = rnd.choice(mine)
        payments.remove(p)
        a = must("postgres", f"SELECT account_id FROM bill.entry WHERE id = {p[0]}")
        amt = must("postgres", f"SELECT -amount_fen FROM bill.entry WHERE id = {p[0]}")
        sql = f"SELECT entry_id FROM bill.post({a}, NULL, 'reversal', {amt}, '{d}', {p[0]}, NULL, NULL, 'x')"
    rc, out, err = q(c, sql)
    if (c, d) in closed:
        assert rc != 0 and "is closed" in err, f"step {step}: {c} wrote into closed {d}: {sql} {err}"
        if act == "reverse": payments.append(p)
    elif act == "reverse" and rc != 0 and "negative" in err:
        pass  # refunds since took the money back; the payment stays
    else:
        assert rc == 0, f"step {step}: {sql}: {err}"
        if act == "pay": payments.append((int(out), c, d))
for c in cashiers:
    for d in days:
        if (c, d) not in closed:
            must(c, f"SELECT bill.day_submit('{d}', NULL)")
            must(sup, f"SELECT bill.day_close('{c}', '{d}')")
for (c, d), text in snap.items():
    now = must("postgres", f"SELECT totals::text FROM bill.day_sheet WHERE cashier = '{c}' AND day = '{d}' AND state = 'closed'")
    assert now == text, f"{c} {d}: the closed sheet changed"
for c in cashiers:
    for d in days:
        sheet = must("postgres", f"SELECT takings_fen FROM bill.day_sheet WHERE cashier = '{c}' AND day = '{d}' AND state = 'closed'")
        ledger = must("postgres", f"SELECT coalesce(-sum(e.amount_fen), 0) FROM bill.entry e LEFT JOIN bill.entry r ON r.id = e.reverses"
                      f" WHERE e.by_login = '{c}' AND e.entry_date = '{d}' AND coalesce(r.kind, e.kind) IN ('payment', 'refund')")
        assert sheet == ledger, f"{c} {d}: sheet {sheet} ledger {ledger}"
print(f"{len(snap)} closed during the walk, {len(payments)} payments standing")
PY
cat "$TMP/walk.out"
for d in 4 3 2; do
  expect_exit 0 "day show reconciles day -$d" as $ADMIN billctl day show --date "$(sql "SELECT bill.today() - $d")"
done
finish
