#include "heat/proto/regmap.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>

namespace heat::proto {
namespace {

template <typename E>
Result<E> Pick(const nlohmann::json& j, const char* key, const std::map<std::string, E>& names, E def,
               const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return def;
  if (!it->is_string() || !names.count(it->get<std::string>())) {
    std::string all;
    for (const auto& [n, _] : names) all += (all.empty() ? "" : ", ") + n;
    return Status::Usage(where + ": " + key + ": expected one of " + all);
  }
  return names.at(it->get<std::string>());
}

const std::map<std::string, RegTable> kTables = {
    {"holding", RegTable::kHolding}, {"input", RegTable::kInput}, {"coil", RegTable::kCoil}, {"discrete", RegTable::kDiscrete}};
const std::map<std::string, RegType> kTypes = {
    {"u16", RegType::kU16}, {"i16", RegType::kI16}, {"u32", RegType::kU32}, {"i32", RegType::kI32}, {"f32", RegType::kF32}};
const std::map<std::string, WordOrder> kOrders = {
    {"ABCD", WordOrder::kABCD}, {"CDAB", WordOrder::kCDAB}, {"BADC", WordOrder::kBADC}, {"DCBA", WordOrder::kDCBA}};

uint16_t Swap(uint16_t w) { return static_cast<uint16_t>((w << 8) | (w >> 8)); }

// The two registers as read -> the 32-bit value's big-endian bits.
uint32_t Join(const uint16_t* w, WordOrder o) {
  switch (o) {
    case WordOrder::kABCD: return (uint32_t{w[0]} << 16) | w[1];
    case WordOrder::kCDAB: return (uint32_t{w[1]} << 16) | w[0];
    case WordOrder::kBADC: return (uint32_t{Swap(w[0])} << 16) | Swap(w[1]);
    case WordOrder::kDCBA: return (uint32_t{Swap(w[1])} << 16) | Swap(w[0]);
  }
  return 0;
}

// Rounds v to the decimals that scale and offset give it, so that
// 573 × 0.1 reads 57.3, not 57.300000000000004.
double Tidy(double v, double scale, double offset) {
  auto decimals = [](double x) {
    int d = 0;
    for (double a = std::fabs(x); d < 9 && std::fabs(a - std::round(a)) > 1e-9; a *= 10) ++d;
    return d;
  };
  double p = std::pow(10, std::max(decimals(scale), decimals(offset)));
  return std::round(v * p) / p;
}

std::vector<uint16_t> Split(uint32_t v, WordOrder o) {
  uint16_t hi = static_cast<uint16_t>(v >> 16), lo = static_cast<uint16_t>(v & 0xFFFF);
  switch (o) {
    case WordOrder::kABCD: return {hi, lo};
    case WordOrder::kCDAB: return {lo, hi};
    case WordOrder::kBADC: return {Swap(hi), Swap(lo)};
    case WordOrder::kDCBA: return {Swap(lo), Swap(hi)};
  }
  return {hi, lo};
}

Result<Register> ParseRegister(const nlohmann::json& j, WordOrder def_order, const std::string& where) {
  Register r;
  if (!j.is_object() || !j.contains("tag") || !j["tag"].is_string())
    return Status::Usage(where + ": needs a tag");
  r.tag = j["tag"].get<std::string>();
  std::string w = where + " (" + r.tag + ")";
  HEAT_ASSIGN(r.table, Pick(j, "table", kTables, RegTable::kHolding, w));
  if (!j.contains("addr") || !j["addr"].is_number_integer() || j["addr"].get<int>() < 0 || j["addr"].get<int>() > 65535)
    return Status::Usage(w + ": addr must be 0..65535");
  r.addr = j["addr"].get<int>();
  HEAT_ASSIGN(r.type, Pick(j, "type", kTypes, RegType::kU16, w));
  HEAT_ASSIGN(r.order, Pick(j, "word_order", kOrders, def_order, w));
  if (r.is_bit_table()) r.type = RegType::kBit;
  if (j.contains("bit")) {
    if (!j["bit"].is_number_integer() || j["bit"].get<int>() < 0 || j["bit"].get<int>() > 15 ||
        r.is_bit_table() || r.words() != 1)
      return Status::Usage(w + ": bit must be 0..15 on a 16-bit register");
    r.bit = j["bit"].get<int>();
  }
  r.scale = j.value("scale", 1.0);
  r.offset = j.value("offset", 0.0);
  r.unit = j.contains("unit") && j["unit"].is_string() ? j["unit"].get<std::string>() : "";
  r.writable = j.value("writable", false);
  if (r.scale == 0) return Status::Usage(w + ": scale must not be 0");
  return r;
}

}  // namespace

const Register* RegisterMap::Find(const std::string& tag) const {
  for (const auto& r : registers)
    if (r.tag == tag) return &r;
  return nullptr;
}

Result<RegisterMap> ParseRegisterMap(const nlohmann::json& body, const std::string& code) {
  RegisterMap m;
  m.code = code;
  std::string where = "register map " + code;
  if (!body.is_object() || !body.contains("registers") || !body["registers"].is_array())
    return Status::Usage(where + ": needs a list of registers");
  HEAT_ASSIGN(WordOrder def, Pick(body, "word_order", kOrders, WordOrder::kABCD, where));
  std::set<std::string> tags;
  for (size_t i = 0; i < body["registers"].size(); ++i) {
    HEAT_ASSIGN(Register r, ParseRegister(body["registers"][i], def, where + ": registers[" + std::to_string(i) + "]"));
    if (!tags.insert(r.tag).second) return Status::Usage(where + ": tag " + r.tag + " appears twice");
    m.registers.push_back(std::move(r));
  }
  for (const auto& g : body.value("scan_groups", nlohmann::json::array())) {
    ScanGroup sg{g.value("name", std::string("default")), g.value("period_s", 10), {}};
    if (sg.period_s < 1) return Status::Usage(where + ": scan group " + sg.name + ": period_s must be >= 1");
    for (const auto& t : g.value("tags", nlohmann::json::array())) {
      if (!t.is_string() || !tags.count(t.get<std::string>()))
        return Status::Usage(where + ": scan group " + sg.name + ": unknown tag " + t.dump());
      sg.tags.push_back(t.get<std::string>());
    }
    m.groups.push_back(std::move(sg));
  }
  return m;
}

double DecodeRegister(const Register& r, const uint16_t* w) {
  double raw = 0;
  switch (r.type) {
    case RegType::kBit: raw = w[0] ? 1 : 0; break;
    case RegType::kU16: raw = r.bit >= 0 ? ((w[0] >> r.bit) & 1) : w[0]; break;
    case RegType::kI16: raw = static_cast<int16_t>(w[0]); break;
    case RegType::kU32: raw = Join(w, r.order); break;
    case RegType::kI32: raw = static_cast<int32_t>(Join(w, r.order)); break;
    case RegType::kF32: {
      uint32_t bits = Join(w, r.order);
      float f;
      std::memcpy(&f, &bits, 4);
      // A float carries about 7 significant digits; do not invent more.
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.7g", static_cast<double>(f) * r.scale + r.offset);
      return std::strtod(buf, nullptr);
    }
  }
  if (r.bit >= 0 || r.type == RegType::kBit) return raw;  // bits are not scaled
  return Tidy(raw * r.scale + r.offset, r.scale, r.offset);
}

std::vector<uint16_t> EncodeRegister(const Register& r, double value) {
  if (r.type == RegType::kBit) return {static_cast<uint16_t>(value != 0)};
  if (r.bit >= 0) return {static_cast<uint16_t>((value != 0) << r.bit)};
  double raw = (value - r.offset) / r.scale;
  switch (r.type) {
    case RegType::kU16: return {static_cast<uint16_t>(std::llround(raw))};
    case RegType::kI16: return {static_cast<uint16_t>(static_cast<int16_t>(std::llround(raw)))};
    case RegType::kU32: return Split(static_cast<uint32_t>(std::llround(raw)), r.order);
    case RegType::kI32: return Split(static_cast<uint32_t>(static_cast<int32_t>(std::llround(raw))), r.order);
    case RegType::kF32: {
      float f = static_cast<float>(raw);
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      return Split(bits, r.order);
    }
    default: return {0};
  }
}

std::vector<ReadRange> PlanReads(const std::vector<const Register*>& regs) {
  std::vector<const Register*> sorted = regs;
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) {
    return std::tie(a->table, a->addr) < std::tie(b->table, b->addr);
  });
  std::vector<ReadRange> out;
  for (const auto* r : sorted) {
    int limit = r->is_bit_table() ? 2000 : 125;
    int end = r->addr + r->words();
    if (!out.empty() && out.back().table == r->table && r->addr <= out.back().addr + out.back().count &&
        end - out.back().addr <= limit) {
      out.back().count = std::max(out.back().count, end - out.back().addr);
    } else {
      out.push_back({r->table, r->addr, r->words()});
    }
  }
  return out;
}

}  // namespace heat::proto
