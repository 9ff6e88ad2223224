// ingest/meter_map.h — the mapping step of heat meters (DEV-2): from a
// decoded frame (proto/mbus.h, proto/cjt188.h) to the values stored on the
// meter's points, by tag, each with its quality. Pure: no database, no
// clock, never throws; DecodeMeterPayload (meter.h) stores what it returns
// and `heatctl meter decode` prints it. heat-protocols(7) is the contract.
//
// Tags:
//   heat         cumulative heat, in the point's unit (GJ when it has none)
//   cooling      cumulative cooling energy, likewise
//   volume       m³          power  kW          flow  m³/h
//   t_sup t_ret  °C          hours  h (on time or operating time)
//   error_hours  h, the time the meter spent in an error state
//   status       the raw status: M-Bus header status byte, CJ/T 188 ST word
//   error_flags  the raw M-Bus error flags (VIF FD 17)
// Energy units a point may declare: GJ, MJ, kWh, MWh, Wh. The value is
// rescaled from the frame's integer and exponent with one rounding, so
// 37351 kWh is stored as 134.4636 GJ (the double nearest it).
//
// M-Bus records: only current values are taken (storage 0, tariff 0,
// subunit 0, instantaneous); manufacturer-specific ones (VIF/VIFE 0x7F,
// 0xFF) and ones a combinable VIFE qualifies (per hour, forward flow, date
// of, ...) are skipped. Energy with VIFE 0x3B (only positive
// contributions) is heat, with 0x3C (only negative) cooling. On time and
// operating time (VIF 0x20-0x27, seconds to days) are hours; the same
// with the DIF function "value during error state" are error_hours. When
// several records give one tag, the first is stored.
//
// Quality (telemetry/reading.h): 4 device fault, 8 device warning, on every
// value of the frame except status and error_flags themselves.
//   M-Bus status byte: bits 0-1 = 10 (application error) or 11 (alarm),
//   bit 3 (permanent error), or error flags other than 0: fault; bits 0-1 =
//   01 (busy), bit 2 (power low), bit 4 (temporary error): warning. Bits
//   5-7 are the manufacturer's and only stored.
//   CJ/T 188 ST: valve abnormal or a fault bit (3-7) of the first byte:
//   fault; battery low: warning. The second byte is only stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "heat/proto/cjt188.h"
#include "heat/proto/mbus.h"

namespace heat::ingest {

constexpr int16_t kQualityFault = 4, kQualityWarning = 8;

struct MeterValue {
  std::string tag;
  double value = 0;
  int16_t quality = 0;
  std::string unit;  // what value is in
  int record = -1;   // index of the M-Bus record it came from; -1: header or CJ/T 188 field
};

// tag -> the unit its point declares; only energy tags look at it.
using TagUnits = std::unordered_map<std::string, std::string>;

// The values a frame gives, in record order, one per tag.
std::vector<MeterValue> MapMbusFrame(const proto::MbusFrame& f, const TagUnits& units);
std::vector<MeterValue> MapCjt188(const proto::Cjt188Reading& r, const TagUnits& units);

// The tag an M-Bus record would be stored as, or "" with the reason why not
// in *why ("storage 1", "manufacturer-specific", ...).
std::string MbusRecordTag(const proto::MbusRecord& r, std::string* why);

// The quality a frame's status and error flags give its values.
int16_t MbusQuality(uint8_t status, uint64_t error_flags);
int16_t Cjt188Quality(const proto::Cjt188Reading& r);

// num · 10^exp10 / den kWh in unit (GJ, MJ, kWh, MWh, Wh; "" is GJ), with
// one rounding; nullopt for any other unit.
std::optional<double> EnergyIn(int64_t num, int exp10, int den, std::string_view unit);

}  // namespace heat::ingest
