#include "heat/chart/frame.h"

#include <algorithm>
#include <cmath>

#include "heat/chart/text.h"

namespace heat::chart {

void SetSource(cairo_t* cr, Rgb c, double alpha) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

Rgb Palette(size_t i) {
  // Okabe-Ito, ordered so the first colours differ most; yellow last as it
  // is the weakest on white.
  static const Rgb kColours[] = {{0.000, 0.447, 0.698}, {0.902, 0.624, 0.000},
                                 {0.000, 0.620, 0.451}, {0.835, 0.369, 0.000},
                                 {0.800, 0.475, 0.655}, {0.337, 0.706, 0.914},
                                 {0.200, 0.200, 0.200}, {0.941, 0.894, 0.259}};
  return kColours[i % (sizeof kColours / sizeof kColours[0])];
}

double FontSize(Rect r) { return std::clamp(std::min(r.w, r.h) / 36.0, 7.0, 11.0); }

Rect BeginChart(cairo_t* cr, Rect r, const std::string& title, double font) {
  cairo_rectangle(cr, r.x, r.y, r.w, r.h);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill(cr);
  double margin = font;
  Rect inner{r.x + margin, r.y + margin * 0.6, r.w - 2 * margin, r.h - 1.6 * margin};
  if (!title.empty()) {
    TextStyle style{font * 1.3, true, {0.1, 0.1, 0.1}};
    Size s = DrawText(cr, title, r.x + r.w / 2, inner.y, Align::kCenter, style, inner.w);
    inner.y += s.h + font * 0.5;
    inner.h -= s.h + font * 0.5;
  }
  inner.w = std::max(inner.w, 0.0);
  inner.h = std::max(inner.h, 0.0);
  return inner;
}

void DrawNoData(cairo_t* cr, Rect area, double font) {
  TextStyle style{font * 1.2, false, {0.55, 0.55, 0.55}};
  Size s = MeasureText(cr, kNoData, style);
  DrawText(cr, kNoData, area.x + area.w / 2, area.y + (area.h - s.h) / 2, Align::kCenter, style,
           area.w);
}

namespace {

struct LegendItem {
  const LegendEntry* entry;
  double width;  // swatch, gap and text
};

// Entries broken into rows no wider than `width`.
std::vector<std::vector<LegendItem>> LegendRows(cairo_t* cr, const std::vector<LegendEntry>& entries,
                                                double width, double font) {
  std::vector<std::vector<LegendItem>> rows;
  double used = 0, swatch = font * 1.6, gap = font * 1.5;
  for (const LegendEntry& e : entries) {
    double w = std::min(swatch + MeasureText(cr, e.text, {font}).w, width);
    if (rows.empty() || used + gap + w > width) rows.emplace_back(), used = -gap;
    rows.back().push_back({&e, w});
    used += gap + w;
  }
  return rows;
}

}  // namespace

double LegendHeight(cairo_t* cr, const std::vector<LegendEntry>& entries, double width, double font) {
  if (entries.empty()) return 0;
  return static_cast<double>(LegendRows(cr, entries, width, font).size()) * font * 1.7;
}

void DrawLegend(cairo_t* cr, const std::vector<LegendEntry>& entries, Rect area, double font) {
  double y = area.y, swatch = font * 1.6, gap = font * 1.5, row_h = font * 1.7;
  for (const auto& row : LegendRows(cr, entries, area.w, font)) {
    double total = -gap;
    for (const LegendItem& it : row) total += gap + it.width;
    double x = area.x + (area.w - total) / 2;
    for (const LegendItem& it : row) {
      SetSource(cr, it.entry->colour);
      double mid = y + row_h / 2;
      if (it.entry->line) {
        cairo_set_line_width(cr, 2);
        cairo_move_to(cr, x, mid);
        cairo_line_to(cr, x + swatch * 0.75, mid);
        cairo_stroke(cr);
      } else {
        cairo_rectangle(cr, x, mid - font * 0.4, font * 0.8 * 1.2, font * 0.8);
        cairo_fill(cr);
      }
      Size s = MeasureText(cr, it.entry->text, {font});
      DrawText(cr, it.entry->text, x + swatch, mid - s.h / 2, Align::kLeft, {font, false, kInk},
               it.width - swatch);
      x += it.width + gap;
    }
    y += row_h;
  }
}

double YPos(const NumberAxis& a, Rect plot, double v) {
  return plot.y + plot.h - (v - a.lo) / (a.hi - a.lo) * plot.h;
}

double YAxisWidth(cairo_t* cr, const NumberAxis& a, const std::string& unit, double font) {
  double w = 0;
  for (const Tick& t : a.ticks) w = std::max(w, MeasureText(cr, t.label, {font}).w);
  // The unit sits above the labels; it gets their room so that the units of
  // neighbouring axes never touch (elided beyond 8 em).
  w = std::max(w, std::min(MeasureText(cr, unit, {font, true}).w, font * 8));
  return w + font * 0.8;
}

void DrawGridLines(cairo_t* cr, const NumberAxis& a, Rect plot) {
  SetSource(cr, kGrid);
  cairo_set_line_width(cr, 1);
  for (const Tick& t : a.ticks) {
    double y = std::round(YPos(a, plot, t.value)) + 0.5;
    cairo_move_to(cr, plot.x, y);
    cairo_line_to(cr, plot.x + plot.w, y);
  }
  cairo_stroke(cr);
}

void DrawYAxis(cairo_t* cr, const NumberAxis& a, Rect plot, double x, Side side,
               const std::string& unit, Rgb colour, double font) {
  Align align = side == Side::kLeft ? Align::kRight : Align::kLeft;
  double last_y = -1e9;  // labels go bottom-up; skip one that would touch the previous
  for (const Tick& t : a.ticks) {
    double y = YPos(a, plot, t.value);
    if (std::abs(y - last_y) < font * 1.3) continue;
    Size s = MeasureText(cr, t.label, {font});
    DrawText(cr, t.label, x, y - s.h / 2, align, {font, false, colour});
    last_y = y;
  }
  if (unit.empty()) return;
  TextStyle style{font, true, colour};
  Size s = MeasureText(cr, unit, style);
  DrawText(cr, unit, x, plot.y - s.h - font * 0.6, align, style, font * 8);
}

void DrawXLabels(cairo_t* cr, const std::vector<std::pair<double, std::string>>& labels, double y,
                 double min_x, double max_x, double font, double max_w) {
  double right_of_last = min_x;
  for (const auto& [x, text] : labels) {
    double w = MeasureText(cr, text, {font}).w;
    if (max_w > 0) w = std::min(w, max_w);
    double left = x - w / 2;
    if (left < right_of_last || x + w / 2 > max_x) continue;
    DrawText(cr, text, x, y, Align::kCenter, {font, false, kInk}, max_w);
    right_of_last = x + w / 2 + font * 0.8;
  }
}

void DrawPlotFrame(cairo_t* cr, Rect plot) {
  SetSource(cr, kAxis);
  cairo_set_line_width(cr, 1);
  double y = std::round(plot.y + plot.h) + 0.5;
  cairo_move_to(cr, plot.x, y);
  cairo_line_to(cr, plot.x + plot.w, y);
  cairo_stroke(cr);
}

}  // namespace heat::chart
