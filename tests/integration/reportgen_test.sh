#!/usr/bin/env bash
# reportgen end to end (ANA-9, BIL-19, BIL-20, BIL-22): billing data made
# with billctl as cashiers make it (the demo's houses and a building of 24
# for the 楼图), station counters in the daily rollups; every built-in
# report in every format; PDF text (title, a household, totals, the header
# repeated on page 2), XLSX re-read, CSV totals against SQL to the fen; a
# cashier of one branch sees that branch only (and --org never widens); a
# broken definition names file:line; an unknown report gets "did you
# mean"; a definition cannot write; nightly writes dated files, prunes old
# ones and fails loudly. HEAT_SCREENS=DIR keeps a PNG of the 楼图 page.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
mkdir -p "$TMP/custom" "$TMP/nightly"
cat >"$TMP/heat.yaml" <<YAML
site:
  company: 测试热力公司
report:
  dirs: $TMP/custom:$HEAT_SOURCE_DIR/etc/reports
  nightly: daily-takings,collection-rate.xlsx,cashier-reconciliation.csv
YAML
export HEAT_CONFIG=$TMP/heat.yaml

# --- the network, logins, a season, houses ------------------------------------
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: CO, name: 公司}, {code: BR1, name: 一分公司, parent: CO}, {code: BR2, name: 二分公司, parent: CO}]
heat_sources: [{code: HS1, name: 东郊热源, kind: chp, org: CO}]
networks: [{code: N1, name: 一级网, kind: primary, org: CO, source: HS1}]
stations: [{code: T1, name: 一号站, org: BR1, network: N1}, {code: T2, name: 二号站, org: BR2, network: N1}]
devices:
  - {code: T1-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: T1,
     points: [{tag: q1, unit: GJ}, {tag: mw_m3, unit: m3}, {tag: kwh, unit: kWh}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
ADMIN=ba_$$ CASH=ca_$$ CASH1=c1_$$ ENG=en_$$
heatctl user add $ADMIN --role bill_admin >/dev/null
heatctl user add $CASH --role bill_cashier --org CO >/dev/null
heatctl user add $CASH1 --role bill_cashier --org BR1 >/dev/null
heatctl user add $ENG --role heat_engineer --org CO >/dev/null
D=$(TZ=Asia/Shanghai date +%F)
y=$(TZ=Asia/Shanghai date +%Y); [ "$(TZ=Asia/Shanghai date +%m)" -lt 7 ] && y=$((y - 1))
SEASON="$y-$((y + 1))"
# A season around today whatever the day, so that it has started.
as $ADMIN billctl season add "$SEASON" --start "$y-07-01" --end "$((y + 1))-06-30" >/dev/null
as $ADMIN billctl tariff set --season "$SEASON" --house-type residential --price 22.00 --base-ratio 0.30 >/dev/null
as $ADMIN billctl tariff set --season "$SEASON" --house-type commercial --price 30.00 >/dev/null
as $ADMIN billctl import houses "$HEAT_SOURCE_DIR/etc/examples/demo-houses.csv" >/dev/null
# 阳光小区 3号楼: 6 floors x 2 units x 2 rooms, for the 楼图.
{
  echo "house_code,community,building,unit,room,area_m2,house_type,customer_name,phone,card_no"
  for u in 1 2; do for f in 1 2 3 4 5 6; do for r in 1 2; do
    echo "YG3$u$f$r,阳光小区,3号楼,${u}单元,$f$(printf %02d $r),90.00,residential,住户$u$f$r,,"
  done; done; done
} >"$TMP/yg.csv"
as $ADMIN billctl import houses "$TMP/yg.csv" >/dev/null
sql "UPDATE bill.community c SET org_id = o.id FROM heat.org_unit o
     WHERE o.code = CASE WHEN c.name IN ('幸福小区', '阳光小区') THEN 'BR1' ELSE 'BR2' END"
sql "UPDATE bill.building SET station_id = (SELECT id FROM heat.station WHERE code = 'T1') WHERE community_id = (SELECT id FROM bill.community WHERE name = '阳光小区')"

# --- money: full, part and no payments, a reversal, a reduction, suspensions --
for h in $(cut -d, -f1 "$HEAT_SOURCE_DIR/etc/examples/demo-houses.csv" | tail -n +2 | head -24); do
  as $CASH billctl show "$h" >/dev/null   # opens the account
  as $CASH billctl charge "$h" --amount 500.00 --method wechat >/dev/null
done
for u in 1 2; do for f in 1 2 3 4 5 6; do for r in 1 2; do
  h=YG3$u$f$r
  as $CASH1 billctl show $h >/dev/null
  case $(( (f + r + u) % 5 )) in
    0) as $CASH1 billctl charge $h --amount 1980.00 --method cash >/dev/null ;;
    1) as $CASH1 billctl charge $h --amount 300.00 --method card >/dev/null ;;
    2) ;;
    3) as $CASH1 billctl suspend $h --date "$D" >/dev/null ;;
    4) if [ $f = 6 ]; then as $CASH1 billctl disconnect $h --date "$D" >/dev/null
       else as $CASH1 billctl charge $h --amount 1980.00 --method alipay >/dev/null; fi ;;
  esac
