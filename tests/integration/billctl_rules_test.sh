#!/usr/bin/env bash
# billctl: every rule holds in every order of events (an outside audit;
# BIL-4, BIL-5, BIL-6, BIL-10, BIL-13, BIL-16, BIL-17, BIL-18, BIL-29). Each
# section is one item, named after what broke. Seasons 2025-2026 and
# 2026-2027 are fixed; late fees are entered with --date in the past.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
heatctl user add ra_$$ --role bill_admin >/dev/null
heatctl user add rc_$$ --role bill_cashier >/dev/null
heatctl user add rd_$$ --role bill_cashier >/dev/null
ADMIN=ra_$$ CASH=rc_$$ CASH2=rd_$$
py() { python3 -c "print($1)"; }
# rh NUM DEN: NUM / DEN rounded half up, on integers (as the fee engine does)
rh() { py "(2 * ($1) + ($2)) // (2 * ($2))"; }
late_sum() { sql "SELECT coalesce(sum(e.amount_fen), 0) FROM bill.entry e JOIN bill.account a ON a.id = e.account_id
  JOIN bill.house h ON h.id = a.house_id JOIN bill.season s ON s.id = a.season_id
  WHERE h.code = '$1' AND s.name = '$2' AND e.kind = 'late_fee'"; }

as $ADMIN billctl season add 2025-2026 --start 2025-10-10 --end 2026-04-10 >/dev/null
as $ADMIN billctl tariff set --season 2025-2026 --house-type residential --price 22.00 >/dev/null
cat >"$TMP/h.csv" <<'EOF'
house_code,community,building,unit,room,area_m2,house_type
R1,南湖小区,1号楼,1单元,101,100.00,residential
L1,南湖小区,1号楼,1单元,102,100.00,residential
S9,南湖小区,1号楼,1单元,103,100.00,residential
EOF
as $ADMIN billctl import houses "$TMP/h.csv" >/dev/null
as $CASH billctl show R1 --season 2025-2026 >/dev/null

# --- BIL-17: a price change reaches accounts opened later ---------------------
# 22.00 for the 22 days from 10-10 to 11-01, 25.00 for the 160 after, of 182.
OLD=$(rh "220000 * 22 + 250000 * 160" 182)
WANT=$OLD
expect_exit 0 "adjust-price 25.00 from 2025-11-01" as $ADMIN billctl adjust-price --season 2025-2026 \
  --house-type residential --price 25.00 --from 2025-11-01 --yes
printf 'house_code,community,building,unit,room,area_m2,house_type\nR2,南湖小区,1号楼,1单元,104,100.00,residential\n' >"$TMP/r2.csv"
as $ADMIN billctl import houses "$TMP/r2.csv" >/dev/null
expect_exit 0 "R2, imported after the change, opened by show" as $CASH billctl show R2 --season 2025-2026 --format json
got=$(json 'j["accounts"][0]["entries"][0]["amount_fen"]' <"$TMP/out")
[ "$got" = "$WANT" ] && ok "PriceChangeReachesAccountOpenedLater: assessed $got fen by days" ||
  fail "PriceChangeReachesAccountOpenedLater: assessed $got, want $WANT"
[ "$(json 'j["accounts"][0]["balance_fen"]' <"$TMP/out")" = "$WANT" ] && ok "show's balance is the same" ||
  fail "R2 balance: $(cat "$TMP/out")"
expect_exit 0 "check is clean after the price change" as $CASH billctl check
sql "UPDATE bill.house SET charged_area = 90 WHERE code = 'R1'"
expect_exit 1 "CheckReportsLedgerThatDiffersFromTheEngine" as $CASH billctl check --format csv
expect_in "$TMP/out" "fee_vs_engine,R1,\"?2025-2026: the ledger's fee is 2463.74 yuan, the fee engine computes 2217.36" \
  "R1's area changed behind the ledger's back is found"
sql "UPDATE bill.house SET charged_area = 100 WHERE code = 'R1'"

# --- BIL-29: parameters that come in pairs are set in one command ------------
expect_exit 2 "one half alone is refused" as $ADMIN billctl param set late_fee.daily_rate 0.05%
expect_in "$TMP/err" "go together" "the refusal says they go together"
expect_exit 0 "PairedParametersSetInOneCommand: late fee on" as $ADMIN billctl param set late_fee.daily_rate 0.05% late_fee.due 12-31
expect_exit 0 "param list" as $CASH billctl param list --format json
[ "$(json '{r["name"]: r["value"] for r in j}["late_fee.due"]' <"$TMP/out")" = 12-31 ] && ok "late fee is on" ||
  fail "late fee params: $(cat "$TMP/out")"
expect_exit 0 "late fee off with 0 and none" as $ADMIN billctl param set late_fee.daily_rate 0 late_fee.due none
expect_exit 0 "discount on, NAME=VALUE form" as $ADMIN billctl param set discount.ratio=2% discount.until=09-30
expect_exit 0 "discount off" as $ADMIN billctl param set discount.ratio 0 discount.until none
expect_exit 2 "all or nothing" as $ADMIN billctl param set reconnection.fee 10.00 late_fee.daily_rate 0.05%
[ "$(sql "SELECT count(*) FROM bill.param WHERE name = 'reconnection.fee'")" = 0 ] &&
  ok "a refused command stored none of its values" || fail "reconnection.fee stored"
expect_exit 4 "a cashier sets no parameter" as $CASH billctl param set reconnection.fee 10.00

# --- BIL-6: import rows, not files ----------------------------------------------
{
  printf 'house_code,community,building,unit,room,area_m2,house_type\n'
  printf 'I1,南湖小区,2号楼,1单元,101,80.00,residential\n'
  printf 'I2,\xc4\xcf\xba\xfe,2号楼,1单元,102,80.00,residential\n'   # 南湖 in GBK
  printf 'I3,南湖小区,2号楼,1单元,103,"1,234.5",residential\n'
  printf 'I4,南湖小区,2号楼,1单元,104,87.355,residential\n'
} >"$TMP/rows.csv"
expect_exit 1 "ImportRejectsRowsNotFiles" as $ADMIN billctl import houses "$TMP/rows.csv" --format json
[ "$(json 'j["imported"]' <"$TMP/out")" = 1 ] && ok "the valid row went in" || fail "import: $(cat "$TMP/out")"
expect_in "$TMP/rows.rejects.csv" "line 3: column 2 \(community\) is not valid UTF-8" "the GBK row is rejected with its line"
expect_in "$TMP/rows.rejects.csv" "line 4: area_m2 '1,234.5': no thousands separators" "a thousands separator is named"
expect_in "$TMP/rows.rejects.csv" "line 5: area_m2 '87.355': more than 2 decimals" "too many decimals are named"

# --- BIL-10: a daily job enters the late fee of houses that do not pay ----------
as $ADMIN billctl param set late_fee.daily_rate 0.05% late_fee.due 12-31 >/dev/null
as $CASH billctl show L1 --season 2025-2026 >/dev/null
expect_exit 0 "LateFeeJobEntersAccruedLateFee" as $CASH billctl late-fees --date 2026-01-10 --format json
WANT=$(rh "$OLD * 10 * 5" 10000)
[ "$(late_sum L1 2025-2026)" = "$WANT" ] && ok "10 days at 0.05% on L1's fee: $WANT fen" ||
  fail "L1 late fee $(late_sum L1 2025-2026), want $WANT"
expect_exit 0 "LateFeeJobTwiceForADayChangesNothing" as $CASH billctl late-fees --date 2026-01-10 --format json
[ "$(json 'j["late_fees_entered"]' <"$TMP/out")" = 0 ] && [ "$(late_sum L1 2025-2026)" = "$WANT" ] &&
  ok "the second run entered nothing" || fail "second run: $(cat "$TMP/out")"
expect_exit 0 "show as of that day" as $CASH billctl show L1 --season 2025-2026 --as-of 2026-01-10 --format json
[ "$(json 'j["accounts"][0]["pending_late_fee_fen"]' <"$TMP/out")" = 0 ] && ok "show and the ledger agree" ||
  fail "pending: $(cat "$TMP/out")"
expect_exit 2 "not for a day in the future" as $CASH billctl late-fees --date 2099-01-01

# --- BIL-16: carry-over leaves nothing for check --------------------------------
as $CASH billctl suspend S9 --date 2025-12-01 --season 2025-2026 >/dev/null
as $ADMIN billctl season add 2026-2027 --start 2026-10-10 --end 2027-04-10 >/dev/null
as $ADMIN billctl tariff set --season 2026-2027 --house-type residential --price 24.00 --base-ratio 0.30 >/dev/null
expect_exit 0 "check before the carry-over" as $CASH billctl check
expect_exit 0 "carry over" as $ADMIN billctl carryover --from 2025-2026 --to 2026-2027 --yes
expect_exit 0 "CarryOverLeavesCheckClean" as $CASH billctl check
[ "$(sql "SELECT count(*) FROM bill.status_event WHERE reason = 'carry-over' AND kind = 'resume'")" = 1 ] &&
  ok "the reset of S9 is a status event with reason carry-over" || fail "no carry-over status event"
expect_exit 0 "L1's old season" as $CASH billctl show L1 --season 2025-2026 --format json
[ "$(json 'j["accounts"][0]["balance_fen"]' <"$TMP/out")" = 0 ] && ok "CarriedBalanceStopsLateFeeInOldSeason" ||
  fail "old season still owes: $(cat "$TMP/out")"
# The arrears moved on 2026-10-10 with the old season's late fee up to
# 10-09 (282 days after 12-31); in the new season they accrue after its own
# due day, 2026-12-31, with the new fee: 10 days to 2027-01-10.
CARRIED=$(py "$OLD + $(rh "$OLD * 282 * 5" 10000)")
expect_exit 0 "L1's new season as of 2027-01-10" as $CASH billctl show L1 --season 2026-2027 --as-of 2027-01-10 --format json
[ "$(json 'j["accounts"][0]["pending_late_fee_fen"]' <"$TMP/out")" = "$(rh "(240000 + $CARRIED) * 10 * 5" 10000)" ] &&
  ok "CarriedArrearsAccrueByTheNewSeasonsRule" || fail "new season late fee (carried $CARRIED): $(cat "$TMP/out")"
expect_exit 0 "L1's new season" as $CASH billctl show L1 --season 2026-2027 --format json
bal=$(json 'j["accounts"][0]["balance_fen"]' <"$TMP/out")
json 'j["accounts"][0]["explanation"][-1]' <"$TMP/out" | grep -q "owed $(py "f'{$bal / 100:.2f}'") yuan" &&
  ok "ShowOwedEqualsBalanceWithCarriedArrears" || fail "owed vs balance $bal: $(cat "$TMP/out")"
as $ADMIN billctl param set late_fee.daily_rate 0 late_fee.due none >/dev/null

# --- BIL-4: the subsidiary owes before it has an account ------------------------
printf 'house_code,community,building,unit,room,area_m2,house_type\nM1,南湖小区,3号楼,1单元,101,100.00,residential\nU1,南湖小区,3号楼,1单元,102,50.00,residential\n' >"$TMP/m.csv"
as $ADMIN billctl import houses "$TMP/m.csv" >/dev/null
as $CASH billctl link M1 U1 >/dev/null
expect_exit 5 "SubsidiaryWithoutAccountBlocksMainCharge" as $CASH billctl charge M1 --amount 10 --method cash --season 2026-2027
expect_in "$TMP/err" "U1" "the refusal names the subsidiary"
expect_exit 0 "U1 pays its 50 m2 x 24.00" as $CASH billctl charge U1 --amount 1200.00 --method cash --season 2026-2027
expect_exit 0 "then M1 may pay" as $CASH billctl charge M1 --amount 10 --method cash --season 2026-2027

# --- small things cashiers see ---------------------------------------------------
expect_exit 0 "tariff list" as $CASH billctl tariff list --season 2026-2027 --format csv
expect_in "$TMP/out" ",30%," "TariffListPrintsBaseRatioAsPercent"
as $ADMIN billctl season add 2027-2028 --start 2027-10-10 --end 2028-04-10 >/dev/null
as $ADMIN billctl tariff set --season 2027-2028 --house-type residential --price 24.00 >/dev/null
printf 'house_code,community,building,unit,room,area_m2,house_type\nZ1,北园小区,10号楼,1单元,101,100.00,residential\nZ2,北园小区,2号楼,1单元,101,100.00,residential\n' >"$TMP/z.csv"
as $ADMIN billctl import houses "$TMP/z.csv" >/dev/null
expect_exit 0 "Z1 in a season not started" as $CASH billctl show Z1 --season 2027-2028 --format json
[ "$(json 'j["marks"]["arrears_fen"]' <"$TMP/out")" = 0 ] && ok "ArrearsMarkCountsStartedSeasonsOnly" ||
  fail "arrears: $(cat "$TMP/out")"
expect_exit 0 "find 北园" as $CASH billctl find 北园 --format json
[ "$(json '",".join(h["house"] for h in j)' <"$TMP/out")" = "Z2,Z1" ] && ok "FindListsAddressesInNaturalOrder" ||
  fail "order: $(cat "$TMP/out")"
as $CASH billctl request reduction M1 --amount 300 --reason flood --season 2026-2027 >/dev/null
REQ=$(sql "SELECT max(id) FROM bill.request")
expect_exit 4 "RefusedApproveNamesTheRoleNeeded" as $CASH2 billctl approve "$REQ"
expect_in "$TMP/err" "needs a bill_deputy and a bill_production" "the roles the request needs are named"
finish
