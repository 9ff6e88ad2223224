// Line charts over time (chart.h): one y axis per unit or one percent axis,
// NaN gaps, min/max bands.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "heat/chart/frame.h"
#include "heat/chart/text.h"

namespace heat::chart {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Instants the calendar functions handle: years 1..9999.
constexpr double kMinInstant = -62135596800.0, kMaxInstant = 253402300799.0;

// A line as drawn: values checked, in percent when the chart is.
struct Series {
  std::vector<double> t, avg, lo, hi;  // lo/hi empty when there is no band
  Rgb colour;
  size_t axis = 0;
  std::string legend;
};

struct YAxis {
  std::string unit;
  std::vector<size_t> lines;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  NumberAxis ticks;
  double width = 0, x = 0;
  Side side = Side::kLeft;
};

struct Prepared {
  std::vector<Series> series;
  std::vector<YAxis> axes;
  double t0 = std::numeric_limits<double>::infinity(), t1 = -t0;
};

double Clean(const std::vector<double>& v, size_t i) {
  return i < v.size() && std::isfinite(v[i]) ? v[i] : kNaN;
}

// Finite range of the series' values (avg and band); false when none.
bool ValueRange(const Series& s, double* lo, double* hi) {
  *lo = std::numeric_limits<double>::infinity(), *hi = -*lo;
  for (const auto* v : {&s.avg, &s.lo, &s.hi})
    for (double x : *v)
      if (!std::isnan(x)) *lo = std::min(*lo, x), *hi = std::max(*hi, x);
  return *lo <= *hi;
}

void ToPercent(Series* s, double lo, double hi) {
  for (auto* v : {&s->avg, &s->lo, &s->hi})
    for (double& x : *v)
      if (!std::isnan(x)) x = hi > lo ? (x - lo) / (hi - lo) * 100 : 50;
}

std::string LegendText(const Line& l, bool percent, double lo, double hi) {
  std::string name = l.name.empty() ? "—" : l.name;
  if (!percent) return l.unit.empty() ? name : name + " (" + l.unit + ")";
  double step = NiceStep((hi - lo) / 100 + 1e-300);
  return name + " (" + FormatNumber(lo, step) + "–" + FormatNumber(hi, step) +
         (l.unit.empty() ? "" : " " + l.unit) + ")";
}

Series Checked(const Line& l, Rgb colour) {
  Series s;
  s.colour = colour;
  size_t n = std::min(l.t.size(), l.avg.size());
  bool band = l.min.size() == l.t.size() && l.max.size() == l.t.size();
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(l.t[i]) || l.t[i] < kMinInstant || l.t[i] > kMaxInstant) continue;
    s.t.push_back(l.t[i]);
    s.avg.push_back(Clean(l.avg, i));
    if (band) s.lo.push_back(Clean(l.min, i)), s.hi.push_back(Clean(l.max, i));
  }
  return s;
}

size_t AxisFor(std::vector<YAxis>* axes, const std::string& unit) {
  for (size_t i = 0; i < axes->size(); ++i)
    if ((*axes)[i].unit == unit) return i;
  axes->push_back({});
  axes->back().unit = unit;
  return axes->size() - 1;
}

Prepared Prepare(const LineChart& c) {
  Prepared p;
  for (size_t i = 0; i < c.lines.size(); ++i) {
    Series s = Checked(c.lines[i], Palette(i));
    double lo, hi;
    if (!ValueRange(s, &lo, &hi)) continue;  // nothing to draw: no axis, no legend
    s.legend = LegendText(c.lines[i], c.percent, lo, hi);
    if (c.percent) ToPercent(&s, lo, hi), lo = 0, hi = 100;
    s.axis = AxisFor(&p.axes, c.percent ? "%" : c.lines[i].unit);
    YAxis& a = p.axes[s.axis];
    a.lines.push_back(p.series.size());
    a.lo = std::min(a.lo, lo), a.hi = std::max(a.hi, hi);
    p.t0 = std::min(p.t0, s.t.front()), p.t1 = std::max(p.t1, s.t.back());
    p.series.push_back(std::move(s));
  }
  if (p.t0 == p.t1) p.t0 -= 1800, p.t1 += 1800;  // a single instant: an hour around it
  return p;
}

// Ticks for every axis (the first chooses, the others align to its grid)
// and their places: left, right, further left, further right.
Rect LayOutAxes(cairo_t* cr, Prepared* p, Rect plot, double font) {
  int max_ticks = std::max(1, static_cast<int>(plot.h / (font * 2.8)));
  double left = 0, right = 0;
  for (size_t i = 0; i < p->axes.size(); ++i) {
    YAxis& a = p->axes[i];
    a.ticks = i == 0 ? ChooseNumberTicks(a.lo, a.hi, max_ticks)
                     : AlignedNumberTicks(a.lo, a.hi, static_cast<int>(p->axes[0].ticks.ticks.size()) - 1);
    a.width = YAxisWidth(cr, a.ticks, a.unit, font) + (i >= 2 ? font : 0);
    a.side = i % 2 == 0 ? Side::kLeft : Side::kRight;
    (a.side == Side::kLeft ? left : right) += a.width;
  }
  plot.x += left;
  plot.w = std::max(plot.w - left - right, 1.0);
  double at_left = plot.x - font * 0.5, at_right = plot.x + plot.w + font * 0.5;
  for (YAxis& a : p->axes) {
    if (a.side == Side::kLeft) a.x = at_left, at_left -= a.width;
    else a.x = at_right, at_right += a.width;
  }
  return plot;
}

double XPos(const Prepared& p, Rect plot, double t) {
  return plot.x + (t - p.t0) / (p.t1 - p.t0) * plot.w;
}

