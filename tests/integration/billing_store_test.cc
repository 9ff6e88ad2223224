// The billing ledger in PostgreSQL (BIL-9..BIL-12): the
// assessed fee the database enters equals the fee engine's; random
// sequences of payments, refunds and reversals through billing/ops.h keep
// every balance equal to the sum of its entries and to the C++ ledger's;
// and two terminals paying the same house at once never double an entry.
#include <random>
#include <thread>

#include "heat/billing/ops.h"
#include "support/pgtest.h"

namespace heat::test {
namespace {

class BillingStoreTest : public PgTest {
 protected:
  static void SetUpTestSuite() {
    PgTest::SetUpTestSuite();
    MakeBillingSeason2025("幸福小区");
    Sql(R"(
      INSERT INTO bill.tariff (season_id, house_type, from_date, fen_per_m2, base_ratio_ppm)
        SELECT id, 'commercial', '2025-10-10', 3133, 250000 FROM bill.season;
      -- A spread of odd areas, two types and all three statuses.
      INSERT INTO bill.house (code, unit_id, room, charged_area, house_type, heating_status)
        SELECT 'P' || g, u.id, g::text, (g * 37 % 20000) / 100.0 + 0.01,
               CASE WHEN g % 2 = 0 THEN 'residential' ELSE 'commercial' END,
               (ARRAY['heating', 'suspended', 'disconnected'])[g % 3 + 1]
        FROM bill.unit u, generate_series(1, 60) g;
    )");
    cashier_ = MakeUser("cash", "bill_cashier");
    cashier2_ = MakeUser("cash2", "bill_cashier");
  }
  static inline std::string cashier_, cashier2_;

  static db::Conn Cashier(const std::string& who = cashier_) {
    db::Conn c = As(who);
    EXPECT_TRUE(c.Exec("SET TimeZone = 'Asia/Shanghai'").ok());
    return c;
  }
};

TEST_F(BillingStoreTest, AssessedFeeInTheDatabaseEqualsTheEngine) {
  db::Conn c = Cashier();
  auto season = billing::FindSeason(c, "2025-2026");
  ASSERT_OK(season);
  auto params = billing::LoadParams(c);
  ASSERT_OK(params);
  for (int g = 1; g <= 60; ++g) {
    auto house = billing::FindHouse(c, "P" + std::to_string(g));
    ASSERT_OK(house);
    auto row = billing::OpenAccount(c, *house, *season);
    ASSERT_OK(row);
    auto p = billing::ParamsForAccount(c, *row, *params);
    ASSERT_OK(p);
    auto in = billing::BuildFeeInput(c, *row, season->start);
    ASSERT_OK(in);
    auto fee = billing::ComputeFee(*in, *p);
    ASSERT_OK(fee);
    // A fee of 0 (disconnected all season) is no entry at all.
    ASSERT_EQ(row->entries.size(), fee->heating_fee == 0 ? 0u : 1u) << house->code;
    if (fee->heating_fee != 0) {
      EXPECT_EQ(row->entries[0].entry.amount, fee->heating_fee) << house->code << " " << house->heating_status;
    }
  }
}

Fen SumOfEntries(db::Conn& c, const std::string& house) {
  auto r = c.Query("SELECT coalesce(sum(e.amount_fen), 0) FROM bill.entry e JOIN bill.account a ON a.id = e.account_id"
                   " JOIN bill.house h ON h.id = a.house_id WHERE h.code = $1", {house});
  EXPECT_TRUE(r.ok());
  return r.ok() ? r->get_int(0, 0) : -1;
}

// Property (seed 1010): random payments, refunds and reversals, valid or
// not. After each, the stored balance is the sum of the entries and equals
// the C++ ledger replayed from them; a refused operation leaves no trace.
TEST_F(BillingStoreTest, RandomOperationsNeverCreateOrLoseAFen) {
  db::Conn c = Cashier();
  std::mt19937 rng(1010);
  std::vector<std::string> receipts;
  int done = 0;
  // Accounts open first: a refused first operation rolls its opening back.
  for (int g = 6; g <= 30; g += 6) {
    auto h = billing::FindHouse(c, "P" + std::to_string(g));
    ASSERT_OK(h);
    ASSERT_OK(billing::OpenAccount(c, *h, *billing::FindSeason(c, "2025-2026")));
  }
  for (int i = 0; i < 150; ++i) {
    std::string house = "P" + std::to_string(6 + 6 * static_cast<int>(rng() % 5));  // heating residential
    Fen before = SumOfEntries(c, house);
    int op = static_cast<int>(rng() % 3);
    Fen amount = 1 + static_cast<Fen>(rng() % 5000);  // the fees here are 49 to 242 yuan
    Status st;
    if (op == 0) {
      auto p = billing::Charge(c, {house, "2025-2026", amount, "cash", "counter", ""});
      st = p.status();
      if (p.ok()) receipts.push_back(p->receipt_no);
    } else if (op == 1) {
      st = billing::Refund(c, {house, "2025-2026", amount, "cash", "counter", "test"}).status();
    } else if (!receipts.empty()) {
      st = billing::ReverseReceipt(c, receipts[rng() % receipts.size()], "test").status();
    }
    Fen after = SumOfEntries(c, house);
    if (st.ok()) ++done;
    if (!st.ok()) {
      EXPECT_EQ(after, before) << "a refused operation changed " << house << ": " << st.message();
    }
    auto h = billing::FindHouse(c, house);
    auto s = billing::FindSeason(c, "2025-2026");
    auto row = billing::LoadAccount(c, *h, *s);
    ASSERT_OK(row);
    auto params = billing::LoadParams(c);
    auto acct = billing::Replay(*row, *params);
    ASSERT_OK(acct);
    EXPECT_EQ(acct->Balance(), after);
    EXPECT_GE(acct->Paid(), 0);
    EXPECT_GE(acct->Charges(), 0);
  }
  EXPECT_GT(done, 40) << "too few operations succeeded to mean anything";
  EXPECT_GT(receipts.size(), 10u);
}

TEST_F(BillingStoreTest, TwoTerminalsPayingTheSameHouseNeverDoubleAnEntry) {
  const std::string house = "P36";  // residential, heating, not used above
  std::atomic<int> ok{0};
  auto pay = [&](const std::string& who) {
    db::Conn c = Cashier(who);
    for (int i = 0; i < 20; ++i)
      if (billing::Charge(c, {house, "2025-2026", 100, "cash", "counter", ""}).ok()) ok++;
  };
  std::thread a(pay, cashier_), b(pay, cashier2_);
  a.join();
  b.join();
  db::Conn c = Cashier();
  auto r = c.Query("SELECT count(*), count(DISTINCT e.seq), -coalesce(sum(e.amount_fen), 0) FROM bill.entry e"
                   " JOIN bill.account a ON a.id = e.account_id JOIN bill.house h ON h.id = a.house_id"
                   " WHERE h.code = $1 AND e.kind = 'payment'", {house});
  ASSERT_OK(r);
  EXPECT_EQ(r->get_int(0, 0), ok.load());
  EXPECT_EQ(r->get_int(0, 1), ok.load());
  EXPECT_EQ(r->get_int(0, 2), 100 * ok.load());
  EXPECT_GT(ok.load(), 0);
}

}  // namespace
}  // namespace heat::test
