// chart/frame.h — what every chart shares: the font size for a rectangle,
// the white background and title, the legend, "no data", and the axes'
// grid and labels. Internal to chart/; the public API is chart.h.
#pragma once

#include <cairo.h>

#include <string>
#include <utility>
#include <vector>

#include "heat/chart/axis.h"
#include "heat/chart/chart.h"

namespace heat::chart {

inline const Rgb kInk{0.25, 0.25, 0.25};   // labels
inline const Rgb kGrid{0.88, 0.88, 0.88};  // grid lines
inline const Rgb kAxis{0.55, 0.55, 0.55};  // axis lines
inline constexpr const char* kNoData = "无数据 no data";

void SetSource(cairo_t* cr, Rgb c, double alpha = 1);
// The label font size for a chart in r: 11 on a large image, smaller on a
// small one, never below 7.
double FontSize(Rect r);
// Paints the white background of r, and the title when there is one;
// returns the part of r left for the chart, inside a margin.
Rect BeginChart(cairo_t* cr, Rect r, const std::string& title, double font);
void DrawNoData(cairo_t* cr, Rect area, double font);

// The frame of one Draw call: saves the context's state and begins the chart
// (BeginChart); the destructor restores the state.
class ChartFrame {
 public:
  ChartFrame(cairo_t* cr, Rect r, const std::string& title, double font_size)
      : font(font_size), cr_(cr) {
    cairo_save(cr);
    area = BeginChart(cr, r, title, font);
  }
  ~ChartFrame() { cairo_restore(cr_); }
  ChartFrame(const ChartFrame&) = delete;
  ChartFrame& operator=(const ChartFrame&) = delete;
  void NoData() const { DrawNoData(cr_, area, font); }

  const double font;
  Rect area;  // left for the chart below the title

 private:
  cairo_t* cr_;
};

struct LegendEntry {
  std::string text;
  Rgb colour;
  bool line = false;  // a line sample rather than a filled box
};
// The height the entries take in rows across `width` (0 when none).
double LegendHeight(cairo_t* cr, const std::vector<LegendEntry>& entries, double width, double font);
// Draws the rows centred in area; an entry wider than the area is elided.
void DrawLegend(cairo_t* cr, const std::vector<LegendEntry>& entries, Rect area, double font);

// Axes: y maps a value to a height in the plot; labels never overlap.
double YPos(const NumberAxis& a, Rect plot, double v);
double YAxisWidth(cairo_t* cr, const NumberAxis& a, const std::string& unit, double font);
void DrawGridLines(cairo_t* cr, const NumberAxis& a, Rect plot);
enum class Side { kLeft, kRight };
// Tick labels of a at x (right-aligned on the left, left-aligned on the
// right) and the unit above the plot, in `colour`.
void DrawYAxis(cairo_t* cr, const NumberAxis& a, Rect plot, double x, Side side,
               const std::string& unit, Rgb colour, double font);
// Labels centred at their x with their top at y, skipping any that would
// overlap the one before it or stick out of min_x..max_x.
// Each label is elided to max_w when max_w > 0.
void DrawXLabels(cairo_t* cr, const std::vector<std::pair<double, std::string>>& labels, double y,
                 double min_x, double max_x, double font, double max_w = 0);
void DrawPlotFrame(cairo_t* cr, Rect plot);

}  // namespace heat::chart
