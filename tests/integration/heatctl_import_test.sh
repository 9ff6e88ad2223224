#!/usr/bin/env bash
# heatctl import / export end to end (SYS-3, SYS-4, ARC-3, ARC-4): the demo
# network imports, re-imports and round-trips through export with 0 changes;
# a rename is 1 change and 1 log entry; bad files and out-of-scope objects
# are refused with file:line and write nothing; GeoJSON parses.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
DEMO=$HEAT_SOURCE_DIR/etc/examples/demo-network.yaml
ENG=eng_b_$$
# lib.sh drops the database at exit; the login role is cluster-wide.
trap 'dropdb --force "$PGDATABASE" 2>/dev/null || true
      psql -qX -d postgres -c "DROP ROLE IF EXISTS $ENG" >/dev/null 2>&1 || true
      rm -rf "$TMP"' EXIT

# expect_last DESCRIPTION LINE: the last line of the previous command's output.
expect_last() {
  local got; got=$(tail -n1 "$TMP/out")
  if [ "$got" = "$2" ]; then ok "$1: $got"; else fail "$1: last line '$got', want '$2'"; fi
}
# A fingerprint of everything import may write, to show nothing was.
snapshot() {
  sql "SELECT (SELECT count(*) FROM heat.org_unit) || '/' || (SELECT count(*) FROM heat.station)
        || '/' || (SELECT count(*) FROM heat.device) || '/' || (SELECT count(*) FROM heat.point)
        || '/' || (SELECT count(*) FROM heat.op_log)"
}
# expect_refused CODE DESCRIPTION FILE [env...]: import fails with CODE,
# names FILE:LINE, and writes nothing.
expect_refused() {
  local code=$1 what=$2 file=$3; shift 3
  local before; before=$(snapshot)
  expect_exit "$code" "$what" env "$@" heatctl import "$file"
  expect_in "$TMP/err" "$(basename "$file"):[0-9]+" "$what: error names file:line"
  [ "$(snapshot)" = "$before" ] && ok "$what: nothing written" ||
    fail "$what: database changed ($before -> $(snapshot))"
}

# --- the demo network -------------------------------------------------------
expect_exit 0 "import the demo network" heatctl import "$DEMO"
expect_in "$TMP/out" '^station S01: added' "import lists what it added"
expect_in "$TMP/out" '^[1-9][0-9]* changes$' "import counts its changes"
heatctl station list --format json >"$TMP/st.json"
n=$(json 'len(j)' <"$TMP/st.json")
[ "$n" -ge 12 ] && ok "$n stations imported" || fail "only $n stations imported"
[ "$(sql "SELECT count(*) FROM heat.point WHERE code = 'S01.t1s'")" = 1 ] &&
  ok "nested points get station codes (S01.t1s)" || fail "no point S01.t1s"
[ "$(sql "SELECT body->'registers'->0->>'tag' FROM heat.register_map LIMIT 1")" != "" ] &&
  ok "register map body stored" || fail "register map body missing"

log_before=$(sql "SELECT count(*) FROM heat.op_log")
expect_exit 0 "re-import the demo network" heatctl import "$DEMO"
expect_last "re-import" "0 changes"
[ "$(sql "SELECT count(*) FROM heat.op_log")" = "$log_before" ] &&
  ok "re-import logs nothing" || fail "re-import wrote to the log"

# --- export round trip ------------------------------------------------------
heatctl export --format yaml >"$TMP/n.yaml" && ok "export --format yaml" || fail "export yaml"
expect_in "$TMP/n.yaml" '南湖换热站' "export keeps Chinese readable"
expect_exit 0 "import the export" heatctl import "$TMP/n.yaml"
expect_last "export round trip" "0 changes"
expect_exit 0 "export --as yaml -o FILE" heatctl export --as yaml -o "$TMP/n2.yaml"
cmp -s "$TMP/n.yaml" "$TMP/n2.yaml" && ok "export is deterministic" || fail "exports differ"

# --- one change -------------------------------------------------------------
sed 's/^    name: 南湖换热站$/    name: 南湖新站/' "$DEMO" >"$TMP/renamed.yaml"
expect_exit 0 "dry run of a rename" heatctl import --dry-run "$TMP/renamed.yaml"
expect_last "dry run" "1 changes"
[ "$(sql "SELECT name FROM heat.station WHERE code = 'S01'")" = 南湖换热站 ] &&
  ok "dry run wrote nothing" || fail "dry run renamed S01"
