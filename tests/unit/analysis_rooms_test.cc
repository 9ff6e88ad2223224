// analysis/rooms.h (ANA-5): room temperatures by station, building and
// floor, flats under and over the band, the daily share of flats in band,
// and the station's room figure as the room-target strategy (CTL-3) reads it.
#include <gtest/gtest.h>

#include "heat/analysis/rooms.h"
#include "heat/control/outdoor.h"

namespace heat::analysis {
namespace {

const Date kDay1{2026, 12, 1}, kDay2{2026, 12, 2};

// Two buildings of S01 (B1: floors 3 and 9; B2: floor unknown), one of S02.
std::vector<Sensor> Sensors() {
  return {{"RS1", "S01", "B1", 3}, {"RS2", "S01", "B1", 9}, {"RS3", "S01", "B2", std::nullopt},
          {"RS4", "S02", "B9", 5}};
}

// Two hours of day 1 and one of day 2 for every sensor.
std::vector<RoomHour> Hours() {
  const double t[4][3] = {{17, 17.5, 19}, {20, 21, 22}, {25, 24.5, 23}, {20, 20, 20}};
  std::vector<RoomHour> h;
  for (size_t s = 0; s < 4; ++s) {
    h.push_back({s, 0, kDay1, t[s][0]});
    h.push_back({s, 3600, kDay1, t[s][1]});
    h.push_back({s, 90000, kDay2, t[s][2]});
  }
  return h;
}

TEST(RoomsTest, StationGroupCountsHoursBelowAndAboveTheBand) {
  auto g = Summarise(Sensors(), Hours(), {}, RoomLevel::kStation);
  ASSERT_EQ(g.size(), 2u);
  const RoomGroup& s01 = g[0];
  EXPECT_EQ(s01.station, "S01");
  EXPECT_EQ(s01.sensors, 3);
  EXPECT_EQ(s01.hours, 9);
  EXPECT_EQ(s01.hours_below, 2);  // 17, 17.5
  EXPECT_EQ(s01.hours_above, 2);  // 25, 24.5
  EXPECT_NEAR(s01.share_in_band, 5.0 / 9, 1e-12);
  EXPECT_NEAR(s01.mean, (17 + 17.5 + 19 + 20 + 21 + 22 + 25 + 24.5 + 23) / 9, 1e-12);
  EXPECT_EQ(s01.min, 17);
  EXPECT_EQ(s01.max, 25);
}

TEST(RoomsTest, FloorsAreGroupedAndAnUnknownFloorStaysUnknown) {
  auto g = Summarise(Sensors(), Hours(), {}, RoomLevel::kFloor);
  ASSERT_EQ(g.size(), 4u);
  EXPECT_EQ(g[0].building, "B1");
  EXPECT_EQ(g[0].floor, 3);
  EXPECT_EQ(g[1].floor, 9);
  EXPECT_EQ(g[2].building, "B2");
  EXPECT_FALSE(g[2].floor.has_value());
  auto b = Summarise(Sensors(), Hours(), {}, RoomLevel::kBuilding);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].sensors, 2);
}

TEST(RoomsTest, UnderHeatedFlatsComeWithTheirHoursAndLowestHour) {
  auto under = Outside(Sensors(), Hours(), {}, true);
  ASSERT_EQ(under.size(), 1u);
  EXPECT_EQ(under[0].sensor, 0u);
  EXPECT_EQ(under[0].hours_outside, 2);
  EXPECT_EQ(under[0].extreme, 17);
  auto over = Outside(Sensors(), Hours(), RoomBand{18, 22.5}, false);
  ASSERT_EQ(over.size(), 1u) << "RS3 above 22.5 three times; RS2's 22 is not";
  EXPECT_EQ(over[0].sensor, 2u);
  EXPECT_EQ(over[0].hours_outside, 3);
  EXPECT_EQ(over[0].extreme, 25);
}

TEST(RoomsTest, DailyShareJudgesEachFlatByItsDayMean) {
  auto days = DailyInBand(Sensors(), Hours(), {});
  ASSERT_EQ(days.size(), 4u);  // S01 and S02, two days each
  // S01 day 1: RS1 17.25 (below), RS2 20.5, RS3 24.75 (above): 1 of 3.
  EXPECT_EQ(days[0].station, "S01");
  EXPECT_EQ(days[0].day, kDay1);
  EXPECT_EQ(days[0].flats, 3);
  EXPECT_EQ(days[0].in_band, 1);
  // S01 day 2: 19, 22, 23: all in band.
  EXPECT_EQ(days[1].in_band, 3);
  EXPECT_NEAR(days[1].share(), 1.0, 1e-12);
}

TEST(RoomsTest, StationFigureIsTheControllersRoomPercentile) {
  control::RoomTarget t;  // 10th percentile, at least 3 sensors
  auto f = StationFigures(Sensors(), Hours(), {{"S01", t}});
  // S02 has one sensor: fewer than min_sensors, no figure, as the controller.
  ASSERT_EQ(f.size(), 3u);
  for (const auto& h : f) EXPECT_EQ(h.station, "S01");
  // Hour 0: 17, 20, 25; rank 0.1 × 2 = 0.2 → 17 + 0.2 × 3 = 17.6.
  EXPECT_NEAR(f[0].figure_c, 17.6, 1e-12);
  std::vector<control::RoomReading> r = {{17, 0, true}, {20, 0, true}, {25, 0, true}};
  EXPECT_EQ(f[0].figure_c, *control::RoomPercentile(t, r));
  t.min_sensors = 1;
  EXPECT_EQ(StationFigures(Sensors(), Hours(), {{"S02", t}}).size(), 6u) << "S01 with the defaults, S02 with 1 sensor";
}

}  // namespace
}  // namespace heat::analysis
