// Amounts in Chinese capitals (BIL-21) by the rules of 支付结算办法 附件一
// (forms/capitals.h), on the cases where converters usually go wrong.
#include <gtest/gtest.h>

#include "heat/forms/capitals.h"

namespace heat::forms {
namespace {

std::string Cap(Fen fen) {
  auto r = ChineseCapitals(fen);
  return r.ok() ? *r : "ERROR: " + r.status().message();
}

TEST(FormsCapitalsTest, FiveFenIsWuFenWithNoYuanPart) { EXPECT_EQ(Cap(5), "伍分"); }

TEST(FormsCapitalsTest, ZeroIsLingYuanZheng) { EXPECT_EQ(Cap(0), "零元整"); }

TEST(FormsCapitalsTest, TenYuanIsYiShiYuanZhengTheBankingForm) { EXPECT_EQ(Cap(1000), "壹拾元整"); }

TEST(FormsCapitalsTest, HundredYuanTenFenHasLingBeforeJiao) { EXPECT_EQ(Cap(10010), "壹佰元零壹角"); }

TEST(FormsCapitalsTest, ThousandYuanOneFenHasLingBeforeFen) { EXPECT_EQ(Cap(100001), "壹仟元零壹分"); }

TEST(FormsCapitalsTest, TenThousandTenYuanWritesOneLingForTheGap) { EXPECT_EQ(Cap(1001000), "壹万零壹拾元整"); }

TEST(FormsCapitalsTest, HundredMillionYuanIsYiYiYuanZheng) { EXPECT_EQ(Cap(10000000000), "壹亿元整"); }

TEST(FormsCapitalsTest, AllDigitsAndUnitsInTheUsualExample) { EXPECT_EQ(Cap(123456), "壹仟贰佰叁拾肆元伍角陆分"); }

TEST(FormsCapitalsTest, JiaoWithoutFenEndsAtJiaoWithoutZheng) { EXPECT_EQ(Cap(12310), "壹佰贰拾叁元壹角"); }

TEST(FormsCapitalsTest, ExamplesOfThePaymentRules) {
  EXPECT_EQ(Cap(140950), "壹仟肆佰零玖元伍角");    // 1,409.50
  EXPECT_EQ(Cap(600714), "陆仟零柒元壹角肆分");    // 6,007.14
  EXPECT_EQ(Cap(168032), "壹仟陆佰捌拾元零叁角贰分");  // 1,680.32
  EXPECT_EQ(Cap(1640902), "壹万陆仟肆佰零玖元零贰分");  // 16,409.02
  EXPECT_EQ(Cap(32504), "叁佰贰拾伍元零肆分");     // 325.04
  EXPECT_EQ(Cap(50), "伍角");
  EXPECT_EQ(Cap(15), "壹角伍分");
}

TEST(FormsCapitalsTest, ZerosAcrossWanAndYiGroups) {
  EXPECT_EQ(Cap(10100000), "壹拾万壹仟元整");        // trailing zero of the 万 group unread
  EXPECT_EQ(Cap(10000000100), "壹亿零壹元整");       // a whole zero group: one 零
  EXPECT_EQ(Cap(10000100000), "壹亿零壹仟元整");
  EXPECT_EQ(Cap(1000100000000), "壹佰亿零壹佰万元整");
  EXPECT_EQ(Cap(220000), "贰仟贰佰元整");
}

TEST(FormsCapitalsTest, LargestAmountIsNinetyWanYi) {
  EXPECT_EQ(Cap(kMaxFen), "玖拾万亿元整");
  EXPECT_EQ(Cap(kMaxFen - 1), "捌拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分");
  EXPECT_EQ(Cap(100000000000001), "壹万亿元零壹分");
}

TEST(FormsCapitalsTest, NegativeGetsFuAndBeyondTheLimitIsRefused) {
  EXPECT_EQ(Cap(-1000), "负壹拾元整");
  auto r = ChineseCapitals(kMaxFen + 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUsage);
  EXPECT_FALSE(ChineseCapitals(INT64_MIN).ok());
}

}  // namespace
}  // namespace heat::forms
