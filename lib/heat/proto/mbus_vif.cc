// The EN 13757-3 value information tables (DEV-2): primary VIFs, the 0xFB
// and 0xFD extension tables and the combinable VIFEs, each reduced to a
// quantity, a normalised unit and the arithmetic that gets there.
// Codes carry their scale in the low bits (n, nn, nnn); the tables below
// turn "10^(n-3) Wh" into "10^(n-6) kWh" so that mbus.cc never needs to
// know about units.
#include <cmath>
#include <iterator>

#include "heat/proto/mbus.h"

namespace heat::proto {

const char* MbusQuantityName(MbusQuantity q) {
  static const char* const kNames[] = {
      "unknown", "energy", "volume", "mass", "on_time", "op_time", "power", "flow", "mass_flow",
      "flow_temp", "return_temp", "temp_diff", "ext_temp", "temp_limit", "pressure", "date",
      "datetime", "hca_units", "averaging_duration", "actuality_duration", "fab_no", "enhanced_id",
      "bus_address", "access_no", "medium", "manufacturer", "parameter_set", "model_version",
      "hw_version", "fw_version", "sw_version", "customer_location", "customer", "error_flags",
      "digital_output", "digital_input", "dimensionless", "voltage", "current", "reset_counter",
      "cumulation_counter", "battery_time", "battery_remaining", "battery_change", "text_unit",
      "manufacturer_specific"};
  static_assert(std::size(kNames) == static_cast<size_t>(MbusQuantity::kManufacturerSpecific) + 1);
  size_t i = static_cast<size_t>(q);
  return i < std::size(kNames) ? kNames[i] : "unknown";
}

const char* MbusFunctionName(MbusFunction f) {
  switch (f) {
    case MbusFunction::kInstantaneous: return "inst";
    case MbusFunction::kMaximum: return "max";
    case MbusFunction::kMinimum: return "min";
    case MbusFunction::kError: return "err";
  }
  return "inst";
}

namespace mbus_internal {
namespace {

using Q = MbusQuantity;

UnitInfo U(Q q, const char* unit, int exp10, double mul = 1, double div = 1) {
  UnitInfo u;
  u.quantity = q;
  u.unit = unit;
  u.exp10 = exp10;
  u.mul = mul;
  u.div = div;
  return u;
}

UnitInfo Kind(Q q, ValueKind kind, const char* unit = "") {
  UnitInfo u = U(q, unit, 0);
  u.kind = kind;
  return u;
}

// nn = 0..3: seconds, minutes, hours, days. Times of operation are kept
// in hours (DEV-2 compares them with billing periods), short durations in
// seconds.
UnitInfo Duration(Q q, int nn, bool in_hours) {
  static const double kSeconds[] = {1, 60, 3600, 86400};
  if (in_hours) return nn == 3 ? U(q, "h", 0, 24) : U(q, "h", 0, 1, 3600 / kSeconds[nn]);
  return U(q, "s", 0, kSeconds[nn]);
}

// pp = 0..3: hours, days, months, years (battery times, FD 0x6C..).
UnitInfo LongDuration(Q q, int pp) {
  static const double kHours[] = {1, 24, 730.5, 8766};
  return U(q, "h", 0, kHours[pp]);
}

UnitInfo Fahrenheit(Q q, int nn, bool difference) {
  UnitInfo u = U(q, difference ? "K" : "°C", nn - 3, 5, 9);
  if (!difference) u.add = -32;
  return u;
}

// 0x00..0x3F of the primary table: the extensive quantities.
UnitInfo PrimaryLow(uint8_t v) {
  int n = v & 7;
  switch (v >> 3) {
    case 0: return U(Q::kEnergy, "kWh", n - 6);            // 10^(n-3) Wh
    case 1: return U(Q::kEnergy, "kWh", n - 6, 1, 3.6);    // 10^n J
    case 2: return U(Q::kVolume, "m³", n - 6);             // 10^(n-6) m³
    case 3: return U(Q::kMass, "kg", n - 3);               // 10^(n-3) kg
    case 4: return Duration(v < 0x24 ? Q::kOnTime : Q::kOpTime, v & 3, true);
    case 5: return U(Q::kPower, "kW", n - 6);              // 10^(n-3) W
    case 6: return U(Q::kPower, "kW", n - 6, 1, 3.6);      // 10^n J/h
    default: return U(Q::kFlow, "m³/h", n - 6);            // 10^(n-6) m³/h
  }
}

// 0x40..0x6B: flows, temperatures, pressure.
UnitInfo PrimaryMid(uint8_t v) {
  int n = v & 7, nn = v & 3;
  if (v < 0x48) return U(Q::kFlow, "m³/h", n - 7, 60);     // 10^(n-7) m³/min
  if (v < 0x50) return U(Q::kFlow, "m³/h", n - 9, 3600);   // 10^(n-9) m³/s
  if (v < 0x58) return U(Q::kMassFlow, "kg/h", n - 3);     // 10^(n-3) kg/h
  static const Q kTemps[] = {Q::kFlowTemp, Q::kReturnTemp, Q::kTempDiff, Q::kExtTemp, Q::kPressure};
  static const char* const kUnits[] = {"°C", "°C", "K", "°C", "bar"};
  int i = (v - 0x58) >> 2;
  return U(kTemps[i], kUnits[i], nn - 3);
}

}  // namespace

UnitInfo PrimaryVif(uint8_t vif) {
  uint8_t v = vif & 0x7F;
  if (v < 0x40) return PrimaryLow(v);
  if (v < 0x6C) return PrimaryMid(v);
  switch (v) {
    case 0x6C: return Kind(Q::kDate, ValueKind::kDate);
    case 0x6D: return Kind(Q::kDateTime, ValueKind::kDateTime);
    case 0x6E: return U(Q::kHcaUnits, "", 0);
    case 0x78: return Kind(Q::kFabNo, ValueKind::kIdentifier);
    case 0x79: return Kind(Q::kEnhancedId, ValueKind::kIdentifier);
    case 0x7A: return Kind(Q::kBusAddress, ValueKind::kIdentifier);
    case 0x7C: return U(Q::kTextUnit, "", 0);
    case 0x7F: return U(Q::kManufacturerSpecific, "", 0);
    default: break;
  }
  if (v >= 0x70 && v < 0x74) return Duration(Q::kAveragingDuration, v & 3, false);
  if (v >= 0x74 && v < 0x78) return Duration(Q::kActualityDuration, v & 3, false);
  return {};  // 0x6F reserved, 0x7B/0x7D without a VIFE, 0x7E "any VIF"
}

UnitInfo ExtensionFb(uint8_t vife) {
  uint8_t v = vife & 0x7F;
  int n = v & 1, nn = v & 3;
  switch (v & 0x7E) {
    case 0x00: return U(Q::kEnergy, "kWh", n + 2);            // 10^(n-1) MWh
    case 0x08: return U(Q::kEnergy, "kWh", n + 2, 1, 3.6);    // 10^(n-1) GJ
    case 0x10: return U(Q::kVolume, "m³", n + 2);             // 10^(n+2) m³
    case 0x18: return U(Q::kMass, "kg", n + 5);               // 10^(n+2) t
    case 0x28: return U(Q::kPower, "kW", n + 2);              // 10^(n-1) MW
    case 0x30: return U(Q::kPower, "kW", n + 2, 1, 3.6);      // 10^(n-1) GJ/h
    default: break;
  }
  if (v >= 0x58 && v < 0x68) {
    static const Q kTemps[] = {Q::kFlowTemp, Q::kReturnTemp, Q::kTempDiff, Q::kExtTemp};
    Q q = kTemps[(v - 0x58) >> 2];
    return Fahrenheit(q, nn, q == Q::kTempDiff);
  }
  if (v >= 0x70 && v < 0x74) return Fahrenheit(Q::kTempLimit, nn, false);
  if (v >= 0x74 && v < 0x78) return U(Q::kTempLimit, "°C", nn - 3);
  return {};  // gallons, feet³, reserved: unknown unit
}

namespace {

// FD 0x08..0x1B: identification and housekeeping entries.
UnitInfo FdIdentity(uint8_t v) {
  switch (v) {
    case 0x08: return Kind(Q::kAccessNo, ValueKind::kIdentifier);
    case 0x09: return Kind(Q::kMedium, ValueKind::kIdentifier);
    case 0x0A: return Kind(Q::kManufacturer, ValueKind::kIdentifier);
    case 0x0B: return Kind(Q::kParameterSet, ValueKind::kIdentifier);
    case 0x0C: return Kind(Q::kModelVersion, ValueKind::kIdentifier);
    case 0x0D: return Kind(Q::kHardwareVersion, ValueKind::kIdentifier);
    case 0x0E: return Kind(Q::kFirmwareVersion, ValueKind::kIdentifier);
    case 0x0F: return Kind(Q::kSoftwareVersion, ValueKind::kIdentifier);
    case 0x10: return Kind(Q::kCustomerLocation, ValueKind::kIdentifier);
    case 0x11: return Kind(Q::kCustomer, ValueKind::kIdentifier);
    case 0x17: return Kind(Q::kErrorFlags, ValueKind::kIdentifier);
    case 0x1A: return Kind(Q::kDigitalOutput, ValueKind::kIdentifier);
    case 0x1B: return Kind(Q::kDigitalInput, ValueKind::kIdentifier);
    default: return {};
  }
}

}  // namespace

UnitInfo ExtensionFd(uint8_t vife) {
  uint8_t v = vife & 0x7F;
  if (v >= 0x08 && v < 0x1C) return FdIdentity(v);
  if (v == 0x3A) return U(Q::kDimensionless, "", 0);
  if ((v & 0x70) == 0x40) return U(Q::kVoltage, "V", (v & 0x0F) - 9);
  if ((v & 0x70) == 0x50) return U(Q::kCurrent, "A", (v & 0x0F) - 12);
  if (v == 0x60) return U(Q::kResetCounter, "", 0);
  if (v == 0x61) return U(Q::kCumulationCounter, "", 0);
  if ((v & 0x7C) == 0x6C) return LongDuration(Q::kBatteryTime, v & 3);
  if (v == 0x70) return Kind(Q::kBatteryChange, ValueKind::kDateTime);
  if (v == 0x74) return U(Q::kBatteryRemaining, "h", 0, 24);  // days
  return {};
}

void ApplyCombinable(uint8_t vife, Combinable* c) {
  uint8_t v = vife & 0x7F;
  if (v >= 0x70 && v < 0x78) {
    c->exp10 += (v & 7) - 6;  // multiplicative correction 10^(nnn-6)
  } else if (v == 0x7D) {
    c->exp10 += 3;
  } else if (v == 0x7F) {
    c->manufacturer = true;
  } else if (v == 0x3B || v == 0x3C) {  // heat / cooling register of a heat/cooling meter
    c->accumulation = v == 0x3B ? MbusAccumulation::kPositive : MbusAccumulation::kNegative;
  } else {
    // 0x42/43/46/47/4A/4B/4E/4F: date (/time) of limit exceed;
    // 0x6A/6B/6E/6F: date (/time) of the duration D.
    bool date_of = ((v & 0x72) == 0x42) || ((v & 0x7A) == 0x6A);
    c->date_of = c->date_of || date_of;
    c->extended = true;
  }
}

namespace {

// Exact for |e| <= 22: dividing by an exact power of ten rounds once, so
// 10169 at 10^-2 reads 101.69, not 101.69000000000001.
double Scale10(double x, int e) {
  static const double kPow[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (e >= 0) return e <= 22 ? x * kPow[e] : x * std::pow(10.0, e);
  return -e <= 22 ? x / kPow[-e] : x / std::pow(10.0, -e);
}

}  // namespace

double Normalise(const UnitInfo& u, double raw, int extra_exp10) {
  double v = Scale10(raw, u.exp10 + extra_exp10) + u.add;
  if (u.mul != 1) v *= u.mul;
  if (u.div != 1) v /= u.div;
  return v;
}

}  // namespace mbus_internal
}  // namespace heat::proto
