#!/usr/bin/env bash
# heatctl base information, users, scope and log end to end
# (SYS-1, SYS-2, SYS-3, ARC-3), as real login roles.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER

heatctl org add HQ name=热力公司 >/dev/null
heatctl org add BRA name=第一分公司 parent=HQ >/dev/null
heatctl org add BRB name=第二分公司 parent=HQ >/dev/null
heatctl station add SA1 name=幸福路站 org=BRA heating_area_m2=52000.5 location=87.61,43.82 >/dev/null
heatctl station add SA2 name=南湖站 org=BRA >/dev/null
heatctl station add SB1 name=北京路站 org=BRB >/dev/null
heatctl building add SA1-B1 name=1号楼 station=SA1 area_m2=8000 >/dev/null
heatctl device add SA1-CB name=控制箱 kind=control_box protocol=mqtt station=SA1 >/dev/null
heatctl point add SA1.t2s device=SA1-CB tag=t2s unit=°C >/dev/null

# Admin user for the rest, as the demo does.
heatctl user add it_admin_$$ --role heat_admin >/dev/null
export PGUSER=it_admin_$$
heatctl user add op_a_$$ --role heat_operator --org BRA >/dev/null
heatctl user add eng_a_$$ --role heat_engineer --org BRA >/dev/null
# Regression: an admin (not superuser) could not add an org unit, because
# the new unit was not yet among the ids the scope policy allows.
expect_exit 0 "admin adds an org unit" heatctl org add BRC name=第三分公司 parent=HQ
expect_exit 0 "admin adds a station in it" heatctl station add SC1 name=新站 org=BRC
expect_exit 0 "admin removes both" sh -c 'heatctl station rm SC1 && heatctl org rm BRC'
expect_exit 4 "engineer adds an org unit" env PGUSER=eng_a_$$ heatctl org add BRD name=x parent=BRA

heatctl station list --format json >"$TMP/all.json"
[ "$(json 'len(j)' <"$TMP/all.json")" = 3 ] && ok "admin sees 3 stations" || fail "admin station count"
[ "$(json 'sorted(j[0].keys())' <"$TMP/all.json" | tr -d "[]' ")" != "" ] || fail "json keys"
expect_in "$TMP/all.json" '"heating_area_m2": ?52000.5' "area is a JSON number"
expect_in "$TMP/all.json" '"org": ?"BRA"' "org shown by code"

PGUSER=op_a_$$ heatctl station list --format json >"$TMP/op.json"
[ "$(json '",".join(s["code"] for s in j)' <"$TMP/op.json")" = "SA1,SA2" ] &&
  ok "operator of BRA sees SA1,SA2 only" || fail "operator scope: $(cat "$TMP/op.json")"

expect_exit 4 "operator sets a station of branch B" env PGUSER=op_a_$$ heatctl station set SB1 name=x
expect_exit 4 "operator sets a station of own branch (no right)" env PGUSER=op_a_$$ heatctl station set SA1 name=x
expect_exit 4 "engineer of A sets a station of branch B" env PGUSER=eng_a_$$ heatctl station set SB1 name=x
expect_in "$TMP/err" "outside your data scope" "scope error says why"
expect_exit 4 "engineer of A places a station in branch B" env PGUSER=eng_a_$$ heatctl station add SX name=x org=BRB
expect_exit 4 "engineer of A moves a station to branch B" env PGUSER=eng_a_$$ heatctl station set SA2 org=BRB
[ "$(sql "SELECT name FROM heat.station WHERE code='SB1'")" = "北京路站" ] && ok "SB1 unchanged" || fail "SB1 changed"
[ "$(sql "SELECT count(*) FROM heat.station WHERE code='SX'")" = 0 ] && ok "SX not created" || fail "SX created"
expect_exit 0 "engineer of A renames own station" env PGUSER=eng_a_$$ heatctl station set SA2 name=南湖新站
expect_exit 3 "unknown station" heatctl station set NOPE name=x
expect_exit 2 "unknown field, with a suggestion" heatctl station set SA1 heating_area=5
expect_in "$TMP/err" "did you mean heating_area_m2" "field suggestion"
expect_exit 2 "malformed number" heatctl station set SA1 heating_area_m2=ten
expect_exit 2 "bad enum" heatctl station set SA1 process_type=magic
expect_exit 2 "bad location" heatctl station set SA1 location=999,1
expect_exit 5 "duplicate code" heatctl station add SA1 name=dup org=BRA
expect_exit 3 "point on a missing device" heatctl point add X.t1s device=NODEV tag=t1s
expect_exit 2 "mistyped command" heatctl staton list
expect_in "$TMP/err" "Did you mean 'station'" "command suggestion"
expect_exit 2 "mistyped subcommand" heatctl station lst
expect_in "$TMP/err" "Did you mean 'station list'" "subcommand suggestion"
expect_exit 5 "station with buildings cannot be removed" heatctl station rm SA1

# The log: login role, old and new (SYS-2).
heatctl station set SA1 name=renamed >/dev/null
heatctl log --object station --format json >"$TMP/log.json"
json '[e for e in j if e["object_code"]=="SA1" and e["action"]=="update"][-1]' <"$TMP/log.json" >"$TMP/entry"
expect_in "$TMP/entry" "'login': 'it_admin_$$'" "log entry names the login role"
expect_in "$TMP/entry" "'old': \{'name': '幸福路站'\}" "log entry has the old value"
expect_in "$TMP/entry" "'new': \{'name': 'renamed'\}" "log entry has the new value"
heatctl log --user eng_a_$$ --format csv >"$TMP/log.csv"
expect_in "$TMP/log.csv" "南湖新站" "log filtered by user"
PGUSER=op_a_$$ heatctl log --object station --format json >"$TMP/oplog.json"
[ "$(json 'len([e for e in j if e["object_code"]=="SB1"])' <"$TMP/oplog.json")" = 0 ] &&
  ok "operator does not see branch B in the log" || fail "log scope"
expect_exit 1 "non-admin deletes log entries (psql)" env PGUSER=eng_a_$$ psql -qX -v ON_ERROR_STOP=1 -c "DELETE FROM heat.op_log"
expect_in "$TMP/err" "permission denied for table op_log" "log deletion refused by the database"
expect_exit 4 "non-admin adds a user" env PGUSER=eng_a_$$ heatctl user add mallory_$$ --role heat_admin

# Users (SYS-1).
heatctl user list --format json >"$TMP/users.json"
expect_in "$TMP/users.json" "\"op_a_$$\"" "user list has op_a"
heatctl user who --format csv >"$TMP/who.csv"
expect_in "$TMP/who.csv" "^login,application,client,since" "user who lists sessions"
expect_in "$TMP/who.csv" "it_admin_$$,heatctl,local" "user who shows this session"
heatctl user revoke op_a_$$ --org BRA >/dev/null
[ "$(PGUSER=op_a_$$ heatctl station list --format json | json 'len(j)')" = 0 ] &&
  ok "revoked scope hides everything" || fail "revoke"

# Output formats.
heatctl station list >"$TMP/table"
expect_in "$TMP/table" "^code +name" "table header"
heatctl station list --format csv >"$TMP/csv"
expect_in "$TMP/csv" "^code,name,org,network,process_type" "csv header"
heatctl station list org=BRB --format json | json 'j[0]["code"]' >"$TMP/f"
expect_in "$TMP/f" "^SB1$" "list filter by field"
heatctl station show SA1 --format json >"$TMP/show.json"
expect_in "$TMP/show.json" '"location": ?"87.61,43.82"' "show has location"
expect_exit 2 "bad --format" heatctl station list --format xml
finish
