// The restore check's comparison (BIL-30): every table's row count and the
// ledger's sums in fen per account and kind, live against restored; a
// difference anywhere, or a figure on one side only, fails the check and
// is named.
#include <gtest/gtest.h>

#include "heat/backup/check.h"

namespace heat::backup {
namespace {

Figures Live() {
  Figures f;
  f.rows = {{"bill.entry", 4}, {"heat.station", 14}};
  f.ledger = {{"account 1 assessed", 220000}, {"account 1 payment", -100000}, {"account 2 assessed", 150000}};
  return f;
}

TEST(BackupCheckTest, EqualFiguresAllMatch) {
  Comparison c = Compare(Live(), Live());
  EXPECT_TRUE(c.ok());
  ASSERT_EQ(c.lines.size(), 4u);  // two tables, the sums, the total
  EXPECT_EQ(c.lines[0].object, "bill.entry");
  EXPECT_EQ(c.lines[2].object, "ledger sums per account and kind");
  EXPECT_EQ(c.lines[2].live, "3 sums");
  EXPECT_EQ(c.lines[3].object, "ledger total (fen)");
  EXPECT_EQ(c.lines[3].live, "270000");
  for (const auto& l : c.lines) EXPECT_TRUE(l.match) << l.object;
}

TEST(BackupCheckTest, AMissingPaymentDiffersInItsTableItsSumAndTheTotal) {
  Figures restored = Live();
  restored.rows["bill.entry"] = 3;
  restored.ledger.erase("account 1 payment");
  Comparison c = Compare(Live(), restored);
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.differences, 3);
  EXPECT_FALSE(c.lines[0].match);
  EXPECT_EQ(c.lines[0].restored, "3");
  ASSERT_EQ(c.lines.size(), 5u);
  EXPECT_EQ(c.lines[4].object, "ledger account 1 payment (fen)");
  EXPECT_EQ(c.lines[4].live, "-100000");
  EXPECT_EQ(c.lines[4].restored, "(none)");
}

TEST(BackupCheckTest, SumsThatMoveMoneyBetweenAccountsDifferEvenWithAnEqualTotal) {
  Figures restored = Live();
  restored.ledger["account 1 assessed"] = 150000;
  restored.ledger["account 2 assessed"] = 220000;
  Comparison c = Compare(Live(), restored);
  EXPECT_EQ(c.differences, 1);  // the per-account sums; the total is equal
  EXPECT_TRUE(c.lines[3].match);
  EXPECT_EQ(c.lines.size(), 6u);
}

TEST(BackupCheckTest, ATableOnOneSideOnlyDiffers) {
  Figures restored = Live();
  restored.rows.erase("heat.station");
  Comparison c = Compare(Live(), restored);
  EXPECT_EQ(c.differences, 1);
  EXPECT_EQ(c.lines[1].restored, "(none)");
}

}  // namespace
}  // namespace heat::backup
