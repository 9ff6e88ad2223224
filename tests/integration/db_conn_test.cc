// The libpq wrapper against a real server: parameters only,
// transactions, COPY in with escaping, LISTEN/NOTIFY, error codes.
#include "heat/db/conn.h"
#include "support/pgtest.h"

namespace heat::test {
namespace {

class ConnTest : public PgTest {};

TEST_F(ConnTest, ParametersAreNeverSplicedIntoSql) {
  auto c = Super();
  ASSERT_TRUE(c.Exec("CREATE TABLE t_param (s text)").ok());
  std::string evil = "x'); DROP TABLE t_param; --";
  ASSERT_TRUE(c.Exec("INSERT INTO t_param VALUES ($1)", {evil}).ok());
  auto r = c.Query("SELECT s FROM t_param");
  ASSERT_OK(r);
  EXPECT_EQ(r->get(0, 0), evil);
  auto n = c.Query("SELECT $1::text IS NULL AS isnull", {std::nullopt});
  ASSERT_OK(n);
  EXPECT_TRUE(n->get_bool(0, "isnull"));
}

// Prepared once, reused by text; an error keeps its code; a statement
// prepared inside a transaction that rolled back still works after it.
TEST_F(ConnTest, PreparedStatementsAreReusedAndOutliveARollback) {
  auto c = Super();
  ASSERT_TRUE(c.Exec("CREATE TABLE t_prep (i int PRIMARY KEY, s text)").ok());
  const std::string ins = "INSERT INTO t_prep VALUES ($1, $2) RETURNING i";
  {
    auto tx = db::Transaction::Start(c);
    ASSERT_OK(tx);
    ASSERT_OK(c.QueryPrepared(ins, {"1", "rolled back"}));
  }
  for (int i = 1; i <= 8; ++i) ASSERT_OK(c.QueryPrepared(ins, {std::to_string(i), std::nullopt}));
  auto dup = c.QueryPrepared(ins, {"1", "again"});
  EXPECT_EQ(dup.status().code(), Code::kConflict);
  auto bad = c.QueryPrepared("SELECT nope FROM t_prep");
  EXPECT_FALSE(bad.ok());
  auto r = c.QueryPrepared("SELECT count(*), count(s) FROM t_prep WHERE i <= $1", {"100"});
  ASSERT_OK(r);
  EXPECT_EQ(r->get(0, 0), "8");
  EXPECT_EQ(r->get(0, 1), "0");
  auto names = c.Query("SELECT count(*) FROM pg_prepared_statements");
  EXPECT_EQ(names->get(0, 0), "2");  // the insert and the count; the bad one was never kept
}

TEST_F(ConnTest, TransactionRollsBackUnlessCommitted) {
  auto c = Super();
  ASSERT_TRUE(c.Exec("CREATE TABLE t_tx (i int)").ok());
  {
    auto tx = db::Transaction::Start(c);
    ASSERT_OK(tx);
    ASSERT_TRUE(c.Exec("INSERT INTO t_tx VALUES (1)").ok());
  }  // destroyed without Commit
  {
    auto tx = db::Transaction::Start(c);
    ASSERT_OK(tx);
    ASSERT_TRUE(c.Exec("INSERT INTO t_tx VALUES (2)").ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto r = c.Query("SELECT string_agg(i::text, ',') FROM t_tx");
  EXPECT_EQ(r->get(0, 0), "2");
}

TEST_F(ConnTest, CopyInEscapesTabsNewlinesBackslashesAndNulls) {
  auto c = Super();
  ASSERT_TRUE(c.Exec("CREATE TABLE t_copy (i int, s text)").ok());
  std::vector<std::vector<db::Param>> rows;
  rows.push_back({"1", "a\tb\nc\\d 站"});
  rows.push_back({"2", std::nullopt});
  for (int i = 3; i <= 50000; ++i) rows.push_back({std::to_string(i), "row"});
  ASSERT_TRUE(c.CopyIn("t_copy", {"i", "s"}, rows).ok());
  auto r = c.Query("SELECT (SELECT s FROM t_copy WHERE i = 1), (SELECT s IS NULL FROM t_copy WHERE i = 2),"
                   " count(*) FROM t_copy");
  ASSERT_OK(r);
  EXPECT_EQ(r->get(0, 0), "a\tb\nc\\d 站");
  EXPECT_EQ(r->get(0, 1), "t");
  EXPECT_EQ(r->get(0, 2), "50000");
}

TEST_F(ConnTest, CopyInErrorIsReportedAndConnectionStaysUsable) {
  auto c = Super();
  ASSERT_TRUE(c.Exec("CREATE TABLE t_copy2 (i int PRIMARY KEY)").ok());
  auto st = c.CopyIn("t_copy2", {"i"}, {{"1"}, {"1"}});
  EXPECT_EQ(st.code(), Code::kConflict) << st.message();
  EXPECT_EQ(c.CopyIn("t_copy2", {"i"}, {{"x"}}).code(), Code::kUsage);
  auto r = c.Query("SELECT count(*) FROM t_copy2");
  ASSERT_OK(r);
  EXPECT_EQ(r->get(0, 0), "0");
}

TEST_F(ConnTest, ListenReceivesNotify) {
  auto a = Super();
  auto b = Super();
  ASSERT_TRUE(a.Listen("heat_test").ok());
  auto none = a.WaitNotify(50);
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(b.Notify("heat_test", "站 S01 changed").ok());
  auto got = a.WaitNotify(5000);
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->first, "heat_test");
  EXPECT_EQ((*got)->second, "站 S01 changed");
}

TEST_F(ConnTest, ServerErrorsMapToExitCodes) {
  auto c = Super();
  EXPECT_EQ(c.Exec("SELECT 1/0").code(), Code::kUsage);
  EXPECT_EQ(c.Exec("SELECT nope FROM nowhere").code(), Code::kFailure);
  auto st = c.Exec("SELECT 'x'::int");
  EXPECT_EQ(st.code(), Code::kUsage);
  EXPECT_NE(st.message().find("invalid input syntax"), std::string::npos);
}

// Billing retried a transaction when the message *read* like a
// serialization failure; now the SQLSTATE decides, whatever the text.
TEST_F(ConnTest, SerializationFailureAndDeadlockAreTransientByTheirSqlState) {
  auto c = Super();
  auto raise = [&](const char* state, const char* text) {
    return c.Exec(std::string("DO $$BEGIN RAISE EXCEPTION '") + text + "' USING ERRCODE = '" + state + "'; END$$");
  };
  auto st = raise("40001", "the account changed meanwhile");
  EXPECT_EQ(st.code(), Code::kConflict);
  EXPECT_TRUE(st.transient());
  EXPECT_TRUE(st.With("charge").transient());
  EXPECT_TRUE(raise("40P01", "x").transient());
  st = raise("23505", "could not serialize access");  // a conflict that running again will not cure
  EXPECT_EQ(st.code(), Code::kConflict);
  EXPECT_FALSE(st.transient());
  EXPECT_FALSE(raise("55000", "deadlock detected").transient());
}

}  // namespace
}  // namespace heat::test
