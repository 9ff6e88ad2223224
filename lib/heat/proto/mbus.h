// proto/mbus.h — EN 13757-3 (M-Bus) variable data structure decoder for
// heat meters (DEV-2, DESIGN §5): the long frames that NB-IoT meters POST
// to /hm as octet-stream.
//
// Contract:
//   Result<std::vector<MbusFrame>> DecodeMbus(std::span<const uint8_t>)
//     Finds and decodes every long frame `68 L L 68 C A CI <data> CS 16`
//     in a buffer. Never reads out of bounds, never throws, never crashes,
//     whatever the bytes. A malformed frame or record fails the whole
//     buffer with Status::Usage, and the message says what is wrong and at
//     which byte offset of the buffer, e.g.
//       "mbus: record 3 at byte 41: data field of 4 bytes runs past the
//        end of the frame (2 bytes left)".
//   bool LooksLikeMbus(std::span<const uint8_t>)
//     Cheap sniff: after any 0xFE wake-up bytes and 0xE5 single-character
//     acknowledgements (a capture often starts with the ACK of the
//     meter's previous answer), `68 L L 68` with L >= 3
//     and the stop byte 0x16 where L puts it. A CJ/T 188 frame whose first
//     address bytes happen to read `L 68` is very unlikely to also have a
//     0x16 there, which is why the stop byte is checked.
//
// Framing. Bytes outside long frames are skipped (0xFE preambles, 0xE5
// acknowledgements, garbage), and so are whole short frames
// `10 C A CS 16`. Any other 0x68 starts a long frame and must be one: a
// truncated or corrupt frame is an error, not noise, because a billing
// reading must never be lost silently. A buffer with no long frame at all
// is an error too. L counts C, A, CI and the data; both L bytes must be
// equal and at least 3; CS is the 8-bit sum of C..data; the frame ends 0x16.
//
// CI field:
//   0x72  variable data, 12-byte header: ID (8 BCD digits, low byte first),
//         manufacturer (2 bytes, 3 letters of 5 bits), version, medium,
//         access number, status, signature (2 bytes).
//   0x76  the same in mode 2: every multi-byte field (header and data) is
//         sent most significant byte first. It is decoded by reversing each
//         such field; no mode-2 meter was at hand, so this follows the
//         standard's text and is tested with hand-built frames only.
//   0x7A  short header: access number, status, signature (no identity).
//   0x78  no header.
//   Anything else (fixed data 0x73/0x77, application errors 0x70, master
//   frames 0x5x...) is rejected with a message naming the CI.
//
// Records. DIF (data field, function, storage-number LSB), up to 10 DIFEs
// (4 more storage bits, 2 tariff bits and 1 subunit bit each), VIF and up
// to 10 VIFEs. Data fields: none, 8/16/24/32/48/64-bit signed integers
// (two's complement, little-endian; identifiers and flags unsigned),
// 32-bit IEEE real, BCD of 2/4/6/8/12 digits (0xF in the most significant
// nibble means negative, as libmbus and wmbusmeters read it; any other
// A-F nibble, e.g. the FF..FF of "no value", makes the value invalid),
// variable length (LVAR: text, BCD, binary; the reserved LVAR codes
// 0xF7..0xFF are an error, as the field's length is unknown and the rest
// of the frame cannot be found). DIF 0x2F is an idle filler. DIF 0x0F / 0x1F end the
// records: the rest of the frame is manufacturer data, kept raw in
// MbusFrame::manufacturer_data (0x1F also sets more_records_follow). Other
// DIFs with data field 0xF are reserved and rejected.
//
// VIF 0xFB / 0xFD select the extension tables (common entries decoded,
// the rest kept as quantity kUnknown with an empty unit). 0x7C / 0xFC carry
// the unit as plain text (MbusRecord::unit). 0x7F / 0xFF are
// manufacturer-specific: value kept unscaled, manufacturer_specific set.
// 0x7B / 0x7D without the extension bit (seen on a Sensus PolluTherm) and
// 0x7E give kUnknown. Combinable VIFEs: 0x70-0x77 and 0x7D (×10^n
// corrections) are applied; 0x7F marks the record manufacturer-specific;
// every other one (per hour, limits, forward/backward flow, "date of",
// ...) sets MbusRecord::extended, because the value is then not the plain
// quantity: a billing reader must skip extended records. Two are kept
// apart: 0x3B "accumulation only if positive contributions" and 0x3C
// "accumulation of abs value only if negative contributions" set
// MbusRecord::accumulation instead, because heat/cooling meters send
// their heat and cooling registers that way (EDC, Kamstrup 403). "Date/time of"
// VIFEs (0x42.., 0x6A..) also decode the data as a date.
//
// Normalised units (MbusRecord::unit, MbusRecord::value):
//   energy kWh (Wh, J, MWh and GJ codes converted, 1 kWh = 3.6 MJ),
//   volume m³, mass kg, power kW (W, J/h, MW, GJ/h), flow m³/h (per
//   minute and per second codes converted), mass flow kg/h,
//   flow/return/external temperature °C (°F codes converted),
//   temperature difference K, pressure bar, voltage V, current A,
//   on time / operating time / battery times in hours (months as 730.5 h,
//   years as 8766 h), averaging / actuality durations in seconds.
// Dates: type G (2 bytes, VIF 0x6C), type F (4 bytes, VIF 0x6D) and type I
// (6 bytes, VIF 0x6D) fill MbusRecord::time and ::text ("2011-01-05T15:26");
// the F/I invalid bit or an impossible field clears MbusRecord::valid.
// Two-digit years: century bits if present, else <= 80 means 20xx.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "heat/core/status.h"

