// The local spool: durable appends, replay after a crash, torn tails, and
// every I/O fault through the file-operations seam (DEV-1, OPS-1: nothing
// acknowledged is lost).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "heat/telemetry/spool.h"
#include "faulty_file_ops.h"

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

Batch Concat(Batch a, const Batch& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST_F(SpoolTest, ShortWriteThenAppendThenReopenReadsEveryAcknowledgedBatch) {
  FaultyOps ops;
  auto s = Spool::Open(dir_, ops);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s->Append(Make(0, 10)).ok());
  ops.space = 30;  // the disk fills up part-way through the next record
  Status full = s->Append(Make(10, 10));
  EXPECT_FALSE(full.ok());
  EXPECT_NE(full.message().find("No space left on device"), std::string::npos) << full.message();
  EXPECT_TRUE(s->usable());  // rolled back: the next append may go on
  EXPECT_EQ(std::filesystem::file_size(s->path()), s->bytes());
  ops.space = FaultyOps::kUnlimited;  // space freed
  ASSERT_TRUE(s->Append(Make(20, 10)).ok());
  auto again = Spool::Open(dir_);
  EXPECT_EQ(*again->ReadAll(), Concat(Make(0, 10), Make(20, 10)));
}

TEST_F(SpoolTest, EioOnWriteIsRolledBackAndNotAcknowledged) {
  FaultyOps ops;
  auto s = Spool::Open(dir_, ops);
  ASSERT_TRUE(s->Append(Make(0, 10)).ok());
  uint64_t good = s->bytes();
  ops.space = 30;  // part of the record goes out, then the disk fails
  ops.full_errno = EIO;
  Status st = s->Append(Make(10, 10));
  EXPECT_NE(st.message().find("Input/output error"), std::string::npos) << st.message();
  ops.space = FaultyOps::kUnlimited;
  EXPECT_EQ(s->bytes(), good);
  EXPECT_EQ(std::filesystem::file_size(s->path()), good);
  ASSERT_TRUE(s->Append(Make(20, 10)).ok());
  EXPECT_EQ(*Spool::Open(dir_)->ReadAll(), Concat(Make(0, 10), Make(20, 10)));
}

TEST_F(SpoolTest, FailedFdatasyncIsNotAcknowledgedAndTheSpoolIsReopened) {
  FaultyOps ops;
  auto s = Spool::Open(dir_, ops);
  ASSERT_TRUE(s->Append(Make(0, 10)).ok());
  int opens = ops.opens;
  ops.sync_errno = EIO;
  Status st = s->Append(Make(10, 10));
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("fdatasync"), std::string::npos) << st.message();
  EXPECT_EQ(ops.opens.load(), opens + 1);  // reopened and checked, not retried
  EXPECT_TRUE(s->usable());
  // The record whose sync failed is gone: it was never acknowledged.
  EXPECT_EQ(std::filesystem::file_size(s->path()), s->bytes());
  ASSERT_TRUE(s->Append(Make(20, 10)).ok());
  EXPECT_EQ(*Spool::Open(dir_)->ReadAll(), Concat(Make(0, 10), Make(20, 10)));
}

TEST_F(SpoolTest, FailedRollbackMakesTheSpoolUnusableUntilRecovered) {
  FaultyOps ops;
  auto s = Spool::Open(dir_, ops);
  ASSERT_TRUE(s->Append(Make(0, 10)).ok());
  ops.space = 30;
  ops.truncate_fails = true;
  Status st = s->Append(Make(10, 10));
  EXPECT_NE(st.message().find("rollback failed"), std::string::npos) << st.message();
  EXPECT_FALSE(s->usable());
  EXPECT_NE(s->last_error().find("No space left on device"), std::string::npos) << s->last_error();
  int writes = ops.writes;
  EXPECT_FALSE(s->Append(Make(20, 10)).ok());  // refused without touching the disk
  EXPECT_EQ(ops.writes.load(), writes);
  // The disk recovers: the torn bytes are cut and appends resume.
  ops.space = FaultyOps::kUnlimited;
  ops.truncate_fails = false;
  ASSERT_TRUE(s->Recover().ok());
  EXPECT_TRUE(s->usable());
  ASSERT_TRUE(s->Append(Make(30, 10)).ok());
  EXPECT_EQ(*Spool::Open(dir_)->ReadAll(), Concat(Make(0, 10), Make(30, 10)));
}

TEST_F(SpoolTest, FailedSyncWithFailedRecheckMakesTheSpoolUnusable) {
  FaultyOps ops;
  auto s = Spool::Open(dir_, ops);
  ASSERT_TRUE(s->Append(Make(0, 10)).ok());
  ops.sync_errno = EIO;
  ops.truncate_fails = true;
  EXPECT_FALSE(s->Append(Make(10, 10)).ok());
  EXPECT_FALSE(s->usable());
}

TEST_F(SpoolTest, CrashBetweenWriteAndSyncThenRestartLosesNoAcknowledgedBatch) {
  {
    FaultyOps ops;
    auto s = Spool::Open(dir_, ops);
    ASSERT_TRUE(s->Append(Make(0, 10)).ok());
    ASSERT_TRUE(s->Append(Make(10, 10)).ok());
    ops.crash_on_sync = true;
    EXPECT_FALSE(s->Append(Make(20, 10)).ok());  // never acknowledged
  }
  // The restart: the torn record is cut, so what comes after it is kept.
  auto s = Spool::Open(dir_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(*s->ReadAll(), Make(0, 20));
  ASSERT_TRUE(s->Append(Make(30, 10)).ok());
  EXPECT_EQ(*Spool::Open(dir_)->ReadAll(), Concat(Make(0, 20), Make(30, 10)));
}

TEST_F(SpoolTest, TornTailIsCutOnOpenSoLaterAppendsAreReplayed) {
  {
    auto s = Spool::Open(dir_);
    ASSERT_TRUE(s->Append(Make(0, 10)).ok());
    ASSERT_TRUE(s->Append(Make(10, 10)).ok());
    ASSERT_EQ(truncate(s->path().c_str(), static_cast<off_t>(s->bytes() - 5)), 0);
  }
  auto s = Spool::Open(dir_);
  ASSERT_TRUE(s->Append(Make(20, 10)).ok());
  EXPECT_EQ(*Spool::Open(dir_)->ReadAll(), Concat(Make(0, 10), Make(20, 10)));
}

TEST(Crc32Test, KnownValue) { EXPECT_EQ(Crc32("123456789", 9), 0xCBF43926u); }

}  // namespace
}  // namespace heat::telemetry
