// A station's stored control configuration (controld/config_json.h; CTL-2,
// CTL-4): keys by name, defaults kept, mistakes named.
#include <gtest/gtest.h>

#include "heat/controld/config_json.h"
#include "heat/controld/plant.h"

namespace heat::controld {
namespace {

using nlohmann::json;

TEST(ControlConfigJsonTest, KeysSetTheirFieldsAndOthersKeepDefaults) {
  auto c = ParseStationConfig(json::parse(R"({"valve": "room_target", "pump": "constant_dp", "dp_kpa": 80,
      "curve": {"slope": 1.2, "parallel_c": 2}, "schedule": {"enabled": true, "weekday": ["05:30-21:00"],
      "holidays": ["2027-01-01"]}, "room": {"min_sensors": 5}})"), json::parse(R"({"max_supply_c": 90})"));
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->valve, control::ValveStrategy::kRoomTarget);
  EXPECT_EQ(c->pump, control::PumpStrategy::kConstantDp);
  EXPECT_EQ(c->dp_kpa, 80);
  EXPECT_EQ(c->curve.slope, 1.2);
  EXPECT_EQ(c->curve.min_supply_c, 35);  // default kept
  ASSERT_EQ(c->schedule.weekday.size(), 1u);
  EXPECT_EQ(c->schedule.weekday[0].start_min, 330);
  EXPECT_EQ(c->schedule.weekday[0].end_min, 1260);
  EXPECT_EQ(c->schedule.holidays.size(), 1u);
  EXPECT_EQ(c->room.min_sensors, 5);
  EXPECT_EQ(c->limits.max_supply_c, 90);
}

TEST(ControlConfigJsonTest, MistakesAreNamed) {
  auto bad = [](const char* config, const char* limits = "{}") {
    auto c = ParseStationConfig(json::parse(config), json::parse(limits));
    EXPECT_FALSE(c.ok());
    return c.ok() ? std::string() : c.status().message();
  };
  EXPECT_EQ(bad(R"({"curve": {"slopee": 1}})"), "control config: curve.slopee: unknown key (did you mean curve.slope?)");
  EXPECT_EQ(bad(R"({"valve": "warm"})").find("control config: valve: expected one of constant_supply"), 0u);
  EXPECT_EQ(bad(R"({"dp_kpa": "80"})"), "control config: dp_kpa: expected a number, got \"80\"");
  EXPECT_NE(bad(R"({"curve": {"slope": 5}})").find("curve.slope"), std::string::npos);  // Validate's range
  EXPECT_EQ(bad("{}", R"({"max_supply": 90})"), "control limits: max_supply: unknown key (did you mean max_supply_c?)");
  EXPECT_NE(bad(R"({"schedule": {"weekday": ["6-22"]}})").find("schedule.weekday"), std::string::npos);
}

TEST(ControlConfigJsonTest, WholeConfigurationRoundTrips) {
  auto c = ParseStationConfig(json::parse(R"({"valve": "constant_supply", "supply_c": 58,
      "curve": {"points": [[-20, 75], [-10, 65], [0, 55], [5, 50], [10, 45], [15, 40]]}})"), json::object());
  ASSERT_TRUE(c.ok()) << c.status().message();
  json all = StationConfigJson(*c);
  auto again = ParseStationConfig(all["config"], all["limits"]);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(StationConfigJson(*again), all);
  EXPECT_EQ(all["config"]["supply_c"], 58);
  EXPECT_EQ(all["config"]["curve"]["points"].size(), 6u);
}

TEST(ControlConfigJsonTest, EveryKeyIsListedWithItsDefault) {
  auto keys = ConfigKeys();
  EXPECT_NE(std::find(keys.begin(), keys.end(), "config.curve.slope  1.4"), keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), "limits.max_supply_c  95.0"), keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), "config.valve  \"outdoor_compensation\""), keys.end());
}

TEST(ControlConfigJsonTest, LoopTagsAreTakenOutOfTheConfiguration) {
  json config = json::parse(R"({"tags": {"t2s": "t2s_h", "valve": "v2", "pump": "pump2"}, "supply_c": 55})");
  LoopTags tags;
  ASSERT_TRUE(TakeLoopTags(config, tags).ok());
  EXPECT_EQ(tags.t2s, "t2s_h");
  EXPECT_EQ(tags.valve, "v2");
  EXPECT_EQ(tags.t2r, "t2r");
  EXPECT_FALSE(config.contains("tags"));
  json wrong = json::parse(R"({"tags": {"vlave": "v2"}})");
  EXPECT_EQ(TakeLoopTags(wrong, tags).message(), "control config: tags.vlave: unknown key");
}

}  // namespace
}  // namespace heat::controld