done; done; done
REC=$(as $CASH billctl charge XF11101 --amount 100.00 --method cash --format json | json 'j["receipt_no"]')
as $CASH billctl reverse "$REC" --reason "wrong house" >/dev/null
as $CASH billctl request reduction XF11301 --amount 20 --reason hardship >/dev/null
[ "$(sql "SELECT count(*) FROM bill.entry WHERE kind = 'payment'")" -ge 30 ] && ok "billing data made by billctl" ||
  fail "too few payments: $(sql "SELECT count(*) FROM bill.entry WHERE kind = 'payment'")"

# Station counters: T1's q1, mw_m3, kwh on D-1 and D and a year before; a plan.
LY=$(python3 -c "import datetime as d; t=d.date.fromisoformat('$D'); print(t.replace(year=t.year-1) if not (t.month==2 and t.day==29) else t.replace(year=t.year-1, day=28))")
for p in "q1 1000 1120 1240 900 1010" "mw_m3 50 53 57 40 42" "kwh 8000 8400 8850 7000 7300"; do
  set -- $p
  sql "INSERT INTO heat.reading_daily (point_id, day, n, sum, min, max, last_value, last_ts)
       SELECT id, day, 1, v, v, v, v, now() FROM heat.point,
       (VALUES ('$D'::date - 2, $2::float8), ('$D'::date - 1, $3), ('$D'::date, $4),
               ('$LY'::date - 1, $5), ('$LY'::date, $6)) x(day, v) WHERE code = 'T1.$1'" >/dev/null ||
    fail "daily rollups of $1"
done
[ "$(sql "SELECT count(*) FROM heat.reading_daily")" = 15 ] && ok "T1's counters in the daily rollups" || fail "rollups"
sql "UPDATE heat.station SET heating_area_m2 = 200000 WHERE code = 'T1'"
# 100 GJ a day whatever the month's length.
as $ENG psql -qAtX -v ON_ERROR_STOP=1 -c "INSERT INTO heat.production_plan (station, month, heat_gj, water_m3, power_kwh)
  SELECT 'T1', m, 100 * extract(day FROM m + interval '1 month - 1 day'), 100, 12400
  FROM date_trunc('month', '$D'::date) m" >/dev/null && ok "an engineer enters the plan" ||
  fail "plan insert"

# --- every built-in report in every format -------------------------------------
args_of() {
  case $1 in
    building-map) echo "--building 阳光小区/3号楼" ;;
    collection-rate*|heating-area|heating-status|customer-types|arrears|dunning|backup-check) echo "" ;;
    *) echo "--date $D" ;;
  esac
}
login_of() { case $1 in production-*|analysis-*) echo $ENG ;; *) echo $ADMIN ;; esac; }
NAMES=$(reportgen list --format csv | tail -n +2 | cut -d, -f1)
[ "$(wc -w <<<"$NAMES")" -ge 22 ] && ok "list shows the built-in reports" || fail "list: $NAMES"
for n in $NAMES; do
  for f in pdf xlsx csv; do
    expect_exit 0 "$n as $f" as "$(login_of $n)" reportgen run $n $(args_of $n) -o "$TMP/$n.$f"
    [ -s "$TMP/$n.$f" ] || fail "$n.$f is empty"
  done
