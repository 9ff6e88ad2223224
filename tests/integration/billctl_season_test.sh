#!/usr/bin/env bash
# billctl over whole seasons (BIL-15..BIL-18, BIL-25, BIL-27):
# channel closures, dictionaries, resumption prorated by days, carry-over
# of balances and statuses, mid-season price change, checks.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
heatctl user add ba_$$ --role bill_admin >/dev/null
heatctl user add ca_$$ --role bill_cashier >/dev/null
ADMIN=ba_$$ CASH=ca_$$

as $ADMIN billctl season add 2025-2026 --start 2025-10-10 --end 2026-04-10 >/dev/null
# The second season is placed around today (30 days in, 182 days long), so
# a price change on a day already past lies inside it whatever the date.
S2_START=$(date -d '-30 days' +%F)
Y=${S2_START:0:4}
S2="$Y-$((Y + 1))"
as $ADMIN billctl season add "$S2" --start "$S2_START" --end "$(date -d "$S2_START +182 days" +%F)" >/dev/null
as $ADMIN billctl tariff set --season 2025-2026 --house-type residential --price 22.00 >/dev/null
cat >"$TMP/h.csv" <<'EOF'
房屋编号,小区,楼号,单元,房号,面积,房屋类型,户主,电话
A1,南湖小区,1号楼,1单元,101,100.00,住宅,甲,13800000001
A2,南湖小区,1号楼,1单元,102,100.00,住宅,乙,13800000002
A3,南湖小区,1号楼,1单元,103,100.00,住宅,丙,13800000003
A4,南湖小区,1号楼,1单元,104,50.00,住宅,丁,13800000004
EOF
expect_exit 0 "Chinese headers import" as $ADMIN billctl import houses "$TMP/h.csv"

# --- channels and methods (BIL-27) ------------------------------------------
expect_exit 0 "close wechat inside the counter channel" as $ADMIN billctl channel close counter --method wechat
expect_exit 5 "wechat at the counter refused" as $CASH billctl charge A1 --amount 1 --method wechat --season 2025-2026
expect_exit 0 "wechat through mobile still open" as $CASH billctl charge A1 --amount 1 --method wechat --channel mobile --season 2025-2026
expect_exit 0 "open it again" as $ADMIN billctl channel open counter --method wechat
expect_exit 0 "close the bank channel for companies" as $ADMIN billctl channel close bank --customer-type company
expect_exit 0 "residents still pay through the bank" as $CASH billctl charge A1 --amount 1 --method transfer --channel bank --season 2025-2026
expect_exit 4 "a cashier cannot close a channel" as $CASH billctl channel close cash
expect_exit 0 "channel list" as $CASH billctl channel list --format json
expect_in "$TMP/out" '"closed_for": "bank/\*/company"' "the partial closure is listed"

# --- dictionaries (BIL-25) ---------------------------------------------------------
expect_exit 0 "add a house type" as $ADMIN billctl dict add house_type garage 车库
expect_exit 2 "unknown dictionary" as $ADMIN billctl dict add colour red 红
expect_exit 0 "dict list" as $CASH billctl dict list house_type --format json
expect_in "$TMP/out" '"code": "garage"' "new type listed"

# --- resumed mid-season: base + the rest by remaining days (BIL-10) ---------------
expect_exit 0 "suspend A2 all season" as $CASH billctl suspend A2 --date 2025-10-10 --season 2025-2026
expect_exit 0 "resume A2 with 91 of 182 days left" as $CASH billctl resume A2 --date 2026-01-09 --season 2025-2026 --format json
[ "$(json 'j["balance_fen"]' <"$TMP/out")" = 143000 ] && ok "660.00 + 1540.00 x 91/182 = 1430.00" ||
  fail "resume: $(cat "$TMP/out")"
expect_exit 0 "suspend A3 for the season" as $CASH billctl suspend A3 --date 2025-10-10 --season 2025-2026
expect_exit 0 "A4 pays more than half" as $CASH billctl charge A4 --amount 600.00 --method cash --season 2025-2026

# --- batch (BIL-15) -----------------------------------------------------------------
expect_exit 0 "batch preview" as $CASH billctl batch stop --where community=南湖小区 --where heating=heating --date 2025-12-01 --season 2025-2026
expect_in "$TMP/err" "3 houses selected; nothing done" "preview counts A1, A2, A4 (A3 is suspended)"
expect_exit 0 "a code prefix is literal, not a pattern" as $CASH billctl batch stop --where code-prefix=_1 --date 2025-12-01 --season 2025-2026
expect_in "$TMP/err" "0 houses selected" "_1 selects no house (as a LIKE pattern it would select A1)"
expect_exit 2 "a bad --where key" as $CASH billctl batch stop --where comunity=x
expect_in "$TMP/err" "did you mean community" "the key is suggested"
expect_exit 0 "batch reduction under 50 yuan applies at once" as $CASH billctl batch reduction --where code-prefix=A4 --amount 10 --reason hardship --season 2025-2026 --yes
[ "$(sql "SELECT count(*) FROM bill.request WHERE outcome = 'applied'")" = 1 ] && ok "one reduction applied" || fail "batch reduction"

