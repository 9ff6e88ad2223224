// Back-pressure when the spool fails while PostgreSQL is away (DEV-1,
// MON-1): Submit fails (so no transport acknowledges), stats say why, and
// ingest resumes by itself once the disk has room. No database is needed:
// the connection string names a socket folder that does not exist.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "faulty_file_ops.h"
#include "heat/ingest/pipeline.h"

namespace heat::ingest {
namespace {

class PipelineSpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/pipespoolXXXXXX";
    dir_ = mkdtemp(tmpl);
    PipelineOptions o;
    o.conninfo = "host=/nonexistent/heat-test connect_timeout=1";
    o.spool_dir = dir_;
    o.writers = 1;
    o.file_ops = &ops_;
    auto p = Pipeline::Start(o);
    ASSERT_TRUE(p.ok()) << p.status().message();
    pipeline_ = std::move(p).value();
  }
  void TearDown() override {
    pipeline_.reset();
    std::filesystem::remove_all(dir_);
  }
  static telemetry::Batch Make(int from) {
    telemetry::Batch b;
    for (int i = from; i < from + 10; ++i) b.push_back({1, 1760000000000 + i, i * 1.0, 0});
    return b;
  }
  // Submits until it succeeds (an unusable spool is retried once a second).
  bool SubmitWithin(int from, std::chrono::seconds limit) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end)
      if (pipeline_->Submit(Make(from)).ok()) return true;
      else std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return false;
  }
  std::string dir_;
  FaultyOps ops_;
  std::unique_ptr<Pipeline> pipeline_;
};

TEST_F(PipelineSpoolTest, DiskFullIsBackPressureAndIngestResumesWhenFreed) {
  ASSERT_TRUE(pipeline_->Submit(Make(0)).ok());
  ops_.space = 0;
  EXPECT_FALSE(pipeline_->Submit(Make(10)).ok());  // not durable: not acknowledged
  PipelineStats s = pipeline_->stats();
  EXPECT_EQ(s.spool_state, "failing");
  EXPECT_NE(s.spool_error.find("No space left on device"), std::string::npos) << s.spool_error;
  EXPECT_EQ(s.spool_errors, 1u);
  ops_.space = FaultyOps::kUnlimited;
  ASSERT_TRUE(pipeline_->Submit(Make(20)).ok());
  s = pipeline_->stats();
  EXPECT_EQ(s.spool_state, "ok");
  EXPECT_EQ(s.spooled, 20u);
}

TEST_F(PipelineSpoolTest, UnusableSpoolRefusesUntilItRecoversByItself) {
  ASSERT_TRUE(pipeline_->Submit(Make(0)).ok());
  ops_.space = 5;
  ops_.truncate_fails = true;  // the rollback fails too
  EXPECT_FALSE(pipeline_->Submit(Make(10)).ok());
  EXPECT_EQ(pipeline_->stats().spool_state, "unusable");
  EXPECT_FALSE(pipeline_->Submit(Make(20)).ok());
  ops_.space = FaultyOps::kUnlimited;
  ops_.truncate_fails = false;
  ASSERT_TRUE(SubmitWithin(30, std::chrono::seconds(5)));
  EXPECT_EQ(pipeline_->stats().spool_state, "ok");
  auto spool = telemetry::Spool::Open(dir_);
  telemetry::Batch want = Make(0);
  telemetry::Batch more = Make(30);
  want.insert(want.end(), more.begin(), more.end());
  EXPECT_EQ(*spool->ReadAll(), want);
}

}  // namespace
}  // namespace heat::ingest
