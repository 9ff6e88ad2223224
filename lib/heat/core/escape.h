// core/escape.h — text from outside (devices, people, files) made safe to
// show and store (SYS-1): control characters and bytes that are not UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace heat {

// The text with every control character (C0, DEL, C1) and every byte that
// is not valid UTF-8 written as \xNN (a backslash as \\): safe to print
// on a terminal or store as text, and still shows what came (SYS-1).
std::string EscapeControl(std::string_view s);
// Text for HTML, XML and SVG, in element content or a quoted attribute:
// & < > " ' as entities, after EscapeControl (so what is shown is what
// came, never markup).
std::string EscapeMarkup(std::string_view s);
// Offset of the first control character (C0, DEL, C1) or npos: names and
// values from people are refused with one (SYS-1).
size_t FirstControl(std::string_view s);

}  // namespace heat
