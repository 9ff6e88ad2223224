#!/usr/bin/env bash
# The service hall online (BIL-14, BIL-24, BIL-28): a resident logged in on
# the payment page (a heat_pay login with a page session) files requests
# through bill.hall_file; cashiers in and out of the house's data scope
# list, take, finish and reject them with billctl hall; a final state
# cannot change; the resident's view shows the state and the answer; the
# operation log has every filing and step; the 6th open request, a detail
# with control characters and one of 10 kB are refused with nothing
# stored; the company's information reaches the page.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
ADMIN=ha_$$ C1=h1_$$ C2=h2_$$ OUT=ho_$$ SUP=hs_$$ PAY=hp_$$
printf 'org_units:\n  - {code: HQ, name: 公司}\n  - {code: N1, name: 北区, parent: HQ}\n  - {code: S1, name: 南区, parent: HQ}\n' >"$TMP/org.yaml"
heatctl import "$TMP/org.yaml" >/dev/null
heatctl user add $ADMIN --role bill_admin >/dev/null
heatctl user add $C1 --role bill_cashier --org N1 >/dev/null
heatctl user add $C2 --role bill_cashier --org N1 >/dev/null
heatctl user add $OUT --role bill_cashier --org S1 >/dev/null
heatctl user add $SUP --role bill_supervisor --org N1 >/dev/null
heatctl user add $PAY --role heat_pay >/dev/null
# rsql USER QUERY: one value as USER (errors on stderr, exit 1)
rsql() { PGUSER=$1 psql -qAtX -v ON_ERROR_STOP=1 -c "$2"; }
# The season of today, so that the page's tariffs are this season's.
IFS='|' read -r S START END < <(sql "SELECT y || '-' || (y + 1), make_date(y, 10, 10), make_date(y + 1, 4, 10)
                                     FROM (SELECT extract(year FROM bill.today() - 181)::int AS y) t")
as $ADMIN billctl season add "$S" --start "$START" --end "$END" >/dev/null
as $ADMIN billctl tariff set --season "$S" --house-type residential --price 22.00 >/dev/null
cat >"$TMP/houses.csv" <<'CSV'
house_code,community,building,unit,room,area_m2,house_type,customer_name,phone
H1,北苑小区,1号楼,1单元,101,100.00,residential,张三,13900001234
H2,北苑小区,1号楼,1单元,102,80.00,residential,李四,13900005678
CSV
as $ADMIN billctl import houses "$TMP/houses.csv" >/dev/null
sql "UPDATE bill.community SET org_id = (SELECT id FROM heat.org_unit WHERE code = 'N1')"

TOKEN=$(rsql $PAY "SELECT bill.pay_login('H1', '1234', '203.0.113.7')")
[ ${#TOKEN} = 64 ] && ok "the resident of H1 logs in on the page" || fail "no session: $TOKEN"
file() { rsql $PAY "SELECT bill.hall_file('$TOKEN', '$1', \$d\$$2\$d\$, '${3:-13900001234}')"; }
count() { sql "SELECT count(*) FROM bill.hall_request"; }

# --- filing -------------------------------------------------------------------
R1=$(file repair "暖气片不热, 请上门看看")
R2=$(file suspension "今冬不在家" "010-87654321")
R3=$(file feedback "营业厅服务很好")
[ -n "$R1" ] && [ -n "$R3" ] && ok "ResidentFilesRequestsThroughThePage ($R1 $R2 $R3)" || fail "filing: $R1 $R2 $R3"
[ "$(sql "SELECT h.code || ' ' || q.kind || ' ' || q.state || ' ' || q.phone || ' ' || host(q.client) || ' ' || q.filed_by
          FROM bill.hall_request q JOIN bill.house h ON h.id = q.house_id WHERE q.id = $R1")" = \
  "H1 repair new 13900001234 203.0.113.7 $PAY" ] && ok "StoredWithHouseKindStatePhoneAndTheResidentsAddress" ||
  fail "stored: $(sql "SELECT * FROM bill.hall_request WHERE id = $R1")"
[ -z "$(rsql $PAY "SELECT bill.hall_file('$(printf '0%.0s' {1..64})', 'repair', 'x', '13900001234')")" ] &&
  ok "an unknown session files nothing (NULL)" || fail "a request without a session"
rsql $PAY "SELECT count(*) FROM bill.hall_request" 2>"$TMP/err" && fail "the page read the table" ||
  expect_in "$TMP/err" "permission denied" "ThePageLoginCannotReadTheTable"

N=$(count)
for bad in "$(printf 'a\x01b')" "$(printf 'a\x1b[2Jb')" "$(printf 'a\x7fb')"; do
  rsql $PAY "SELECT bill.hall_file('$TOKEN', 'repair', \$d\$$bad\$d\$, '13900001234')" 2>"$TMP/err" &&
    fail "a detail with a control character went in" || true
done
expect_in "$TMP/err" "control characters" "DetailWithControlCharactersIsRefused"
rsql $PAY "SELECT bill.hall_file('$TOKEN', 'repair', repeat('x', 10240), '13900001234')" 2>"$TMP/err" &&
  fail "a 10 kB detail went in" || expect_in "$TMP/err" "at most 500 characters" "DetailOf10kBIsRefused"
rsql $PAY "SELECT bill.hall_file('$TOKEN', 'repair', 'x', '12345')" 2>"$TMP/err" &&
  fail "a bad phone went in" || expect_in "$TMP/err" "contact phone" "a phone that is no phone is refused"
rsql $PAY "SELECT bill.hall_file('$TOKEN', 'dance', 'x', '13900001234')" 2>"$TMP/err" &&
  fail "an unknown kind went in" || expect_in "$TMP/err" "unknown kind" "an unknown kind is refused"
[ "$(count)" = "$N" ] && ok "NothingStoredForRefusedFilings" || fail "refused filings stored: $(count) rows, was $N"
sql "INSERT INTO bill.hall_request (house_id, kind, detail, phone) SELECT id, 'repair', E'a\\x1bb', '13900001234' FROM bill.house WHERE code = 'H1'" \
  2>"$TMP/err" && fail "the table took a control character from the owner" ||
  expect_in "$TMP/err" "check constraint" "the table itself refuses control characters, for the owner too"

# --- the flood limit: 5 open requests per house ---------------------------------
R4=$(file installation "加装一组暖气片")
R5=$(file name_change "户主改为张小三")
file unbinding "解绑旧手机" >"$TMP/out" 2>"$TMP/err" && fail "a 6th open request went in" ||
  expect_in "$TMP/err" "5 open requests" "TheSixthOpenRequestIsRefused"
[ "$(sql "SELECT count(*) FROM bill.hall_request q JOIN bill.house h ON h.id = q.house_id WHERE h.code = 'H1'")" = 5 ] &&
  ok "and not stored" || fail "H1 has $(sql "SELECT count(*) FROM bill.hall_request") requests"

# --- staff: scope, take, done, reject -------------------------------------------
expect_exit 0 "C1 lists the open requests" as $C1 billctl hall list --format json
[ "$(json 'len(j)' <"$TMP/out")" = 5 ] && ok "CashierInScopeSeesTheRequests" || fail "C1 sees: $(cat "$TMP/out")"
expect_exit 0 "OUT lists" as $OUT billctl hall list --state all --format json
[ "$(json 'len(j)' <"$TMP/out")" = 0 ] && ok "CashierOutOfScopeSeesNone" || fail "OUT sees: $(cat "$TMP/out")"
expect_exit 4 "CashierOutOfScopeCannotTake" as $OUT billctl hall take "$R1"
expect_in "$TMP/err" "outside your data scope" "the refusal says why"
expect_exit 0 "C1 takes the repair" as $C1 billctl hall take "$R1" --format json
[ "$(json 'j["state"], j["taken_by"]' <"$TMP/out")" = "taken $C1" ] && ok "TakenByC1" || fail "take: $(cat "$TMP/out")"
expect_exit 5 "taking it twice is refused" as $C1 billctl hall take "$R1"
expect_exit 4 "AnotherCashierCannotTakeARequestC1Took" as $C2 billctl hall take "$R1"
expect_in "$TMP/err" "taken by $C1" "the refusal names who took it"
expect_exit 4 "nor finish it" as $C2 billctl hall done "$R1" --answer "x"
expect_exit 5 "a new request is taken before it is done" as $C1 billctl hall done "$R3" --answer "谢谢"
expect_exit 2 "done needs an answer" as $C1 billctl hall done "$R1" --answer "  "
expect_exit 0 "C1 finishes the repair" as $C1 billctl hall done "$R1" --answer "已派人维修, 明天上午到"
expect_exit 0 "C2 rejects the name change while new" as $C2 billctl hall reject "$R5" --answer "请带房产证到营业厅办理"
expect_exit 0 "C2 takes the suspension" as $C2 billctl hall take "$R2"
expect_exit 0 "SupervisorTakesOverARequestSomeoneElseTook" as $SUP billctl hall take "$R2" --format json
[ "$(json 'j["taken_by"]' <"$TMP/out")" = $SUP ] && ok "now the supervisor's" || fail "take over: $(cat "$TMP/out")"
expect_exit 0 "the supervisor rejects it" as $SUP billctl hall reject "$R2" --answer "报停须在供暖季开始前办理"

# --- final states are final ---------------------------------------------------------
expect_exit 5 "DoneIsFinal: no reject" as $SUP billctl hall reject "$R1" --answer "x"
expect_exit 5 "RejectedIsFinal: no take" as $C1 billctl hall take "$R5"
expect_exit 5 "rejected is final for a supervisor too" as $SUP billctl hall done "$R2" --answer "x"
sql "UPDATE bill.hall_request SET state = 'new', taken_by = NULL, taken_at = NULL, ended_by = NULL, ended_at = NULL,
     answer = NULL WHERE id = $R1" 2>"$TMP/err" && fail "the owner reopened a done request" ||
  expect_in "$TMP/err" "final" "the owner cannot change a final state either"
sql "DELETE FROM bill.hall_request WHERE id = $R3" 2>"$TMP/err" && fail "a request was deleted" ||
  expect_in "$TMP/err" "none is deleted" "no request is deleted"
rsql $C1 "UPDATE bill.hall_request SET answer = 'x' WHERE id = $R3" 2>"$TMP/err" && fail "a cashier wrote the table" ||
  expect_in "$TMP/err" "permission denied" "cashiers change requests only through the functions"
[ "$(sql "SELECT state || '/' || coalesce(taken_by, '-') || '/' || ended_by || '/' || answer FROM bill.hall_request WHERE id = $R1")" = \
  "done/$C1/$C1/已派人维修, 明天上午到" ] && ok "StoredStateOfTheRepair: done by C1 with the answer" || fail "R1 stored"

# --- what the resident sees ----------------------------------------------------------
rsql $PAY "SELECT id || ' ' || kind || ' ' || state || ' ' || coalesce(answer, '-') FROM bill.hall_requests_of('$TOKEN') ORDER BY id" >"$TMP/mine"
expect_in "$TMP/mine" "^$R1 repair done 已派人维修, 明天上午到$" "ResidentSeesTheAnswerOfTheRepair"
expect_in "$TMP/mine" "^$R2 suspension rejected 报停须在供暖季开始前办理$" "and why the suspension was rejected"
expect_in "$TMP/mine" "^$R3 feedback new -$" "and the feedback still new"
T2=$(rsql $PAY "SELECT bill.pay_login('H2', '5678', '198.51.100.1')")
[ -z "$(rsql $PAY "SELECT * FROM bill.hall_requests_of('$T2')")" ] && ok "AnotherHouseSeesNoneOfThem" || fail "H2 sees H1's"
R6=$(file unbinding "解绑旧手机")
[ -n "$R6" ] && ok "with two requests closed, H1 may file again" || fail "no filing after closing"

# --- the operation log ---------------------------------------------------------------
log() { sql "SELECT string_agg(action || ':' || login, ' ' ORDER BY id) FROM heat.op_log WHERE object_kind = 'hall_request' AND object_code = '$1'"; }
[ "$(log "$R1")" = "hall_file:$PAY hall_take:$C1 hall_done:$C1" ] && ok "OpLogHasEveryStepOfTheRepair" || fail "log of R1: $(log "$R1")"
[ "$(log "$R2")" = "hall_file:$PAY hall_take:$C2 hall_take:$SUP hall_reject:$SUP" ] && ok "and of the suspension" ||
  fail "log of R2: $(log "$R2")"
[ "$(sql "SELECT new->>'answer' FROM heat.op_log WHERE object_kind = 'hall_request' AND object_code = '$R5' AND action = 'hall_reject'")" = \
  "请带房产证到营业厅办理" ] && ok "the log keeps the answer" || fail "no answer logged"
[ "$(sql "SELECT count(*) FROM heat.op_log WHERE object_kind = 'hall_request'")" = 12 ] &&
  ok "6 filings and 6 steps logged, the refused ones not" || fail "log lines: $(sql "SELECT count(*) FROM heat.op_log WHERE object_kind = 'hall_request'")"

# --- billctl hall list and show ------------------------------------------------------------
expect_exit 0 "list --state done" as $C1 billctl hall list --state done
expect_in "$TMP/out" "^ *$R1 +H1 +repair +done" "the done repair is listed"
expect_exit 2 "an unknown state is refused" as $C1 billctl hall list --state closed
expect_exit 0 "list --kind feedback" as $C1 billctl hall list --kind feedback --format json
[ "$(json '[r["id"] for r in j]' <"$TMP/out")" = "[$R3]" ] && ok "--kind filters" || fail "kind: $(cat "$TMP/out")"
expect_exit 0 "show" as $C1 billctl hall show "$R1"
expect_in "$TMP/out" "北苑小区 1号楼 1单元 101" "show gives the address"
expect_in "$TMP/out" "answer +已派人维修" "and the answer"
expect_exit 3 "show outside the scope is not found" as $OUT billctl hall show "$R1"

# --- the company's information ---------------------------------------------------------------
printf '12月8日北区停暖\n请做好准备\n' >"$TMP/notice.txt"
expect_exit 0 "the admin adds a notice of two lines" as $ADMIN billctl hall info add --kind notice --title "停暖通知" --body-file "$TMP/notice.txt" --format json
I1=$(json 'j["id"]' <"$TMP/out")
expect_exit 0 "and a location as a draft" as $ADMIN billctl hall info add --kind location --title "北区营业厅" --body "北苑路1号" --draft --format json
I2=$(json 'j["id"]' <"$TMP/out")
expect_exit 4 "a cashier cannot add information" as $C1 billctl hall info add --kind faq --title "q" --body "a"
printf 'a\x1b[31mb' >"$TMP/esc.txt"
expect_exit 2 "a body with an escape sequence is refused" as $ADMIN billctl hall info add --kind faq --title "q" --body-file "$TMP/esc.txt"
rsql $PAY "SELECT kind || '|' || title FROM bill.hall_info()" >"$TMP/info"
expect_in "$TMP/info" "^notice\|停暖通知$" "ThePageShowsThePublishedNotice"
[ "$(rsql $PAY "SELECT body FROM bill.hall_info() WHERE kind = 'notice'")" = "$(cat "$TMP/notice.txt")" ] &&
  ok "with its two lines" || fail "notice body: $(rsql $PAY "SELECT body FROM bill.hall_info() WHERE kind = 'notice'")"
grep -q "北区营业厅" "$TMP/info" && fail "a draft is on the page" || ok "a draft is not on the page"
expect_in "$TMP/info" "^tariff\|" "the page gets the season's tariffs"
[ "$(rsql $PAY "SELECT body FROM bill.hall_info() WHERE kind = 'tariff'")" = "22.00 元/m² ($START 起)" ] &&
  ok "the tariff reads 22.00 元/m²" || fail "tariff: $(rsql $PAY "SELECT body FROM bill.hall_info() WHERE kind = 'tariff'")"
expect_exit 0 "publish the location" as $ADMIN billctl hall info edit "$I2" --publish --position 2
[ "$(rsql $PAY "SELECT count(*) FROM bill.hall_info() WHERE title = '北区营业厅'")" = 1 ] && ok "published, it is on the page" ||
  fail "not published"
expect_exit 0 "remove the notice" as $ADMIN billctl hall info rm "$I1"
expect_exit 3 "removing it again" as $ADMIN billctl hall info rm "$I1"
[ "$(sql "SELECT string_agg(action, ' ' ORDER BY id) FROM heat.op_log WHERE object_kind = 'hall_info'")" = "insert insert update delete" ] &&
  ok "InfoChangesAreInTheOpLog" || fail "info log: $(sql "SELECT string_agg(action, ' ' ORDER BY id) FROM heat.op_log WHERE object_kind = 'hall_info'")"
finish