done
pdf() { pdftotext -layout "$@" - 2>/dev/null; }

# PDF: title, generation line, a household, totals, money right-aligned text.
pdf "$TMP/daily-takings.pdf" >"$TMP/dt.txt"
expect_in "$TMP/dt.txt" "日收款报表" "daily takings PDF has its title"
expect_in "$TMP/dt.txt" "生成时间 $D" "and the generation time"
expect_in "$TMP/dt.txt" "测试热力公司" "and the company"
expect_in "$TMP/dt.txt" "第 1 */ *1 页" "and a page number"
WANT=$(sql "SELECT to_char(-sum(e.amount_fen) / 100.0, 'FM999999990.00') FROM bill.entry e
            LEFT JOIN bill.entry r ON r.id = e.reverses
            WHERE e.entry_date = '$D' AND coalesce(r.kind, e.kind) IN ('payment', 'refund')")
expect_in "$TMP/dt.txt" "合计.* $WANT( |\$)" "the PDF's total is the ledger's $WANT yuan"
pdf "$TMP/ledger.pdf" >"$TMP/ledger.txt"
expect_in "$TMP/ledger.txt" "XF11101" "the ledger names a known household"
PAGES=$(pdfinfo "$TMP/ledger.pdf" | sed -n 's/^Pages: *//p')
[ "${PAGES:-0}" -ge 2 ] && ok "the ledger runs over $PAGES pages" || fail "ledger pages: $PAGES"
pdf -f 2 -l 2 "$TMP/ledger.pdf" >"$TMP/p2.txt"
expect_in "$TMP/p2.txt" "日期 +房屋 +地址 +户主" "page 2 repeats the header row"
expect_in "$TMP/p2.txt" "第 2 */ *$PAGES 页" "page 2 says 第 2 / $PAGES 页"
if grep -q "收费台账" "$TMP/p2.txt"; then fail "the title is on the first page only"; else ok "title on page 1 only"; fi

# XLSX re-read: the title, the header, money as numbers.
python3 - "$TMP/daily-takings.xlsx" "$WANT" >"$TMP/xl.out" 2>&1 <<'PY' && ok "xlsx: title, bold frozen header, money as a number" || fail "xlsx: $(cat "$TMP/xl.out")"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
strings = z.read("xl/sharedStrings.xml").decode()
sheet = z.read("xl/worksheets/sheet1.xml").decode()
assert "日收款报表" in strings and "实收(元)" in strings, strings[:300]
assert 'ySplit="4"' in sheet, "header row not frozen"
want = float(sys.argv[2])
nums = [float(v) for v in re.findall(r'<c r="E\d+" s="\d+"><v>([-0-9.E]+)</v>', sheet)]
assert any(abs(n - want) < 0.001 for n in nums), (want, nums)
PY

# CSV: daily takings equal the ledger's sum of that day to the fen.
GOT=$(grep '^合计,' "$TMP/daily-takings.csv" | awk -F, '{print $NF}')
[ "$GOT" = "$WANT" ] && ok "CSV daily takings $GOT = ledger sum of $D" || fail "CSV total $GOT, ledger $WANT"
head -c3 "$TMP/daily-takings.csv" | od -An -tx1 | grep -q "ef bb bf" && ok "a CSV file has Excel's byte-order mark" ||
  fail "no BOM"
# Collection rate: paid / due computed straight from the ledger.
RATE=$(sql "SELECT to_char(round(100.0 * sum(-e.amount_fen) FILTER (WHERE coalesce(r.kind, e.kind) IN ('payment', 'refund'))
              / sum(e.amount_fen) FILTER (WHERE coalesce(r.kind, e.kind) NOT IN ('payment', 'refund')), 2), 'FM990.00')
            FROM bill.entry e LEFT JOIN bill.entry r ON r.id = e.reverses")
