// billing/day_close.h without a database (BIL-19): sheets read as stored,
// groups and states of a day's overview, the reconciliation's verdict.
#include <gtest/gtest.h>

#include "heat/billing/day_close.h"

namespace heat::billing {
namespace {

const char* kSheet = R"({"cashier": "c1", "day": "2026-12-07", "payments": 2, "refunds": 1, "reversals": 1,
  "receipts": 3, "receipt_first": "c1-00000001", "receipt_last": "c1-00000003", "takings_fen": 9000,
  "cash_fen": 9000,
  "lines": [{"hall": "c1", "channel": "counter", "method": "cash", "kind": "payment", "count": 1, "takings_fen": 10000},
            {"hall": "c1", "channel": "counter", "method": "cash", "kind": "refund", "count": 1, "takings_fen": -1000},
            {"hall": "H2", "channel": "mobile", "method": "wechat", "kind": "payment", "count": 1, "takings_fen": 5050},
            {"hall": "H2", "channel": "mobile", "method": "wechat", "kind": "reversal", "count": 1, "takings_fen": -5050}],
  "voided": [{"receipt_no": "H2-00000002", "house": "H2", "amount_fen": 5050, "reason": "oops", "voided_by": "c1"}],
  "refund_list": [{"receipt_no": "c1-00000003", "house": "H1", "amount_fen": -1000, "reason": "back"}],
  "reversal_list": [{"receipt_no": "H2-00000002", "receipt_day": "2026-12-06", "house": "H2", "amount_fen": -5050,
                     "reason": "oops"}]})";

DayCashier Day(const std::string& cashier, const std::string& state, Fen ledger) {
  auto s = ParseDaySheet(kSheet);
  EXPECT_TRUE(s.ok()) << s.status().message();
  s->cashier = cashier;
  s->state = state;
  return {*s, s->takings, ledger};
}

TEST(DayCloseTest, SheetIsReadAsStoredWithListsAndHalls) {
  auto s = ParseDaySheet(kSheet);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->takings, 9000);
  EXPECT_EQ(s->receipt_first, "c1-00000001");
  EXPECT_EQ(s->lines.size(), 4u);
  EXPECT_EQ(s->Halls(), (std::vector<std::string>{"H2", "c1"}));
  ASSERT_EQ(s->reversal_list.size(), 1u);
  EXPECT_EQ(s->reversal_list[0].day, "2026-12-06");
  EXPECT_EQ(s->voided[0].who, "c1");
  EXPECT_EQ(s->totals_json, kSheet);
}

TEST(DayCloseTest, SheetWithoutItsTotalsIsAFailureNotACrash) {
  EXPECT_EQ(ParseDaySheet(R"({"cashier": "c1"})").status().code(), Code::kFailure);
  EXPECT_EQ(ParseDaySheet("not json").status().code(), Code::kFailure);
}

TEST(DayCloseTest, GroupsByMethodSumLinesAndTakeTheLeastAdvancedState) {
  std::vector<DayCashier> days{Day("c1", "closed", 9000), Day("c2", "submitted", 9000)};
  auto g = GroupDay(days, DayBy::kMethod, "", "");
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].key, "cash");
  EXPECT_EQ(g[0].takings, 18000);
  EXPECT_EQ(g[0].payments, 2);
  EXPECT_EQ(g[0].refunds, 2);
  EXPECT_EQ(g[0].cashiers, 2);
  EXPECT_EQ(g[0].state, "submitted");
  EXPECT_EQ(g[1].key, "wechat");
  EXPECT_EQ(g[1].takings, 0);
  EXPECT_EQ(g[1].reversals, 2);
}

TEST(DayCloseTest, HallFilterKeepsOnlyThatHallsLines) {
  std::vector<DayCashier> days{Day("c1", "closed", 9000), Day("c2", "open", 9000)};
  auto g = GroupDay(days, DayBy::kCashier, "", "c1");
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].takings, 9000);  // 10000 paid less 1000 refunded at hall c1
  EXPECT_EQ(g[1].state, "open");
  EXPECT_EQ(GroupDay(days, DayBy::kCashier, "c2", "")[0].key, "c2");
}

TEST(DayCloseTest, ReconciliationNamesTheCashierWhoseSheetDiffersToTheFen) {
  std::vector<DayCashier> days{Day("c1", "closed", 9000), Day("c2", "submitted", 9001)};
  auto rec = Reconcile(days, "", "");
  EXPECT_EQ(rec.sheets, 18000);
  EXPECT_EQ(rec.ledger, 18001);
  EXPECT_EQ(rec.closed, 1);
  EXPECT_EQ(rec.submitted, 1);
  ASSERT_EQ(rec.differences.size(), 1u);
  EXPECT_EQ(rec.differences[0],
            "c2: submitted sheet 90.00 yuan, ledger 90.01 yuan (entered after the submission: submit again)");
  EXPECT_TRUE(Reconcile(days, "c1", "").differences.empty());
}

TEST(DayCloseTest, UnknownByIsAUsageError) {
  EXPECT_EQ(ParseDayBy("station").status().code(), Code::kUsage);
  EXPECT_EQ(*ParseDayBy("channel"), DayBy::kChannel);
}

}  // namespace
}  // namespace heat::billing
