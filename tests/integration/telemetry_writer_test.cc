// Batches of readings into PostgreSQL exactly once:
// replays are idempotent, latest values and rollups stay exact, missing
// partitions are made, unknown points are counted.
#include "heat/telemetry/writer.h"
#include "support/pgtest.h"

namespace heat::test {
namespace {

using telemetry::Batch;

class WriterTest : public PgTest {
 protected:
  static void SetUpTestSuite() {
    PgTest::SetUpTestSuite();
    MakeStationS1({"t2s", "t2r"});
  }
  static int32_t Id(db::Conn& c, const std::string& code) {
    auto idx = telemetry::LoadPointIndex(c);
    EXPECT_TRUE(idx.ok());
    return idx->at(code).id;
  }
  static std::string One(db::Conn& c, const std::string& sql) {
    auto r = c.Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() && r->size() ? r->get(0, 0) : "";
  }
};

// 2025-12-01T00:00:00Z
constexpr int64_t kT0 = 1764547200000;

TEST_F(WriterTest, ReplayedBatchIsStoredOnce) {
  auto c = Super();
  int32_t p = Id(c, "S1.t2s");
  Batch b;
  for (int i = 0; i < 1000; ++i) b.push_back({p, kT0 + i * 60000, 50.0 + i % 10, 0});
  b.push_back(b.front());  // a duplicate inside the batch
  telemetry::Writer w(c, "Asia/Shanghai");
  auto first = w.Write(b);
  ASSERT_OK(first);
  EXPECT_EQ(first->inserted, 1000);
  EXPECT_EQ(first->duplicates, 1);
  auto again = w.Write(b);
  ASSERT_OK(again);
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(One(c, "SELECT count(*) FROM heat.reading"), "1000");
  // Rollups count each reading once: 1000 minutes = 16 full hours + 40 min.
  EXPECT_EQ(One(c, "SELECT sum(n) FROM heat.reading_hourly"), "1000");
  EXPECT_EQ(One(c, "SELECT count(*) FROM heat.reading_hourly"), "17");
  EXPECT_EQ(One(c, "SELECT sum(n) FROM heat.reading_daily"), "1000");
  // The last reading is 999 minutes in, value 50 + 999 % 10.
  EXPECT_EQ(One(c, "SELECT value FROM heat.latest WHERE point_id = " + std::to_string(p)), "59");
}

// The fast path (COPY straight in, rollups from memory) and the exact path
// (staging + ON CONFLICT) must leave the same rollups: a batch of new
// readings goes fast, a half-replayed one exact, and the sums agree with
// the readings table.
TEST_F(WriterTest, FastAndExactPathsKeepTheSameRollups) {
  auto c = Super();
  Sql("INSERT INTO heat.point (code, device_id, tag) SELECT 'S1.t1s', id, 't1s' FROM heat.device");
  int32_t p = Id(c, "S1.t1s");
  telemetry::Writer w(c, "Asia/Shanghai");
  constexpr int64_t kT1 = kT0 + 40LL * 86400000;  // clear of the other tests' days
  Batch fresh;
  for (int i = 0; i < 600; ++i) fresh.push_back({p, kT1 + i * 30000, 40.0 + i % 7, 0});
  auto a = w.Write(fresh);
  ASSERT_OK(a);
  EXPECT_EQ(a->inserted, 600);
  EXPECT_EQ(w.fast_batches(), 1);
  EXPECT_EQ(w.direct_batches(), 1);  // the superuser COPYs straight in
  Batch mixed(fresh.begin() + 300, fresh.end());  // 300 stored already
  for (int i = 600; i < 900; ++i) mixed.push_back({p, kT1 + i * 30000, 40.0 + i % 7, 0});
  auto b = w.Write(mixed);
  ASSERT_OK(b);
  EXPECT_EQ(b->inserted, 300);
  EXPECT_EQ(b->duplicates, 300);
  EXPECT_EQ(w.exact_batches(), 1);
  std::string pid = std::to_string(p);
  EXPECT_EQ(One(c, "SELECT count(*) FROM heat.reading WHERE point_id = " + pid), "900");
  EXPECT_EQ(One(c, "SELECT sum(n) FROM heat.reading_hourly WHERE point_id = " + pid), "900");
  EXPECT_EQ(One(c, "SELECT sum(n) FROM heat.reading_daily WHERE point_id = " + pid), "900");
  EXPECT_EQ(One(c, "SELECT round(sum(value)::numeric, 6) = round((SELECT sum(sum) FROM heat.reading_hourly"
                   " WHERE point_id = " + pid + ")::numeric, 6) FROM heat.reading WHERE point_id = " + pid), "t");
  EXPECT_EQ(One(c, "SELECT bool_and(h.max = r.mx AND h.min = r.mn AND h.last_value = r.lv) FROM heat.reading_hourly h"
                   " JOIN (SELECT date_trunc('hour', ts) AS hour, max(value) AS mx, min(value) AS mn,"
                   " (array_agg(value ORDER BY ts DESC))[1] AS lv FROM heat.reading WHERE point_id = " + pid +
                   " GROUP BY 1) r ON r.hour = h.hour WHERE h.point_id = " + pid), "t");
  EXPECT_EQ(One(c, "SELECT value FROM heat.latest WHERE point_id = " + pid), std::to_string(40 + 899 % 7));
}

// Regression: the fast path COPYed into heat.reading, which PostgreSQL
// refuses under row-level security for anyone but the owner — every
// batch of the demo's heatd-ingest (a heat_service login) failed and went
// to the spool. The service role must take the fast path.
TEST_F(WriterTest, ServiceRoleTakesTheFastPath) {
  std::string svc = MakeUser("svc", "heat_service");
  auto c = As(svc);
  Sql("INSERT INTO heat.point (code, device_id, tag) SELECT 'S1.p2s', id, 'p2s' FROM heat.device");
  int32_t p = Id(c, "S1.p2s");
  telemetry::Writer w(c, "Asia/Shanghai");
  Batch b;
  for (int i = 0; i < 100; ++i) b.push_back({p, kT0 + 80LL * 86400000 + i * 1000, 0.5, 0});
  auto r = w.Write(b);
  ASSERT_OK(r);
  EXPECT_EQ(r->inserted, 100);
  EXPECT_EQ(w.fast_batches(), 1);
  EXPECT_EQ(w.exact_batches(), 0);
  EXPECT_EQ(w.direct_batches(), 0);  // under row-level security: staged first
}

// A service login with BYPASSRLS (heatd-ingest(8)) COPYs straight into
// heat.reading (binary COPY); timestamps keep their milliseconds, values
// and qualities arrive exactly, and a replay still
// falls back to the exact path and is stored once.
TEST_F(WriterTest, BypassRlsLoginCopiesStraightIn) {
  std::string svc = MakeUser("svcb", "heat_service");
  Sql("ALTER ROLE " + svc + " BYPASSRLS");
  auto c = As(svc);
  Sql("INSERT INTO heat.point (code, device_id, tag) SELECT 'S1.p2r', id, 'p2r' FROM heat.device");
  int32_t p = Id(c, "S1.p2r");
  telemetry::Writer w(c, "Asia/Shanghai");
  const int64_t t = kT0 + 90LL * 86400000 + 123;  // 2026-03-01 00:00:00.123 UTC
  Batch b;
  for (int i = 0; i < 100; ++i) b.push_back({p, t + i * 1001, 0.25 * i, static_cast<int16_t>(i % 3 ? 0 : 4)});
  auto r = w.Write(b);
  ASSERT_OK(r);
  EXPECT_EQ(r->inserted, 100);
  EXPECT_EQ(w.direct_batches(), 1);
  std::string pid = std::to_string(p);
  EXPECT_EQ(One(c, "SELECT min(ts) AT TIME ZONE 'UTC' FROM heat.reading WHERE point_id = " + pid),
            "2026-03-01 00:00:00.123");
  EXPECT_EQ(One(c, "SELECT max(extract(epoch FROM ts) * 1000)::bigint FROM heat.reading WHERE point_id = " + pid),
            std::to_string(t + 99 * 1001));
  EXPECT_EQ(One(c, "SELECT sum(n) FROM heat.reading_hourly WHERE point_id = " + pid), "100");
  EXPECT_EQ(One(c, "SELECT sum(value) FROM heat.reading WHERE point_id = " + pid), "1237.5");  // 0.25 x 4950
  EXPECT_EQ(One(c, "SELECT count(*) FILTER (WHERE quality = 4) FROM heat.reading WHERE point_id = " + pid), "34");
  auto again = w.Write(b);
  ASSERT_OK(again);
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->duplicates, 100);
  EXPECT_EQ(w.exact_batches(), 1);
  EXPECT_EQ(One(c, "SELECT count(*) FROM heat.reading WHERE point_id = " + pid), "100");
}

TEST_F(WriterTest, OlderReadingDoesNotOverwriteLatest) {
  auto c = Super();
  int32_t p = Id(c, "S1.t2r");
  telemetry::Writer w(c, "Asia/Shanghai");
  ASSERT_OK(w.Write({{p, kT0 + 3600000, 40, 0}}));
  ASSERT_OK(w.Write({{p, kT0, 30, 0}}));  // late arrival of an older reading
  EXPECT_EQ(One(c, "SELECT value FROM heat.latest WHERE point_id = " + std::to_string(p)), "40");
  EXPECT_EQ(One(c, "SELECT count(*) FROM heat.reading WHERE point_id = " + std::to_string(p)), "2");
}

TEST_F(WriterTest, DailyRollupUsesTheCompanyDay) {
  auto c = Super();
  int32_t p = Id(c, "S1.t2r");
  telemetry::Writer w(c, "Asia/Urumqi");
  // 2026-01-10T20:00Z is 2026-01-11 02:00 in Urumqi (+06).
  ASSERT_OK(w.Write({{p, 1768075200000, 1, 0}}));
  EXPECT_EQ(One(c, "SELECT day FROM heat.reading_daily WHERE point_id = " + std::to_string(p) +
                   " AND last_ts = '2026-01-10T20:00:00Z'"), "2026-01-11");
}

TEST_F(WriterTest, MissingMonthlyPartitionIsCreated) {
  auto c = Super();
  int32_t p = Id(c, "S1.t2s");
  telemetry::Writer w(c, "Asia/Shanghai");
  int64_t old = 1420070400000;  // 2015-01-01
  auto r = w.Write({{p, old, 1, 0}, {p, old + 86400000LL * 40, 2, 0}});
  ASSERT_OK(r);
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(One(c, "SELECT count(*) FROM pg_class WHERE relname IN ('reading_201501', 'reading_201502')"), "2");
}

// Regression: a point deleted after its id was resolved made the whole
// batch fail (foreign key of heat.latest), and so every spool replay.
TEST_F(WriterTest, DeletedPointIsCountedNotFatal) {
  auto c = Super();
  int32_t p = Id(c, "S1.t2s");
  telemetry::Writer w(c, "Asia/Shanghai");
  auto r = w.Write({{p, kT0 + 7 * 86400000LL, 1, 0}, {999999, kT0 + 7 * 86400000LL, 2, 0}});
  ASSERT_OK(r);
  EXPECT_EQ(r->inserted, 1);
  EXPECT_EQ(r->orphaned, 1);
  EXPECT_EQ(r->duplicates, 0);
  // The fast path copied it before heat.latest's foreign key refused it;
  // its savepoint took the reading and its hourly row back out.
  EXPECT_EQ(One(c, "SELECT count(*) FROM heat.reading WHERE point_id = 999999"), "0");
  EXPECT_EQ(One(c, "SELECT count(*) FROM heat.reading_hourly WHERE point_id = 999999"), "0");
  EXPECT_EQ(One(c, "SELECT count(*) FROM heat.reading_hourly WHERE point_id = " + std::to_string(p)), "1");
}

TEST_F(WriterTest, UnknownKeysAreCounted) {
  auto c = Super();
  telemetry::Writer w(c, "Asia/Shanghai");
  ASSERT_TRUE(w.NoteUnknown("coap", "860000000000001", 3).ok());
  ASSERT_TRUE(w.NoteUnknown("coap", "860000000000001", 2).ok());
  EXPECT_EQ(One(c, "SELECT count FROM heat.ingest_unknown WHERE key = '860000000000001'"), "5");
}

}  // namespace
}  // namespace heat::test
