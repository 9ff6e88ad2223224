#include "heat/proto/cjt188.h"

#include <cstdio>

namespace heat::proto {
namespace {

constexpr uint8_t kPreamble = 0xFE, kStart = 0x68, kEnd = 0x16;
constexpr size_t kHeaderLen = 11;   // 68 T A0..A6 C L
constexpr size_t kOverhead = 13;    // header + CS + 16
constexpr uint8_t kReadDataReply = 0x81;
constexpr uint8_t kHeatDataLen = 0x2E;  // DI0 DI1 SER + 43 bytes of 901F data
constexpr uint16_t kDiReadData = 0x901F;

std::string Hex(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", v & 0xFFu);
  return buf;
}

enum class Kind { kEnergy, kPower, kVolume, kFlow };
const char* KindName(Kind k) {
  switch (k) {
    case Kind::kEnergy: return "an energy";
    case Kind::kPower: return "a power";
    case Kind::kVolume: return "a volume";
    case Kind::kFlow: return "a flow";
  }
  return "?";
}

// value in the canonical unit (kWh, kW, m³, m³/h) = raw × 10^exp / div;
// energy in GJ = raw × gj_mul × 10^gj_exp. Kept as integers and powers of
// ten so that 12345.67 kWh is the double nearest 12345.67, not a product
// of two rounded doubles.
struct Unit {
  uint8_t code;
  Kind kind;
  const char* name;
  int exp, div;
  int gj_mul, gj_exp;
};
constexpr Unit kUnits[] = {
    {0x02, Kind::kEnergy, "Wh", -3, 1, 36, -7},   {0x05, Kind::kEnergy, "kWh", 0, 1, 36, -4},
    {0x08, Kind::kEnergy, "MWh", 3, 1, 36, -1},   {0x0A, Kind::kEnergy, "MWh×100", 5, 1, 36, 1},
    {0x01, Kind::kEnergy, "J", -5, 36, 1, -9},    {0x0B, Kind::kEnergy, "kJ", -2, 36, 1, -6},
    {0x0E, Kind::kEnergy, "MJ", 1, 36, 1, -3},    {0x11, Kind::kEnergy, "GJ", 4, 36, 1, 0},
    {0x13, Kind::kEnergy, "GJ×100", 6, 36, 1, 2}, {0x14, Kind::kPower, "W", -3, 1, 0, 0},
    {0x17, Kind::kPower, "kW", 0, 1, 0, 0},       {0x1A, Kind::kPower, "MW", 3, 1, 0, 0},
    {0x29, Kind::kVolume, "L", -3, 1, 0, 0},      {0x2C, Kind::kVolume, "m³", 0, 1, 0, 0},
    {0x32, Kind::kFlow, "L/h", -3, 1, 0, 0},      {0x35, Kind::kFlow, "m³/h", 0, 1, 0, 0},
};

const Unit* FindUnit(uint8_t code) {
  for (const Unit& u : kUnits)
    if (u.code == code) return &u;
  return nullptr;
}

// raw × mul × 10^exp / div with one rounding: raw has at most 8 digits and
// |exp| <= 9, so numerator and denominator are exact in a double.
double Scale(uint64_t raw, int mul, int exp, int div) {
  double p = 1;
  for (int i = 0; i < (exp < 0 ? -exp : exp); ++i) p *= 10;
  if (exp >= 0) return static_cast<double>(raw * static_cast<uint64_t>(mul)) * p / div;
  return static_cast<double>(raw * static_cast<uint64_t>(mul)) / (p * div);
}

// A measured value as sent: its BCD digits and its unit.
struct Quantity {
  uint64_t raw = 0;
  const Unit* unit = nullptr;
  // In the canonical unit of its kind, given the field's decimals.
  double In(int decimals) const { return Scale(raw, 1, unit->exp - decimals, unit->div); }
};

uint8_t Checksum(std::span<const uint8_t> b) {
  unsigned sum = 0;
  for (uint8_t x : b) sum += x;
  return static_cast<uint8_t>(sum);
}

size_t SkipPreamble(std::span<const uint8_t> b, size_t pos) {
  while (pos < b.size() && b[pos] == kPreamble) ++pos;
  return pos;
}

// One frame of the payload, starting at its 68. Offsets in messages are
// payload offsets, so that an engineer can find the byte in a hex dump.
class Frame {
 public:
  Frame(std::span<const uint8_t> payload, size_t at) : p_(payload), at_(at) {}

