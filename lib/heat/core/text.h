// core/text.h — UTF-8 text for terminals: display width (CJK is two
// columns wide), padding, validity, small string helpers, and the edit
// distance behind every "did you mean".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace heat {

// Columns the text takes on a terminal: East Asian Wide and Fullwidth
// characters count 2, combining marks and controls 0, everything else 1.
// An invalid byte counts 1, so widths never go negative or stall.
size_t DisplayWidth(std::string_view utf8);

// Pads with spaces to `width` columns (no-op when already wider).
std::string PadRight(std::string_view s, size_t width);
std::string PadLeft(std::string_view s, size_t width);
// The longest start of the text that fits in `width` columns; a wide
// character that would straddle the edge is left out whole, so a CJK name
// is never cut in half on a terminal.
std::string ClipWidth(std::string_view s, size_t width);

// Decodes the code point at s[*i] and advances *i past it. An invalid or
// truncated sequence gives U+FFFD and advances one byte, so a loop over
// bad text always makes progress and never reads past the end.
char32_t NextCodePoint(std::string_view s, size_t* i);
// Code points in the text (each invalid byte counts one).
size_t CodePointCount(std::string_view s);
// Appends the UTF-8 form of `cp` (U+FFFD for a surrogate or beyond U+10FFFF).
void AppendUtf8(std::string* out, char32_t cp);

bool IsValidUtf8(std::string_view s);
// Offset of the first byte that is not part of valid UTF-8, or npos.
size_t FirstInvalidUtf8(std::string_view s);

// Candidates close to `word` for "did you mean": within an edit distance of
// 2 (optimal string alignment, so a swap of neighbours is one edit), or
// starting with `word`; nearest first, ties in the candidates' order.
std::vector<std::string> Suggest(std::string_view word, const std::vector<std::string>& candidates);
size_t EditDistance(std::string_view a, std::string_view b);

std::string ToLower(std::string_view s);  // ASCII letters only
// Every byte as two lower-case hex digits: "\x01\xab" -> "01ab".
std::string HexLower(std::string_view bytes);
std::string Trim(std::string_view s);     // ASCII white space
// "scheme://host[:port]" of an http or https URL; "" for anything else.
std::string UrlOrigin(std::string_view url);
std::vector<std::string> Split(std::string_view s, char sep);

}  // namespace heat
