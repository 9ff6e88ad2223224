// core/money.h — money in integer fen (1 yuan = 100 fen), never floating
// point; areas in centi-m² (1 m² = 100); ratios in parts per million.
//
// Rounding rule (BIL-10, written down once): a computed amount is rounded
// half away from zero to the fen ("half up" on the magnitude), exactly
// once, at the end, on exact integer arithmetic (128-bit intermediates).
// Examples: 100.00 m² × 22.00 yuan/m² = 220000 fen; 87.53 m² × 22.35 =
// 1956.2955 yuan -> 195630 fen; 30 % of 195630 fen = 58689 fen.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "heat/core/status.h"

namespace heat {

using Fen = int64_t;

// Largest magnitude accepted anywhere: 9e15 fen (90 trillion yuan).
inline constexpr Fen kMaxFen = 9'000'000'000'000'000;

// "2200", "2200.5", "2200.50", "-3.20", "0.01". Refused (kUsage): empty,
// exponents, more than two decimals, thousands separators, a leading '+',
// leading or trailing spaces, a bare "." or ".5" or "12.", overflow.
Result<Fen> ParseYuan(std::string_view s);
std::string FormatYuan(Fen fen);  // 220000 -> "2200.00", -5 -> "-0.05"

// Areas: "100", "87.5", "87.53" -> centi-m²; negatives and >2 decimals refused.
Result<int64_t> ParseArea(std::string_view s);
std::string FormatArea(int64_t centi_m2);  // 8753 -> "87.53"

// Ratios: "0.30" or "30%" -> 300000 ppm (up to 6 decimals, 0..1000000 only
// when bounded is true).
Result<int64_t> ParseRatio(std::string_view s, bool bounded = true);
std::string FormatRatio(int64_t ppm);  // 300000 -> "0.3"

// numerator / denominator rounded half away from zero; denominator > 0.
Fen RoundHalfUp(__int128 numerator, __int128 denominator);
// charged area × price per m², rounded once.
Fen AreaTimesPrice(int64_t centi_m2, Fen fen_per_m2);
// amount × ratio, rounded once.
Fen ApplyRatio(Fen amount, int64_t ppm);
// amount × num / den, rounded once (den > 0).
Fen Prorate(Fen amount, int64_t num, int64_t den);

}  // namespace heat
