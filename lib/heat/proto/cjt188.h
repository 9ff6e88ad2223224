// proto/cjt188.h — CJ/T 188-2004 household heat-meter frames (DEV-2): what
// an NB-IoT heat meter (CoAP /hm) says when asked for its current data.
//
// Frame (every multi-byte field low byte first):
//   [FE ...] 68 T A0..A6 C L DI0 DI1 SER data CS 16
//   FE       wake-up preamble, any number, not part of the frame
//   T        meter type; 0x20..0x29 are heat meters (0x10.. water, 0x30.. gas)
//   A0..A6   address; A0 is the lowest byte
//   C        control: bit 7 set = reply from the meter, bit 6 set = abnormal
//            reply; 0x81 is the reply to "read data"
//   L        bytes from DI0 to the end of data
//   CS       sum of the bytes from 68 to the end of data, modulo 256
// The reply to DI 901F (read current data) of a heat meter has L = 0x2E;
// after DI0 DI1 SER come 43 bytes (offsets from the 68):
//   14  settlement-day heat   4 BCD, 2 decimals, + unit
//   19  current heat          4 BCD, 2 decimals, + unit
//   24  heat power            4 BCD, 2 decimals, + unit
//   29  flow                  4 BCD, 4 decimals, + unit
//   34  accumulated volume    4 BCD, 2 decimals, + unit
//   39  supply temperature    3 BCD, 2 decimals, °C
//   42  return temperature    3 BCD, 2 decimals, °C
//   45  working hours         3 BCD, hours
//   48  meter clock           7 BCD: ss mm hh DD MM YY(low) YY(high)
//   55  status ST             2 bytes
// Units: 02 Wh, 05 kWh, 08 MWh, 0A MWh×100, 01 J, 0B kJ, 0E MJ, 11 GJ,
// 13 GJ×100 (heat); 14 W, 17 kW, 1A MW (power); 29 L, 2C m³ (volume);
// 32 L/h, 35 m³/h (flow). Each field must carry a unit of its kind.
//
// Sources, and where they disagree (the layout above is the common one):
//  - field order, sizes and decimals: ShaoBF/HeatMeterVerifier
//    (DataFrame.cpp, CJ188.h, which also lists the unit codes),
//    xijunzhou/sdqr_energy_node_class (cj188.h offsets), a Delu
//    concentrator's heat-meter struct, and the worked examples
//    "CJ/T-188 冷热量表协议解析" 1 and 2 (cnblogs/biecuoliao) all agree;
//  - DI order: 解析2's JY capture, Fox-Edge's CJT188 driver and ng-gateway
//    (for the 2004 edition) send 901F as 90 1F; 解析1, xijunzhou and the
//    2018 edition send 1F 90. 0x1F90 is no DI, so both are accepted;
//  - clock: low byte first (ss first) in xijunzhou's example and the JY
//    capture; 解析1 (a hand-made frame, its checksum is wrong) shows it
//    high byte first. We read it low byte first only; a high-byte-first
//    clock comes out invalid (its "year" is not 20xx) unless its seconds
//    happen to be 20 and its hour 1..12;
//  - JY meters put the unit byte before the value; such frames fail with
//    "unknown unit code" rather than being guessed at;
//  - status: the first ST byte is the standard's: bits 0-1 are the valve
//    (00 open, 01 closed, 11 abnormal), bit 2 is low battery
//    (HeatMeterVerifier CJ188.h, after the standard's ST table), bits 3-7
//    are faults. The second byte is manufacturer-defined: real meters
//    send 05 or 08 there in normal operation, so it is kept raw (status)
//    and never read as a fault. xijunzhou numbers the bits from the top
//    (0x20 battery, 0xC0 valve); we follow the standard's D0..D7;
//  - negative temperatures: no source gives a sign convention, so there is
//    none: every nibble must be 0-9 (a top byte 0x80 reads as 80xx.xx °C).
//
// Contract:
//  - DecodeCjt188 finds and decodes every frame of a payload (a CoAP /hm
//    body may carry several, each after optional FE bytes; FE bytes may
//    also trail). It never reads out of bounds, never throws, never
//    crashes, whatever the bytes.
//  - All or nothing: if any frame is malformed the whole payload is an
//    error (Status::Usage, code kUsage), naming what is wrong and the byte
//    offset in the payload, e.g. "cjt188: checksum 0x3A, computed 0x3B
//    (frame at byte 2)". That matches /rt (4.00 with the reason); a meter
//    that sends a bad frame is told, and nothing half-read is stored.
//  - Errors: empty payload; a byte other than FE/68 where a frame should
//    start; truncated frame; missing 16; wrong checksum; meter type outside
//    0x20..0x29; a request, an abnormal reply or a reply other than 0x81;
//    DI other than 901F; L other than 0x2E; a nibble above 9 in a value or
//    the clock; an unknown unit code or one of the wrong kind.
//  - Not errors: a clock that is BCD but no real date-time in 2000..2099
//    (clock.valid = false); non-BCD address digits (the address is printed
//    in hex, so a BCD address reads as its digits and A5/A6 vendor codes
//    such as EE survive).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "heat/core/status.h"

namespace heat::proto {

struct Cjt188Clock {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool valid = false;  // a real date-time in 2000..2099
};

enum class Cjt188Valve { kOpen, kClosed, kAbnormal };  // ST bits 0-1 (10 counts as abnormal)

struct Cjt188Reading {
  size_t offset = 0;          // of the frame's 68 in the payload
  std::string address;        // 14 hex digits, A6 first: "78330011223344"
  uint8_t meter_type = 0;     // T, 0x20..0x29
  uint16_t di = 0;            // 0x901F, whichever byte order it came in
  uint8_t ser = 0;
  double settlement_heat_kwh = 0;  // heat at the last settlement day
  double heat_kwh = 0;             // cumulative heat
  double heat_gj = 0;              // the same, in GJ (billing in GJ needs no kWh round trip)
  uint8_t heat_unit = 0;           // the meter's own unit code for heat
  // heat_kwh exactly: heat_raw · 10^heat_exp10 / heat_div kWh (heat_div
  // is 1, or 36 for the joule units), for rescaling without rounding twice.
  uint64_t heat_raw = 0;
  int heat_exp10 = 0, heat_div = 1;
  double power_kw = 0;
  double flow_m3h = 0;
  double volume_m3 = 0;
  double supply_c = 0, return_c = 0;
  uint32_t hours = 0;              // accumulated working hours
  Cjt188Clock clock;
  uint16_t status = 0;             // ST, first byte low; the high byte is the manufacturer's
  Cjt188Valve valve = Cjt188Valve::kOpen;
  bool battery_low = false;        // ST bit 2
  bool fault = false;              // valve abnormal, or a fault bit (3-7) of the first byte
};

// Every frame of the payload, in order; an error for the whole payload if
// any frame is malformed (see the contract above).
Result<std::vector<Cjt188Reading>> DecodeCjt188(std::span<const uint8_t> bytes);

// Cheap sniff for choosing CJ/T 188 over M-Bus: after FE bytes, 68 and a
// CJ/T 188 meter type (0x10..0x49), and either a whole frame with a good
// checksum and end byte or a header that is not M-Bus's 68 L L 68. True
// does not promise that DecodeCjt188 succeeds (a water meter is sniffed as
// CJ/T 188 so that its error says so).
bool LooksLikeCjt188(std::span<const uint8_t> bytes);

}  // namespace heat::proto
