// The yearly account of a house (billing/ledger.h; BIL-10, BIL-11) and
// related houses (BIL-4). Amounts in fen; the assessed fee is 100.00 m²
// at 22.00 yuan/m² = 220000 fen unless a test says otherwise.
#include <gtest/gtest.h>

#include <random>

#include "heat/billing/ledger.h"

namespace heat::billing {
namespace {

Date D(const char* s) { return *ParseDate(s); }
const Date kDay = Date{2025, 10, 1};

Fen SumOfEntries(const Account& a) {
  Fen sum = 0;
  for (const auto& e : a.entries()) sum += e.amount;
  return sum;
}

Account Assessed(Fen fee = 220000, bool prepay = false) {
  Account a("H-0101", 2025, prepay);
  EXPECT_TRUE(a.Assess(kDay, fee, "season 2025").ok());
  return a;
}

TEST(LedgerTest, Assessed220000PaidInFullOwesNothing) {
  Account a = Assessed();
  EXPECT_EQ(a.Balance(), 220000);
  auto id = a.Pay(D("2025-10-05"), 220000, "receipt 000123");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 2);
  EXPECT_EQ(a.Balance(), 0);
  EXPECT_EQ(a.Paid(), 220000);
  EXPECT_EQ(a.Charges(), 220000);
  EXPECT_FALSE(a.Owes());
  EXPECT_EQ(a.entries()[1].kind, EntryKind::kPayment);
  EXPECT_EQ(a.entries()[1].amount, -220000);  // payments are negative
  EXPECT_EQ(a.entries()[1].note, "receipt 000123");
}

TEST(LedgerTest, SignsOfEveryKind_BalanceIsTheSum) {
  // 220000 assessed − 11000 discount − 10000 reduction + 3410 late fee
  // + 500 adjustment − 200000 paid = 2910 owed.
  Account a = Assessed();
  ASSERT_TRUE(a.Discount(kDay, 11000).ok());
  ASSERT_TRUE(a.Reduce(kDay, 10000, "low income").ok());
  ASSERT_TRUE(a.LateFee(kDay, 3410).ok());
  ASSERT_TRUE(a.Adjust(kDay, 500, "area correction").ok());
  ASSERT_TRUE(a.Pay(kDay, 200000).ok());
  EXPECT_EQ(a.Balance(), 2910);
  EXPECT_EQ(SumOfEntries(a), 2910);
  EXPECT_EQ(a.Charges(), 202910);
  std::vector<Fen> amounts;
  for (const auto& e : a.entries()) amounts.push_back(e.amount);
  EXPECT_EQ(amounts, (std::vector<Fen>{220000, -11000, -10000, 3410, 500, -200000}));
}

TEST(LedgerTest, OverpaymentRefusedByDefault_KeptAsPrepaymentWhenAllowed) {
  Account a = Assessed();
  auto r = a.Pay(kDay, 220001);
  EXPECT_EQ(r.status().code(), Code::kConflict);
  EXPECT_EQ(a.entries().size(), 1u);  // nothing recorded
  EXPECT_EQ(a.Balance(), 220000);

  Account b = Assessed(220000, /*prepay=*/true);
  ASSERT_TRUE(b.Pay(kDay, 230000).ok());
  EXPECT_EQ(b.Balance(), -10000);  // a 10000 fen credit
  EXPECT_EQ(b.Paid(), 230000);
  // The credit can be refunded, not more.
  EXPECT_EQ(b.Refund(kDay, 10001).status().code(), Code::kConflict);
  ASSERT_TRUE(b.Refund(kDay, 10000).ok());
  EXPECT_EQ(b.Balance(), 0);
  EXPECT_EQ(b.Paid(), 220000);
}

TEST(LedgerTest, RefundNeverBeyondWhatWasPaidOrTheCredit) {
  Account a = Assessed();
  ASSERT_TRUE(a.Pay(kDay, 220000).ok());
  // Nothing paid beyond the charges: no refund.
  EXPECT_EQ(a.Refund(kDay, 1).status().code(), Code::kConflict);
  // Suspended mid-season: the fee is 136231, so 83769 is credit.
  ASSERT_TRUE(a.Adjust(D("2026-01-01"), -83769, "suspended from 2026-01-01").ok());
  EXPECT_EQ(a.Balance(), -83769);
  EXPECT_EQ(a.Refund(kDay, 83770).status().code(), Code::kConflict);
  ASSERT_TRUE(a.Refund(kDay, 83769).ok());
  EXPECT_EQ(a.Balance(), 0);
  EXPECT_EQ(a.Paid(), 136231);

  // A credit beyond what was paid cannot be refunded: nothing was paid.
  Account c = Assessed(1000);
  EXPECT_EQ(c.Refund(kDay, 1).status().code(), Code::kConflict);
}

TEST(LedgerTest, ReversalUndoesOnceAndCannotBeReversed) {
  Account a = Assessed();
  int64_t pay = *a.Pay(kDay, 100000);
  auto rev = a.Reverse(D("2025-10-02"), pay, "wrong house");
  ASSERT_TRUE(rev.ok());
  EXPECT_EQ(a.Balance(), 220000);
  EXPECT_EQ(a.Paid(), 0);
  const Entry* e = a.Find(*rev);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->kind, EntryKind::kReversal);
  EXPECT_EQ(e->reverses, pay);
  EXPECT_EQ(e->amount, 100000);
  EXPECT_TRUE(a.IsReversed(pay));
  EXPECT_EQ(a.Reverse(kDay, pay).status().code(), Code::kConflict);    // once
  EXPECT_EQ(a.Reverse(kDay, *rev).status().code(), Code::kConflict);   // not a reversal
  EXPECT_EQ(a.Reverse(kDay, 99).status().code(), Code::kNotFound);
  EXPECT_EQ(a.Reverse(kDay, 0).status().code(), Code::kNotFound);
}