  // Checks that a whole frame is there, ends in 16 and sums right; sets
  // len_. The caller has seen the 68 at at_; nothing after this reads
  // beyond at_ + len_.
  Status CheckFraming() {
    size_t have = p_.size() - at_;
    if (have < kHeaderLen)
      return Fail("truncated header: " + std::to_string(have) + " of " + std::to_string(kHeaderLen) + " bytes");
    len_ = kOverhead + b(10);
    if (have < len_)
      return Fail("truncated frame: L=" + std::to_string(b(10)) + " needs " + std::to_string(len_) +
                  " bytes, have " + std::to_string(have));
    if (b(len_ - 1) != kEnd)
      return Fail("missing end byte 0x16 at byte " + std::to_string(at_ + len_ - 1) + ", found " + Hex(b(len_ - 1)));
    uint8_t cs = Checksum(p_.subspan(at_, len_ - 2));
    if (b(len_ - 2) != cs) return Fail("checksum " + Hex(b(len_ - 2)) + ", computed " + Hex(cs));
    return Status::Ok();
  }
  size_t len() const { return len_; }

  // What the frame is: a heat meter's reply to "read current data".
  Status CheckKind(Cjt188Reading* r) const {
    uint8_t t = b(1), c = b(9), l = b(10);
    if (t < 0x20 || t > 0x29) return Fail("meter type " + Hex(t) + " is not a heat meter (0x20..0x29)");
    if (!(c & 0x80)) return Fail("control " + Hex(c) + " is a request, not a meter's reply");
    if (c & 0x40) return Fail("meter reported an abnormal reply (control " + Hex(c) + ")");
    if (c != kReadDataReply) return Fail("control " + Hex(c) + " is not a read-data reply (0x81)");
    if (l < 3) return Fail("data length L=" + std::to_string(l) + " leaves no room for DI and SER");
    uint16_t di = static_cast<uint16_t>(b(11) | b(12) << 8);
    if (di != kDiReadData && di != 0x1F90)  // 0x1F90: sent high byte first
      return Fail("DI " + Hex(b(11)) + " " + Hex(b(12)) + " is not 901F (read current data)");
    if (l != kHeatDataLen)
      return Fail("data length L=" + std::to_string(l) + ", a heat meter's 901F reply has 46 (0x2E)");
    r->meter_type = t;
    r->di = kDiReadData;
    r->ser = b(13);
    return Status::Ok();
  }

  Status DecodeData(Cjt188Reading* r) const {
    r->offset = at_;
    r->address = Address();
    Quantity settled, heat, power, flow, volume;
    HEAT_TRY(Measure(14, Kind::kEnergy, "settlement heat", &settled));
    HEAT_TRY(Measure(19, Kind::kEnergy, "current heat", &heat));
    HEAT_TRY(Measure(24, Kind::kPower, "heat power", &power));
    HEAT_TRY(Measure(29, Kind::kFlow, "flow", &flow));
    HEAT_TRY(Measure(34, Kind::kVolume, "volume", &volume));
    r->settlement_heat_kwh = settled.In(2);
    r->heat_kwh = heat.In(2);
    r->heat_gj = Scale(heat.raw, heat.unit->gj_mul, heat.unit->gj_exp - 2, 1);
    r->heat_unit = heat.unit->code;
    r->heat_raw = heat.raw;
    r->heat_exp10 = heat.unit->exp - 2;
    r->heat_div = heat.unit->div;
    r->power_kw = power.In(2);
    r->flow_m3h = flow.In(4);
    r->volume_m3 = volume.In(2);
    uint64_t raw = 0;
    HEAT_TRY(Bcd(39, 3, "supply temperature", &raw));
    r->supply_c = Scale(raw, 1, -2, 1);
    HEAT_TRY(Bcd(42, 3, "return temperature", &raw));
    r->return_c = Scale(raw, 1, -2, 1);
    HEAT_TRY(Bcd(45, 3, "working hours", &raw));
    r->hours = static_cast<uint32_t>(raw);
    HEAT_TRY(Clock(48, &r->clock));
    SetStatus(static_cast<uint16_t>(b(55) | b(56) << 8), r);
    return Status::Ok();
  }

 private:
  uint8_t b(size_t i) const { return p_[at_ + i]; }

  Status Fail(const std::string& what) const {
    return Status::Usage("cjt188: " + what + " (frame at byte " + std::to_string(at_) + ")");
  }

  // A6 first, in hex: see the header for why non-BCD digits pass.
  std::string Address() const {
    std::string s;
    for (int i = 8; i >= 2; --i) s += Hex(b(static_cast<size_t>(i))).substr(2);
    return s;
  }

