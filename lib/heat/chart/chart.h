// chart/chart.h — the charts of heatctl trend and of the PDF reports, drawn
// with cairo, text laid out with pango ("Noto Sans CJK SC", so Chinese
// station names and legend entries render).
//
// Contract:
// - Draw(cr, chart, r) paints only inside r on an existing context (a PDF
//   page, an image surface); it saves and restores the context's state, never
//   throws and never fails: when there is nothing to draw (no lines, all
//   values NaN, no categories, no positive share, no rooms) it draws the
//   title and "无数据 no data" in r.
// - Render(chart, format, w, h) makes a standalone image, w x h pixels (PNG)
//   or points (SVG), white background, and returns its bytes. Errors:
//   kUsage when w or h is not in 16..8000, or LineChart::tz is not a known
//   zone (Draw falls back to UTC for an unknown zone); kFailure when cairo
//   fails.
// - Look: white background, light grid, one fixed colour-blind-safe palette
//   (Okabe-Ito; series i gets Palette(i)), title on top, legend with units.
//   Tick labels are thinned so that none overlap; long labels are elided.
// - Line axes: the units in order of first use get axes left, right, then
//   further left, further right; all axes share one set of grid lines.
// - Lines: NaN avg values are gaps; a segment never joins points across a
//   NaN. A point with no neighbour is drawn as a dot. min/max (when both have
//   t's size) are a light band of the line's colour; NaN min/max leave the
//   band open there. Lines whose t, avg sizes differ are drawn up to the
//   shorter size. Values that are not finite are treated as NaN; points
//   whose t is not finite or outside the years 1..9999 are left out. In
//   percent mode a constant line sits at 50 %, and the legend gives each
//   line's real range ("供水 (40–70 °C)").
// - Bars: grouped (side by side) or stacked; negative values go below the
//   zero line (stacked: negatives stack downwards separately). A series
//   shorter than the categories is missing its last bars; NaN is no bar.
// - Shares: parts with a value <= 0 or not finite are ignored (not drawn,
//   not in the legend, not in the whole). Beyond 8 parts (the palette's
//   colours), the smallest are merged into one "其他 other" slice. The
//   legend gives each part's name, value and percentage; big slices also
//   carry their percentage.
// - Building map: floors from the top floor down; units side by side in
//   natural name order (2单元 before 10单元); within a unit the k-th room
//   of a floor (labels in natural order) is in the unit's k-th column, so a
//   floor with fewer rooms leaves cells empty. Cells show the room label;
//   the legend counts the rooms of each state.
// Thread-safety: the functions keep no state of their own; each thread
// needs its own cairo context. Time labels go through core/time.h, which
// switches TZ under its lock.
#pragma once

#include <cairo.h>

#include <string>
#include <utility>
#include <vector>

#include "heat/core/status.h"

namespace heat::chart {

struct Rect {
  double x = 0, y = 0, w = 0, h = 0;
};
enum class ImageFormat { kSvg, kPng };

// A line over time: t in unix seconds ascending; avg NaN = no data, drawn as a
// gap (never interpolated across). min/max: empty, or same size as t: drawn as
// a light band so peaks within a bucket stay visible.
struct Line {
  std::string name, unit;
  std::vector<double> t, avg, min, max;
};
struct LineChart {
  std::string title;
  std::vector<Line> lines;
  // false: one y axis per distinct unit (left, right, then further right/left,
  // each labelled with its unit, in the line's colour when one line uses it);
  // true: every line normalised to % of its own min..max range, one axis
  // 0..100 %.
  bool percent = false;
  std::string tz = "Asia/Shanghai";  // IANA zone for the time-axis labels
};
// Bars: categories along x, one or more series (grouped, or stacked).
struct BarSeries {
  std::string name;
  std::vector<double> values;
};
struct BarChart {
  std::string title, unit;
  std::vector<std::string> categories;
  std::vector<BarSeries> series;
  bool stacked = false;
};
// Shares of a whole (pie with labels and percentages).
struct ShareChart {
  std::string title;
  std::vector<std::pair<std::string, double>> parts;
};
// The building payment map (楼图): one building, floors top to bottom, each
// floor a row of rooms grouped by unit (单元), each room a cell coloured by its
// state, legend below.
enum class RoomState { kPaid, kPart, kUnpaid, kSuspended, kDisconnected, kNone };
struct Room {
  int floor = 0;
  std::string unit, label;
  RoomState state = RoomState::kNone;
};
struct BuildingMap {
  std::string title;
  std::vector<Room> rooms;
};

// Draw into an existing cairo context inside `r` (used by the PDF report
// writer to place charts on pages). Never throws; draws "no data" when there
// is nothing to draw.
void Draw(cairo_t* cr, const LineChart& c, Rect r);
void Draw(cairo_t* cr, const BarChart& c, Rect r);
void Draw(cairo_t* cr, const ShareChart& c, Rect r);
void Draw(cairo_t* cr, const BuildingMap& c, Rect r);
// A standalone image of width x height pixels (SVG: points) as bytes.
Result<std::string> Render(const LineChart& c, ImageFormat f, int width, int height);
Result<std::string> Render(const BarChart& c, ImageFormat f, int width, int height);
Result<std::string> Render(const ShareChart& c, ImageFormat f, int width, int height);
Result<std::string> Render(const BuildingMap& c, ImageFormat f, int width, int height);
// A size that fits a building map's floors and rooms legibly.
std::pair<int, int> NaturalSize(const BuildingMap& c);

// Colours, exposed so that tests and other drawings (reports) match them.
struct Rgb {
  double r = 0, g = 0, b = 0;
};
Rgb Palette(size_t i);          // series colour i (cycles after 8)
Rgb StateColour(RoomState s);   // cell colour of a room state
const char* StateName(RoomState s);  // legend text: 已缴费, 部分缴费, ...

}  // namespace heat::chart
