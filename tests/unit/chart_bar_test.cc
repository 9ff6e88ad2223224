// Bar charts drawn to PNG and read back (chart/bar.cc).
#include <gtest/gtest.h>

#include <cmath>

#include "chart_pixels.h"
#include "heat/chart/chart.h"

namespace heat::chart {
namespace {

using testing::Find;
using testing::Found;
using testing::RenderPixels;

constexpr int kW = 600, kH = 400, kAboveLegend = kH - 45;

TEST(ChartBarTest, NegativeBarsGoBelowTheZeroLine) {
  BarChart c{"热量差", "GJ", {"一号站", "二号站"}, {{"", {5, -5}}}};
  auto px = RenderPixels(c, kW, kH);
  Found left = Find(px, Palette(0), 0, 0, kW / 2, kH), right = Find(px, Palette(0), kW / 2, 0, kW, kH);
  ASSERT_GT(left.count, 500);
  ASSERT_GT(right.count, 500);
  EXPECT_LE(left.max_y, right.min_y + 2);  // they meet at zero
  EXPECT_NEAR(left.count, right.count, left.count * 0.05);
}

TEST(ChartBarTest, GroupedSeriesStandSideBySideAndStackedOnesOnTopOfEachOther) {
  BarChart c{"", "万元", {"十二月"}, {{"已缴", {3}}, {"未缴", {1}}}};
  auto px = RenderPixels(c, kW, kH);
  Found a = Find(px, Palette(0), 0, 0, kW, kAboveLegend), b = Find(px, Palette(1), 0, 0, kW, kAboveLegend);
  ASSERT_GT(b.count, 200);
  EXPECT_LT(a.max_x, b.min_x);
  EXPECT_NEAR(a.count, 3.0 * b.count, a.count * 0.1);
  c.stacked = true;
  px = RenderPixels(c, kW, kH);
  a = Find(px, Palette(0), 0, 0, kW, kAboveLegend), b = Find(px, Palette(1), 0, 0, kW, kAboveLegend);
  ASSERT_GT(b.count, 200);
  EXPECT_LE(b.max_y, a.min_y + 1);  // 未缴 on top of 已缴
  EXPECT_NEAR(a.min_x, b.min_x, 1);
  EXPECT_NEAR(a.count, 3.0 * b.count, a.count * 0.1);
}

TEST(ChartBarTest, NoCategoriesOrNoValuesDrawNoBars) {
  for (const BarChart& c : {BarChart{"空", "GJ", {}, {}}, BarChart{"", "", {"a", "b"}, {{"x", {NAN}}}},
                            BarChart{"", "", {"a"}, {}}}) {
    auto px = RenderPixels(c, kW, kH);
    EXPECT_EQ(Find(px, Palette(0)).count, 0);
  }
}

TEST(ChartBarTest, ManyLongCategoriesAreThinnedAndElided) {
  BarChart c{"", "GJ", {}, {{"", {}}}};
  for (int i = 0; i < 200; ++i) {
    c.categories.push_back("第" + std::to_string(i) + "号换热站供热量统计");
    c.series[0].values.push_back(i % 7 - 2);
  }
  auto px = RenderPixels(c, kW, kH);
  EXPECT_GT(Find(px, Palette(0)).count, 200);
}

}  // namespace
}  // namespace heat::chart