  // n BCD bytes at frame offset off, low byte first.
  Status Bcd(size_t off, size_t n, const char* field, uint64_t* out) const {
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;) {
      uint8_t x = b(off + i);
      if ((x >> 4) > 9 || (x & 0x0F) > 9)
        return Fail(std::string(field) + ": " + Hex(x) + " at byte " + std::to_string(at_ + off + i) + " is not BCD");
      v = v * 100 + (x >> 4) * 10 + (x & 0x0F);
    }
    *out = v;
    return Status::Ok();
  }

  // 4 BCD bytes and a unit byte of the given kind.
  Status Measure(size_t off, Kind kind, const char* field, Quantity* q) const {
    HEAT_TRY(Bcd(off, 4, field, &q->raw));
    uint8_t code = b(off + 4);
    q->unit = FindUnit(code);
    std::string where = " at byte " + std::to_string(at_ + off + 4);
    if (!q->unit) return Fail(std::string(field) + ": unknown unit code " + Hex(code) + where);
    if (q->unit->kind != kind)
      return Fail(std::string(field) + ": unit " + Hex(code) + " (" + q->unit->name + ")" + where + " is not " +
                  KindName(kind) + " unit");
    return Status::Ok();
  }

  Status Clock(size_t off, Cjt188Clock* c) const {
    uint64_t f[6];  // ss mm hh DD MM YYYY
    const char* field = "clock";
    for (size_t i = 0; i < 5; ++i) HEAT_TRY(Bcd(off + i, 1, field, &f[i]));
    HEAT_TRY(Bcd(off + 5, 2, field, &f[5]));
    c->second = static_cast<int>(f[0]), c->minute = static_cast<int>(f[1]), c->hour = static_cast<int>(f[2]);
    c->day = static_cast<int>(f[3]), c->month = static_cast<int>(f[4]), c->year = static_cast<int>(f[5]);
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = c->year % 4 == 0;  // exact within 2000..2099
    c->valid = c->year >= 2000 && c->year <= 2099 && c->month >= 1 && c->month <= 12 && c->day >= 1 &&
               c->day <= kDays[c->month - 1] + (c->month == 2 && leap) && c->hour < 24 && c->minute < 60 &&
               c->second < 60;
    return Status::Ok();
  }

  static void SetStatus(uint16_t st, Cjt188Reading* r) {
    r->status = st;
    unsigned valve = st & 0x03;
    r->valve = valve == 0 ? Cjt188Valve::kOpen : valve == 1 ? Cjt188Valve::kClosed : Cjt188Valve::kAbnormal;
    r->battery_low = st & 0x04;
    // Bits 3-7 are the standard's fault bits. The second byte is the
    // manufacturer's: two real meters send 05 and 08 there while working
    // normally, so it says nothing we can read as a fault.
    r->fault = r->valve == Cjt188Valve::kAbnormal || (st & 0x00F8) != 0;
  }

  std::span<const uint8_t> p_;
  size_t at_;
  size_t len_ = 0;
};

}  // namespace

Result<std::vector<Cjt188Reading>> DecodeCjt188(std::span<const uint8_t> bytes) {
  std::vector<Cjt188Reading> out;
  size_t pos = SkipPreamble(bytes, 0);
  if (pos == bytes.size())
    return Status::Usage("cjt188: no frame in " + std::to_string(bytes.size()) + "-byte payload");
  while (pos < bytes.size()) {
    if (bytes[pos] != kStart)
      return Status::Usage("cjt188: expected frame start 0x68 at byte " + std::to_string(pos) + ", found " +
                           Hex(bytes[pos]));
    Frame f(bytes, pos);
    Cjt188Reading r;
    HEAT_TRY(f.CheckFraming());
    HEAT_TRY(f.CheckKind(&r));
    HEAT_TRY(f.DecodeData(&r));
    out.push_back(std::move(r));
    pos = SkipPreamble(bytes, pos + f.len());
  }
  return out;
}

bool LooksLikeCjt188(std::span<const uint8_t> bytes) {
  size_t at = SkipPreamble(bytes, 0);
  if (bytes.size() - at < kOverhead || bytes[at] != kStart) return false;
  auto b = bytes.subspan(at);
  if (b[1] < 0x10 || b[1] > 0x49) return false;
  if (Frame(bytes, at).CheckFraming().ok()) return true;
  // Not a whole good frame (truncated or damaged): an M-Bus long frame
  // starts 68 L L 68, which a CJ/T 188 header only matches by accident.
  return !(b[1] == b[2] && b[3] == kStart);
}

}  // namespace heat::proto
