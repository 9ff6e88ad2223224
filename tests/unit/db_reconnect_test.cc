// When to reconnect and what is logged (db/reconnect.h), on a clock the
// test moves. Reconnecting to a real server: tests/integration/reconnect_test.sh.
#include <gtest/gtest.h>

#include "heat/core/log.h"
#include "heat/db/reconnect.h"

namespace heat::db {
namespace {

using std::chrono::milliseconds;

class ReconnectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetSink([this](std::string_view l) { lines.emplace_back(l); });
    log::SetLevel(log::Level::kInfo);
  }
  void TearDown() override { log::SetSink(nullptr); }
  std::vector<std::string> lines;
  Reconnector::Clock::time_point t0 = Reconnector::Clock::now();
};

TEST_F(ReconnectorTest, BackoffDoublesFromHalfASecondToFiveSeconds) {
  Reconnector rc("d");
  std::vector<int64_t> delays;
  auto t = t0;
  for (int i = 0; i < 7; ++i) {
    rc.Failed(Status::Failure("connection refused"), t);
    delays.push_back(rc.delay().count());
    EXPECT_FALSE(rc.Due(t + rc.delay() - milliseconds(1)));
    EXPECT_TRUE(rc.Due(t + rc.delay()));
    t += rc.delay();
  }
  EXPECT_EQ(delays, (std::vector<int64_t>{500, 1000, 2000, 4000, 5000, 5000, 5000}));
}

TEST_F(ReconnectorTest, AnOutageIsOneWarningAndOneNoticeWhateverTheAttempts) {
  Reconnector rc("heatd-x");
  rc.Connected(t0);  // start: no line, no reconnect
  EXPECT_TRUE(lines.empty());
  for (int i = 0; i < 20; ++i) rc.Failed(Status::Failure("server closed the connection"), t0 + milliseconds(i));
  rc.Connected(t0 + milliseconds(2500));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("warning: heatd-x: database unavailable"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("server closed the connection"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("heatd-x: database back after 2.5 s (20 failed attempts)"), std::string::npos) << lines[1];
  EXPECT_EQ(rc.reconnects(), 1u);
  EXPECT_FALSE(rc.down());
  EXPECT_TRUE(rc.Due(t0 + milliseconds(2500)));
}

TEST_F(ReconnectorTest, EveryReturnAfterALossCountsInTheProcessTotal) {
  uint64_t before = TotalReconnects();
  Reconnector a("a"), b("b");
  a.Failed(Status::Failure("down"), t0);  // not up before: the first connection is no reconnect
  a.Connected(t0);
  EXPECT_EQ(a.reconnects(), 0u);
  for (int i = 0; i < 3; ++i) {
    a.Failed(Status::Failure("down"), t0);
    a.Connected(t0);
  }
  b.Connected(t0);
  b.Failed(Status::Failure("down"), t0);
  b.Connected(t0);
  EXPECT_EQ(a.reconnects(), 3u);
  EXPECT_EQ(b.reconnects(), 1u);
  EXPECT_EQ(TotalReconnects() - before, 4u);
}

TEST_F(ReconnectorTest, ANewOutageStartsAgainFromHalfASecond) {
  Reconnector rc("d");
  for (int i = 0; i < 5; ++i) rc.Failed(Status::Failure("down"), t0);
  rc.Connected(t0);
  rc.Failed(Status::Failure("down again"), t0);
  EXPECT_EQ(rc.delay(), milliseconds(500));
}

}  // namespace
}  // namespace heat::db
