// The building payment map (楼图) drawn to PNG and read back
// (chart/building_map.cc).
#include <gtest/gtest.h>

#include "chart_pixels.h"
#include "heat/chart/chart.h"

namespace heat::chart {
namespace {

using testing::Find;
using testing::Found;
using testing::RenderPixels;

// Cells: solid 9x9 blocks of the colour, which the legend's swatches (8.8
// px high) and the edges of text do not have.
Found Cells(const testing::Pixels& px, RoomState s) {
  return testing::FindSolid(px, StateColour(s), 0, 0, px.w, px.h, 4);
}

TEST(ChartBuildingMapTest, APaidRoomHasThePaidColourAndAnUnpaidOneTheUnpaidColour) {
  BuildingMap m{"3号楼", {{2, "1单元", "201", RoomState::kPaid}, {1, "1单元", "101", RoomState::kUnpaid}}};
  auto [w, h] = NaturalSize(m);
  auto px = RenderPixels(m, w, h);
  Found paid = Cells(px, RoomState::kPaid), unpaid = Cells(px, RoomState::kUnpaid);
  ASSERT_GT(paid.count, 100);
  ASSERT_GT(unpaid.count, 100);
  EXPECT_LT(paid.max_y, unpaid.min_y);  // floor 2 above floor 1
  EXPECT_NEAR(paid.count, unpaid.count, paid.count * 0.15);
  EXPECT_EQ(Cells(px, RoomState::kPart).count, 0);
}

TEST(ChartBuildingMapTest, FloorsRunTopDownAndUnitsInNaturalOrder) {
  BuildingMap m{"", {{10, "10单元", "1001", RoomState::kPaid}, {2, "10单元", "201", RoomState::kSuspended},
                     {10, "2单元", "1001", RoomState::kUnpaid}, {2, "2单元", "201", RoomState::kDisconnected},
                     {2, "2单元", "202", RoomState::kPart}}};
  auto [w, h] = NaturalSize(m);
  auto px = RenderPixels(m, w, h);
  Found paid = Cells(px, RoomState::kPaid), unpaid = Cells(px, RoomState::kUnpaid);
  Found suspended = Cells(px, RoomState::kSuspended), off = Cells(px, RoomState::kDisconnected);
  Found part = Cells(px, RoomState::kPart);
  ASSERT_GT(paid.count, 50);
  EXPECT_LT(unpaid.max_x, paid.min_x);      // 2单元 left of 10单元
  EXPECT_LT(paid.max_y, suspended.min_y);   // floor 10 above floor 2
  EXPECT_NEAR(off.mean_y, suspended.mean_y, 2);
  EXPECT_GT(part.min_x, off.max_x);         // 202 right of 201
  EXPECT_LT(part.max_x, paid.min_x);        // and still in 2单元
}

TEST(ChartBuildingMapTest, NaturalSizeGrowsWithFloorsAndRoomsWithinLimits) {
  BuildingMap small{"", {{1, "1单元", "101", RoomState::kPaid}}};
  BuildingMap tall, wide;
  for (int f = 1; f <= 30; ++f) tall.rooms.push_back({f, "1单元", std::to_string(f * 100 + 1), RoomState::kPaid});
  for (int r = 1; r <= 40; ++r) wide.rooms.push_back({1, std::to_string(r / 4) + "单元", std::to_string(100 + r), RoomState::kPaid});
  EXPECT_GT(NaturalSize(tall).second, NaturalSize(small).second + 30 * 20);
  EXPECT_GT(NaturalSize(wide).first, NaturalSize(small).first + 500);
  BuildingMap huge;
  for (int f = 1; f <= 2000; ++f) huge.rooms.push_back({f, "1单元", "x", RoomState::kPaid});
  EXPECT_LE(NaturalSize(huge).second, 8000);
  EXPECT_TRUE(Render(huge, ImageFormat::kPng, NaturalSize(huge).first, NaturalSize(huge).second).ok());
}

TEST(ChartBuildingMapTest, AnEmptyMapSaysNoDataAndLongNamesStayInTheirCells) {
  auto px = RenderPixels(BuildingMap{"空楼", {}}, 400, 200);
  for (RoomState s : {RoomState::kPaid, RoomState::kUnpaid, RoomState::kPart}) EXPECT_EQ(Find(px, StateColour(s)).count, 0);
  std::string long_name;
  for (int i = 0; i < 40; ++i) long_name += "很长的单元名称";
  BuildingMap m{long_name, {{1, long_name, long_name, RoomState::kUnpaid}, {1, "2单元", "102", RoomState::kPaid}}};
  auto [w, h] = NaturalSize(m);
  auto big = RenderPixels(m, w, h);
  Found paid = Cells(big, RoomState::kPaid);
  ASSERT_GT(paid.count, 50);
  // 2单元 comes first; right of its cell, past the inset, the gap between
  // the units stays white: the long label is elided inside its own cell.
  Found unpaid = Find(big, StateColour(RoomState::kUnpaid), paid.max_x, paid.min_y, big.w, paid.max_y);
  ASSERT_GT(unpaid.count, 100);
  Found gap = Find(big, {1, 1, 1}, paid.max_x + 7, paid.min_y - 4, paid.max_x + 11, paid.max_y + 4, 0.02);
  EXPECT_EQ(gap.count, 5 * (paid.max_y - paid.min_y + 9));
}

}  // namespace
}  // namespace heat::chart