// The light band between min and max, a polygon per run of finite pairs.
void DrawBand(cairo_t* cr, const Prepared& p, const Series& s, const NumberAxis& a, Rect plot) {
  if (s.lo.empty()) return;
  size_t n = s.t.size();
  for (size_t i = 0; i < n;) {
    if (std::isnan(s.lo[i]) || std::isnan(s.hi[i])) { ++i; continue; }
    size_t j = i;
    while (j < n && !std::isnan(s.lo[j]) && !std::isnan(s.hi[j])) ++j;
    for (size_t k = i; k < j; ++k) cairo_line_to(cr, XPos(p, plot, s.t[k]), YPos(a, plot, s.hi[k]));
    for (size_t k = j; k-- > i;) cairo_line_to(cr, XPos(p, plot, s.t[k]), YPos(a, plot, s.lo[k]));
    cairo_close_path(cr);
    if (j - i == 1) {  // one bucket alone: a thin bar instead of a line nobody sees
      cairo_new_path(cr);
      double x = XPos(p, plot, s.t[i]), y = YPos(a, plot, s.hi[i]);
      cairo_rectangle(cr, x - 1.5, y, 3, YPos(a, plot, s.lo[i]) - y);
    }
    SetSource(cr, s.colour, 0.2);
    cairo_fill(cr);
    i = j;
  }
}

// The average as polylines broken at every NaN; a lone point is a dot.
void DrawAvg(cairo_t* cr, const Prepared& p, const Series& s, const NumberAxis& a, Rect plot) {
  SetSource(cr, s.colour);
  cairo_set_line_width(cr, 1.8);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  size_t n = s.t.size();
  for (size_t i = 0; i < n;) {
    if (std::isnan(s.avg[i])) { ++i; continue; }
    size_t j = i;
    while (j < n && !std::isnan(s.avg[j])) ++j;
    double x = XPos(p, plot, s.t[i]), y = YPos(a, plot, s.avg[i]);
    if (j - i == 1) {
      cairo_new_sub_path(cr);
      cairo_arc(cr, x, y, 2.2, 0, 2 * std::numbers::pi);
      cairo_fill(cr);
    } else {
      cairo_move_to(cr, x, y);
      for (size_t k = i + 1; k < j; ++k) cairo_line_to(cr, XPos(p, plot, s.t[k]), YPos(a, plot, s.avg[k]));
      cairo_stroke(cr);
    }
    i = j;
  }
}

// Labels may reach past the plot into the axes' room, never out of `area`.
void DrawTimeAxis(cairo_t* cr, const Prepared& p, Rect plot, Rect area, const TimeZone& tz, double font) {
  double digit = MeasureText(cr, "0", {font}).w;
  TimeAxis ta = ChooseTimeTicks(p.t0, p.t1, tz, plot.w, digit);
  std::vector<std::pair<double, std::string>> labels;
  SetSource(cr, kGrid);
  cairo_set_line_width(cr, 1);
  for (const Tick& t : ta.ticks) {
    double x = std::round(XPos(p, plot, t.value)) + 0.5;
    cairo_move_to(cr, x, plot.y);
    cairo_line_to(cr, x, plot.y + plot.h + font * 0.3);
    labels.emplace_back(x, t.label);
  }
  cairo_stroke(cr);
  DrawXLabels(cr, labels, plot.y + plot.h + font * 0.4, area.x, area.x + area.w, font);
}

void DrawAxesAndData(cairo_t* cr, const Prepared& p, Rect plot, Rect area, const TimeZone& tz, double font) {
  DrawGridLines(cr, p.axes[0].ticks, plot);
  DrawTimeAxis(cr, p, plot, area, tz, font);
  DrawPlotFrame(cr, plot);
  cairo_save(cr);
  cairo_rectangle(cr, plot.x - 3, plot.y - 3, plot.w + 6, plot.h + 6);
  cairo_clip(cr);
  for (const Series& s : p.series) DrawBand(cr, p, s, p.axes[s.axis].ticks, plot);
  for (const Series& s : p.series) DrawAvg(cr, p, s, p.axes[s.axis].ticks, plot);
  cairo_restore(cr);
  for (const YAxis& a : p.axes) {
    Rgb colour = a.lines.size() == 1 && p.axes.size() > 1 ? p.series[a.lines[0]].colour : kInk;
    DrawYAxis(cr, a.ticks, plot, a.x, a.side, a.unit, colour, font);
  }
}

TimeZone ZoneOrUtc(const std::string& name) {
  auto tz = TimeZone::Load(name);
  return tz.ok() ? *tz : *TimeZone::Load("UTC");
}

}  // namespace

void Draw(cairo_t* cr, const LineChart& c, Rect r) {
  ChartFrame frame(cr, r, c.title, FontSize(r));
  const double font = frame.font;
  const Rect area = frame.area;
  Prepared p = Prepare(c);
  if (p.series.empty()) return frame.NoData();
  std::vector<LegendEntry> legend;
  for (const Series& s : p.series) legend.push_back({s.legend, s.colour, true});
  double legend_h = LegendHeight(cr, legend, area.w, font);
  Rect plot{area.x, area.y + font * 2, area.w, area.h - font * 2 - legend_h - font * 2.6};
  plot.h = std::max(plot.h, 1.0);
  plot = LayOutAxes(cr, &p, plot, font);
  DrawAxesAndData(cr, p, plot, area, ZoneOrUtc(c.tz), font);
  DrawLegend(cr, legend, {area.x, area.y + area.h - legend_h, area.w, legend_h}, font);
}

}  // namespace heat::chart
