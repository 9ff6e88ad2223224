// Configuration: one table of options, strict parsing with file:line
// (core/config.h, DESIGN §4).
#include <gtest/gtest.h>

#include "heat/core/config.h"

namespace heat {
namespace {

std::string ErrorOf(const char* yaml) {
  auto c = Config::Parse(yaml, "heat.yaml");
  EXPECT_FALSE(c.ok()) << yaml;
  EXPECT_EQ(c.status().code(), Code::kUsage);
  return c.status().message();
}

TEST(ConfigTest, DefaultsComeFromTheTable) {
  auto c = Config::Defaults();
  EXPECT_EQ(c.str("site.timezone"), "Asia/Shanghai");
  EXPECT_EQ(c.str("log.level"), "info");
  EXPECT_EQ(c.str("db.conninfo"), "");
  for (const auto& o : Options()) EXPECT_TRUE(CheckOptionValue(o, o.default_value).ok()) << o.key;
}

TEST(ConfigTest, ValuesOverrideDefaults) {
  auto c = Config::Parse("site:\n  timezone: Asia/Urumqi\n  company: 乌鲁木齐热力\nlog:\n  level: debug\n", "h");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->str("site.timezone"), "Asia/Urumqi");
  EXPECT_EQ(c->str("site.company"), "乌鲁木齐热力");
  EXPECT_EQ(c->str("log.level"), "debug");
}

TEST(ConfigTest, ErrorsNameFileLineAndKey) {
  EXPECT_EQ(ErrorOf("site:\n  timezon: Asia/Urumqi\n"),
            "heat.yaml:2: site.timezon: unknown key (did you mean site.timezone?)");
  EXPECT_EQ(ErrorOf("log:\n  level: loud\n"),
            "heat.yaml:2: log.level: expected one of debug, info, notice, warning, error, got 'loud'");
  EXPECT_EQ(ErrorOf("stie:\n  company: x\n"), "heat.yaml:1: stie: unknown section (did you mean site?)");
  EXPECT_EQ(ErrorOf("site: 3\n"), "heat.yaml:1: site: expected a mapping");
  EXPECT_NE(ErrorOf("site:\n  timezone: Mars/Olympus\n").find("heat.yaml:2: site.timezone: unknown time zone"),
            std::string::npos);
  EXPECT_NE(ErrorOf("site: [unclosed\n").find("heat.yaml:"), std::string::npos);
  EXPECT_NE(ErrorOf("- a list\n").find("expected a mapping"), std::string::npos);
}

TEST(ConfigTest, MissingExplicitFileIsNotFound) {
  auto c = Config::Load("/nonexistent/heat.yaml");
  EXPECT_EQ(c.status().code(), Code::kNotFound);
}

TEST(ConfigTest, SampleFileInEtcIsValidAndComplete) {
  auto c = Config::Load(std::string(HEAT_SOURCE_DIR) + "/etc/heat.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->ChangedNotReloadable(Config::Defaults()).empty());
}

TEST(ConfigTest, ReloadTellsWhatNeedsARestart) {
  auto a = Config::Defaults();
  auto b = Config::Parse("site:\n  timezone: Asia/Urumqi\nlog:\n  level: error\n", "h");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a.ChangedNotReloadable(*b), std::vector<std::string>{"site.timezone"});
}

TEST(ConfigTest, DurationsBoolsAndInts) {
  Option d{"x.d", OptionType::kDuration, "30s", true, ""};
  EXPECT_EQ(*CheckOptionValue(d, "5m"), "300");
  EXPECT_EQ(*CheckOptionValue(d, "2h"), "7200");
  EXPECT_FALSE(CheckOptionValue(d, "5 minutes").ok());
  Option b{"x.b", OptionType::kBool, "true", true, ""};
  EXPECT_EQ(*CheckOptionValue(b, "yes"), "true");
  EXPECT_FALSE(CheckOptionValue(b, "maybe").ok());
  Option i{"x.i", OptionType::kInt, "1", true, "", 1, 10};
  EXPECT_FALSE(CheckOptionValue(i, "11").ok());
  EXPECT_EQ(*CheckOptionValue(i, "7"), "7");
}

TEST(ConfigTest, DurationOutsideItsRangeIsRefusedInSeconds) {
  Option d{"x.keep", OptionType::kDuration, "30d", true, "", 3600, 31622400};
  EXPECT_EQ(*CheckOptionValue(d, "1h"), "3600");
  auto low = CheckOptionValue(d, "59m");
  ASSERT_FALSE(low.ok());
  EXPECT_EQ(low.status().message(), "expected 3600s to 31622400s, got 59m");
  EXPECT_FALSE(CheckOptionValue(d, "367d").ok());
  EXPECT_EQ(OptionSynopsis(d), "duration 3600s..31622400s, default 30d, reloadable");
}

}  // namespace
}  // namespace heat
