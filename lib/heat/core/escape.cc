#include "heat/core/escape.h"

#include "heat/core/text.h"

namespace heat {

std::string EscapeControl(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    char32_t cp = NextCodePoint(s, &i);
    bool bad = cp == 0xFFFD && s.substr(start, i - start) != "\xef\xbf\xbd";
    if (bad || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
      for (size_t k = start; k < i; ++k) {
        auto b = static_cast<unsigned char>(s[k]);
        out += {'\\', 'x', kHex[b >> 4], kHex[b & 15]};
      }
    } else if (cp == '\\') {
      out += "\\\\";
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

size_t FirstControl(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    char32_t cp = NextCodePoint(s, &i);
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return start;
  }
  return std::string_view::npos;
}

std::string EscapeMarkup(std::string_view s) {
  std::string clean = IsValidUtf8(s) && FirstControl(s) == std::string_view::npos ? std::string(s) : EscapeControl(s);
  std::string out;
  out.reserve(clean.size() + 16);
  for (char c : clean) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace heat
