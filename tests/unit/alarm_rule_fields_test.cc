// alarm/rule_fields.h: the words of a rule, the same for heatctl alarm rule
// set and the network file's alarm_rules (ALM-3).
#include <gtest/gtest.h>

#include "heat/alarm/rule_fields.h"

namespace heat::alarm {
namespace {

TEST(AlarmRuleFieldsTest, KeysBecomeTheColumnsOfAlarmRuleSet) {
  nlohmann::json body = nlohmann::json::object();
  for (auto [k, v] : {std::pair{"kind", "high"}, {"limit", "92.5"}, {"on_delay", "2m"}, {"off_delay", "1h"},
                      {"priority", "2"}, {"notify", "duty,,ops"}, {"enabled", "false"}})
    ASSERT_TRUE(AddRuleField(k, v, body).ok()) << k;
  EXPECT_EQ(body.dump(), R"({"enabled":false,"kind":"high","limit_value":92.5,"notify":["duty","ops"],)"
                         R"("off_delay_s":3600,"on_delay_s":120,"priority":2})");
}

TEST(AlarmRuleFieldsTest, WrongValuesNameTheKeyAndWhatIsWrong) {
  nlohmann::json body;
  EXPECT_EQ(AddRuleField("limit", "high", body).message(), "limit: expected a number, got 'high'");
  EXPECT_EQ(AddRuleField("priority", "2.5", body).message(), "priority: expected a whole number, got '2.5'");
  EXPECT_EQ(AddRuleField("count", "3m", body).message(), "count: expected a whole number, got '3m'");
  EXPECT_EQ(AddRuleField("on_delay", "soon", body).message(), "on_delay: expected seconds or Ns, Nm, Nh, got 'soon'");
  EXPECT_FALSE(AddRuleField("kind", "hihi", body).ok());
  EXPECT_FALSE(AddRuleField("limit_value", "1", body).ok());  // the column is not a key people write
}

TEST(AlarmRuleFieldsTest, AttachmentsAreAllOrALevelAndWhat) {
  auto all = ParseAttachment("");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->attach, "all");
  auto st = ParseAttachment("station:S01");
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->attach, "station");
  EXPECT_EQ(st->to, "S01");
  for (const char* bad : {"station", "station:", "galaxy:M31", "all:S01"})
    EXPECT_FALSE(ParseAttachment(bad).ok()) << bad;
}

}  // namespace
}  // namespace heat::alarm
