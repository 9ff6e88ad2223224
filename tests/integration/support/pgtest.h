// support/pgtest.h — integration tests against the private PostgreSQL that
// CTest's fixture started (env HEAT_TEST_PG = its folder). Each test suite
// gets a fresh database with every migration applied, and connects as real
// login roles, so row-level security and grants are exercised for real.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "heat/db/conn.h"

namespace heat::test {

class PgTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  // A connection as the cluster superuser, or as a login role.
  static db::Conn Super();
  static db::Conn As(const std::string& login);
  // Runs SQL as superuser; fails the test on error.
  static void Sql(const std::string& sql);
  // A login role (cluster-wide, so the name is made unique per suite) in the
  // given group role with a data scope; returns the actual login name.
  static std::string MakeUser(const std::string& base, const std::string& role,
                              const std::string& org = "");
  // Org unit HQ, station S1 with control box S1-CB (MQTT) and a point
  // "S1.<tag>" for each tag: the base information telemetry tests need.
  static void MakeStationS1(const std::vector<std::string>& tags);
  // Billing base data: season 2025-2026 (2025-10-10 .. 2026-04-10) with
  // residential at 22.00 yuan/m², and `community` with building 1号楼 and
  // unit 1单元 (bill.unit's only row) for the houses a test adds.
  static void MakeBillingSeason2025(const std::string& community);
  static const std::string& dbname() { return dbname_; }
  static std::string Conninfo(const std::string& user);

 private:
  static std::string dbname_;
  static bool ready_;  // the suite's database exists and is migrated
};

// Asserts a Result/Status is ok, printing its message otherwise.
#define ASSERT_OK(expr)                                  \
  do {                                                   \
    const auto& heat_s_ = (expr);                        \
    ASSERT_TRUE(heat_s_.ok()) << heat_s_.status().message(); \
  } while (0)

}  // namespace heat::test