TEST(LedgerTest, OneAssessedFeeAtATime_ReassessAfterReversal) {
  Account a = Assessed();
  EXPECT_EQ(a.Assess(kDay, 195630).status().code(), Code::kConflict);
  ASSERT_TRUE(a.Reverse(kDay, 1, "area was 87.53 m²").ok());
  ASSERT_TRUE(a.Assess(kDay, 195630).ok());
  EXPECT_EQ(a.Balance(), 195630);
}

TEST(LedgerTest, ChargesNeverBelowZero) {
  Account a = Assessed(1000);
  EXPECT_EQ(a.Reduce(kDay, 1001).status().code(), Code::kConflict);
  EXPECT_EQ(a.Adjust(kDay, -1001).status().code(), Code::kConflict);
  ASSERT_TRUE(a.Discount(kDay, 400).ok());
  EXPECT_EQ(a.Reverse(kDay, 1).status().code(), Code::kConflict);  // the discount would stay alone
  ASSERT_TRUE(a.Reverse(kDay, 2).ok());
  ASSERT_TRUE(a.Reverse(kDay, 1).ok());
  EXPECT_EQ(a.Balance(), 0);
}

TEST(LedgerTest, PaymentWhoseMoneyWasRefundedIsReversedAfterTheRefund) {
  // 1000 assessed, 1000 paid, 300 reduced, 300 refunded: 700 paid, 0 owed.
  Account a = Assessed(1000);
  int64_t pay = *a.Pay(kDay, 1000);
  ASSERT_TRUE(a.Reduce(kDay, 300).ok());
  int64_t refund = *a.Refund(kDay, 300);
  EXPECT_EQ(a.Paid(), 700);
  EXPECT_EQ(a.Balance(), 0);
  // Reversing the payment first would leave -300 paid.
  EXPECT_EQ(a.Reverse(kDay, pay).status().code(), Code::kConflict);
  ASSERT_TRUE(a.Reverse(kDay, refund).ok());
  ASSERT_TRUE(a.Reverse(kDay, pay).ok());
  EXPECT_EQ(a.Paid(), 0);
  EXPECT_EQ(a.Balance(), 700);  // 1000 − 300 reduction
}

