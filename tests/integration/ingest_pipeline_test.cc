// The ingest pipeline with several writer connections
// (ingest.writers): the same readings submitted from many threads at once,
// so that two writers hold overlapping batches, are stored exactly once and
// the rollups count each of them once.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "heat/ingest/pipeline.h"
#include "heat/telemetry/spool.h"
#include "heat/telemetry/writer.h"
#include "support/pgtest.h"

namespace heat::test {
namespace {

class PipelineTest : public PgTest {
 protected:
  static void SetUpTestSuite() {
    PgTest::SetUpTestSuite();
    std::vector<std::string> tags;
    for (int i = 1; i <= 20; ++i) tags.push_back("p" + std::to_string(i));
    MakeStationS1(tags);
  }
  static std::filesystem::path TempDir(const std::string& name) {
    return std::filesystem::temp_directory_path() / (name + "." + std::to_string(getpid()));
  }
  // One writer on the superuser's connection, its spool in dir.
  static Result<std::unique_ptr<ingest::Pipeline>> StartOne(const std::filesystem::path& dir) {
    ingest::PipelineOptions opt;
    opt.conninfo = Conninfo("postgres");
    opt.spool_dir = dir.string();
    opt.writers = 1;
    return ingest::Pipeline::Start(opt);
  }
  static std::string One(const std::string& sql) {
    auto c = Super();
    auto r = c.Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() && r->size() ? r->get(0, 0) : "";
  }
};

// 2025-12-01T00:00:00Z
constexpr int64_t kT0 = 1764547200000;
constexpr int kBatches = 30, kThreads = 6;

// Batch k: every point at 50 seconds of minute k (1000 readings), value
// the second's number so the newest value of each point is known.
telemetry::Batch BatchNo(const std::vector<int32_t>& points, int k) {
  telemetry::Batch b;
  for (int32_t p : points)
    for (int s = 0; s < 50; ++s) b.push_back({p, kT0 + (k * 60 + s) * 1000LL, double(k * 60 + s), 0});
  return b;
}

TEST_F(PipelineTest, TwoWritersStoreOverlappingSubmissionsOnce) {
  auto c = Super();
  auto idx = telemetry::LoadPointIndex(c);
  ASSERT_OK(idx);
  std::vector<int32_t> points;
  for (const auto& [code, info] : *idx) points.push_back(info.id);
  ASSERT_EQ(points.size(), 20u);

  auto dir = std::filesystem::temp_directory_path() / ("pipeline_test." + std::to_string(getpid()));
  ingest::PipelineOptions opt;
  opt.conninfo = Conninfo("postgres");
  opt.spool_dir = dir.string();
  opt.writers = 2;
  opt.batch_max = 2000;  // two submissions at most per transaction: many transactions
  auto pipeline = ingest::Pipeline::Start(opt);
  ASSERT_OK(pipeline);

  // Every thread submits all batches, each in its own order.
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::vector<int> order(kBatches);
      for (int k = 0; k < kBatches; ++k) order[k] = k;
      std::shuffle(order.begin(), order.end(), std::mt19937(t));
      for (int k : order)
        if (!(*pipeline)->Submit(BatchNo(points, k)).ok()) failed++;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  // A writer that lost a deadlock spooled its batch; wait for the replay.
  for (int i = 0; i < 300 && (*pipeline)->stats().spool_bytes > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  (*pipeline)->Stop();
  std::filesystem::remove_all(dir);

  const std::string want = std::to_string(kBatches * 20 * 50);
  EXPECT_EQ(One("SELECT count(*) FROM heat.reading"), want);
  EXPECT_EQ(One("SELECT count(DISTINCT (point_id, ts)) FROM heat.reading"), want);
  EXPECT_EQ(One("SELECT sum(n) FROM heat.reading_hourly"), want);
  EXPECT_EQ(One("SELECT sum(n) FROM heat.reading_daily"), want);
  const auto stats = (*pipeline)->stats();
  EXPECT_EQ(stats.stored, static_cast<uint64_t>(kBatches * 20 * 50));
  // Each reading was offered kThreads times: stored once, the rest counted
  // as duplicates (a spooled batch counts when it is replayed).
  EXPECT_EQ(stats.stored + stats.duplicates, stats.submitted);
  EXPECT_EQ(stats.submitted, static_cast<uint64_t>(kThreads * kBatches * 20 * 50));
  // The newest reading of each point is the latest value.
  EXPECT_EQ(One("SELECT count(*) FROM heat.latest WHERE value = " + std::to_string((kBatches - 1) * 60 + 49)), "20");
}

// Device marks are written at most once a second per writer; they must not
// wait for the next batch: a device heard from while nothing else arrives
// is marked within about a second, and an unknown key noted just before a
// stop is still counted. (No readings here: the test above counts them.)
TEST_F(PipelineTest, MarksAreWrittenWithoutAnotherBatchAndAtStop) {
  const std::string device = One("SELECT id FROM heat.device WHERE code = 'S1-CB'");
  auto dir = TempDir("pipeline_marks");
  auto pipeline = StartOne(dir);
  ASSERT_OK(pipeline);
  (*pipeline)->NoteSeen(std::stoi(device));
  std::string online;
  for (int i = 0; i < 30 && online != "t"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    online = One("SELECT online FROM heat.device_status WHERE device_id = " + device);
  }
  EXPECT_EQ(online, "t") << "not marked online within 3 s without a batch";
  (*pipeline)->NoteUnknown("coap", "860000000000099");
  (*pipeline)->Stop();
  std::filesystem::remove_all(dir);
  EXPECT_EQ(One("SELECT count FROM heat.ingest_unknown WHERE key = '860000000000099'"), "1");
}

// Regression (mqtt_absurd_timestamp): a spool holding a reading the
// database refuses (its time is past PostgreSQL's range) was replayed and
// failed for ever, and every later batch was spooled behind it. Now the
// replay is split: the poison reading goes to the quarantine, the others
// are stored, and the spool is emptied.
TEST_F(PipelineTest, PoisonInTheSpoolIsQuarantinedAndTheRestStored) {
  const int32_t point = std::stoi(One("SELECT id FROM heat.point WHERE code = 'S1.p1'"));
  auto dir = TempDir("pipeline_poison");
  const int64_t now_ms = static_cast<int64_t>(std::time(nullptr)) * 1000;
  {
    auto spool = telemetry::Spool::Open(dir.string());
    ASSERT_OK(spool);
    Status st = spool->Append({{point, now_ms - 2000, 1, 0}, {point, 9300000000000000, 2, 0}, {point, now_ms - 1000, 3, 0}});
    ASSERT_TRUE(st.ok()) << st.message();
  }
  const std::string before = One("SELECT count(*) FROM heat.reading WHERE point_id = " + std::to_string(point));
  auto pipeline = StartOne(dir);
  ASSERT_OK(pipeline);
  for (int i = 0; i < 100 && (*pipeline)->stats().spool_bytes > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ((*pipeline)->stats().spool_bytes, 0u) << "the replay is wedged";
  (*pipeline)->Stop();
  std::filesystem::remove_all(dir);
  EXPECT_EQ(One("SELECT count(*) FROM heat.reading WHERE point_id = " + std::to_string(point)),
            std::to_string(std::stoi(before) + 2));
  EXPECT_EQ(One("SELECT count(*) FROM heat.ingest_rejected WHERE source = 'pipeline' AND key = '" +
                std::to_string(point) + "' AND reason ~ 'out of range'"), "1");
}

// range_lo/range_hi (SYS-1): a value outside is stored with quality bit 1
// but counts in no rollup and never becomes the latest value.
TEST_F(PipelineTest, ValueOutsideItsRangeIsStoredButNotInRollupsOrLatest) {
  const int32_t point = std::stoi(One("SELECT id FROM heat.point WHERE code = 'S1.p2'"));
  auto dir = TempDir("pipeline_range");
  auto pipeline = StartOne(dir);
  ASSERT_OK(pipeline);
  (*pipeline)->SetRanges({{point, {0, 100}}});
  const int64_t t = (static_cast<int64_t>(std::time(nullptr)) / 3600 - 1) * 3600000;  // last hour's start
  Status st = (*pipeline)->Submit({{point, t, 50, 0}, {point, t + 1000, 500, 0}});
  ASSERT_TRUE(st.ok()) << st.message();
  (*pipeline)->Stop();
  std::filesystem::remove_all(dir);
  const std::string p = std::to_string(point), since = " AND ts >= to_timestamp(" + std::to_string(t / 1000) + ")";
  EXPECT_EQ(One("SELECT string_agg(value || ':' || quality, ',' ORDER BY ts) FROM heat.reading WHERE point_id = " + p +
                since), "50:0,500:1");
  EXPECT_EQ(One("SELECT n || ':' || max FROM heat.reading_hourly WHERE point_id = " + p + " AND hour = to_timestamp(" +
                std::to_string(t / 1000) + ")"), "1:50");
  EXPECT_EQ(One("SELECT value FROM heat.latest WHERE point_id = " + p), "50");
  EXPECT_EQ((*pipeline)->stats().out_of_range, 1u);
}

}  // namespace
}  // namespace heat::test
