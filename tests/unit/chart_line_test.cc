// Line charts drawn to PNG and read back (chart/line.cc).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "chart_pixels.h"
#include "heat/chart/chart.h"
#include "heat/chart/frame.h"

namespace heat::chart {
namespace {

using testing::Find;
using testing::Found;
using testing::RenderPixels;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kT0 = 1764979200;  // 2025-12-06 08:00 Asia/Shanghai
constexpr int kW = 800, kH = 400, kAboveLegend = kH - 45;

Line Hourly(const std::string& name, const std::string& unit, int n, double (*f)(int)) {
  Line l{name, unit, {}, {}, {}, {}};
  for (int i = 0; i < n; ++i) l.t.push_back(kT0 + 3600.0 * i), l.avg.push_back(f(i));
  return l;
}

// The line's colour blended at alpha 0.2 over white: the min/max band.
Rgb BandColour(Rgb c) { return {1 - 0.2 * (1 - c.r), 1 - 0.2 * (1 - c.g), 1 - 0.2 * (1 - c.b)}; }

TEST(ChartLineTest, AGapLeavesThePlotBetweenTheTwoSegmentsFreeOfTheLineColour) {
  LineChart c{"供水温度", {Hourly("一号站", "°C", 100, [](int i) { return 60 + 5 * std::sin(i / 7.0); })}};
  for (int i = 40; i < 60; ++i) c.lines[0].avg[i] = kNaN;
  auto px = RenderPixels(c, kW, kH);
  Found all = Find(px, Palette(0), 0, 0, kW, kAboveLegend);
  ASSERT_GT(all.count, 100);
  auto x_of = [&](double i) { return static_cast<int>(all.min_x + (all.max_x - all.min_x) * i / 99); };
  EXPECT_EQ(Find(px, Palette(0), x_of(41), 0, x_of(58), kAboveLegend).count, 0);
  EXPECT_GT(Find(px, Palette(0), x_of(10), 0, x_of(30), kAboveLegend).count, 20);
  EXPECT_GT(Find(px, Palette(0), x_of(65), 0, x_of(90), kAboveLegend).count, 20);
}

TEST(ChartLineTest, PercentModePutsEachLinesMaxAtTheTopOfThePlotArea) {
  LineChart c{"两个量", {Hourly("温度", "°C", 48, [](int i) { return 40 + 30 * std::sin(i / 5.0); }),
                         Hourly("流量", "m³/h", 48, [](int i) { return 3000 + 2000 * std::cos(i / 9.0); })},
              true};
  auto px = RenderPixels(c, kW, kH);
  Found a = Find(px, Palette(0), 0, 0, kW, kAboveLegend), b = Find(px, Palette(1), 0, 0, kW, kAboveLegend);
  ASSERT_GT(a.count, 50);
  ASSERT_GT(b.count, 50);
  // The topmost grid line is the 100 % line, the top of the plot.
  int top = testing::FirstRow(px, kGrid, a.min_x, a.max_x, 0.5);
  ASSERT_GT(top, 20);  // below the title
  EXPECT_NEAR(a.min_y, top, 2);
  EXPECT_NEAR(b.min_y, top, 2);
  EXPECT_NEAR(a.max_y, b.max_y, 2);  // and both minima at 0 %
}

TEST(ChartLineTest, TheMinMaxBandShowsAPeakWithinABucket) {
  Line l = Hourly("回水温度", "°C", 100, [](int) { return 50.0; });
  l.min.assign(100, 45);
  l.max.assign(100, 55);
  l.max[50] = 90;
  auto px = RenderPixels(LineChart{"", {l}}, kW, kH);
  Found line = Find(px, Palette(0), 0, 0, kW, kAboveLegend);
  ASSERT_GT(line.count, 100);
  EXPECT_LE(line.max_y - line.min_y, 3);  // the average stays flat
  int x50 = (line.min_x + line.max_x) / 2;
  Found band = Find(px, BandColour(Palette(0)), x50 - 1, 0, x50 + 1, line.min_y - 1, 0.02);
  ASSERT_GT(band.count, 0);
  EXPECT_LT(band.min_y, line.min_y - 150);  // 90 is far above 50 on this axis
  Found beside = Find(px, BandColour(Palette(0)), line.min_x + 5, 0, line.min_x + 100, line.min_y - 1, 0.02);
  EXPECT_GT(beside.min_y, line.min_y - 40);  // elsewhere the band is narrow (55)
}

TEST(ChartLineTest, TwoUnitsGetAxesLeftAndRightInTheirLinesColours) {
  LineChart c{"", {Hourly("温度", "°C", 24, [](int i) { return 50.0 + i; }),
                   Hourly("流量", "m³/h", 24, [](int i) { return 300.0 - i; })}};
  auto px = RenderPixels(c, kW, kH);
  Found a = Find(px, Palette(0), 0, 0, kW, kAboveLegend, 0.08), b = Find(px, Palette(1), 0, 0, kW, kAboveLegend, 0.08);
  ASSERT_GT(a.count, 0);
  ASSERT_GT(b.count, 0);
  EXPECT_LT(a.min_x, b.min_x - 10);  // °C labels left of the plot
  EXPECT_GT(b.max_x, a.max_x + 10);  // m³/h labels right of it
}

TEST(ChartLineTest, NothingToDrawShowsNoDataAndNoLine) {
  Line nan = Hourly("空", "kW", 10, [](int) { return kNaN; });
  for (const LineChart& c : {LineChart{"空图", {}}, LineChart{"全是NaN", {nan}}, LineChart{"", {Line{"x", "kW", {}, {}, {}, {}}}}}) {
    auto px = RenderPixels(c, kW, kH);
    for (size_t i = 0; i < 6; ++i) EXPECT_EQ(Find(px, Palette(i)).count, 0) << c.title;
    Found ink = Find(px, {0.55, 0.55, 0.55}, kW / 4, kH / 3, 3 * kW / 4, 2 * kH / 3, 0.2);
    EXPECT_GT(ink.count, 10) << c.title << ": the no-data text";
  }
}

TEST(ChartLineTest, DegenerateLinesStillDraw) {
  Line single{"单点", "kW", {kT0}, {42}, {}, {}};
  Line constant = Hourly("常数", "kW", 30, [](int) { return 7.0; });
  Line huge = Hourly("极值", "GJ", 30, [](int i) { return i % 2 ? -1e300 : 1e300; });
  Line ragged{"错位", "kW", {kT0, kT0 + 60, kT0 + 120}, {1, 2}, {5}, {}};  // sizes differ: drawn up to 2
  Line outside{"越界", "kW", {1e18, -1e18}, {1, 2}, {}, {}};              // instants no calendar has
  for (const Line& l : {single, constant, huge, ragged}) {
    auto px = RenderPixels(LineChart{"", {l}}, kW, kH);
    Found f = Find(px, Palette(0), 0, 0, kW, kAboveLegend);
    EXPECT_GT(f.count, 5) << l.name;
    if (l.name == "常数") {
      EXPECT_LE(f.max_y - f.min_y, 3);
    }
  }
  auto px = RenderPixels(LineChart{"", {outside}}, kW, kH);
  EXPECT_EQ(Find(px, Palette(0)).count, 0);
}

TEST(ChartLineTest, RenderRejectsAnUnknownZoneAndAnUnreasonableSize) {
  LineChart c{"", {Hourly("a", "kW", 3, [](int i) { return 1.0 * i; })}};
  c.tz = "Asia/Nowhere";
  auto r = Render(c, ImageFormat::kPng, 400, 300);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUsage);
  EXPECT_EQ(r.status().message(), "chart '': unknown time zone 'Asia/Nowhere'");
  c.tz = "UTC";
  EXPECT_EQ(Render(c, ImageFormat::kPng, 0, 300).status().message(),
            "chart size 0x300 is not within 16..8000 on each side");
  EXPECT_EQ(Render(c, ImageFormat::kSvg, 9000, 300).status().code(), Code::kUsage);
}

TEST(ChartLineTest, SvgOutputIsAnSvgDocumentInPoints) {
  LineChart c{"一号站", {Hourly("供水", "°C", 24, [](int i) { return 50.0 + i; })}};
  auto svg = Render(c, ImageFormat::kSvg, 640, 320);
  ASSERT_TRUE(svg.ok()) << svg.status().message();
  EXPECT_EQ(svg->rfind("<?xml", 0), 0u);
  EXPECT_NE(svg->find("<svg"), std::string::npos);
  EXPECT_NE(svg->find("width=\"640pt\""), std::string::npos);
  EXPECT_NE(svg->find("</svg>"), std::string::npos);
}

}  // namespace
}  // namespace heat::chart
