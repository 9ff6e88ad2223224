// chart/text.h — one-line text for the charts, laid out by pango in
// "Noto Sans CJK SC" so Chinese names render. Sizes are absolute user units
// (pixels on an image, points on a PDF page), metrics unhinted so a chart
// lays out the same on every surface. Invalid UTF-8 bytes are shown as
// U+FFFD instead of being handed to pango (which would reject the text).
#pragma once

#include <cairo.h>

#include <string>
#include <string_view>

#include "heat/chart/chart.h"

namespace heat::chart {

inline constexpr const char* kFontFamily = "Noto Sans CJK SC";

enum class Align { kLeft, kCenter, kRight };
struct TextStyle {
  double size = 10;
  bool bold = false;
  Rgb colour{0.25, 0.25, 0.25};
};
struct Size {
  double w = 0, h = 0;
};

// The text's logical size at `style` (no eliding).
Size MeasureText(cairo_t* cr, std::string_view text, const TextStyle& style);
// Draws the text with its top at y and its left edge, centre or right edge at
// x; when max_w > 0 and the text is wider it is elided at the end ("…").
// Returns the size drawn.
Size DrawText(cairo_t* cr, std::string_view text, double x, double y, Align align,
              const TextStyle& style, double max_w = 0);
// Characters of the text the font cannot show (drawn as boxes); 0 for every
// label a chart can show legibly.
int UnknownGlyphs(cairo_t* cr, std::string_view text, const TextStyle& style);

}  // namespace heat::chart
