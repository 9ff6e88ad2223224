// The migration runner: applies in order, is idempotent, and
// refuses to go on when an applied file was changed.
#include "heat/db/migrate.h"
#include "support/pgtest.h"

namespace heat::test {
namespace {

class MigrateTest : public PgTest {};

TEST_F(MigrateTest, SecondRunAppliesNothing) {
  auto c = Super();
  auto done = db::Migrate(c, db::BundledMigrations());
  ASSERT_OK(done);
  EXPECT_TRUE(done->empty());
  auto st = db::MigrationStatus(c, db::BundledMigrations());
  ASSERT_OK(st);
  for (const auto& s : *st) EXPECT_EQ(s.state, "applied") << s.name;
}

TEST_F(MigrateTest, ChangedAppliedFileIsRefused) {
  auto changed = db::BundledMigrations();
  std::string sql = std::string(changed[0].sql) + "\n-- edited\n";
  changed[0].sql = sql.c_str();
  auto c = Super();
  auto done = db::Migrate(c, changed);
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.status().code(), Code::kConflict);
  EXPECT_NE(done.status().message().find(changed[0].name), std::string::npos);
}

TEST_F(MigrateTest, NewFileIsAppliedAndRecorded) {
  auto more = db::BundledMigrations();
  more.push_back({"9999_test_extra.sql", "CREATE TABLE heat.test_extra (x int);"});
  auto c = Super();
  auto done = db::Migrate(c, more);
  ASSERT_OK(done);
  ASSERT_EQ(done->size(), 1u);
  auto r = c.Query("SELECT to_regclass('heat.test_extra') IS NOT NULL, "
                   "(SELECT count(*) FROM heat_meta.schema_migration WHERE version = 9999)");
  ASSERT_OK(r);
  EXPECT_EQ(r->get(0, 0), "t");
  EXPECT_EQ(r->get(0, 1), "1");
  // The database now knows a version this build does not.
  auto refused = db::Migrate(c, db::BundledMigrations());
  EXPECT_EQ(refused.status().code(), Code::kConflict);
}

TEST_F(MigrateTest, FailingFileLeavesNothingBehind) {
  auto more = db::BundledMigrations();
  more.push_back({"9998_broken.sql", "CREATE TABLE heat.half (x int); SELECT no_such_function();"});
  auto c = Super();
  auto done = db::Migrate(c, more);
  ASSERT_FALSE(done.ok());
  auto r = c.Query("SELECT to_regclass('heat.half') IS NULL");
  ASSERT_OK(r);
  EXPECT_EQ(r->get(0, 0), "t");
}

TEST_F(MigrateTest, ReadingPartitionsAreCreatedAhead) {
  auto c = Super();
  auto r = c.Query("SELECT count(*) FROM pg_inherits WHERE inhparent = 'heat.reading'::regclass");
  ASSERT_OK(r);
  EXPECT_GE(std::stoi(r->get(0, 0)), 4);
  auto made = c.Query("SELECT heat.ensure_reading_partitions(now(), now() + interval '3 months')");
  ASSERT_OK(made);
  EXPECT_EQ(made->get(0, 0), "0");  // idempotent
}

}  // namespace
}  // namespace heat::test
