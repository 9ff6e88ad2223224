// The daily cash-up's rules hold for raw SQL as real logins (BIL-19,
// BIL-28; lib/sql/0035_day_close.sql): a cashier cannot close their own
// day, write the sheets or enter anything into a closed day; nobody
// changes a closed sheet; a supervisor closes only their scope's days.
#include "world.h"

namespace heat::test {
namespace {

class DayCloseSecurity : public SecurityWorld {
 protected:
  // A fresh cashier of BR1 who took 10.00 yuan on H1's account today and
  // submitted the day; returns the login.
  static std::string SubmittedCashier(const std::string& base) {
    std::string login = MakeUser(base, "bill_cashier", "BR1");
    auto c = As(login);
    EXPECT_TRUE(c.Exec(Fill("SELECT bill.post({A1}, NULL, 'payment', -1000, bill.today(), NULL, 'counter', 'cash', '')")).ok());
    auto st = c.Exec("SELECT bill.day_submit(NULL, 1000)");
    EXPECT_TRUE(st.ok()) << st.message();
    return login;
  }
  static std::string Entries(const std::string& login) {
    return Value("SELECT count(*) FROM bill.entry WHERE by_login = '" + login + "'");
  }
};

TEST_F(DayCloseSecurity, CashierCannotCloseTheirOwnDay) {
  std::string me = SubmittedCashier("dcown");
  auto st = As(me).Exec("SELECT bill.day_close(session_user, NULL)");
  EXPECT_EQ(st.code(), Code::kPermission) << st.message();
  EXPECT_NE(st.message().find("nobody closes or reopens their own day"), std::string::npos) << st.message();
  EXPECT_EQ(Value("SELECT state FROM bill.day_sheet WHERE cashier = '" + me + "'"), "submitted");
}

TEST_F(DayCloseSecurity, CashierCannotWriteTheSheetTable) {
  std::string me = SubmittedCashier("dcwrite");
  auto c = As(me);
  for (const std::string sql :
       {"UPDATE bill.day_sheet SET state = 'closed', closed_by = session_user, closed_at = now()",
        "UPDATE bill.day_sheet SET takings_fen = 0", "DELETE FROM bill.day_sheet",
        "INSERT INTO bill.day_sheet (cashier, day, state, totals, takings_fen, cash_fen, closed_by, closed_at)"
        " VALUES (session_user, current_date - 1, 'closed', '{}', 0, 0, session_user, now())"}) {
    auto st = c.Exec(sql);
    EXPECT_EQ(st.code(), Code::kPermission) << sql << ": " << st.message();
  }
  EXPECT_EQ(Value("SELECT state || ' ' || takings_fen FROM bill.day_sheet WHERE cashier = '" + me + "'"),
            "submitted 1000");
}

TEST_F(DayCloseSecurity, BillPostIntoAClosedDayIsRefused) {
  std::string me = SubmittedCashier("dcpost");
  auto close = As(Login("bill_supervisor")).Exec("SELECT bill.day_close($1, NULL)", {me});
  ASSERT_TRUE(close.ok()) << close.message();
  auto c = As(me);
  auto st = c.Exec(Fill("SELECT bill.post({A1}, NULL, 'payment', -500, bill.today(), NULL, 'counter', 'cash', '')"));
  EXPECT_EQ(st.code(), Code::kConflict) << st.message();
  EXPECT_NE(st.message().find("is closed"), std::string::npos) << st.message();
  st = c.Exec(Fill("SELECT bill.charge({A1}, NULL, 500, bill.today(), 'counter', 'cash', '')"));
  EXPECT_EQ(st.code(), Code::kConflict) << st.message();
  // Not even dated on the closed day from another door, nor in a
  // transaction whose snapshot might predate the close.
  st = c.Exec(Fill("SELECT bill.request_open('reduction', {A1}, -100, NULL, 'x')"));
  EXPECT_EQ(st.code(), Code::kConflict) << st.message();
  ASSERT_TRUE(c.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ").ok());
  st = c.Exec(Fill("SELECT bill.post({A1}, NULL, 'payment', -500, bill.today() + 1, NULL, 'counter', 'cash', '')"));
  EXPECT_EQ(st.code(), Code::kConflict) << st.message();
  ASSERT_TRUE(c.Exec("ROLLBACK").ok());
  EXPECT_EQ(Entries(me), "1");
}

TEST_F(DayCloseSecurity, ClosedSheetTotalsCannotBeUpdatedEvenByTheOwner) {
  std::string me = SubmittedCashier("dcupd");
  ASSERT_TRUE(As(Login("bill_supervisor")).Exec("SELECT bill.day_close($1, NULL)", {me}).ok());
  std::string before = Value("SELECT totals::text FROM bill.day_sheet WHERE cashier = '" + me + "'");
  auto s = Super();
  for (const std::string sql :
       {"UPDATE bill.day_sheet SET takings_fen = 0 WHERE cashier = $1",
        "UPDATE bill.day_sheet SET totals = totals || '{\"takings_fen\": 0}' WHERE cashier = $1",
        "UPDATE bill.day_sheet SET state = 'submitted', closed_by = NULL, closed_at = NULL WHERE cashier = $1",
        "DELETE FROM bill.day_sheet WHERE cashier = $1"}) {
    auto st = s.Exec(sql, {me});
    EXPECT_EQ(st.code(), Code::kPermission) << sql << ": " << st.message();
  }
  EXPECT_EQ(Value("SELECT totals::text FROM bill.day_sheet WHERE cashier = '" + me + "'"), before);
}

TEST_F(DayCloseSecurity, SupervisorOfAnotherBranchNeitherSeesNorClosesTheDay) {
  std::string me = SubmittedCashier("dcscope");
  std::string other = MakeUser("dcsup2", "bill_supervisor", "BR2");
  auto c = As(other);
  auto st = c.Exec("SELECT bill.day_close($1, NULL)", {me});
  EXPECT_EQ(st.code(), Code::kPermission) << st.message();
  auto seen = c.Query("SELECT count(*) FROM bill.day_sheet WHERE cashier = $1", {me});
  ASSERT_OK(seen);
  EXPECT_EQ(seen->get(0, 0), "0");
  seen = As(Login("bill_cashier")).Query("SELECT count(*) FROM bill.day_sheet WHERE cashier = $1", {me});
  ASSERT_OK(seen);
  EXPECT_EQ(seen->get(0, 0), "0") << "a cashier reads another cashier's day";
  seen = As(Login("bill_supervisor")).Query("SELECT count(*) FROM bill.day_sheet WHERE cashier = $1", {me});
  ASSERT_OK(seen);
  EXPECT_EQ(seen->get(0, 0), "1");
}

}  // namespace
}  // namespace heat::test
