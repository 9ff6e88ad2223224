#include "support/pgtest.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "heat/db/migrate.h"

namespace heat::test {

std::string PgTest::dbname_;
bool PgTest::ready_ = false;

namespace {
std::string PgDir() {
  const char* d = std::getenv("HEAT_TEST_PG");
  return d ? d : "";
}
std::string Port() {
  std::ifstream in(PgDir() + "/port");
  std::string p;
  in >> p;
  return p;
}
std::string SuiteName() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_suite();
  std::string s = info ? info->name() : "suite";
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

std::string PgTest::Conninfo(const std::string& user) {
  return "host=" + PgDir() + " port=" + Port() + " user=" + user +
         " dbname=" + (dbname_.empty() ? "postgres" : dbname_);
}

// Failures here are not fatal on purpose: a fatal one in SetUpTestSuite
// makes GoogleTest skip the suite's tests, and CTest reports them as
// skipped, not failed (a migration with a syntax error once passed CI as
// 34 skipped tests). Each test's SetUp fails instead.
void PgTest::SetUpTestSuite() {
  ready_ = false;
  dbname_ = "";
  if (PgDir().empty()) return ADD_FAILURE() << "HEAT_TEST_PG is not set: run through ctest";
  auto admin = db::Conn::Open(Conninfo("postgres"));
  if (!admin.ok()) return ADD_FAILURE() << admin.status().message();
  std::string name = "it_" + SuiteName() + "_" + std::to_string(getpid());
  (void)admin->Exec("DROP DATABASE IF EXISTS " + admin->QuoteIdent(name));
  auto st = admin->Exec("CREATE DATABASE " + admin->QuoteIdent(name));
  if (!st.ok()) return ADD_FAILURE() << st.message();
  dbname_ = name;
  auto c = Super();
  auto done = db::Migrate(c, db::BundledMigrations());
  if (!done.ok()) return ADD_FAILURE() << done.status().message();
  ready_ = true;
}

void PgTest::SetUp() { ASSERT_TRUE(ready_) << "the suite's database could not be set up (see above)"; }

void PgTest::MakeStationS1(const std::vector<std::string>& tags) {
  std::string values;
  for (const auto& t : tags) values += (values.empty() ? "('" : ", ('") + t + "')";
  Sql("INSERT INTO heat.org_unit (code, name) VALUES ('HQ', 'hq');"
      "INSERT INTO heat.station (code, name, org_id) SELECT 'S1', 's', id FROM heat.org_unit;"
      "INSERT INTO heat.device (code, name, kind, protocol, station_id)"
      "  SELECT 'S1-CB', 'cb', 'control_box', 'mqtt', id FROM heat.station;"
      "INSERT INTO heat.point (code, device_id, tag) SELECT 'S1.' || t, d.id, t"
      "  FROM heat.device d, (VALUES " + values + ") v(t);");
}

void PgTest::MakeBillingSeason2025(const std::string& community) {
  Sql("INSERT INTO bill.season (name, start_date, end_date) VALUES ('2025-2026', '2025-10-10', '2026-04-10');"
      "INSERT INTO bill.tariff (season_id, house_type, from_date, fen_per_m2)"
      "  SELECT id, 'residential', '2025-10-10', 2200 FROM bill.season;"
      "INSERT INTO bill.community (name) VALUES ('" + community + "');"
      "INSERT INTO bill.building (community_id, name) SELECT id, '1号楼' FROM bill.community;"
      "INSERT INTO bill.unit (building_id, name) SELECT id, '1单元' FROM bill.building;");
}

void PgTest::TearDownTestSuite() {
  if (dbname_.empty()) return;
  std::string name = dbname_;
  dbname_ = "";
  auto admin = db::Conn::Open(Conninfo("postgres"));
  if (admin.ok()) (void)admin->Exec("DROP DATABASE IF EXISTS " + admin->QuoteIdent(name) + " WITH (FORCE)");
}

db::Conn PgTest::Super() {
  auto c = db::Conn::Open(Conninfo("postgres"));
  if (!c.ok()) ADD_FAILURE() << c.status().message();
  return std::move(c).value();
}

db::Conn PgTest::As(const std::string& login) {
  auto c = db::Conn::Open(Conninfo(login));
  if (!c.ok()) ADD_FAILURE() << c.status().message();
  return std::move(c).value();
}

void PgTest::Sql(const std::string& sql) {
  auto c = Super();
  auto st = c.ExecScript(sql);
  if (st.ok()) return;
  ready_ = false;  // in a SetUpTestSuite: every test of the suite fails (see SetUpTestSuite)
  ADD_FAILURE() << st.message() << "\nin: " << sql;
}

std::string PgTest::MakeUser(const std::string& base, const std::string& role, const std::string& org) {
  std::string login = base + "_" + std::to_string(getpid() % 100000);
  auto c = Super();
  (void)c.Exec("DROP ROLE IF EXISTS " + c.QuoteIdent(login));
  auto st = c.Exec("SELECT heat.user_add($1, $2::text[], $3::text[])",
                   {login, "{" + role + "}", org.empty() ? "{}" : "{" + org + "}"});
  EXPECT_TRUE(st.ok()) << st.message();
  return login;
}

}  // namespace heat::test
