// The mapping step of heat meters (DEV-2): decoded frame -> tagged values.
// See meter_map.h for the contract.
#include "heat/ingest/meter_map.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace heat::ingest {
namespace {

using proto::MbusAccumulation;
using proto::MbusFunction;
using proto::MbusQuantity;
using proto::MbusRecord;

// A point's energy unit as a factor on kWh: mul · 10^exp10.
struct EnergyUnit {
  const char* name;
  int mul, exp10;
};
constexpr EnergyUnit kEnergyUnits[] = {
    {"GJ", 36, -4}, {"MJ", 36, -1}, {"kWh", 1, 0}, {"MWh", 1, -3}, {"Wh", 1, 3}};

const EnergyUnit* FindEnergyUnit(std::string_view unit) {
  if (unit.empty()) return &kEnergyUnits[0];  // heat.meter_month counts in GJ
  for (const EnergyUnit& u : kEnergyUnits)
    if (unit == u.name) return &u;
  return nullptr;
}

// n · 10^e correctly rounded: strtod of the decimal text rounds once.
double Decimal(__int128 n, int e) {
  bool negative = n < 0;
  unsigned __int128 u = negative ? static_cast<unsigned __int128>(-n) : static_cast<unsigned __int128>(n);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u != 0);
  std::string text = (negative ? "-" : "") + digits + "e" + std::to_string(e);
  return std::strtod(text.c_str(), nullptr);
}

bool IsHours(MbusQuantity q) { return q == MbusQuantity::kOnTime || q == MbusQuantity::kOpTime; }

// Why a record is not a current value of the meter, or "".
std::string NotCurrent(const MbusRecord& r) {
  if (!r.valid) return "no valid value";
  if (r.manufacturer_specific) return "manufacturer-specific";
  if (r.storage != 0) return "storage " + std::to_string(r.storage);
  if (r.tariff != 0) return "tariff " + std::to_string(r.tariff);
  if (r.subunit != 0) return "subunit " + std::to_string(r.subunit);
  if (r.extended) return "qualified by a VIFE: not the plain quantity";
  if (r.function == MbusFunction::kMaximum) return "maximum value";
  if (r.function == MbusFunction::kMinimum) return "minimum value";
  if (r.function == MbusFunction::kError && !IsHours(r.quantity)) return "value during error state";
  return "";
}

const char* QuantityTag(const MbusRecord& r) {
  switch (r.quantity) {
    case MbusQuantity::kEnergy: return r.accumulation == MbusAccumulation::kNegative ? "cooling" : "heat";
    case MbusQuantity::kVolume: return "volume";
    case MbusQuantity::kPower: return "power";
    case MbusQuantity::kFlow: return "flow";
    case MbusQuantity::kFlowTemp: return "t_sup";
    case MbusQuantity::kReturnTemp: return "t_ret";
    case MbusQuantity::kOnTime:
    case MbusQuantity::kOpTime: return r.function == MbusFunction::kError ? "error_hours" : "hours";
    case MbusQuantity::kErrorFlags: return "error_flags";
    default: return "";
  }
}

bool IsEnergyTag(const std::string& tag) { return tag == "heat" || tag == "cooling"; }

// An energy record in its point's unit: from the integer and exponent
// when the frame sent one, else (32-bit real) from the decoded kWh.
std::optional<double> RecordEnergy(const MbusRecord& r, std::string_view unit) {
  bool exact = r.coding == proto::MbusCoding::kInt || r.coding == proto::MbusCoding::kBcd;
  if (exact && r.add == 0 && r.mul == 1 && (r.div == 1 || r.div == 3.6))
    return r.div == 1 ? EnergyIn(r.raw, r.exp10, 1, unit) : EnergyIn(r.raw, r.exp10 + 1, 36, unit);
  const EnergyUnit* u = FindEnergyUnit(unit);
  if (!u) return std::nullopt;
  return r.value * u->mul * std::pow(10.0, u->exp10);
}

std::string TagUnit(const std::string& tag, const TagUnits& units) {
  auto it = units.find(tag);
  return it == units.end() || it->second.empty() ? std::string("GJ") : it->second;
}

// Appends unless the tag is there already (the first record wins).
void Add(std::vector<MeterValue>& out, MeterValue v) {
  for (const MeterValue& have : out)
    if (have.tag == v.tag) return;
  if (std::isfinite(v.value)) out.push_back(std::move(v));
}