# --- checks (BIL-18) ----------------------------------------------------------------
expect_exit 0 "no findings on clean data" as $CASH billctl check
sql "INSERT INTO bill.house (code, unit_id, room, charged_area, house_type) SELECT 'A1X', unit_id, '101 ', 80, 'residential' FROM bill.house WHERE code = 'A1'"
sql "UPDATE bill.house SET charged_area = 90 WHERE code = 'A4'"
expect_exit 1 "findings" as $CASH billctl check --format json
expect_in "$TMP/out" '"check": "duplicate_address"' "duplicate address found"
expect_in "$TMP/out" '"check": "area_vs_receivable"' "area changed behind the account's back found"
expect_exit 1 "findings to xlsx" as $CASH billctl check --output "$TMP/check.xlsx"
[ -s "$TMP/check.xlsx" ] && ok "xlsx written" || fail "no xlsx"
sql "UPDATE bill.house SET charged_area = 50 WHERE code = 'A4'; UPDATE bill.house SET deleted_at = now() WHERE code = 'A1X'"

# --- carry-over (BIL-16) -------------------------------------------------------------
expect_exit 5 "carry-over without the new tariffs" as $ADMIN billctl carryover --from 2025-2026 --to $S2 --yes
as $ADMIN billctl tariff set --season $S2 --house-type residential --price 24.00 >/dev/null
before=$(sql "SELECT sum(amount_fen) FROM bill.entry")
expect_exit 0 "preview" as $ADMIN billctl carryover --from 2025-2026 --to $S2 --format json
[ "$(sql "SELECT count(*) FROM bill.account a JOIN bill.season s ON s.id = a.season_id WHERE s.name = '$S2'")" = 0 ] &&
  ok "the preview changed nothing" || fail "preview wrote"
expect_exit 4 "a cashier cannot carry over" as $CASH billctl carryover --from 2025-2026 --to $S2 --yes
expect_exit 0 "carry over" as $ADMIN billctl carryover --from 2025-2026 --to $S2 --yes --format json
[ "$(json 'j["accounts_opened"]' <"$TMP/out")" = 4 ] && ok "4 accounts opened" || fail "carry: $(cat "$TMP/out")"
after=$(sql "SELECT sum(amount_fen) FROM bill.entry e JOIN bill.account a ON a.id = e.account_id JOIN bill.season s ON s.id = a.season_id WHERE s.name = '2025-2026'")
[ "$after" = 0 ] && ok "old season balances moved (sum 0)" || fail "old season sum $after"
moved=$(json 'j["moved_fen"]' <"$TMP/out")
[ "$moved" = "$before" ] && ok "moved exactly what was owed: $moved fen" || fail "moved $moved, owed $before"
expect_exit 0 "A4 in the new season" as $CASH billctl show A4 --season $S2 --format json
[ "$(json 'j["accounts"][0]["balance_fen"]' <"$TMP/out")" = $((120000 + 110000 - 60000 - 1000)) ] &&
  ok "50 m2 x 24.00 + 490.00 carried" || fail "A4: $(cat "$TMP/out")"
[ "$(sql "SELECT heating_status FROM bill.house WHERE code = 'A3'")" = heating ] &&
  ok "suspended house reset to heating (carry_over.heating_status=reset)" || fail "A3 status"

# --- mid-season price change (BIL-17) -------------------------------------------------
expect_exit 2 "a price change in the future" as $ADMIN billctl adjust-price --season $S2 --house-type residential --price 25 --from 2099-01-01
CHANGE=$(date -d '-10 days' +%F)
expect_exit 0 "preview of 26.00 from $CHANGE" as $ADMIN billctl adjust-price --season "$S2" \
  --house-type residential --price 26.00 --from "$CHANGE" --format json
[ "$(sql "SELECT count(*) FROM bill.tariff WHERE from_date = '$CHANGE'")" = 0 ] && ok "preview left nothing" || fail "preview"
expect_exit 0 "price change" as $ADMIN billctl adjust-price --season "$S2" --house-type residential \
  --price 26.00 --from "$CHANGE" --yes --format json
[ "$(json 'j["total_adjustment_fen"]' <"$TMP/out")" -gt 0 ] && ok "adjusted up" || fail "adjust: $(cat "$TMP/out")"
expect_exit 0 "A1 after the change" as $CASH billctl show A1 --season "$S2" --format json
# 2400.00 for the 20 days before the change, 2600.00 for the 162 after, of 182,
# rounded half up once: the adjustment is that minus 2400.00.
want=$(python3 -c "print((240000 * 20 + 260000 * 162 + 91) // 182 - 240000)")
[ "$(json '[e["amount_fen"] for e in j["accounts"][0]["entries"] if e["kind"] == "adjustment" and "price" in e["note"]][0]' <"$TMP/out")" = "$want" ] &&
  ok "prorated by days at each price: +$want fen" || fail "A1 (want $want): $(cat "$TMP/out")"
finish
