// Billing rules that must hold in every order of events (an outside
// audit): concurrent charges of one house from several terminals all post,
// with receipts gapless per cashier and the ledger as the fee engine says;
// random requests, approvals, charges, reversals, status changes and rule
// changes never leave an account that `show` or `charge` refuses.
#include <algorithm>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "heat/billing/audit.h"
#include "heat/billing/ops.h"
#include "support/pgtest.h"

namespace heat::test {
namespace {

class BillingRulesTest : public PgTest {
 protected:
  static void SetUpTestSuite() {
    PgTest::SetUpTestSuite();
    MakeBillingSeason2025("南湖小区");
    Sql(R"(
      INSERT INTO bill.house (code, unit_id, room, charged_area, house_type)
        SELECT 'Q' || g, u.id, g::text, 100, 'residential' FROM bill.unit u, generate_series(1, 9) g;
    )");
    for (int i = 0; i < 4; ++i) cashiers_.push_back(MakeUser("par" + std::to_string(i), "bill_cashier"));
    supervisor_ = MakeUser("sup", "bill_supervisor");
  }
  static inline std::vector<std::string> cashiers_;
  static inline std::string supervisor_;

  static db::Conn Cashier(const std::string& who) {
    db::Conn c = As(who);
    EXPECT_TRUE(c.Exec("SET TimeZone = 'Asia/Shanghai'").ok());
    return c;
  }
};

// Item 7: a serialization conflict between terminals is the tool's to
// retry, never the cashier's; 20 charges at once from 4 logins all post.
TEST_F(BillingRulesTest, TwentyParallelChargesFromFourCashiersAllPost) {
  std::mutex mu;
  std::vector<std::string> receipts, failures;
  std::vector<std::thread> terminals;
  for (int i = 0; i < 20; ++i)
    terminals.emplace_back([&, i] {
      db::Conn c = Cashier(cashiers_[i % 4]);
      auto p = billing::Charge(c, {"Q1", "2025-2026", 1000, "cash", "counter", ""});
      std::lock_guard<std::mutex> lock(mu);
      if (p.ok()) receipts.push_back(p->receipt_no);
      else failures.push_back(p.status().message());
    });
  for (auto& t : terminals) t.join();
  ASSERT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures[0];
  EXPECT_EQ(std::set<std::string>(receipts.begin(), receipts.end()).size(), 20u) << "receipts unique";
  db::Conn c = Cashier(cashiers_[0]);
  auto r = c.Query("SELECT prefix, count(*), min(n), max(n) FROM bill.receipt WHERE prefix LIKE '%par%'"
                   " GROUP BY prefix ORDER BY prefix");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 4);
  for (int i = 0; i < r->size(); ++i) {
    EXPECT_EQ(r->get_int(i, 1), 5) << r->get(i, 0);
    EXPECT_EQ(r->get_int(i, 2), 1) << r->get(i, 0) << ": gapless from 1";
    EXPECT_EQ(r->get_int(i, 3), 5) << r->get(i, 0) << ": gapless to 5";
  }
  auto bal = c.Query("SELECT (bill.account_sums(a.id)).balance FROM bill.account a JOIN bill.house h"
                     " ON h.id = a.house_id WHERE h.code = 'Q1'");
  ASSERT_OK(bal);
  EXPECT_EQ(bal->get_int(0, 0), 220000 - 20 * 1000);
  auto today = billing::Today(c);
  ASSERT_OK(today);
  auto findings = billing::LedgerVsEngine(c, *today);
  ASSERT_OK(findings);
  EXPECT_TRUE(findings->empty()) << findings->front().detail;
}

// What a cashier needs of an account: `show` (the standing, explained)
// and `charge` (the engine's view with one more payment) both work.
void ExpectUsable(db::Conn& c, const std::string& house, const std::string& step) {
  auto h = billing::FindHouse(c, house);
  auto s = billing::FindSeason(c, "2025-2026");
  ASSERT_OK(h);
  ASSERT_OK(s);
  auto row = billing::LoadAccount(c, *h, *s);
  ASSERT_OK(row);
  auto base = billing::LoadParams(c);
  ASSERT_OK(base);
  auto params = billing::ParamsForAccount(c, *row, *base);
  auto today = billing::Today(c);
  auto st = billing::StandingOf(c, *row, *params, *today);
  ASSERT_TRUE(st.ok()) << "show refuses " << house << " after " << step << ": " << st.status().message();
  auto in = billing::BuildFeeInput(c, *row, *today);
  ASSERT_OK(in);
  in->payments.push_back({*today, 1});
  auto fee = billing::ComputeFee(*in, *params);
  ASSERT_TRUE(fee.ok()) << "charge refuses " << house << " after " << step << ": " << fee.status().message();
}

// Item 3 (BIL-13), seed 13: 200 random steps over five houses, each one
// of: a charge, a reversal of any entry, a fee or late-fee reduction
// request (immediate or pending), a supervisor's approval, a heating
// status change on a random day, the late fee switched on or off. Refused
// steps are fine; an account that `show` or `charge` refuses is not.
TEST_F(BillingRulesTest, RandomEventsNeverLeaveAnAccountShowOrChargeRefuses) {
  db::Conn c = Cashier(cashiers_[0]);
  db::Conn sup = Cashier(supervisor_);
  std::mt19937 rng(13);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  for (int q = 2; q <= 6; ++q)
    ASSERT_OK(billing::OpenAccount(c, *billing::FindHouse(c, "Q" + std::to_string(q)),
                                   *billing::FindSeason(c, "2025-2026")));
  for (int step = 0; step < 200; ++step) {
    std::string house = "Q" + std::to_string(2 + pick(5));
    auto h = billing::FindHouse(c, house);
    ASSERT_OK(h);
    auto row = billing::OpenAccount(c, *h, *billing::FindSeason(c, "2025-2026"));
    ASSERT_OK(row);
    std::string acct = std::to_string(row->id), what;
    switch (pick(7)) {
      case 0:
        what = "charge";
        (void)billing::Charge(c, {house, "2025-2026", 1 + pick(60000), "cash", "counter", ""});
        break;
      case 1:
        what = "reversal";
        (void)billing::ReverseEntry(c, house, "2025-2026", 1 + pick(row->next_seq()), "test");
        break;
      case 2:
      case 3:
        what = pick(2) ? "late-fee reduction request" : "reduction request";
        (void)c.Exec("SELECT bill.request_open($1, $2, $3, NULL, 'test')",
                     {what[0] == 'l' ? "late_fee" : "reduction", acct, std::to_string(-1 - pick(15000))});
        break;
      case 4: {
        what = "approval";
        auto q = sup.Query("SELECT min(id) FROM bill.request WHERE outcome = 'pending' AND route = 'supervisor'");
        if (q.ok() && !q->is_null(0, 0)) (void)sup.Exec("SELECT bill.decide($1, 'approve', 'bill_supervisor')", {q->get(0, 0)});
        break;
      }
      case 5: {
        what = "status change";
        Date day = AddDays(*ParseDate("2025-10-10"), pick(182));
        (void)billing::ChangeStatus(c, house, "2025-2026", static_cast<billing::EventKind>(pick(4)), day);
        break;
      }
      default:
        what = "late fee switched";
        Sql(pick(2) ? "DELETE FROM bill.param WHERE name LIKE 'late_fee.%'"
                    : "INSERT INTO bill.param VALUES ('late_fee.daily_rate', '0.05%'), ('late_fee.due', '12-31')"
                      " ON CONFLICT (name) DO NOTHING");
    }
    std::string at = what + " (step " + std::to_string(step) + ")";
    if (what == "late fee switched") {
      for (int q = 2; q <= 6; ++q) ExpectUsable(c, "Q" + std::to_string(q), at);
    } else {
      ExpectUsable(c, house, at);
    }
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace heat::test
