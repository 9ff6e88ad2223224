// Chinese capitals of an amount; the rules are in capitals.h.
#include "heat/forms/capitals.h"

#include <array>

namespace heat::forms {
namespace {

constexpr std::array<const char*, 10> kDigit = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
constexpr std::array<const char*, 4> kPlace = {"", "拾", "佰", "仟"};

// One group of four digits (1..9999), its inner zeros as one 零 and its
// trailing zeros unread.
std::string Group(int64_t g) {
  std::string out;
  bool zero = false;
  for (int p = 3; p >= 0; --p) {
    int64_t d = g / (p == 3 ? 1000 : p == 2 ? 100 : p == 1 ? 10 : 1) % 10;
    if (d == 0) {
      zero = !out.empty();
      continue;
    }
    if (zero) out += kDigit[0];
    zero = false;
    out += kDigit[d];
    out += kPlace[p];
  }
  return out;
}

// The yuan figure (> 0) in groups of four: 万亿, 亿, 万, units.
std::string Yuan(int64_t y) {
  constexpr int64_t kGroup = 10000;
  const std::array<int64_t, 4> groups = {y / (kGroup * kGroup * kGroup) % kGroup, y / (kGroup * kGroup) % kGroup,
                                         y / kGroup % kGroup, y % kGroup};
  const std::array<const char*, 4> suffix = {"万", "亿", "万", ""};
  std::string out;
  bool gap = false;
  for (size_t i = 0; i < groups.size(); ++i) {
    int64_t g = groups[i];
    if (g == 0) {
      gap = gap || !out.empty();
      if (i == 1 && !out.empty()) out += "亿";  // 壹万亿: 万亿 with no 亿 group of its own
      continue;
    }
    if (!out.empty() && (gap || g < 1000)) out += kDigit[0];
    gap = false;
    out += Group(g) + suffix[i];
  }
  return out;
}

}  // namespace

Result<std::string> ChineseCapitals(Fen fen) {
  if (fen > kMaxFen || fen < -kMaxFen)
    return Status::Usage("amount " + std::to_string(fen) + " fen is beyond the largest amount (core/money.h)");
  std::string out = fen < 0 ? "负" : "";
  Fen a = fen < 0 ? -fen : fen;
  int64_t yuan = a / 100, jiao = a / 10 % 10, f = a % 10;
  if (a == 0) return std::string("零元整");
  if (yuan > 0) {
    out += Yuan(yuan) + "元";
    if (jiao == 0 && f == 0) return out + "整";
    if (yuan % 10 == 0 || jiao == 0) out += kDigit[0];
  }
  if (jiao > 0) out += std::string(kDigit[jiao]) + "角";
  if (f > 0) out += std::string(kDigit[f]) + "分";
  return out;
}

}  // namespace heat::forms
