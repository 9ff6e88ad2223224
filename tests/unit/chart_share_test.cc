// Share charts (pies) drawn to PNG and read back (chart/share.cc).
#include <gtest/gtest.h>

#include <cmath>

#include "chart_pixels.h"
#include "heat/chart/chart.h"

namespace heat::chart {
namespace {

using testing::Find;
using testing::Found;
using testing::RenderPixels;

constexpr int kW = 700, kH = 400;

// The pie is the left half of a wide chart; the table is right of it.
Found Slice(const testing::Pixels& px, size_t i) { return Find(px, Palette(i), 0, 0, kW / 2, kH); }

TEST(ChartShareTest, SlicesAreProportionalAndNegativePartsAreIgnored) {
  ShareChart c{"缴费方式", {{"微信", 3}, {"退款", -5}, {"现金", 1}, {"无效", NAN}}};
  auto px = RenderPixels(c, kW, kH);
  Found a = Slice(px, 0), b = Slice(px, 1);
  ASSERT_GT(b.count, 1000);
  EXPECT_NEAR(a.count, 3.0 * b.count, a.count * 0.1);
  EXPECT_EQ(Slice(px, 2).count, 0);  // only two parts drawn
}

TEST(ChartShareTest, PastEightPartsTheSmallestBecomeOneOtherSlice) {
  ShareChart c{"", {}};
  for (int i = 0; i < 12; ++i) c.parts.push_back({"站" + std::to_string(i), 1});
  auto px = RenderPixels(c, kW, kH);
  Found first = Slice(px, 0), other = Slice(px, 7);
  ASSERT_GT(first.count, 500);
  EXPECT_NEAR(other.count, 5.0 * first.count, other.count * 0.1);  // 5 of 12 merged
}

TEST(ChartShareTest, NothingPositiveSaysNoData) {
  for (const ShareChart& c : {ShareChart{"空", {}}, ShareChart{"", {{"a", -1}, {"b", 0}}}}) {
    auto px = RenderPixels(c, kW, kH);
    for (size_t i = 0; i < 6; ++i) EXPECT_EQ(Find(px, Palette(i)).count, 0);
  }
}

TEST(ChartShareTest, HugePartsDoNotOverflowTheWhole) {
  ShareChart c{"", {{"a", 1.5e308}, {"b", 1.5e308}}};
  auto px = RenderPixels(c, kW, kH);
  Found a = Slice(px, 0), b = Slice(px, 1);
  ASSERT_GT(a.count, 1000);
  EXPECT_NEAR(a.count, b.count, a.count * 0.1);
}

}  // namespace
}  // namespace heat::chart