expect_exit 0 "import a renamed station" heatctl import "$TMP/renamed.yaml"
expect_last "rename" "1 changes"
expect_in "$TMP/out" "^station S01: name '南湖换热站' -> '南湖新站'$" "the change is listed"
entries=$(sql "SELECT count(*) || ':' || min(old->>'name') || ':' || min(new->>'name') FROM heat.op_log
               WHERE object_kind = 'station' AND object_code = 'S01' AND action = 'update'")
[ "$entries" = "1:南湖换热站:南湖新站" ] && ok "one log entry with old and new name" ||
  fail "log entries for the rename: $entries"

# --- bad files: exit 2, file:line, nothing written --------------------------
good='  - {code: S90, name: 新站, org: BR1}'
printf 'stations:\n%s\n  - {code: S91, name: [x\n' "$good" >"$TMP/malformed.yaml"
expect_refused 2 "malformed YAML" "$TMP/malformed.yaml"
printf 'stations:\n%s\n  - {code: S91, name: x, org: BR1, heating_area: 5}\n' "$good" >"$TMP/unknown.yaml"
expect_refused 2 "unknown key" "$TMP/unknown.yaml"
expect_in "$TMP/err" "unknown.yaml:3: stations\[1\] \(S91\): unknown key 'heating_area'" "unknown key named"
printf 'stations:\n%s\n  - {code: S90, name: again, org: BR1}\n' "$good" >"$TMP/dup.yaml"
expect_refused 2 "duplicate code" "$TMP/dup.yaml"
expect_in "$TMP/err" "dup.yaml:3: .*duplicate code S90, also at .*dup.yaml:2" "both lines named"
printf 'stations:\n%s\npoints:\n  - {code: S90.t9, device: NODEV, tag: t9}\n' "$good" >"$TMP/nodev.yaml"
expect_refused 2 "point on a missing device" "$TMP/nodev.yaml"
expect_in "$TMP/err" "device NODEV is neither in this file nor in the database" "missing device named"
# A database error after earlier items were written rolls all of them back.
printf 'org_units:\n  - {code: TMPX, name: x, parent: HQ}\nstations:\n  - {code: S92, name: x, org: TMPX, design_supply_c: 50, design_return_c: 60}\n' \
  >"$TMP/late.yaml"
expect_refused 2 "a check violation late in the file" "$TMP/late.yaml"
printf 'devices:\n  - {code: S01-CB2, name: x, kind: control_box, protocol: mqtt, address: S01, station: S01}\n' \
  >"$TMP/conflict.yaml"
expect_refused 5 "a device address already in use" "$TMP/conflict.yaml"

# --- data scope: exit 4 -----------------------------------------------------
heatctl user add "$ENG" --role heat_engineer --org BR2 >/dev/null
printf 'stations:\n  - {code: SX1, name: 越界站, org: BR1}\n' >"$TMP/scope.yaml"
expect_refused 4 "engineer of BR2 places a station in BR1" "$TMP/scope.yaml" PGUSER="$ENG"
expect_in "$TMP/err" "outside your data scope" "scope error says why"
printf 'stations:\n  - {code: S01, name: 抢来的站, org: BR2}\n' >"$TMP/scope2.yaml"
expect_refused 4 "engineer of BR2 takes over a station of BR1" "$TMP/scope2.yaml" PGUSER="$ENG"
printf 'stations:\n  - {code: S08, name: 红山新站, org: BR2}\n' >"$TMP/own.yaml"
expect_exit 0 "engineer of BR2 renames a station of BR2" env PGUSER="$ENG" heatctl import "$TMP/own.yaml"
expect_last "in-scope import" "1 changes"
PGUSER=$ENG heatctl export >"$TMP/b.yaml"
expect_exit 0 "engineer re-imports own export" env PGUSER="$ENG" heatctl import "$TMP/b.yaml"
expect_last "scoped round trip" "0 changes"

# --- prune ------------------------------------------------------------------
printf 'org_units:\n  - {code: TMPP, name: 临时, parent: HQ}\n' >"$TMP/tmp_org.yaml"
heatctl import "$TMP/tmp_org.yaml" >/dev/null
sed -n '/^org_units:/,/^$/p' "$DEMO" >"$TMP/orgs.yaml"
expect_exit 0 "prune org units not in the file" heatctl import --prune "$TMP/orgs.yaml"
expect_in "$TMP/out" "^org unit TMPP: removed$" "prune lists what it removed"
expect_last "prune" "1 changes"

# --- GeoJSON (SYS-4) --------------------------------------------------------
heatctl export --format geojson >"$TMP/map.json" && ok "export --format geojson" || fail "geojson export"
stations=$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["type"] == "FeatureCollection"
st = [f for f in j["features"] if f["properties"]["layer"] == "station"]
for f in j["features"]:
    line = f["properties"]["layer"] == "pipe_link"
    for lon, lat in f["geometry"]["coordinates"] if line else [f["geometry"]["coordinates"]]:
        assert f["geometry"]["type"] == ("LineString" if line else "Point") and 87 < lon < 88 and 43 < lat < 44, f
for f in st:
    assert "t2s" in f["properties"] and "heating_area_m2" in f["properties"], f
print(len(st))' "$TMP/map.json") || fail "geojson does not parse: $(head -c 300 "$TMP/map.json")"
[ "${stations:-0}" -ge 12 ] && ok "geojson has $stations station features" ||
  fail "geojson has ${stations:-no} station features"

finish
