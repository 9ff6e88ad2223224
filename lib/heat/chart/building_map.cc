// The building payment map (楼图, chart.h): floors top to bottom, units side
// by side, a coloured cell a room, the legend counting each state.
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>

#include "heat/chart/frame.h"
#include "heat/chart/text.h"

namespace heat::chart {
namespace {

// "2单元" < "10单元", "101" < "1001": digit runs compare as numbers.
bool NaturalLess(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      size_t i0 = i, j0 = j;
      while (i0 < a.size() && a[i0] == '0') ++i0;
      while (j0 < b.size() && b[j0] == '0') ++j0;
      for (i = i0; i < a.size() && digit(a[i]);) ++i;
      for (j = j0; j < b.size() && digit(b[j]);) ++j;
      std::string_view da(a.data() + i0, i - i0), db(b.data() + j0, j - j0);
      if (da.size() != db.size()) return da.size() < db.size();
      if (da != db) return da < db;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

struct NaturalOrder {
  bool operator()(const std::string& a, const std::string& b) const { return NaturalLess(a, b); }
};

// Rooms by unit (natural order), then floor (top first), then label.
struct Grid {
  using Floor = std::vector<const Room*>;
  std::map<std::string, std::map<int, Floor, std::greater<>>, NaturalOrder> units;
  std::map<std::string, size_t, NaturalOrder> columns;  // widest floor of each unit
  std::vector<int> floors;                              // top first
  size_t total_columns = 0;
};

Grid MakeGrid(const BuildingMap& c) {
  Grid g;
  for (const Room& r : c.rooms) {
    g.units[r.unit][r.floor].push_back(&r);
    g.floors.push_back(r.floor);
  }
  std::sort(g.floors.begin(), g.floors.end(), std::greater<>());
  g.floors.erase(std::unique(g.floors.begin(), g.floors.end()), g.floors.end());
  for (auto& [unit, floors] : g.units) {
    size_t& cols = g.columns[unit];
    for (auto& [floor, rooms] : floors) {
      std::stable_sort(rooms.begin(), rooms.end(), [](const Room* a, const Room* b) { return NaturalLess(a->label, b->label); });
      cols = std::max(cols, rooms.size());
    }
    g.total_columns += cols;
  }
  return g;
}

constexpr RoomState kStates[] = {RoomState::kPaid, RoomState::kPart, RoomState::kUnpaid,
                                 RoomState::kSuspended, RoomState::kDisconnected, RoomState::kNone};

std::vector<LegendEntry> Legend(const BuildingMap& c) {
  std::array<size_t, std::size(kStates)> count{};
  for (const Room& r : c.rooms) ++count[std::min(static_cast<size_t>(r.state), count.size() - 1)];
  std::vector<LegendEntry> out;
  for (RoomState s : kStates)
    if (count[static_cast<size_t>(s)] > 0)
      out.push_back({std::string(StateName(s)) + " " + std::to_string(count[static_cast<size_t>(s)]), StateColour(s), false});
  return out;
}

std::string FloorLabel(int floor) { return std::to_string(floor) + "层"; }

bool Dark(Rgb c) { return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b < 0.55; }

struct Geometry {
  double x0 = 0, y0 = 0, cell_w = 0, cell_h = 0, unit_gap = 0, label_w = 0;
};

// Cells as large as the area allows, at most a comfortable size, centred.
Geometry Fit(cairo_t* cr, const Grid& g, Rect area, double font) {
  Geometry geo;
  for (int f : g.floors) geo.label_w = std::max(geo.label_w, MeasureText(cr, FloorLabel(f), {font}).w);
  geo.label_w += font;
  geo.unit_gap = font;
  double header = font * 2;
  double gaps = geo.unit_gap * static_cast<double>(g.units.size() - 1);
  double avail_w = std::max(area.w - geo.label_w - gaps, 1.0), avail_h = std::max(area.h - header, 1.0);
  geo.cell_w = std::min(avail_w / static_cast<double>(g.total_columns), font * 6);
  geo.cell_h = std::min(avail_h / static_cast<double>(g.floors.size()), font * 2.6);
  double grid_w = geo.label_w + gaps + geo.cell_w * static_cast<double>(g.total_columns);
  geo.x0 = area.x + (area.w - grid_w) / 2 + geo.label_w;
  geo.y0 = area.y + header;
  return geo;
}

void DrawCell(cairo_t* cr, const Room& room, double x, double y, const Geometry& geo, double font) {
  double inset = std::min(1.5, geo.cell_w / 8);
  Rgb colour = StateColour(room.state);
  cairo_rectangle(cr, x + inset, y + inset, geo.cell_w - 2 * inset, geo.cell_h - 2 * inset);
  SetSource(cr, colour);
  cairo_fill(cr);
  double size = std::min(font, geo.cell_h * 0.5);
  if (room.label.empty() || geo.cell_w < size * 1.8 || size < 5) return;
  TextStyle style{size, false, Dark(colour) ? Rgb{1, 1, 1} : Rgb{0.15, 0.15, 0.15}};
  Size s = MeasureText(cr, room.label, style);
  DrawText(cr, room.label, x + geo.cell_w / 2, y + (geo.cell_h - s.h) / 2, Align::kCenter, style,
           geo.cell_w - 2 * inset - 2);
}

void DrawGrid(cairo_t* cr, const Grid& g, const Geometry& geo, double font) {
  for (size_t row = 0; row < g.floors.size(); ++row) {
    double y = geo.y0 + geo.cell_h * static_cast<double>(row);
    Size s = MeasureText(cr, FloorLabel(g.floors[row]), {font});
    DrawText(cr, FloorLabel(g.floors[row]), geo.x0 - font * 0.5, y + (geo.cell_h - s.h) / 2, Align::kRight, {font, false, kInk});
  }
  double x = geo.x0;
  for (const auto& [unit, floors] : g.units) {
    double unit_w = geo.cell_w * static_cast<double>(g.columns.at(unit));
    DrawText(cr, unit, x + unit_w / 2, geo.y0 - font * 1.8, Align::kCenter, {font, true, kInk}, unit_w);
    for (const auto& [floor, rooms] : floors) {
      size_t row = static_cast<size_t>(std::find(g.floors.begin(), g.floors.end(), floor) - g.floors.begin());
      for (size_t k = 0; k < rooms.size(); ++k)
        DrawCell(cr, *rooms[k], x + geo.cell_w * static_cast<double>(k), geo.y0 + geo.cell_h * static_cast<double>(row), geo, font);
    }
    x += unit_w + geo.unit_gap;
  }
}

double MapFont(Rect r) { return std::clamp(std::min(r.w / 40, r.h / 16), 7.0, 11.0); }

}  // namespace

Rgb StateColour(RoomState s) {
  switch (s) {
    case RoomState::kPaid: return {0.000, 0.620, 0.451};          // bluish green
    case RoomState::kPart: return {0.941, 0.894, 0.259};          // yellow
    case RoomState::kUnpaid: return {0.835, 0.369, 0.000};        // vermillion
    case RoomState::kSuspended: return {0.337, 0.706, 0.914};     // sky blue
    case RoomState::kDisconnected: return {0.400, 0.400, 0.400};  // dark grey
    case RoomState::kNone: break;
  }
  return {0.880, 0.880, 0.880};
}

const char* StateName(RoomState s) {
  switch (s) {
    case RoomState::kPaid: return "已缴费";
    case RoomState::kPart: return "部分缴费";
    case RoomState::kUnpaid: return "未缴费";
    case RoomState::kSuspended: return "报停";
    case RoomState::kDisconnected: return "退网";
    case RoomState::kNone: break;
  }
  return "无记录";
}

void Draw(cairo_t* cr, const BuildingMap& c, Rect r) {
  ChartFrame frame(cr, r, c.title, MapFont(r));
  const double font = frame.font;
  const Rect area = frame.area;
  if (c.rooms.empty()) return frame.NoData();
  Grid g = MakeGrid(c);
  std::vector<LegendEntry> legend = Legend(c);
  double legend_h = LegendHeight(cr, legend, area.w, font);
  Rect grid_area{area.x, area.y, area.w, std::max(area.h - legend_h - font, 1.0)};
  Geometry geo = Fit(cr, g, grid_area, font);
  DrawGrid(cr, g, geo, font);
  // The legend right under the grid, however tall the area.
  double grid_bottom = geo.y0 + geo.cell_h * static_cast<double>(g.floors.size());
  double legend_y = std::min(grid_bottom + font, area.y + area.h - legend_h);
  DrawLegend(cr, legend, {area.x, legend_y, area.w, legend_h}, font);
}

std::pair<int, int> NaturalSize(const BuildingMap& c) {
  Grid g = MakeGrid(c);
  constexpr double kFont = 11;
  double w = kFont * (2 + 4) + static_cast<double>(g.total_columns) * kFont * 5 +
             static_cast<double>(g.units.empty() ? 0 : g.units.size() - 1) * kFont;
  // Margins, title, unit headers, legend; cells a little smaller than the
  // largest Fit allows.
  double h = kFont * (1.6 + 2 + 2 + 1 + 2 * 1.7) + static_cast<double>(g.floors.size()) * kFont * 2.4;
  return {static_cast<int>(std::clamp(w, 440.0, 8000.0)), static_cast<int>(std::clamp(h, 176.0, 8000.0))};
}

}  // namespace heat::chart