TEST(LedgerTest, RefusesMalformedAmounts) {
  Account a = Assessed();
  EXPECT_EQ(a.Pay(kDay, 0).status().code(), Code::kUsage);
  EXPECT_EQ(a.Pay(kDay, -5).status().code(), Code::kUsage);
  EXPECT_EQ(a.Refund(kDay, -5).status().code(), Code::kUsage);
  EXPECT_EQ(a.Discount(kDay, 0).status().code(), Code::kUsage);
  EXPECT_EQ(a.Reduce(kDay, -1).status().code(), Code::kUsage);
  EXPECT_EQ(a.LateFee(kDay, 0).status().code(), Code::kUsage);
  EXPECT_EQ(a.Adjust(kDay, 0).status().code(), Code::kUsage);
  EXPECT_EQ(a.LateFee(kDay, kMaxFen).status().code(), Code::kUsage);  // sum beyond kMaxFen
  EXPECT_EQ(Account("H", 2025).Assess(kDay, 0).status().code(), Code::kUsage);
  EXPECT_EQ(a.entries().size(), 1u);
}

TEST(LedgerTest, ReplayRebuildsAndChecks) {
  Account a = Assessed(220000, true);
  ASSERT_TRUE(a.Pay(kDay, 230000).ok());
  ASSERT_TRUE(a.Reverse(kDay, 2).ok());
  auto b = Account::Replay("H-0101", 2025, false, a.entries());  // policy is not re-applied
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->Balance(), a.Balance());
  EXPECT_EQ(b->Paid(), a.Paid());
  EXPECT_TRUE(b->IsReversed(2));

  std::vector<Entry> bad = a.entries();
  bad[1].id = 5;
  EXPECT_EQ(Account::Replay("H-0101", 2025, false, bad).status().code(), Code::kFailure);
  bad = a.entries();
  bad[2].amount = 1;  // a reversal that does not negate
  EXPECT_EQ(Account::Replay("H-0101", 2025, false, bad).status().code(), Code::kFailure);
  bad = a.entries();
  bad[1].amount = 230000;  // a payment with the wrong sign
  EXPECT_EQ(Account::Replay("H-0101", 2025, false, bad).status().code(), Code::kUsage);
}

