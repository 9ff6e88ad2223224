#include "heat/core/match.h"

namespace heat {

bool BoundedMatch(const std::string& s, const std::regex& re, size_t max_len) {
  return s.size() <= max_len && std::regex_match(s, re);
}

bool BoundedMatch(const std::string& s, std::smatch& m, const std::regex& re, size_t max_len) {
  return s.size() <= max_len && std::regex_match(s, m, re);
}

bool IsAsciiDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// (\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool IsUnsignedFloat(std::string_view s) {
  size_t e = s.find_first_of("eE");
  if (e != std::string_view::npos) {
    std::string_view exp = s.substr(e + 1);
    if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) exp.remove_prefix(1);
    if (!IsAsciiDigits(exp)) return false;
    s = s.substr(0, e);
  }
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return IsAsciiDigits(s);
  std::string_view whole = s.substr(0, dot), frac = s.substr(dot + 1);
  if (whole.empty()) return IsAsciiDigits(frac);
  return IsAsciiDigits(whole) && (frac.empty() || IsAsciiDigits(frac));
}

}  // namespace heat
