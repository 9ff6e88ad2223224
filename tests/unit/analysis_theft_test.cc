// Suspected heat theft (ANA-10; analysis/theft.h): a suspended flat whose
// room is as warm as its heated neighbours is suspected, an honest one
// between heated neighbours (warmer than outdoors, colder than heated) is
// not; a counting meter and heat the building meter saw but no household
// meter did are evidence too.
#include <gtest/gtest.h>

#include "../bench/theft_sim.h"
#include "heat/analysis/theft.h"

namespace heat::analysis {
namespace {

TheftHouse House(const std::string& code, const std::string& status, const std::string& room,
                 std::optional<double> room_c, std::optional<double> kwh) {
  return {code, status, "U1", room, "B1", 80, room_c, kwh};
}

// One stack of a building: 201 suspended and warm, 501 suspended and cool
// (between heated 401 and 601), the rest heated at about 20 °C.
TheftInput Stack() {
  TheftInput in;
  in.outdoor_c = -10;
  in.days = 7;
  in.houses = {House("H101", "heating", "101", 20.5, 700), House("H201", "suspended", "201", 19.8, 0),
               House("H301", "heating", "301", 20.2, 720), House("H401", "heating", "401", 20.0, 690),
               House("H501", "suspended", "501", 5.5, 0),   House("H601", "heating", "601", 19.6, 750)};
  return in;
}

TEST(TheftTest, WarmSuspendedFlatIsSuspectedHonestOneBetweenHeatedNeighboursIsNot) {
  auto s = ScoreTheft(Stack(), TheftParams{});
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].house, "H201");
  EXPECT_EQ(s[0].evidence_kind, "room");
  EXPECT_GT(s[0].score, 0.9);
  const auto& e = s[0].evidence["room"];
  EXPECT_DOUBLE_EQ(e["heated_around_c"].get<double>(), 20.35);  // 101 and 301
  EXPECT_NEAR(e["expected_unheated_c"].get<double>(), 5.175, 0.006);  // -10 + 0.5 × 30.35
  EXPECT_EQ(e["heated_around"], nlohmann::json::array({"H101", "H301"}));
}

TEST(TheftTest, OwnMeterCountingWhileSuspendedIsSuspected) {
  TheftInput in = Stack();
  in.houses[4].meter_kwh = 300;  // 501: 300 kWh in 7 days on 80 m²
  auto s = ScoreTheft(in, TheftParams{});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].house, "H501");  // a meter's count is the surest: score 1, first
  EXPECT_EQ(s[0].evidence_kind, "meter");
  EXPECT_DOUBLE_EQ(s[0].score, 1);
  EXPECT_DOUBLE_EQ(s[0].evidence["meter"]["kwh_m2_day"].get<double>(), 0.54);
  EXPECT_EQ(s[1].house, "H201");
}

TEST(TheftTest, HeatPastTheHouseholdMetersPointsAtTheSuspendedHouseWithoutSensor) {
  TheftInput in = Stack();
  in.houses[1].room_c.reset();  // 201 has no sensor: only the building meter speaks
  in.buildings = {{"B1", 700 + 720 + 690 + 750 + 710}};
  auto s = ScoreTheft(in, TheftParams{});
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].house, "H201");
  EXPECT_EQ(s[0].evidence_kind, "building");
  EXPECT_GT(s[0].score, 0.9);
  EXPECT_DOUBLE_EQ(s[0].evidence["building"]["unmetered_kwh"].get<double>(), 710);
  // The building meter agrees with the households: nobody is suspected.
  in.buildings[0].meter_kwh = 2870;
  EXPECT_TRUE(ScoreTheft(in, TheftParams{}).empty());
}

TEST(TheftTest, HeatedHousesAreNeverListed) {
  TheftInput in = Stack();
  for (auto& h : in.houses) h.status = "heating";
  in.buildings = {{"B1", 99999}};
  EXPECT_TRUE(ScoreTheft(in, TheftParams{}).empty());
}

TEST(TheftTest, RoomNumbersGiveFloorAndFlat) {
  EXPECT_EQ(RoomPosition("301"), (std::pair{3, 1}));
  EXPECT_EQ(RoomPosition("1502"), (std::pair{15, 2}));
  EXPECT_EQ(RoomPosition("A301"), (std::pair{0, 0}));
  EXPECT_EQ(RoomPosition("300"), (std::pair{0, 0}));
}

// On heatsim's model (tests/bench/theft_sim.h): the detector sees billing,
// sensors and meters only; at least 9 in 10 of its suspects steal and it
// finds at least 9 in 10 of those who do. A small fixed instance;
// scripts/bench-theft measures a larger one.
TEST(TheftTest, FindsStealingFlatsOfTheModelWithPrecisionAndRecallAbove90Percent) {
  bench::TheftWorld w;
  w.stations = 30;  // 1,080 flats, the model's own draws of suspension, stealing and sensors
  w.seed = 1;
  w.warmup_days = 4;
  w.days = 3;
  w.step_s = 600;
  bench::TheftScore s = bench::RunTheftWorld(w, TheftParams{});
  for (const auto& m : s.missed) ADD_FAILURE() << "missed " << m;
  EXPECT_GE(s.stealing, 15) << "too small an instance to say anything";
  EXPECT_GE(s.suspended - s.stealing, 30) << "too few honest suspended flats to say anything";
  EXPECT_GE(s.precision(), 0.9) << s.hits << " of " << s.flagged << " suspects steal";
  EXPECT_GE(s.recall(), 0.9) << s.hits << " of " << s.stealing << " stealing flats found";
}

}  // namespace
}  // namespace heat::analysis