namespace heat::proto {

enum class MbusQuantity {
  kUnknown, kEnergy, kVolume, kMass, kOnTime, kOpTime, kPower, kFlow, kMassFlow,
  kFlowTemp, kReturnTemp, kTempDiff, kExtTemp, kTempLimit, kPressure, kDate, kDateTime,
  kHcaUnits, kAveragingDuration, kActualityDuration, kFabNo, kEnhancedId, kBusAddress,
  kAccessNo, kMedium, kManufacturer, kParameterSet, kModelVersion, kHardwareVersion,
  kFirmwareVersion, kSoftwareVersion, kCustomerLocation, kCustomer, kErrorFlags,
  kDigitalOutput, kDigitalInput, kDimensionless, kVoltage, kCurrent, kResetCounter,
  kCumulationCounter, kBatteryTime, kBatteryRemaining, kBatteryChange, kTextUnit,
  kManufacturerSpecific,
};
// "energy", "flow_temp", "datetime", "fab_no", ... (stable: stored in logs).
const char* MbusQuantityName(MbusQuantity q);

enum class MbusFunction { kInstantaneous, kMaximum, kMinimum, kError };
// VIFE 0x3B / 0x3C: only positive (heat) / only negative (cooling) flows counted.
enum class MbusAccumulation { kAll, kPositive, kNegative };
const char* MbusFunctionName(MbusFunction f);  // "inst", "max", "min", "err"

// How the data field was read; value is a number only for kInt, kBcd, kReal.
enum class MbusCoding { kNone, kInt, kBcd, kReal, kText, kDate, kDateTime, kRaw };

struct MbusTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool summer = false;  // type F/I SU bit
};

struct MbusRecord {
  size_t offset = 0;  // of the DIF, in the decoded buffer
  MbusQuantity quantity = MbusQuantity::kUnknown;
  std::string unit;   // normalised unit ("kWh", "°C", ...), or the plain-text VIF
  MbusCoding coding = MbusCoding::kNone;
  // Normalised; NaN unless valid and numeric.
  double value = std::numeric_limits<double>::quiet_NaN();
  int64_t raw = 0;    // as sent: BCD read as decimal, sign applied; dates: the bits
  // How value came from raw: value = (raw · 10^exp10 + add) · mul / div,
  // kept so that a reader can rescale raw exactly (ingest/meter_map.h).
  int exp10 = 0;
  double add = 0, mul = 1, div = 1;
  MbusAccumulation accumulation = MbusAccumulation::kAll;
  bool valid = false; // value (or time) is usable
  std::string text;   // LVAR text, identifier digits, ISO date/time
  MbusTime time;      // for kDate / kDateTime
  MbusFunction function = MbusFunction::kInstantaneous;
  uint64_t storage = 0;
  uint32_t tariff = 0;
  uint32_t subunit = 0;
  bool manufacturer_specific = false;  // VIF or VIFE 0x7F/0xFF
  bool extended = false;  // qualified by a combinable VIFE not folded into value
  uint8_t dif = 0, vif = 0;
  std::vector<uint8_t> dife, vife;
  std::vector<uint8_t> data;  // the data field as sent (after any LVAR byte)
};

struct MbusFrame {
  size_t offset = 0;  // of the first 0x68, in the decoded buffer
  uint8_t c = 0, a = 0, ci = 0;
  bool has_identity = false;  // CI 0x72 / 0x76
  std::string id;             // secondary address, 8 digits ("06855817")
  std::string manufacturer;   // "KAM"
  uint16_t manufacturer_code = 0;
  uint8_t version = 0, medium = 0, access_no = 0, status = 0;
  uint16_t signature = 0;
  std::vector<MbusRecord> records;
  bool more_records_follow = false;        // DIF 0x1F
  std::vector<uint8_t> manufacturer_data;  // after DIF 0x0F / 0x1F
};

// Finds and decodes every long frame in a buffer. Never reads out of
// bounds, never throws, never crashes, whatever the bytes.
Result<std::vector<MbusFrame>> DecodeMbus(std::span<const uint8_t> bytes);
bool LooksLikeMbus(std::span<const uint8_t> bytes);  // cheap sniff: 68 L L 68

// ---- Internal: shared by mbus.cc and mbus_vif.cc, not an interface. ----
namespace mbus_internal {

enum class ValueKind { kNumber, kIdentifier, kDate, kDateTime };

// What a VIF (or extension VIFE) means and how a raw number becomes the
// normalised value: (raw · 10^exp10 + add) · mul / div.
struct UnitInfo {
  MbusQuantity quantity = MbusQuantity::kUnknown;
  const char* unit = "";
  int exp10 = 0;
  double add = 0, mul = 1, div = 1;
  ValueKind kind = ValueKind::kNumber;
};

UnitInfo PrimaryVif(uint8_t vif);  // extension bit ignored
UnitInfo ExtensionFb(uint8_t vife);
UnitInfo ExtensionFd(uint8_t vife);

// What a combinable (orthogonal) VIFE does to a record.
struct Combinable {
  int exp10 = 0;         // multiplicative corrections
  MbusAccumulation accumulation = MbusAccumulation::kAll;  // 0x3B / 0x3C
  bool date_of = false;  // "date (/time) of ...": data is a date
  bool extended = false;
  bool manufacturer = false;
};
void ApplyCombinable(uint8_t vife, Combinable* c);

double Normalise(const UnitInfo& u, double raw, int extra_exp10);

}  // namespace mbus_internal
}  // namespace heat::proto
