// db/conn and db/migrate pieces that need no server.
#include <gtest/gtest.h>

#include "heat/db/conn.h"
#include "heat/db/migrate.h"

namespace heat::db {
namespace {

TEST(ConnTest, SqlStateMapsToExitCodes) {
  EXPECT_EQ(CodeForSqlState("42501"), Code::kPermission);
  EXPECT_EQ(CodeForSqlState("23505"), Code::kConflict);
  EXPECT_EQ(CodeForSqlState("40001"), Code::kConflict);
  EXPECT_EQ(CodeForSqlState("P0002"), Code::kNotFound);
  EXPECT_EQ(CodeForSqlState("22P02"), Code::kUsage);
  EXPECT_EQ(CodeForSqlState("23514"), Code::kUsage);
  EXPECT_EQ(CodeForSqlState("28P01"), Code::kPermission);
  EXPECT_EQ(CodeForSqlState("XX000"), Code::kFailure);
}

TEST(ConnTest, UnreachableServerIsAFailureNamingTheEnvironment) {
  auto c = Conn::Open("host=/nonexistent-socket-dir port=1 connect_timeout=1");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kFailure);
  EXPECT_NE(c.status().message().find("PGHOST"), std::string::npos);
}

TEST(MigrateTest, VersionComesFromTheFourDigitPrefix) {
  EXPECT_EQ(MigrationVersion("0001_core.sql"), 1);
  EXPECT_EQ(MigrationVersion("0042_x.sql"), 42);
  EXPECT_EQ(MigrationVersion("001_core.sql"), 0);
  EXPECT_EQ(MigrationVersion("core.sql"), 0);
  EXPECT_EQ(MigrationVersion("00011_x.sql"), 0);
}

// Versions rise strictly from 0001 (a skipped number does no harm: the
// migrator records each version it applies).
TEST(MigrateTest, BundleHoldsLibSqlInOrder) {
  const auto& all = BundledMigrations();
  ASSERT_GE(all.size(), 5u);
  EXPECT_EQ(MigrationVersion(all[0].name), 1);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_GT(std::string(all[i].sql).size(), 100u);
    if (i == 0) continue;
    EXPECT_GT(MigrationVersion(all[i].name), MigrationVersion(all[i - 1].name)) << all[i].name;
  }
}

}  // namespace
}  // namespace heat::db