uint64_t ErrorFlags(const proto::MbusFrame& f) {
  std::string why;
  for (const MbusRecord& r : f.records)
    if (r.quantity == MbusQuantity::kErrorFlags && !MbusRecordTag(r, &why).empty())
      return static_cast<uint64_t>(r.raw);
  return 0;
}

}  // namespace

std::optional<double> EnergyIn(int64_t num, int exp10, int den, std::string_view unit) {
  const EnergyUnit* u = FindEnergyUnit(unit);
  if (!u) return std::nullopt;
  __int128 n = static_cast<__int128>(num) * u->mul;
  int e = exp10 + u->exp10;
  if (den != 1 && n % den == 0) n /= den, den = 1;
  if (den == 1) return Decimal(n, e);
  // Not a terminating decimal (J into kWh): one division of exact operands
  // while they fit a double's 53 bits, else the nearest we can do.
  double x = static_cast<double>(n), d = den;
  if (e < 0) return x / (d * std::pow(10.0, -e));
  return x * std::pow(10.0, e) / d;
}

std::string MbusRecordTag(const MbusRecord& r, std::string* why) {
  *why = NotCurrent(r);
  if (!why->empty()) return "";
  std::string tag = QuantityTag(r);
  if (tag.empty()) {
    *why = std::string("not stored (") + proto::MbusQuantityName(r.quantity) + ")";
  } else if (r.accumulation != MbusAccumulation::kAll && r.quantity != MbusQuantity::kEnergy) {
    *why = "accumulation of one flow direction only";
    tag.clear();
  }
  return tag;
}

int16_t MbusQuality(uint8_t status, uint64_t error_flags) {
  int16_t q = 0;
  unsigned app = status & 0x03;
  if (app >= 2 || (status & 0x08) || error_flags != 0) q |= kQualityFault;
  if (app == 1 || (status & 0x04) || (status & 0x10)) q |= kQualityWarning;
  return q;
}

int16_t Cjt188Quality(const proto::Cjt188Reading& r) {
  return static_cast<int16_t>((r.fault ? kQualityFault : 0) | (r.battery_low ? kQualityWarning : 0));
}

std::vector<MeterValue> MapMbusFrame(const proto::MbusFrame& f, const TagUnits& units) {
  std::vector<MeterValue> out;
  bool has_status = f.ci != 0x78;  // CI 0x78 has no header, so no status byte
  uint64_t flags = ErrorFlags(f);
  int16_t quality = MbusQuality(has_status ? f.status : 0, flags);
  if (has_status) Add(out, {"status", static_cast<double>(f.status), 0, "", -1});
  for (size_t i = 0; i < f.records.size(); ++i) {
    const MbusRecord& r = f.records[i];
    std::string why, tag = MbusRecordTag(r, &why);
    if (tag.empty()) continue;
    MeterValue v{tag, r.value, quality, r.unit, static_cast<int>(i)};
    if (tag == "error_flags") v.quality = 0, v.value = static_cast<double>(flags);
    if (IsEnergyTag(tag)) {
      v.unit = TagUnit(tag, units);
      auto e = RecordEnergy(r, v.unit);
      if (!e) continue;  // the point's unit is no energy unit: nothing to store
      v.value = *e;
    }
    Add(out, std::move(v));
  }
  return out;
}

std::vector<MeterValue> MapCjt188(const proto::Cjt188Reading& r, const TagUnits& units) {
  std::vector<MeterValue> out;
  int16_t q = Cjt188Quality(r);
  // Meter type 0x21 counts cooling in the heat fields (CJ/T 188 T codes).
  std::string energy_tag = r.meter_type == 0x21 ? "cooling" : "heat";
  std::string unit = TagUnit(energy_tag, units);
  if (auto e = EnergyIn(static_cast<int64_t>(r.heat_raw), r.heat_exp10, r.heat_div, unit))
    Add(out, {energy_tag, *e, q, unit, -1});
  Add(out, {"volume", r.volume_m3, q, "m³", -1});
  Add(out, {"power", r.power_kw, q, "kW", -1});
  Add(out, {"flow", r.flow_m3h, q, "m³/h", -1});
  Add(out, {"t_sup", r.supply_c, q, "°C", -1});
  Add(out, {"t_ret", r.return_c, q, "°C", -1});
  Add(out, {"hours", static_cast<double>(r.hours), q, "h", -1});
  Add(out, {"status", static_cast<double>(r.status), 0, "", -1});
  return out;
}

}  // namespace heat::ingest
