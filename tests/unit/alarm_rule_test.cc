// alarm/rule.h: one rule serves every station, a station overrides it or
// switches it off, device kinds and points attach (ALM-3); deviation and
// difference bind only where their reference tag exists.
#include <gtest/gtest.h>

#include <algorithm>

#include "heat/alarm/rule.h"

namespace heat::alarm {
namespace {

Rule R(const std::string& code, Attach a, const std::string& to, RuleKind k, const std::string& tag, double limit) {
  Rule r;
  r.code = code;
  r.attach = a;
  r.attach_to = to;
  r.kind = k;
  r.tag = tag;
  r.limit = limit;
  return r;
}

Place At(int station, const std::string& code, const std::string& network = "N1",
         const std::string& kind = "control_box") {
  return Place{station, code, network, "plate_hx", code + "-box", kind};
}

std::vector<PointInfo> Points() {
  return {{1, "S1.t2s", "t2s", 11, At(1, "S1")},  {2, "S1.t2s_set", "t2s_set", 11, At(1, "S1")},
          {3, "S2.t2s", "t2s", 12, At(2, "S2")},  {4, "S3.t2s", "t2s", 13, At(3, "S3", "N2")},
          {5, "RS1.temp", "temp", 14, At(1, "S1", "N1", "room_sensor")}};
}

const Binding* Find(const std::vector<Binding>& bs, const std::string& code, const std::string& source) {
  auto it = std::find_if(bs.begin(), bs.end(),
                         [&](const Binding& b) { return b.rule->code == code && b.source == source; });
  return it == bs.end() ? nullptr : &*it;
}

TEST(AlarmRuleTest, OneRuleServesEveryStationAndAStationOverridesIt) {
  std::vector<Rule> rules = {R("t2s_high", Attach::kAll, "", RuleKind::kHigh, "t2s", 90),
                             R("t2s_high", Attach::kStation, "S2", RuleKind::kHigh, "t2s", 80)};
  auto bs = Bind(rules, Points(), {});
  ASSERT_EQ(bs.size(), 3u);
  EXPECT_EQ(Find(bs, "t2s_high", "S1.t2s")->rule->limit, 90);
  EXPECT_EQ(Find(bs, "t2s_high", "S2.t2s")->rule->limit, 80);
  EXPECT_EQ(Find(bs, "t2s_high", "S3.t2s")->rule->limit, 90);
}

TEST(AlarmRuleTest, ADisabledStationRuleSwitchesTheNetworksRuleOffThere) {
  std::vector<Rule> rules = {R("t2s_high", Attach::kNetwork, "N1", RuleKind::kHigh, "t2s", 90),
                             R("t2s_high", Attach::kStation, "S1", RuleKind::kHigh, "t2s", 90)};
  rules[1].enabled = false;
  auto bs = Bind(rules, Points(), {});
  ASSERT_EQ(bs.size(), 1u);  // S2 only: S1 switched off, S3 in another network
  EXPECT_EQ(bs[0].source, "S2.t2s");
}

TEST(AlarmRuleTest, DeviationBindsItsSetpointAtTheSameStationOnly) {
  Rule r = R("t2s_dev", Attach::kAll, "", RuleKind::kDeviation, "t2s", 5);
  r.ref_tag = "t2s_set";
  auto bs = Bind({r}, Points(), {});
  ASSERT_EQ(bs.size(), 1u);
  EXPECT_EQ(bs[0].source, "S1.t2s");
  EXPECT_EQ(bs[0].ref_point_id, 2);
}

TEST(AlarmRuleTest, DeviceRulesBindDevicesByKindWithTheirPeriod) {
  Rule loss = R("lost", Attach::kDeviceKind, "room_sensor", RuleKind::kCommLoss, "", 0);
  std::vector<DeviceInfo> devices = {{11, "S1-box", "mqtt", 60, At(1, "S1")},
                                     {14, "RS1", "coap", 1800, At(1, "S1", "N1", "room_sensor")}};
  auto bs = Bind({loss}, Points(), devices);
  ASSERT_EQ(bs.size(), 1u);
  EXPECT_EQ(bs[0].source, "RS1");
  EXPECT_EQ(bs[0].device_id, 14);
  EXPECT_EQ(bs[0].period_s, 1800);
  EXPECT_EQ(bs[0].point_id, 0);
}

TEST(AlarmRuleTest, MessagesFillTheirFieldsInEitherLanguage) {
  Rule r = R("t2s_high", Attach::kAll, "", RuleKind::kHigh, "t2s", 90);
  r.message_zh = "{station} 二次供水温度过高 {value} °C (限值 {limit})";
  EXPECT_EQ(RenderMessage(r, "S1.t2s", "S1", 92.5, true), "S1 二次供水温度过高 92.5 °C (限值 90)");
  EXPECT_EQ(RenderMessage(r, "S1.t2s", "S1", 92.5, false), "S1.t2s high: 92.5 (limit 90)");
}

TEST(AlarmRuleTest, NamesRoundTripAndUnknownOnesSayWhatIsKnown) {
  for (const char* n : {"high", "low", "deviation", "rate", "difference", "state", "frozen", "out_of_range",
                        "not_following", "comm_loss"}) {
    auto k = ParseKind(n);
    ASSERT_TRUE(k.ok()) << n;
    EXPECT_STREQ(KindName(*k), n);
  }
  EXPECT_EQ(ParseKind("hihi").status().message(),
            "unknown alarm kind 'hihi': high, low, deviation, rate, difference, state, frozen, out_of_range, "
            "not_following or comm_loss");
  EXPECT_FALSE(ParseAttach("everywhere").ok());
}

}  // namespace
}  // namespace heat::alarm
