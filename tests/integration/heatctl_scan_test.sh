#!/usr/bin/env bash
# heatctl scan (MON-2, DEV-4): read a station's PLC now over Modbus TCP,
# against heatsim's libmodbus server serving the same register map, with
# every type and word order the maps allow.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
PORT=$(free_port)
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: HQ, name: 公司}]
register_maps:
  - code: TESTMAP
    name: 测试寄存器表
    word_order: ABCD
    registers:
      - {tag: a_i16, table: input, addr: 0, type: i16, scale: 0.1}
      - {tag: b_u16, table: input, addr: 1, type: u16, scale: 0.001, offset: -0.1}
      - {tag: c_abcd, table: input, addr: 2, type: u32}
      - {tag: d_cdab, table: input, addr: 4, type: i32, word_order: CDAB}
      - {tag: e_badc, table: holding, addr: 10, type: f32, word_order: BADC}
      - {tag: f_dcba, table: holding, addr: 12, type: f32, word_order: DCBA}
      - {tag: g_bit3, table: input, addr: 20, type: u16, bit: 3}
      - {tag: h_coil, table: coil, addr: 5}
stations: [{code: M1, name: 模拟站, org: HQ}]
devices:
  - {code: M1-PLC, name: PLC, kind: plc, protocol: modbus_tcp, address: "127.0.0.1:$PORT/1", station: M1, register_map: TESTMAP}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
heatsim plc --map TESTMAP --port "$PORT" --set a_i16=-12.3 --set b_u16=0.75 --set c_abcd=305419896 \
  --set d_cdab=-2 --set e_badc=123.5 --set f_dcba=-0.25 --set g_bit3=1 --set h_coil=1 >"$TMP/plc.log" 2>&1 &
PLC=$!
trap 'kill $PLC 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
sleep 0.5
heatctl scan M1 --format json >"$TMP/scan.json" || fail "scan exit $?"
got=$(json '",".join("%s=%g" % (v["tag"], v["value"]) for v in j)' <"$TMP/scan.json")
want="a_i16=-12.3,b_u16=0.75,c_abcd=3.0542e+08,d_cdab=-2,e_badc=123.5,f_dcba=-0.25,g_bit3=1,h_coil=1"
[ "$got" = "$want" ] && ok "every type and word order reads back" || fail "scan: got $got, want $want"
expect_exit 3 "a station without Modbus devices" heatctl scan NOPE
kill $PLC; wait $PLC 2>/dev/null || true
expect_exit 1 "a PLC that does not answer" heatctl scan M1 --timeout-ms 300
expect_in "$TMP/err" "M1-PLC: modbus 127.0.0.1:$PORT/1" "the error names the device and address"
finish
