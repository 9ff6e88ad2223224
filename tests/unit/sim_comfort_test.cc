// sim/comfort.h: flat-hours in the band, underheated and occupied hours,
// the warmest and coldest rooms and the spread, suspended flats left out.
#include <gtest/gtest.h>

#include "heat/sim/comfort.h"

namespace heat::sim {
namespace {

// A station of one building whose four flats are at 19, 20.5, 23 °C and
// one suspended at 10 °C.
physics::Station FourFlats() {
  physics::StationDesign d;
  d.buildings = 1;
  d.flats_per_building = 4;
  auto s = physics::Station::Make(d);
  EXPECT_TRUE(s.ok());
  physics::Station st = std::move(s).value();
  auto& flats = st.buildings()[0].flats;
  double temps[] = {19, 20.5, 23, 10};
  for (int i = 0; i < 4; ++i) {
    flats[i].t_air_c = temps[i];
    flats[i].p.suspended = i == 3;
  }
  return st;
}

TEST(SimComfortTest, AnOccupiedHourCountsEachHeatedFlatOnce) {
  ComfortBand band;
  ComfortFigures f;
  Tally(band, FourFlats(), 10 * 60, 3600, f);
  EXPECT_DOUBLE_EQ(f.occupied_flat_h, 3);
  EXPECT_DOUBLE_EQ(f.in_band_flat_h, 1);  // 20.5 only: 19 is below, 23 above
  EXPECT_NEAR(f.in_band_pct(), 100.0 / 3, 1e-9);
  EXPECT_DOUBLE_EQ(f.underheated_flat_h, 0);  // the suspended flat's 10 °C is not counted
  EXPECT_EQ(f.coldest_occupied_c, 19);
  EXPECT_EQ(f.warmest_c, 23);
  EXPECT_DOUBLE_EQ(f.overshoot_c(band), 1);
  EXPECT_DOUBLE_EQ(f.mean_spread_c(), 4);
  EXPECT_NEAR(f.mean_room_c(), 62.5 / 3, 1e-9);
}

TEST(SimComfortTest, NightHoursCountUnderheatingAndWarmthButNotTheBand) {
  ComfortBand band;
  physics::Station s = FourFlats();
  s.buildings()[0].flats[0].t_air_c = 17.5;
  ComfortFigures f;
  Tally(band, s, 23 * 60, 1800, f);  // 23:00 is no longer occupied
  EXPECT_DOUBLE_EQ(f.occupied_flat_h, 0);
  EXPECT_DOUBLE_EQ(f.underheated_flat_h, 0.5);
  EXPECT_DOUBLE_EQ(f.flat_h, 1.5);
  EXPECT_EQ(f.warmest_c, 23);
  EXPECT_EQ(f.in_band_pct(), 0);
  EXPECT_TRUE(band.Occupied(6 * 60));
  EXPECT_FALSE(band.Occupied(6 * 60 - 1));
}

TEST(SimComfortTest, MergeAddsHoursAndKeepsTheExtremes) {
  ComfortBand band;
  ComfortFigures a, b;
  Tally(band, FourFlats(), 12 * 60, 3600, a);
  physics::Station s = FourFlats();
  s.buildings()[0].flats[2].t_air_c = 25;
  Tally(band, s, 12 * 60, 3600, b);
  a.Merge(b);
  EXPECT_DOUBLE_EQ(a.occupied_flat_h, 6);
  EXPECT_EQ(a.warmest_c, 25);
  EXPECT_DOUBLE_EQ(a.mean_spread_c(), 5);  // 4 K one hour, 6 K the other
  EXPECT_DOUBLE_EQ(a.overshoot_c(band), 3);
  EXPECT_DOUBLE_EQ(ComfortFigures{}.overshoot_c(band), 0);
}

}  // namespace
}  // namespace heat::sim
