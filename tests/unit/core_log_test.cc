// Logging and its rate limiter (core/log.h).
#include <gtest/gtest.h>

#include "heat/core/log.h"

namespace heat::log {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetSink([this](std::string_view l) { lines.emplace_back(l); });
    SetClock([this] { return now; });
    SetLevel(Level::kInfo);
  }
  void TearDown() override {
    SetSink(nullptr);
    SetClock(nullptr);
  }
  std::vector<std::string> lines;
  int64_t now = 1000;
};

TEST_F(LogTest, LevelFilters) {
  Debug("hidden");
  Warning("shown");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("warning: shown"), std::string::npos);
  EXPECT_EQ(ParseLevel("loud").status().code(), Code::kUsage);
}

TEST_F(LogTest, LimitedLogsOncePerIntervalAndCountsTheRest) {
  EXPECT_TRUE(Limited(Level::kWarning, "meter:1", "bad frame"));
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(Limited(Level::kWarning, "meter:1", "bad frame"));
  EXPECT_TRUE(Limited(Level::kWarning, "meter:2", "bad frame"));  // other keys are independent
  now += 61;
  EXPECT_TRUE(Limited(Level::kWarning, "meter:1", "bad frame"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[2].find("(5 similar suppressed)"), std::string::npos) << lines[2];
}

}  // namespace
}  // namespace heat::log
