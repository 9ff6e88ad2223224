// The local spool: durable appends, replay after a crash, torn tails
// (issue 3 §4: nothing acknowledged is lost).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "heat/telemetry/spool.h"

namespace heat::telemetry {
namespace {

class SpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/spooltestXXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  static Batch Make(int from, int n) {
    Batch b;
    for (int i = from; i < from + n; ++i) b.push_back({i % 7 + 1, 1760000000000 + i, i * 0.5, static_cast<int16_t>(i % 3)});
    return b;
  }
  std::string dir_;
};

TEST_F(SpoolTest, AppendedBatchesSurviveReopen) {
  {
    auto s = Spool::Open(dir_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    ASSERT_TRUE(s->Append(Make(0, 100)).ok());
    ASSERT_TRUE(s->Append(Make(100, 50)).ok());
  }
  auto s = Spool::Open(dir_);
  ASSERT_TRUE(s.ok());
  auto all = s->ReadAll();
  ASSERT_TRUE(all.ok());
  Batch want = Make(0, 150);
  EXPECT_EQ(*all, want);
  EXPECT_GT(s->bytes(), 0u);
  ASSERT_TRUE(s->Clear().ok());
  EXPECT_TRUE(s->ReadAll()->empty());
  EXPECT_EQ(s->bytes(), 0u);
}

TEST_F(SpoolTest, TornTailIsDroppedEarlierRecordsKept) {
  auto s = Spool::Open(dir_);
  ASSERT_TRUE(s->Append(Make(0, 10)).ok());
  ASSERT_TRUE(s->Append(Make(10, 10)).ok());
  // Simulate a crash in the middle of the second record.
  ASSERT_EQ(truncate(s->path().c_str(), static_cast<off_t>(s->bytes() - 5)), 0);
  auto again = Spool::Open(dir_);
  auto all = again->ReadAll();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, Make(0, 10));
}

TEST_F(SpoolTest, CorruptRecordStopsReplay) {
  auto s = Spool::Open(dir_);
  ASSERT_TRUE(s->Append(Make(0, 10)).ok());
  ASSERT_TRUE(s->Append(Make(10, 10)).ok());
  int fd = open(s->path().c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  char x = 0x55;
  ASSERT_EQ(pwrite(fd, &x, 1, static_cast<off_t>(s->bytes() - 3)), 1);
  close(fd);
  EXPECT_EQ(*Spool::Open(dir_)->ReadAll(), Make(0, 10));
}

TEST_F(SpoolTest, UnusableDirectoryIsAnError) {
  EXPECT_FALSE(Spool::Open("/proc/no/such/dir").ok());
}

TEST(Crc32Test, KnownValue) { EXPECT_EQ(Crc32("123456789", 9), 0xCBF43926u); }

}  // namespace
}  // namespace heat::telemetry
