// Share charts (chart.h): a pie with each part's name, value and percent.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <numeric>

#include "heat/chart/frame.h"
#include "heat/chart/text.h"

namespace heat::chart {
namespace {

constexpr size_t kMaxSlices = 8;  // as many as the palette has colours

using Parts = std::vector<std::pair<std::string, double>>;

// The parts that can be drawn: positive and finite; past kMaxSlices the
// smallest become one "其他 other" part (the rest keep their order).
Parts Drawable(const ShareChart& c) {
  Parts parts;
  for (const auto& p : c.parts)
    if (std::isfinite(p.second) && p.second > 0) parts.push_back(p);
  if (parts.size() <= kMaxSlices) return parts;
  std::vector<size_t> order(parts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return parts[a].second > parts[b].second; });
  std::vector<bool> keep(parts.size(), false);
  for (size_t i = 0; i + 1 < kMaxSlices; ++i) keep[order[i]] = true;
  Parts out;
  double other = 0;
  for (size_t i = 0; i < parts.size(); ++i) (keep[i] ? out.push_back(parts[i]) : void(other += parts[i].second));
  out.emplace_back("其他 other", other);
  return out;
}

std::string Percent(long double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", static_cast<double>(share * 100));
  return buf;
}

std::string ValueText(double v, bool integers) { return FormatNumber(v, integers ? 1 : 0.01); }

bool Dark(Rgb c) { return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b < 0.55; }

void DrawPie(cairo_t* cr, const Parts& parts, long double total, double cx, double cy, double radius, double font) {
  double a = -std::numbers::pi / 2;
  for (size_t i = 0; i < parts.size(); ++i) {
    double sweep = static_cast<double>(parts[i].second / total) * 2 * std::numbers::pi;
    cairo_move_to(cr, cx, cy);
    cairo_arc(cr, cx, cy, radius, a, a + sweep);
    cairo_close_path(cr);
    SetSource(cr, Palette(i));
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, parts.size() > 1 ? 1.5 : 0);
    cairo_stroke(cr);
    if (sweep >= 0.35) {  // room for the percentage inside the slice
      double mid = a + sweep / 2;
      std::string text = Percent(parts[i].second / total);
      Size s = MeasureText(cr, text, {font, true});
      double x = cx + std::cos(mid) * radius * 0.64, y = cy + std::sin(mid) * radius * 0.64;
      Rgb ink = Dark(Palette(i)) ? Rgb{1, 1, 1} : Rgb{0.1, 0.1, 0.1};
      DrawText(cr, text, x, y - s.h / 2, Align::kCenter, {font, true, ink});
    }
    a += sweep;
  }
}

// One row a part: swatch, name (elided), value, percent.
void DrawTable(cairo_t* cr, const Parts& parts, long double total, Rect area, double font) {
  bool integers = std::all_of(parts.begin(), parts.end(), [](const auto& p) { return p.second == std::floor(p.second); });
  double value_w = 0, pct_w = MeasureText(cr, "100.0%", {font}).w;
  for (const auto& p : parts) value_w = std::max(value_w, MeasureText(cr, ValueText(p.second, integers), {font}).w);
  double row = font * 1.9, gap = font;
  double y = area.y + std::max(0.0, (area.h - row * static_cast<double>(parts.size())) / 2);
  double name_w = std::max(area.w - font * 1.8 - value_w - pct_w - 2 * gap, font * 2);
  for (size_t i = 0; i < parts.size() && y + row <= area.y + area.h + 1; ++i, y += row) {
    Size s = MeasureText(cr, "0", {font});
    double ty = y + (row - s.h) / 2;
    SetSource(cr, Palette(i));
    cairo_rectangle(cr, area.x, y + row / 2 - font * 0.45, font * 0.9, font * 0.9);
    cairo_fill(cr);
    double x = area.x + font * 1.6;
    DrawText(cr, parts[i].first, x, ty, Align::kLeft, {font, false, kInk}, name_w);
    x += name_w + gap + value_w;
    DrawText(cr, ValueText(parts[i].second, integers), x, ty, Align::kRight, {font, false, kInk});
    DrawText(cr, Percent(parts[i].second / total), x + gap + pct_w, ty, Align::kRight, {font, true, kInk});
  }
}

}  // namespace

void Draw(cairo_t* cr, const ShareChart& c, Rect r) {
  ChartFrame frame(cr, r, c.title, FontSize(r));
  const double font = frame.font;
  const Rect area = frame.area;
  Parts parts = Drawable(c);
  if (parts.empty()) return frame.NoData();
  long double total = 0;  // long double: no sum of finite doubles overflows it
  for (const auto& p : parts) total += p.second;
  // The table beside the pie on a wide area, below it on a tall one.
  bool beside = area.w >= area.h * 1.2;
  double table_h = font * 1.9 * static_cast<double>(parts.size());
  Rect pie = area, table = area;
  if (beside) pie.w = area.w * 0.5, table.x += pie.w + font, table.w -= pie.w + font;
  else pie.h = std::max(area.h - table_h - font, area.h * 0.4), table.y += pie.h + font, table.h -= pie.h + font;
  double radius = std::max(std::min(pie.w, pie.h) / 2 - font * 0.5, 1.0);
  DrawPie(cr, parts, total, pie.x + pie.w / 2, pie.y + pie.h / 2, radius, font);
  if (!beside) table.x += table.w * 0.1, table.w *= 0.8;
  DrawTable(cr, parts, total, table, font);
}

}  // namespace heat::chart