TEST(LedgerTest, MainHouseWaitsForSubsidiaryHouses_BIL4) {
  Account main = Assessed();
  Account garage("H-0101-G", 2025);
  ASSERT_TRUE(garage.Assess(kDay, 30000).ok());
  Account store("H-0101-S", 2024);
  ASSERT_TRUE(store.Assess(kDay, 5000).ok());
  Status s = CanPay(main, {garage, store});
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_NE(s.message().find("H-0101-G (season 2025, 300.00 yuan)"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("H-0101-S (season 2024, 50.00 yuan)"), std::string::npos) << s.message();
  ASSERT_TRUE(garage.Pay(kDay, 30000).ok());
  ASSERT_TRUE(store.Pay(kDay, 5000).ok());
  EXPECT_TRUE(CanPay(main, {garage, store}).ok());
  EXPECT_TRUE(CanPay(main, {}).ok());
  EXPECT_EQ(CanPay(main, {main}).code(), Code::kUsage);
}

// Property (seed 20251010): random sequences of operations, each of which
// may be refused. After every step the balance equals the sum of the
// entries, a refused step changes nothing, the money received (payments −
// refunds, net of reversals, counted outside the ledger) equals Paid(),
// and Paid() and Charges() are never negative. At the end, reversing every
// entry still standing except the assessed fee, in the order of ledger.h
// (refunds, then payments, then credits, then charges) always succeeds and
// leaves exactly the assessed fee owed and nothing paid.
TEST(LedgerTest, RandomSequencesNeverCreateOrLoseAFen) {
  std::mt19937 rng(20251010);
  for (int run = 0; run < 200; ++run) {
    bool prepay = run % 2 == 1;
    Fen fee = 1 + static_cast<Fen>(rng() % 400000);
    Account a("H-" + std::to_string(run), 2025, prepay);
    ASSERT_TRUE(a.Assess(kDay, fee).ok());
    Fen money_in = 0;  // counted here, not by the ledger
    for (int step = 0; step < 60; ++step) {
      Fen amount = 1 + static_cast<Fen>(rng() % 250000);
      size_t before = a.entries().size();
      Fen balance_before = a.Balance();
      Result<int64_t> r = Status::Failure("no op");
      int op = static_cast<int>(rng() % 8);
      switch (op) {
        case 0: r = a.Pay(kDay, amount); if (r.ok()) money_in += amount; break;
        case 1: r = a.Refund(kDay, amount % 50000 + 1); if (r.ok()) money_in -= amount % 50000 + 1; break;
        case 2: r = a.Discount(kDay, amount % 20000 + 1); break;
        case 3: r = a.Reduce(kDay, amount % 30000 + 1); break;
        case 4: r = a.LateFee(kDay, amount % 5000 + 1); break;
        case 5: r = a.Adjust(kDay, static_cast<Fen>(amount % 20001) - 10000); break;
        case 6: r = a.Assess(kDay, amount); break;
        default: {
          int64_t id = 1 + static_cast<int64_t>(rng() % a.entries().size());
          const Entry target = a.entries()[static_cast<size_t>(id - 1)];
          r = a.Reverse(kDay, id);
          if (r.ok() && target.kind == EntryKind::kPayment) money_in += target.amount;
          if (r.ok() && target.kind == EntryKind::kRefund) money_in += target.amount;
          break;
        }
      }
      if (!r.ok()) {
        ASSERT_EQ(a.entries().size(), before);
        ASSERT_EQ(a.Balance(), balance_before);
      } else {
        ASSERT_EQ(a.entries().size(), before + 1);
      }
      ASSERT_EQ(a.Balance(), SumOfEntries(a));
      ASSERT_EQ(a.Paid(), money_in);
      ASSERT_GE(a.Paid(), 0);
      ASSERT_GE(a.Charges(), 0);
      if (!prepay && r.ok() && op == 0) {
        ASSERT_GE(a.Balance(), 0);  // no payment beyond the amount owed
      }
    }
    // Reverse everything still standing except the standing assessment:
    // refunds, then payments, then credits, then charges.
    Fen assessed = 0;
    for (const auto& e : a.entries())
      if (e.kind == EntryKind::kAssessed && !a.IsReversed(e.id)) assessed += e.amount;
    auto rank = [](const Entry& e) {
      if (e.kind == EntryKind::kRefund) return 0;
      if (e.kind == EntryKind::kPayment) return 1;
      return e.amount < 0 ? 2 : 3;
    };
    for (int pass = 0; pass < 4; ++pass) {
      std::vector<int64_t> standing;
      for (const auto& e : a.entries())
        if (e.kind != EntryKind::kReversal && e.kind != EntryKind::kAssessed && !a.IsReversed(e.id) &&
            rank(e) == pass)
          standing.push_back(e.id);
      for (int64_t id : standing) {
        auto r = a.Reverse(kDay, id);
        ASSERT_TRUE(r.ok()) << "run " << run << " entry " << id << ": " << r.status().ToString();
      }
    }
    EXPECT_EQ(a.Balance(), assessed);
    EXPECT_EQ(a.Paid(), 0);
    EXPECT_EQ(SumOfEntries(a), assessed);
  }
}

// Property (seed 7): without earlier reversals, undoing an account newest
// first always succeeds and returns it to the assessed fee (ledger.h).
TEST(LedgerTest, RandomSequencesWithoutReversalsUndoNewestFirst) {
  std::mt19937 rng(7);
  for (int run = 0; run < 200; ++run) {
    Account a("H-" + std::to_string(run), 2025, run % 2 == 1);
    Fen fee = 1 + static_cast<Fen>(rng() % 400000);
    ASSERT_TRUE(a.Assess(kDay, fee).ok());
    for (int step = 0; step < 40; ++step) {
      Fen amount = 1 + static_cast<Fen>(rng() % 250000);
      switch (rng() % 5) {
        case 0: (void)a.Pay(kDay, amount); break;
        case 1: (void)a.Refund(kDay, amount % 50000 + 1); break;
        case 2: (void)a.Reduce(kDay, amount % 30000 + 1); break;
        case 3: (void)a.LateFee(kDay, amount % 5000 + 1); break;
        default: (void)a.Adjust(kDay, static_cast<Fen>(amount % 20001) - 10000); break;
      }
    }
    for (int64_t id = static_cast<int64_t>(a.entries().size()); id > 1; --id) {
      auto r = a.Reverse(kDay, id);
      ASSERT_TRUE(r.ok()) << "run " << run << " entry " << id << ": " << r.status().ToString();
    }
    EXPECT_EQ(a.Balance(), fee);
    EXPECT_EQ(a.Paid(), 0);
  }
}

}  // namespace
}  // namespace heat::billing
