#!/usr/bin/env bash
# billctl charge --key (BIL-11, BIL-12, OPS-1): a charge is stored once
# however often it is sent. The same key twice; a key with another charge
# and bad keys (refused, nothing stored); a charge whose backend is
# terminated while it waits inside its transaction; and one whose
# connection is lost after its COMMIT was written but before the answer
# came (the commit waits for a synchronous standby that does not exist,
# as on a two-node cluster whose standby is away, and is terminated).
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
heatctl user add ba_$$ --role bill_admin >/dev/null
heatctl user add ca_$$ --role bill_cashier >/dev/null
ADMIN=ba_$$ CASH=ca_$$
cleanup() {
  kill $HOLD $BC 2>/dev/null || true
  sql "ALTER SYSTEM RESET synchronous_standby_names" >/dev/null 2>&1 || true
  sql "SELECT pg_reload_conf()" >/dev/null 2>&1 || true
  dropdb --force "$PGDATABASE" 2>/dev/null || true
}
HOLD="" BC=""
trap cleanup EXIT
demo_billing $ADMIN
H=XF11301
payments() { sql "SELECT count(*) FROM bill.entry e JOIN bill.account a ON a.id = e.account_id
                  JOIN bill.house h ON h.id = a.house_id WHERE h.code = '$H' AND e.kind = 'payment'"; }

# --- the same key twice: one entry, the first receipt printed again ---------
expect_exit 0 "charge with a key" as $CASH billctl charge $H --amount 10.00 --method cash --key k-$$-0001 --format json
R1=$(json 'j["receipt_no"]' <"$TMP/out")
expect_exit 0 "the same key again" as $CASH billctl charge $H --amount 10.00 --method cash --key k-$$-0001 --format json
[ "$(json 'j["receipt_no"]' <"$TMP/out")" = "$R1" ] && ok "the first receipt again: $R1" || fail "receipt: $(cat "$TMP/out")"
expect_in "$TMP/err" "request key k-$$-0001 was charged before \(receipt $R1\); nothing charged again" "says it was charged before"
[ "$(payments)" = 1 ] && ok "one payment entry" || fail "payments: $(payments)"
[ "$(sql "SELECT e.request_key FROM bill.entry e JOIN bill.receipt r ON r.entry_id = e.id WHERE r.receipt_no = '$R1'")" = "k-$$-0001" ] &&
  ok "the entry keeps its key" || fail "key not stored"

# --- the key with another charge, and bad keys: refused, nothing stored ----
expect_exit 2 "the key with another amount" as $CASH billctl charge $H --amount 11.00 --method cash --key k-$$-0001
expect_in "$TMP/err" "was used for another charge: receipt $R1" "names the receipt the key belongs to"
for bad in short "with space 1" "semi;colon;1" "$(printf 'k%.0s' $(seq 65))"; do
  expect_exit 2 "key '${bad:0:12}' refused" as $CASH billctl charge $H --amount 1.00 --method cash --key "$bad"
done
expect_in "$TMP/err" "a request key is 8 to 64 letters" "the rule is said"
PGUSER=$CASH psql -qAtX -c "SELECT bill.charge(1, NULL, 100, bill.today(), 'counter', 'cash', '', 0, 0, 'x y')" \
  >/dev/null 2>"$TMP/err" && fail "bill.charge took a bad key"
expect_in "$TMP/err" "a request key is 8 to 64" "the database refuses a bad key too"
[ "$(payments)" = 1 ] && ok "still one payment entry" || fail "payments: $(payments)"

# --- without --key: a new key per call ---------------------------------------
as $CASH billctl charge $H --amount 1.00 --method cash >/dev/null && as $CASH billctl charge $H --amount 1.00 --method cash >/dev/null
[ "$(sql "SELECT count(DISTINCT request_key) FROM bill.entry WHERE kind = 'payment' AND request_key ~ '^[0-9a-f]{32}$'")" = 2 ] &&
  ok "two calls without --key: two payments, two random keys" || fail "random keys"

# --- the backend terminated while the charge waits in its transaction ------
HID=$(sql "SELECT id FROM bill.house WHERE code = '$H'")
PGUSER=$SUPER psql -qAtX -c "SELECT pg_advisory_lock(1112099916, $HID)" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 & HOLD=$!
eventually "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $HID AND granted" 1 >/dev/null
before=$(payments)
PGUSER=$CASH billctl charge $H --amount 2.00 --method cash --key k-$$-kill --format json >"$TMP/kill.out" 2>"$TMP/kill.err" & BC=$!
eventually "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'billctl' AND wait_event_type = 'Lock'" 1 >/dev/null ||
  fail "billctl did not wait for the house"
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'billctl'" >/dev/null
sleep 1
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()" >/dev/null
got=0; wait $BC || got=$?; BC=""
[ "$got" = 0 ] && ok "the charge went through after its backend was terminated" ||
  { fail "billctl exit $got"; sed 's/^/  | /' "$TMP/kill.err" >&2; }
[ "$(payments)" = $((before + 1)) ] && ok "stored exactly once" || fail "payments $(payments), want $((before + 1))"
[ "$(sql "SELECT r.receipt_no FROM bill.entry e JOIN bill.receipt r ON r.entry_id = e.id WHERE e.request_key = 'k-$$-kill'")" = "$(json 'j["receipt_no"]' <"$TMP/kill.out")" ] &&
  ok "the receipt printed is the one stored" || fail "receipt: $(cat "$TMP/kill.out")"

# --- the connection lost after the COMMIT was written ------------------------
# Only billctl's own commit waits (PGOPTIONS): this database's default is
# local, so the test's other sessions do not.
sql "ALTER DATABASE \"$PGDATABASE\" SET synchronous_commit = local" >/dev/null
sql "ALTER SYSTEM SET synchronous_standby_names = 'nobody_$$'" >/dev/null
sql "SELECT pg_reload_conf()" >/dev/null
before=$(payments)
PGOPTIONS="-c synchronous_commit=on" PGUSER=$CASH billctl charge $H --amount 3.00 --method cash --key k-$$-sync \
  --format json >"$TMP/sync.out" 2>"$TMP/sync.err" & BC=$!
eventually "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'billctl' AND wait_event = 'SyncRep'" 1 >/dev/null ||
  fail "the commit did not wait for the standby"
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'billctl'" >/dev/null
got=0; wait $BC || got=$?; BC=""
sql "ALTER SYSTEM RESET synchronous_standby_names" >/dev/null
sql "SELECT pg_reload_conf()" >/dev/null
[ "$got" = 0 ] && ok "the outcome was found by the key (exit 0)" ||
  { fail "billctl exit $got"; sed 's/^/  | /' "$TMP/sync.err" >&2; }
expect_in "$TMP/sync.err" "was charged before" "the stored payment was recognised, not charged again"
[ "$(payments)" = $((before + 1)) ] && ok "stored exactly once" || fail "payments $(payments), want $((before + 1))"
[ "$(sql "SELECT r.receipt_no FROM bill.entry e JOIN bill.receipt r ON r.entry_id = e.id WHERE e.request_key = 'k-$$-sync'")" = "$(json 'j["receipt_no"]' <"$TMP/sync.out")" ] &&
  ok "the receipt printed is the one stored" || fail "receipt: $(cat "$TMP/sync.out")"
finish