GOT=$(grep '^合计,' "$TMP/collection-rate.csv" | awk -F, '{print $NF}')
[ "$GOT" = "$RATE%" ] && ok "collection rate $GOT = paid / due in SQL" || fail "collection rate $GOT, SQL $RATE%"
expect_in "$TMP/collection-rate.csv" "^阳光小区,24," "阳光小区 has its 24 houses"

# --- scopes: a BR1 cashier sees BR1 only; --org narrows, never widens ---------
expect_exit 0 "BR1's cashier runs the collection rate" as $CASH1 reportgen run collection-rate --format csv
[ "$(tail -n +2 "$TMP/out" | grep -v '^合计' | cut -d, -f1 | sort | tr '\n' ' ')" = "幸福小区 阳光小区 " ] &&
  ok "RLS: BR1's cashier sees 幸福小区 and 阳光小区 only" || fail "BR1 sees: $(cat "$TMP/out")"
expect_exit 0 "BR1's cashier asks for BR2" as $CASH1 reportgen run ledger --date $D --org BR2 --format csv
[ "$(wc -l <"$TMP/out")" = 2 ] && ok "--org BR2 gives BR1's cashier nothing (header and 合计 only)" ||
  fail "--org widened: $(cat "$TMP/out")"
expect_exit 0 "the admin narrows to BR2" as $ADMIN reportgen run collection-rate --org BR2 --format csv
if grep -q "幸福小区\|阳光小区" "$TMP/out"; then fail "--org BR2 shows BR1"; else ok "--org BR2 shows BR2's communities only"; fi
expect_exit 3 "an unknown org unit" as $ADMIN reportgen run collection-rate --org NOPE --format csv
expect_in "$TMP/err" "no org unit NOPE" "unknown org named"
expect_exit 4 "an engineer cannot read billing reports" as $ENG reportgen run ledger --format csv
expect_exit 0 "production for T1" as $ENG reportgen run production-daily --date $D --format csv
expect_in "$TMP/out" "^东郊热源,一号站,$D,120.00,6.000,4.00,450.0,110.00,100.00,120.00%" \
  "production: 120 GJ, 6 GJ/万m², 4 m³, 450 kWh, last season 110, plan 100 a day, 120 % of it"
expect_in "$TMP/out" "^东郊热源 小计," "a subtotal per heat source"

# --- definitions: broken, unknown, writing -----------------------------------
printf 'name: broken\ntitle: 坏\nsql: SELECT 1 AS a\ncolumns:\n  - {name: a, type: integer}\n' >"$TMP/custom/broken.yaml"
expect_exit 2 "a broken definition" as $ADMIN reportgen run broken
expect_in "$TMP/err" "^reportgen: $TMP/custom/broken.yaml:5: columns\\[1\\].type: 'integer' is not one of text\\|int\\|money\\|number\\|percent\\|date$" \
  "the error names file:line and the key"
expect_exit 0 "list still works" reportgen list
expect_in "$TMP/out" "broken .*broken.yaml:5" "list shows the broken file with its error"
expect_exit 3 "an unknown report" reportgen run daily-taking
expect_in "$TMP/err" "no report 'daily-taking'; did you mean 'daily-takings'\\?" "did you mean"
printf 'name: evil\ntitle: 写\nsql: DELETE FROM bill.dict RETURNING kind\ncolumns:\n  - {name: kind, type: text}\n' >"$TMP/custom/evil.yaml"
expect_exit 1 "a definition that writes" reportgen run evil --format csv
expect_in "$TMP/err" "read-only transaction" "the READ ONLY transaction refuses it"
[ "$(sql "SELECT count(*) > 20 FROM bill.dict")" = t ] && ok "nothing deleted" || fail "bill.dict was changed"
printf 'name: ledger\ntitle: 自定义台账\nsql: SELECT 1 AS a\ncolumns:\n  - {name: a, title: 一, type: int}\n' >"$TMP/custom/ledger.yaml"
expect_exit 0 "a company's own ledger" as $ADMIN reportgen run ledger --format csv
expect_in "$TMP/out" "^一$" "the first folder of report.dirs wins"
rm "$TMP/custom/ledger.yaml" "$TMP/custom/evil.yaml" "$TMP/custom/broken.yaml"
expect_exit 2 "a parameter the report does not take" as $ADMIN reportgen run arrears --date $D
expect_exit 2 "a bad date" as $ADMIN reportgen run ledger --date 2026-02-30

