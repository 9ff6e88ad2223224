#include "heat/core/money.h"

#include <cstdlib>

namespace heat {
namespace {

// Parses an unsigned decimal with at most `max_dec` decimals into an
// integer scaled by 10^max_dec. Strict: digits, optionally '.' and digits.
Result<int64_t> ParseScaled(std::string_view s, int max_dec, int64_t limit, const char* what) {
  auto bad = [&](const std::string& why) {
    return Status::Usage(std::string("expected ") + what + ", got '" + std::string(s) + "'" +
                         (why.empty() ? "" : ": " + why));
  };
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && frac.empty())) return bad("");
  for (char c : whole) if (c < '0' || c > '9') return bad("");
  for (char c : frac) if (c < '0' || c > '9') return bad("");
  if (static_cast<int>(frac.size()) > max_dec)
    return bad("at most " + std::to_string(max_dec) + " decimals");
  if (whole.size() > 18) return bad("too large");
  __int128 v = 0;
  for (char c : whole) v = v * 10 + (c - '0');
  for (int i = 0; i < max_dec; ++i) v = v * 10 + (i < static_cast<int>(frac.size()) ? frac[i] - '0' : 0);
  if (v > limit) return bad("too large");
  return static_cast<int64_t>(v);
}

std::string FormatScaled(int64_t v, int dec, bool trim) {
  bool neg = v < 0;
  uint64_t mag = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  uint64_t div = 1;
  for (int i = 0; i < dec; ++i) div *= 10;
  std::string frac = std::to_string(mag % div);
  frac.insert(0, dec - frac.size(), '0');
  if (trim) while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return (neg ? "-" : "") + std::to_string(mag / div) + (frac.empty() ? "" : "." + frac);
}

}  // namespace

Result<Fen> ParseYuan(std::string_view s) {
  bool neg = !s.empty() && s[0] == '-';
  HEAT_ASSIGN(int64_t v, ParseScaled(neg ? s.substr(1) : s, 2, kMaxFen, "an amount in yuan like 2200.00"));
  return neg ? -v : v;
}

std::string FormatYuan(Fen fen) { return FormatScaled(fen, 2, false); }

Result<int64_t> ParseArea(std::string_view s) {
  return ParseScaled(s, 2, kMaxFen, "an area in m² like 87.53");
}

std::string FormatArea(int64_t centi_m2) { return FormatScaled(centi_m2, 2, false); }

Result<int64_t> ParseRatio(std::string_view s, bool bounded) {
  bool percent = !s.empty() && s.back() == '%';
  if (percent) s.remove_suffix(1);
  HEAT_ASSIGN(int64_t v, ParseScaled(s, percent ? 4 : 6, kMaxFen, "a ratio like 0.30 or 30%"));
  // A percent with 4 decimals scaled by 10^4 is already parts per million.
  if (bounded && v > 1'000'000) return Status::Usage("a ratio must be between 0 and 1 (0% and 100%)");
  return v;
}

std::string FormatRatio(int64_t ppm) { return FormatScaled(ppm, 6, true); }

Fen RoundHalfUp(__int128 num, __int128 den) {
  bool neg = num < 0;
  __int128 mag = neg ? -num : num;
  __int128 q = (mag * 2 + den) / (den * 2);
  return static_cast<Fen>(neg ? -q : q);
}

Fen AreaTimesPrice(int64_t centi_m2, Fen fen_per_m2) {
  return RoundHalfUp(static_cast<__int128>(centi_m2) * fen_per_m2, 100);
}

Fen ApplyRatio(Fen amount, int64_t ppm) {
  return RoundHalfUp(static_cast<__int128>(amount) * ppm, 1'000'000);
}

Fen Prorate(Fen amount, int64_t num, int64_t den) {
  return RoundHalfUp(static_cast<__int128>(amount) * num, den);
}

}  // namespace heat
