// The health rule base (ANA-6, ANA-10; analysis/rules.h): the shipped file
// loads, every rule is read as written, and bad files are refused with the
// file, the line and what is wrong, verbatim.
#include <gtest/gtest.h>

#include <set>

#include "heat/analysis/rules.h"

namespace heat::analysis {
namespace {

constexpr const char* kOne = R"(rules:
  - id: leak
    title: 补水量过大 / make-up water high
    points: {tag: mw_m3}
    condition: {kind: counter_rate, limit: 0.5, hours: 6}
    fault: a leak
    advice: find it
    severity: high
)";

std::string Error(const std::string& text) {
  auto r = ParseRules(text, "r.yaml");
  return r.ok() ? "ok" : r.status().message();
}

TEST(RulesTest, ShippedRuleFileLoadsWithEveryConditionKind) {
  auto base = LoadRules(std::string(HEAT_SOURCE_DIR) + "/etc/analysis/health-rules.yaml");
  ASSERT_TRUE(base.ok()) << base.status().message();
  std::set<std::string> kinds;
  for (const auto& r : base->rules) kinds.insert(CondKindName(r.cond.kind));
  EXPECT_EQ(kinds, (std::set<std::string>{"frozen", "drift", "flow_without_heat", "dt_low", "high", "at_limit",
                                          "reversals", "counter_rate"}));
  EXPECT_DOUBLE_EQ(base->theft.unheated_share, 0.5);
}

TEST(RulesTest, RuleIsReadAsWritten) {
  auto base = ParseRules(kOne, "r.yaml");
  ASSERT_TRUE(base.ok()) << base.status().message();
  ASSERT_EQ(base->rules.size(), 1u);
  const HealthRule& r = base->rules[0];
  EXPECT_EQ(r.id, "leak");
  EXPECT_EQ(r.title, "补水量过大 / make-up water high");
  EXPECT_EQ(r.points.tag, "mw_m3");
  EXPECT_EQ(r.cond.kind, CondKind::kCounterRate);
  EXPECT_DOUBLE_EQ(r.cond.limit, 0.5);
  EXPECT_DOUBLE_EQ(r.cond.hours, 6);
  EXPECT_EQ(r.severity, 2);
  EXPECT_EQ(r.line, 2);
}

TEST(RulesTest, BadFilesNameFileLineAndKey) {
  auto with = [](const std::string& from, const std::string& to) {
    std::string s = kOne;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  EXPECT_EQ(Error(with("    severity: high\n", "    severity: high\n    colour: red\n")),
            "r.yaml:9: rules[0].colour: unknown key");
  EXPECT_EQ(Error(with("counter_rate", "sideways")),
            "r.yaml:5: rules[0].condition.kind: 'sideways' is not one of frozen, drift, flow_without_heat, dt_low, "
            "high, low, at_limit, reversals, counter_rate");
  EXPECT_EQ(Error(with("limit: 0.5, hours: 6", "hours: 6")),
            "r.yaml:5: rules[0].condition.limit: missing (counter_rate needs it)");
  EXPECT_EQ(Error(with("limit: 0.5", "limit: lots")), "r.yaml:5: rules[0].condition.limit: 'lots' is not a number");
  EXPECT_EQ(Error(with("hours: 6", "hours: 0")), "r.yaml:5: rules[0].condition.hours: hours: 1 to 744");
  EXPECT_EQ(Error(with("limit: 0.5", "limit: 0.5, share: 1")),
            "r.yaml:5: rules[0].condition.share: unknown key");
  EXPECT_EQ(Error(with("{tag: mw_m3}", "{tag: mw_m3, ref: t2s}")), "r.yaml:4: rules[0].points.ref: unknown key");
  EXPECT_EQ(Error(with("{tag: mw_m3}", "{tag: \"MW\"}")),
            "r.yaml:4: rules[0].points.tag: 'MW' is not a tag pattern ([a-z0-9_], * and ?, alternatives by |)");
  EXPECT_EQ(Error(with("severity: high", "severity: urgent")),
            "r.yaml:8: rules[0].severity: 'urgent' is not critical, high, medium or low (1..4)");
  EXPECT_EQ(Error(with("    advice: find it\n", "")), "r.yaml:2: rules[0].advice: missing");
  EXPECT_EQ(Error(std::string(kOne) + std::string(kOne).substr(7)), "r.yaml:9: rules[1].id: 'leak' is used twice");
  EXPECT_EQ(Error("rules: [\n"), "r.yaml:2: end of sequence flow not found");
  EXPECT_EQ(Error(""), "r.yaml:1: rules: the file is empty");
  EXPECT_EQ(Error(std::string(kOne) + "theft: {unheated_share: 2}\n"),
            "r.yaml:9: theft.unheated_share: between 0 and 1");
}

TEST(RulesTest, TagPatternsMatchGlobsAndAlternatives) {
  EXPECT_TRUE(TagMatches("t?s", "t2s"));
  EXPECT_FALSE(TagMatches("t?s", "t2r"));
  EXPECT_TRUE(TagMatches("p1s|p1r|p2s|p2r", "p2r"));
  EXPECT_FALSE(TagMatches("p1s|p1r|p2s|p2r", "pw1"));
  EXPECT_TRUE(TagMatches("pump*_hz", "pump1_hz"));
  EXPECT_TRUE(TagMatches("*", "anything"));
  EXPECT_FALSE(TagMatches("t*s", "t2r"));
}

}  // namespace
}  // namespace heat::analysis