# --- dunning notices (BIL-22) -------------------------------------------------
OWING=$(sql "SELECT count(*) FROM (SELECT a.house_id FROM bill.account a JOIN bill.entry e ON e.account_id = a.id
             GROUP BY a.house_id HAVING sum(e.amount_fen) >= 10000) x")
expect_exit 0 "dunning notices, 100 yuan or more" as $ADMIN reportgen run dunning --min-arrears 100 -o "$TMP/dun.pdf"
[ "$(pdfinfo "$TMP/dun.pdf" | sed -n 's/^Pages: *//p')" = "$OWING" ] && ok "one page per household owing (${OWING})" ||
  fail "dunning pages: $(pdfinfo "$TMP/dun.pdf" | grep Pages), want $OWING"
pdf -f 1 -l 1 "$TMP/dun.pdf" >"$TMP/dun1.txt"
expect_in "$TMP/dun1.txt" "供热费催缴通知书" "the notice's heading"
expect_in "$TMP/dun1.txt" "测试热力公司" "the company signs it"
expect_in "$TMP/dun1.txt" "[0-9]+\\.[0-9]{2} 元" "the amount in yuan"
printf '通知 {{customer}}\n欠 {{arrears_fen}} 元 & 谢谢\n' >"$TMP/my.mustache"
expect_exit 2 "a template that is not markup" as $ADMIN reportgen run dunning --template "$TMP/my.mustache" -o "$TMP/d2.pdf"
expect_in "$TMP/err" "my.mustache: notice 1: the template's output is not valid Pango markup" "bad markup named"
printf '通知 {{customer}}\n欠 {{arrears_fen}} 元，谢谢\n' >"$TMP/my.mustache"
expect_exit 0 "a template of one's own" as $ADMIN reportgen run dunning --template "$TMP/my.mustache" -o "$TMP/d2.pdf"
pdf -f 1 -l 1 "$TMP/d2.pdf" | grep -q "谢谢" && ok "--template is used" || fail "--template not used"

# --- the building map page -------------------------------------------------------
pdf "$TMP/building-map.pdf" >"$TMP/map.txt"
expect_in "$TMP/map.txt" "YG3161" "the 楼图 table lists the houses"
expect_in "$TMP/map.txt" "已缴费|已缴清" "and the states"
if [ -n "${HEAT_SCREENS:-}" ]; then
  pdftoppm -png -r 110 -f 1 -l 1 -singlefile "$TMP/building-map.pdf" "$HEAT_SCREENS/report-building-map" &&
    ok "PNG of the 楼图 page in $HEAT_SCREENS"
fi

# --- nightly ---------------------------------------------------------------------
touch "$TMP/nightly/2000-01-01-daily-takings.pdf" "$TMP/nightly/notes.txt"
expect_exit 0 "nightly for $D" as $ADMIN reportgen nightly --dir "$TMP/nightly" --date $D --keep-days 30
for f in $D-daily-takings.pdf $D-collection-rate.xlsx $D-cashier-reconciliation.csv; do
  [ -s "$TMP/nightly/$f" ] && ok "nightly wrote $f" || fail "nightly: no $f"
done
[ ! -e "$TMP/nightly/2000-01-01-daily-takings.pdf" ] && [ -e "$TMP/nightly/notes.txt" ] &&
  ok "old dated reports removed, other files kept" || fail "pruning: $(ls "$TMP/nightly")"
sed -i 's/^  nightly: .*/  nightly: daily-takings,no-such-report/' "$TMP/heat.yaml"
expect_exit 1 "a failing nightly report" as $ADMIN reportgen nightly --dir "$TMP/nightly" --date $D
expect_in "$TMP/err" "nightly: no-such-report: no report 'no-such-report'" "the failure is named on stderr"
expect_in "$TMP/out" "$D-daily-takings.pdf" "the other reports are still written"

finish
