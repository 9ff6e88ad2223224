// Bar charts (chart.h): categories along x, series grouped or stacked.
#include <algorithm>
#include <cmath>

#include "heat/chart/frame.h"
#include "heat/chart/text.h"

namespace heat::chart {
namespace {

double Value(const BarSeries& s, size_t i) {
  return i < s.values.size() && std::isfinite(s.values[i]) ? s.values[i] : NAN;
}

// The value range the bars need, always including zero; false when no
// bar has a value.
bool BarRange(const BarChart& c, double* lo, double* hi) {
  *lo = 0, *hi = 0;
  bool any = false;
  for (size_t i = 0; i < c.categories.size(); ++i) {
    double pos = 0, neg = 0;
    for (const BarSeries& s : c.series) {
      double v = Value(s, i);
      if (std::isnan(v)) continue;
      any = true;
      if (c.stacked) (v >= 0 ? pos : neg) += v;
      else *lo = std::min(*lo, v), *hi = std::max(*hi, v);
    }
    *lo = std::min(*lo, neg), *hi = std::max(*hi, pos);
  }
  return any;
}

struct Layout {
  Rect plot;
  NumberAxis axis;
  double slot = 0;  // width of one category
};

void DrawBars(cairo_t* cr, const BarChart& c, const Layout& l) {
  size_t ns = c.series.size();
  double group = l.slot * 0.75, bar = c.stacked ? group : group / static_cast<double>(ns);
  double zero = YPos(l.axis, l.plot, 0);
  for (size_t i = 0; i < c.categories.size(); ++i) {
    double left = l.plot.x + l.slot * (static_cast<double>(i) + 0.125), pos = 0, neg = 0;
    for (size_t k = 0; k < ns; ++k) {
      double v = Value(c.series[k], i);
      if (std::isnan(v)) continue;
      double base = 0;
      if (c.stacked) base = v >= 0 ? pos : neg, (v >= 0 ? pos : neg) += v;
      double x = c.stacked ? left : left + bar * static_cast<double>(k);
      double y0 = c.stacked ? YPos(l.axis, l.plot, base) : zero, y1 = YPos(l.axis, l.plot, base + v);
      cairo_rectangle(cr, x, std::min(y0, y1), std::max(bar - (c.stacked ? 0 : 1), 1.0), std::abs(y1 - y0));
      SetSource(cr, Palette(k));
      cairo_fill(cr);
    }
  }
  SetSource(cr, kAxis);
  cairo_set_line_width(cr, 1);
  cairo_move_to(cr, l.plot.x, std::round(zero) + 0.5);
  cairo_line_to(cr, l.plot.x + l.plot.w, std::round(zero) + 0.5);
  cairo_stroke(cr);
}

// Category names under their slots; on narrow slots only every k-th, so
// that each shown name has room of its own.
void DrawCategories(cairo_t* cr, const BarChart& c, const Layout& l, double font) {
  size_t every = static_cast<size_t>(std::max(1.0, std::ceil(font * 4 / l.slot)));
  std::vector<std::pair<double, std::string>> labels;
  for (size_t i = 0; i < c.categories.size(); i += every)
    labels.emplace_back(l.plot.x + l.slot * (static_cast<double>(i) + 0.5), c.categories[i]);
  // DrawXLabels keeps 0.8 em between labels.
  double max_w = l.slot * static_cast<double>(every) - font;
  DrawXLabels(cr, labels, l.plot.y + l.plot.h + font * 0.4, l.plot.x - font * 2, l.plot.x + l.plot.w + font,
              font, max_w);
}

std::vector<LegendEntry> Legend(const BarChart& c) {
  std::vector<LegendEntry> out;
  if (c.series.size() == 1 && c.series[0].name.empty()) return out;
  for (size_t k = 0; k < c.series.size(); ++k)
    out.push_back({c.series[k].name.empty() ? "—" : c.series[k].name, Palette(k), false});
  return out;
}

}  // namespace

void Draw(cairo_t* cr, const BarChart& c, Rect r) {
  ChartFrame frame(cr, r, c.title, FontSize(r));
  const double font = frame.font;
  const Rect area = frame.area;
  double lo, hi;
  if (c.categories.empty() || !BarRange(c, &lo, &hi)) return frame.NoData();
  std::vector<LegendEntry> legend = Legend(c);
  double legend_h = LegendHeight(cr, legend, area.w, font);
  Layout l;
  l.plot = {area.x, area.y + font * 2, area.w, area.h - font * 2 - legend_h - font * 2.6};
  l.plot.h = std::max(l.plot.h, 1.0);
  l.axis = ChooseNumberTicks(lo, hi, std::max(1, static_cast<int>(l.plot.h / (font * 2.8))));
  double axis_w = YAxisWidth(cr, l.axis, c.unit, font);
  l.plot.x += axis_w;
  l.plot.w = std::max(l.plot.w - axis_w, 1.0);
  l.slot = l.plot.w / static_cast<double>(c.categories.size());
  DrawGridLines(cr, l.axis, l.plot);
  DrawBars(cr, c, l);
  DrawYAxis(cr, l.axis, l.plot, l.plot.x - font * 0.5, Side::kLeft, c.unit, kInk, font);
  DrawCategories(cr, c, l, font);
  DrawLegend(cr, legend, {area.x, area.y + area.h - legend_h, area.w, legend_h}, font);
}

}  // namespace heat::chart
