#!/usr/bin/env bash
# heatctl db backup (BIL-30) end to end, with the real pgbackrest: a private
# cluster of its own (archive_mode needs a restart, so not the shared
# fixture's), billing data, setup (archive_command), a full backup, a
# payment after a noted time, a point-in-time restore to before it into a
# scratch folder that then runs on another port, list, a differential, the
# nightly restore check with its stored row, the export (the differential
# and its full) restored with pgbackrest alone as RESTORE.txt says, and the
# refusals: a time before the first backup, the live data directory,
# pgbackrest missing, no stanza, a repository the cluster's user cannot
# write.
source "$(dirname "$0")/lib.sh"
PGBIN=/usr/lib/postgresql/15/bin
FIXTURE_DB=$PGDATABASE
W=$(mktemp -d /tmp/heat-backup-test.XXXXXX)
chmod 755 "$W"  # the cluster's OS user must reach its folders, and writes its logs here
[ "$(id -u)" = 0 ] && chown postgres: "$W"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_ctl_stop() { [ -f "$1/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$1" -m immediate -w stop >/dev/null 2>&1; true; }
cleanup() {
  for d in "$W/pitr" "$W/fromexport/data" "$W/scratch/data"; do pg_ctl_stop "$d"; done
  "$HEAT_SOURCE_DIR/scripts/pg" stop "$W/pg"
  rm -rf "$W"
  PGHOST=$FIXTURE_HOST PGPORT=$FIXTURE_PORT dropdb --force "$FIXTURE_DB" 2>/dev/null || true
}
FIXTURE_HOST=$PGHOST FIXTURE_PORT=$PGPORT
trap cleanup EXIT

# --- the private cluster, its schema and billing data -------------------------
PORT=$("$HEAT_SOURCE_DIR/scripts/pg" start "$W/pg")
eval "$("$HEAT_SOURCE_DIR/scripts/pg" env "$W/pg")"
export PGDATABASE=heatbk
createdb heatbk
heatctl db migrate >/dev/null
cat >"$W/heat.yaml" <<YAML
backup:
  repo: $W/repo
  stanza: heat
  full_keep: 2
  pg_data: $W/pg/data
  pg_port: $PORT
  pg_socket: $W/pg
  scratch_dir: $W/scratch
YAML
export HEAT_CONFIG=$W/heat.yaml
heatctl user add ba_$$ --role bill_admin >/dev/null
heatctl user add ca_$$ --role bill_cashier >/dev/null
as ba_$$ billctl season add 2025-2026 --start 2025-10-10 --end 2026-04-10 >/dev/null
as ba_$$ billctl tariff set --season 2025-2026 --house-type residential --price 22.00 --base-ratio 0.30 >/dev/null
printf 'house_code,community,building,unit,room,area_m2,house_type,customer_name,phone,card_no\n%s\n%s\n' \
  "H001,幸福小区,3号楼,2单元,501,100.00,residential,张三,13900000001,C0001" \
  "H002,幸福小区,3号楼,2单元,502,87.53,residential,李四,13900000002,C0002" >"$W/houses.csv"
as ba_$$ billctl import houses "$W/houses.csv" >/dev/null
as ca_$$ billctl charge H001 --amount 2200.00 --method cash >/dev/null
as ca_$$ billctl charge H002 --amount 100.00 --method cash >/dev/null
LEDGER="SELECT string_agg(account_id || ':' || kind || ':' || s, ',' ORDER BY account_id, kind)
        FROM (SELECT account_id, kind, sum(amount_fen) AS s FROM bill.entry GROUP BY 1, 2) x"
ENTRIES="SELECT count(*) FROM bill.entry"
[ "$(sql "$ENTRIES")" -ge 4 ] && ok "billing data: $(sql "$ENTRIES") ledger entries" || fail "no ledger entries"

# --- errors before anything exists --------------------------------------------
expect_exit 3 "list before setup" heatctl db backup list
expect_in "$TMP/err" "backup repository $W/repo does not exist .*heatctl db backup setup creates it" "no repository explained"
expect_exit 3 "pgbackrest missing" env PATH=/nonexistent "$HEAT_BIN/heatctl" db backup list
expect_in "$TMP/err" "pgbackrest is not installed \(apt-get install pgbackrest\)" "missing pgbackrest explained"

# --- setup: archive_command, a restart for archive_mode, then a check ----------
expect_exit 0 "setup" heatctl db backup setup
expect_in "$TMP/out" "restart it" "setup asks for a restart to turn archive_mode on"
"$HEAT_SOURCE_DIR/scripts/pg" stop "$W/pg"
"$HEAT_SOURCE_DIR/scripts/pg" start "$W/pg" "$PORT" >/dev/null
expect_exit 0 "setup again after the restart" heatctl db backup setup
[ "$(sql "SHOW archive_command")" = "pgbackrest --config=$W/repo/pgbackrest.conf --stanza=heat archive-push %p" ] &&
  ok "archive_command set by ALTER SYSTEM" || fail "archive_command: $(sql "SHOW archive_command")"
expect_in "$TMP/out" "WAL archiving works" "pgbackrest check passed"
[ "$(stat -c %U "$W/repo")" = "$(stat -c %U "$W/pg/data")" ] && ok "the repository belongs to the cluster's user" ||
  fail "repository owner $(stat -c %U "$W/repo")"
expect_exit 3 "restore before any backup" heatctl db backup restore --into "$W/nothing"
expect_in "$TMP/err" "there is no backup to restore" "restore without a backup explained"

# --- a full backup, a noted time, a payment after it ---------------------------
expect_exit 0 "backup now --type full" heatctl db backup now --type full
expect_in "$TMP/out" "^backup [0-9]{8}-[0-9]{6}F \(full\) finished" "the full backup's label"
LABEL=$(sed -n 's/^backup \([^ ]*\) .*/\1/p' "$TMP/out")
BEFORE=$(sql "$LEDGER") BEFORE_N=$(sql "$ENTRIES")
sleep 1.2
T=$(TZ=Asia/Shanghai date '+%Y-%m-%d %H:%M:%S')  # heatctl reads times in the site time zone
sleep 1.2
as ca_$$ billctl charge H002 --amount 50.00 --method cash >/dev/null
[ "$(sql "$ENTRIES")" = $((BEFORE_N + 1)) ] && ok "a payment after $T" || fail "payment not entered"
AFTER=$(sql "$LEDGER")
SEG=$(sql "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 100); do
  [ "$(sql "SELECT coalesce(last_archived_wal >= '$SEG', false) FROM pg_stat_archiver")" = t ] && break
  sleep 0.1
done
[ "$(sql "SELECT last_archived_wal >= '$SEG' FROM pg_stat_archiver")" = t ] && ok "the payment's WAL is archived" ||
  fail "WAL $SEG not archived: $(sql "SELECT last_archived_wal, last_failed_wal FROM pg_stat_archiver")"

# --- list ---------------------------------------------------------------------
expect_exit 0 "list" heatctl db backup list --format json
[ "$(json '[(r["label"], r["type"]) for r in j]' <"$TMP/out")" = "[('$LABEL', 'full')]" ] &&
  ok "list shows the full backup" || fail "list: $(cat "$TMP/out")"
[ "$(json 'j[0]["size_bytes"] > 1000000' <"$TMP/out")" = True ] && ok "list gives its size" || fail "size"

# --- refused restores change nothing ------------------------------------------
expect_exit 2 "restore to a time before the first backup" heatctl db backup restore --to "2020-01-01 08:00" --into "$W/never"
expect_in "$TMP/err" "--to 2020-01-01 08:00:00 is before the oldest backup $LABEL was complete" "too early a time explained"
[ ! -e "$W/never" ] && ok "nothing created for a refused restore" || fail "$W/never was created"
expect_exit 2 "restore over the live cluster" heatctl db backup restore --into "$W/pg/data"
expect_in "$TMP/err" "never over the live cluster" "the live data directory is refused"
mkdir "$W/full" && touch "$W/full/x"
expect_exit 5 "restore into a folder that is not empty" heatctl db backup restore --into "$W/full"
expect_exit 2 "restore to the future" heatctl db backup restore --to +1d --into "$W/never"

# --- point-in-time restore to before the payment -------------------------------
expect_exit 0 "restore --to the noted time" heatctl db backup restore --to "$T" --into "$W/pitr"
expect_in "$TMP/out" "restored backup $LABEL into $W/pitr" "restore names the backup set"
P2=$(free_port)
as_pg "$PGBIN/pg_ctl" -D "$W/pitr" -l "$W/pitr.log" -w -t 120 -o "-p $P2 -k $W/pitr -c listen_addresses=''" start >/dev/null ||
  fail "the restored copy did not start: $(grep -E 'FATAL|ERROR' "$W/pitr.log" | tail -2)"
copy() { PGHOST=$W/pitr PGPORT=$P2 PGUSER=postgres psql -qAtX -d heatbk -c "$1"; }
for _ in $(seq 100); do [ "$(copy "SELECT pg_is_in_recovery()" 2>/dev/null)" = f ] && break; sleep 0.2; done
[ "$(copy "SELECT pg_is_in_recovery()")" = f ] && ok "the copy replayed to the time and promoted" || fail "copy in recovery"
[ "$(copy "$ENTRIES")" = "$BEFORE_N" ] && ok "the payment after $T is absent from the copy" ||
  fail "copy has $(copy "$ENTRIES") entries, want $BEFORE_N"
[ "$(copy "$LEDGER")" = "$BEFORE" ] && ok "the copy's ledger sums equal those before the payment" ||
  fail "ledger sums: copy $(copy "$LEDGER"), before $BEFORE"
[ "$BEFORE" != "$AFTER" ] && ok "(and differ from the live ones)" || fail "the payment changed no sum"
[ "$(copy "SHOW archive_mode")" = off ] && ok "the copy does not archive into the repository" || fail "archive_mode on"
pg_ctl_stop "$W/pitr"

# --- a differential after the payment: what the check and the export take -------
expect_exit 0 "backup now --type diff" heatctl db backup now --type diff
expect_in "$TMP/out" "^backup ${LABEL}_[0-9]{8}-[0-9]{6}D \(diff\) finished" "a differential on the full"
DIFF=$(sed -n 's/^backup \([^ ]*\) .*/\1/p' "$TMP/out")

# --- the nightly restore check --------------------------------------------------
expect_exit 0 "check" heatctl db backup check
expect_in "$TMP/out" "^restore check of backup $DIFF replayed to WAL" "check restores the newest backup"
expect_in "$TMP/out" "bill\.entry +$((BEFORE_N + 1)) +$((BEFORE_N + 1)) +match" "bill.entry counted on both sides"
expect_in "$TMP/out" "ledger sums per account and kind .*match" "ledger sums compared"
expect_in "$TMP/out" "^all matched" "check: all matched"
grep -q DIFFERS "$TMP/out" && fail "a figure differs: $(grep DIFFERS "$TMP/out")" || ok "no figure differs"
[ "$(grep -c ' match$' "$TMP/out")" -ge 40 ] && ok "every table of heat and bill compared ($(grep -c ' match$' "$TMP/out") lines)" ||
  fail "few tables compared"
[ "$(sql "SELECT ok, label, detail->'differences' FROM heat.backup_check")" = "t|$DIFF|[]" ] &&
  ok "heat.backup_check holds the result" || fail "stored: $(sql "SELECT * FROM heat.backup_check")"
[ ! -e "$W/scratch" ] && ok "the scratch cluster is removed" || fail "$W/scratch left behind"
[ "$(as ba_$$ psql -qAtX -c "SELECT count(*) FROM heat.backup_check")" = 1 ] && ok "a bill_admin reads the results" ||
  fail "bill_admin cannot read heat.backup_check"
as ca_$$ psql -qAtX -c "SELECT count(*) FROM heat.backup_check" >/dev/null 2>&1 &&
  fail "a cashier reads heat.backup_check" || ok "a cashier may not read the results"

# --- export, and a restore from it with pgbackrest alone -----------------------
expect_exit 0 "export" heatctl db backup export "$W/heat-backup.tar"
expect_in "$TMP/out" "exported backup $DIFF \(diff" "export names the newest backup"
[ "$(stat -c %a "$W/heat-backup.tar")" = 600 ] && ok "the export is mode 600" || fail "mode $(stat -c %a "$W/heat-backup.tar")"
tar -tf "$W/heat-backup.tar" >"$W/list"
expect_in "$W/list" "^RESTORE.txt$" "RESTORE.txt in the export"
expect_in "$W/list" "^backup/heat/$DIFF/backup.manifest$" "the differential in the export"
expect_in "$W/list" "^backup/heat/$LABEL/backup.manifest$" "the full it builds on in the export"
expect_in "$W/list" "^archive/heat/15-1/0000000100000000/0000000[0-9A-F]{17}-[0-9a-f]{40}\.gz$" "WAL in the export"
expect_exit 5 "export over an existing file" heatctl db backup export "$W/heat-backup.tar"
R=$W/fromexport
mkdir -p "$R/repo" "$R/data"
tar -xf "$W/heat-backup.tar" -C "$R/repo"
[ "$(id -u)" = 0 ] && chown -R postgres: "$R"
chmod 700 "$R/data"
# The commands of RESTORE.txt, as written there.
grep -q -- "--type=immediate --target-action=promote --archive-mode=off restore" "$R/repo/RESTORE.txt" &&
  ok "RESTORE.txt gives the restore command" || fail "RESTORE.txt: $(cat "$R/repo/RESTORE.txt")"
as_pg pgbackrest --config="$R/repo/pgbackrest.conf" --repo1-path="$R/repo" --pg1-path="$R/data" --lock-path="$R" \
  --log-path="$R" --stanza=heat --set="$DIFF" --type=immediate --target-action=promote --archive-mode=off restore \
  >"$W/r.out" 2>&1 && ok "pgbackrest restores the export" || fail "restore from export: $(cat "$W/r.out")"
P3=$(free_port)
MAXC=$(as_pg "$PGBIN/pg_controldata" -D "$R/data" | sed -n 's/^max_connections setting: *//p')
as_pg "$PGBIN/pg_ctl" -D "$R/data" -l "$R/log" -w -t 120 -o "-p $P3 -k $R -c listen_addresses='' -c max_connections=$MAXC" \
  start >/dev/null || fail "the export's cluster did not start: $(grep FATAL "$R/log" | tail -2)"
fromexport() { PGHOST=$R PGPORT=$P3 PGUSER=postgres psql -qAtX -d heatbk -c "$1"; }
for _ in $(seq 100); do [ "$(fromexport "SELECT pg_is_in_recovery()" 2>/dev/null)" = f ] && break; sleep 0.2; done
[ "$(fromexport "$LEDGER")" = "$AFTER" ] && ok "the export's ledger sums are the differential's (with the payment)" ||
  fail "export ledger: $(fromexport "$LEDGER"), want $AFTER"
[ "$(fromexport "$ENTRIES")" = $((BEFORE_N + 1)) ] && ok "the export has the differential's entries" ||
  fail "export entries: $(fromexport "$ENTRIES")"
pg_ctl_stop "$R/data"

# --- what the cluster's user cannot use -----------------------------------------
sed "s/stanza: heat/stanza: other/" "$W/heat.yaml" >"$W/other.yaml"
expect_exit 3 "a stanza never created" env HEAT_CONFIG="$W/other.yaml" heatctl db backup list
expect_in "$TMP/err" "the stanza other is not created in $W/repo: run heatctl db backup setup" "no stanza explained"
if [ "$(id -u)" = 0 ]; then
  mkdir "$W/rootrepo" && chmod 755 "$W/rootrepo"
  sed "s#repo: $W/repo#repo: $W/rootrepo#" "$W/heat.yaml" >"$W/ro.yaml"
  expect_exit 4 "a repository the cluster's user cannot write" env HEAT_CONFIG="$W/ro.yaml" heatctl db backup now
  expect_in "$TMP/err" "backup repository $W/rootrepo is not writable by the cluster's OS user postgres" "not writable explained"
fi
finish
