#include "heat/sim/meter_frames.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <numbers>

namespace heat::sim {
namespace {

using Bytes = std::vector<uint8_t>;

constexpr int64_t kInstalled = 1700006400;  // 2023-11-15 00:00 UTC: every register starts here

// A meter's own constants, spread by a cheap integer hash of its index so
// that neighbouring meters differ.
struct Traits {
  int64_t rate_dkw;      // mean power, 0.1 kW: 2.0 .. 7.9 kW
  int64_t heat0_dkwh;    // register at installation, 0.1 kWh
  int64_t volume0_cm3;   // register at installation, 0.01 m³
  int64_t hours0;
  double phase;          // 0..1, shifts the daily swing
  double dt_k;           // supply - return at mean power, 8..14 K
};

Traits TraitsOf(int index) {
  uint64_t h = static_cast<uint64_t>(index) * 0x9E3779B97F4A7C15ull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return Traits{static_cast<int64_t>(20 + h % 60), static_cast<int64_t>((h >> 8) % 500000),
                static_cast<int64_t>((h >> 24) % 200000), static_cast<int64_t>((h >> 40) % 5000),
                static_cast<double>((h >> 16) % 1000) / 1000.0, 8 + static_cast<double>((h >> 48) % 7)};
}

// The cumulative registers grow linearly at the mean rates, in whole
// units of their resolution: integer floors of a non-decreasing function
// never go backwards.
int64_t HeatDkwh(const Traits& m, int64_t t_s) {
  int64_t age = std::max<int64_t>(0, t_s - kInstalled);
  return m.heat0_dkwh + age * m.rate_dkw / 3600;
}

int64_t VolumeCm3(const Traits& m, int64_t t_s) {
  // 1 kW at 10 K moves 0.086 m³/h: rate_dkw × 0.86 hundredths of m³ an hour.
  int64_t age = std::max<int64_t>(0, t_s - kInstalled);
  return m.volume0_cm3 + age * m.rate_dkw * 86 / (100 * 3600);
}

// Local midnight of the first day of t's month.
int64_t MonthStart(int64_t t_s) {
  std::time_t t = static_cast<std::time_t>(t_s);
  std::tm tm{};
  localtime_r(&t, &tm);
  tm.tm_mday = 1;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return std::mktime(&tm);
}

// v as n BCD bytes, low byte first; false when v has more than 2n digits.
bool PutBcd(uint64_t v, int n, Bytes* out) {
  for (int i = 0; i < n; ++i, v /= 100) out->push_back(static_cast<uint8_t>((v % 100 / 10) << 4 | v % 10));
  return v == 0;
}

void PutLe(uint64_t v, int n, Bytes* out) {
  for (int i = 0; i < n; ++i, v >>= 8) out->push_back(static_cast<uint8_t>(v));
}

uint8_t Sum(Bytes::const_iterator from, Bytes::const_iterator to) {
  unsigned s = 0;
  for (auto it = from; it != to; ++it) s += *it;
  return static_cast<uint8_t>(s);
}

// A value at a resolution of 10^-decimals as a whole count of it.
uint64_t Units(double v, int decimals) {
  return static_cast<uint64_t>(std::llround(std::max(0.0, v) * std::pow(10.0, decimals)));
}

bool AllDigits(const std::string& s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::tm LocalTime(int64_t t_s) {
  std::time_t t = static_cast<std::time_t>(t_s);
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm;
}

}  // namespace

MeterValues MeterValuesAt(int index, int64_t t_s) {
  Traits m = TraitsOf(index);
  MeterValues v;
  v.t_s = t_s;
  v.heat_kwh = static_cast<double>(HeatDkwh(m, t_s)) / 10.0;
  v.settlement_kwh = static_cast<double>(HeatDkwh(m, MonthStart(t_s))) / 10.0;
  v.volume_m3 = static_cast<double>(VolumeCm3(m, t_s)) / 100.0;
  v.hours = static_cast<uint32_t>(m.hours0 + std::max<int64_t>(0, t_s - kInstalled) / 3600);
  // Power ±30 % over the day, the temperature difference and the supply
  // temperature with it; flow is what carries that power at that difference.
  double day = static_cast<double>(((t_s % 86400) + 86400) % 86400) / 86400.0;
  double swing = std::sin(2 * std::numbers::pi * (day + 0.25 + 0.1 * m.phase));
  double power_kw = static_cast<double>(std::llround(static_cast<double>(m.rate_dkw) * (1 + 0.3 * swing))) / 10.0;
  v.power_kw = power_kw;
  double dt = m.dt_k * (0.8 + 0.2 * (1 + swing) / 2);
  v.flow_m3h = static_cast<double>(std::llround(power_kw / (1.163 * dt) * 1000)) / 1000.0;
  int64_t supply_cc = std::llround((48 + 6 * swing + 5 * m.phase) * 100);
  v.supply_c = static_cast<double>(supply_cc) / 100.0;
  v.return_c = static_cast<double>(supply_cc - std::llround(dt * 100)) / 100.0;
  return v;
}

Result<Bytes> EncodeCjt188(const std::string& address, const MeterValues& v, uint8_t ser) {
  if (!AllDigits(address, 14)) return Status::Usage("cjt188: address '" + address + "' is not 14 digits");
  Bytes f = {0xFE, 0xFE, 0x68, 0x20};
  for (size_t i = 0; i < 7; ++i)  // A0 (the last two digits) first
    f.push_back(static_cast<uint8_t>((address[12 - 2 * i] - '0') << 4 | (address[13 - 2 * i] - '0')));
  f.insert(f.end(), {0x81, 0x2E, 0x90, 0x1F, ser});
  bool fits = true;
  auto measure = [&](double x, int decimals, uint8_t unit) {
    fits = PutBcd(Units(x, decimals), 4, &f) && fits;
    f.push_back(unit);
  };
  measure(v.settlement_kwh, 2, 0x05);
  measure(v.heat_kwh, 2, 0x05);
  measure(v.power_kw, 2, 0x17);
  measure(v.flow_m3h, 4, 0x35);
  measure(v.volume_m3, 2, 0x2C);
  fits = PutBcd(Units(v.supply_c, 2), 3, &f) && PutBcd(Units(v.return_c, 2), 3, &f) &&
         PutBcd(v.hours, 3, &f) && fits;
  std::tm tm = LocalTime(v.t_s);
  for (int x : {tm.tm_sec, tm.tm_min, tm.tm_hour, tm.tm_mday, tm.tm_mon + 1}) PutBcd(static_cast<uint64_t>(x), 1, &f);
  PutBcd(static_cast<uint64_t>(tm.tm_year + 1900), 2, &f);
  f.insert(f.end(), {0x00, 0x00});  // ST: valve open, battery fine
  if (!fits) return Status::Usage("cjt188: a value of meter " + address + " does not fit its BCD field");
  f.push_back(Sum(f.begin() + 2, f.end()));
  f.push_back(0x16);
  return f;
}

Result<Bytes> EncodeMbus(const std::string& id, const MeterValues& v, uint8_t access) {
  if (!AllDigits(id, 8)) return Status::Usage("mbus: secondary id '" + id + "' is not 8 digits");
  Bytes d = {0x08, 0xFD, 0x72};  // C = RSP_UD, A = 253 (addressed by secondary id), CI
  PutBcd(std::stoull(id), 4, &d);
  constexpr uint16_t kHsm = ('H' - 64) << 10 | ('S' - 64) << 5 | ('M' - 64);
  PutLe(kHsm, 2, &d);
  d.insert(d.end(), {0x01, 0x04, access, 0x00, 0x00, 0x00});  // version, heat, access, status, signature
  bool fits = true;
  auto bcd8 = [&](uint8_t vif, uint64_t x) {  // DIF 0x0C: 8-digit BCD
    d.insert(d.end(), {0x0C, vif});
    fits = PutBcd(x, 4, &d) && fits;
  };
  auto integer = [&](uint8_t dif, uint8_t vif, uint64_t x) {  // DIF 0x02 / 0x04: 16 / 32 bits
    d.insert(d.end(), {dif, vif});
    PutLe(x, dif == 0x02 ? 2 : 4, &d);
  };
  bcd8(0x05, Units(v.heat_kwh, 1));
  bcd8(0x14, Units(v.volume_m3, 2));
  integer(0x04, 0x2D, Units(v.power_kw, 1));
  integer(0x04, 0x3B, Units(v.flow_m3h, 3));
  integer(0x02, 0x59, static_cast<uint64_t>(std::llround(v.supply_c * 100)));  // two's complement below 0
  integer(0x02, 0x5D, static_cast<uint64_t>(std::llround(v.return_c * 100)));
  integer(0x04, 0x26, v.hours);
  std::tm tm = LocalTime(v.t_s);
  int yy = tm.tm_year % 100, century = tm.tm_year / 100;  // 1 for 20xx
  d.insert(d.end(), {0x04, 0x6D, static_cast<uint8_t>(tm.tm_min),
                     static_cast<uint8_t>(tm.tm_hour | century << 5 | (tm.tm_isdst > 0) << 7),
                     static_cast<uint8_t>(tm.tm_mday | (yy & 7) << 5),
                     static_cast<uint8_t>((tm.tm_mon + 1) | (yy >> 3) << 4)});
  if (!fits) return Status::Usage("mbus: a value of meter " + id + " does not fit its BCD field");
  Bytes f = {0x68, static_cast<uint8_t>(d.size()), static_cast<uint8_t>(d.size()), 0x68};
  f.insert(f.end(), d.begin(), d.end());
  f.push_back(Sum(d.begin(), d.end()));
  f.push_back(0x16);
  return f;
}

Result<Bytes> EncodeMeterFrame(const std::string& protocol, const std::string& address, const MeterValues& v,
                               uint8_t counter) {
  if (protocol == "cjt188") return EncodeCjt188(address, v, counter);
  if (protocol == "mbus") return EncodeMbus(address, v, counter);
  return Status::Usage("no heat-meter frames for protocol '" + protocol + "' (cjt188 or mbus)");
}

}  // namespace heat::sim
