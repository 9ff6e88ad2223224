// Money in integer fen and the one rounding rule (core/money.h; BIL-10).
#include <gtest/gtest.h>

#include <random>

#include "heat/core/money.h"

namespace heat {
namespace {

TEST(MoneyTest, ParsesYuanIntoFen) {
  EXPECT_EQ(*ParseYuan("2200"), 220000);
  EXPECT_EQ(*ParseYuan("2200.5"), 220050);
  EXPECT_EQ(*ParseYuan("2200.50"), 220050);
  EXPECT_EQ(*ParseYuan("0.01"), 1);
  EXPECT_EQ(*ParseYuan("-3.20"), -320);
  EXPECT_EQ(*ParseYuan("0"), 0);
}

TEST(MoneyTest, RefusesMalformedAmounts) {
  for (const char* bad : {"", "1e3", "12.345", "1,000", " 12", "12 ", "12.", ".5", "+1", "+-1",
                          "--1", "-", "abc", "1.2.3", "90000000000000.01", "99999999999999999999"}) {
    auto r = ParseYuan(bad);
    EXPECT_FALSE(r.ok()) << "'" << bad << "'";
    EXPECT_EQ(r.status().code(), Code::kUsage) << "'" << bad << "'";
  }
}

TEST(MoneyTest, FormatsFenAsYuan) {
  EXPECT_EQ(FormatYuan(220000), "2200.00");
  EXPECT_EQ(FormatYuan(-5), "-0.05");
  EXPECT_EQ(FormatYuan(0), "0.00");
  EXPECT_EQ(FormatYuan(7), "0.07");
}

TEST(MoneyTest, AreaTimesPriceRoundsOnceHalfUp) {
  EXPECT_EQ(AreaTimesPrice(10000, 2200), 220000);  // 100.00 m² × 22.00
  EXPECT_EQ(AreaTimesPrice(8753, 2235), 195630);   // 1956.2955 yuan
  EXPECT_EQ(AreaTimesPrice(1, 50), 1);             // 0.5 fen rounds up
  EXPECT_EQ(AreaTimesPrice(1, 49), 0);             // 0.49 fen rounds down
}

TEST(MoneyTest, RatiosAndProration) {
  EXPECT_EQ(*ParseRatio("0.30"), 300000);
  EXPECT_EQ(*ParseRatio("30%"), 300000);
  EXPECT_EQ(*ParseRatio("12.5%"), 125000);
  EXPECT_FALSE(ParseRatio("1.5").ok());
  EXPECT_FALSE(ParseRatio("0.1234567").ok());
  EXPECT_EQ(FormatRatio(300000), "0.3");
  EXPECT_EQ(ApplyRatio(195630, 300000), 58689);
  EXPECT_EQ(ApplyRatio(-195630, 300000), -58689);  // symmetric about zero
  EXPECT_EQ(Prorate(100000, 1, 3), 33333);
  EXPECT_EQ(Prorate(100000, 2, 3), 66667);
  EXPECT_EQ(RoundHalfUp(-5, 10), -1);
  EXPECT_EQ(RoundHalfUp(-4, 10), 0);
}

TEST(MoneyTest, AreasInCentiSquareMetres) {
  EXPECT_EQ(*ParseArea("87.53"), 8753);
  EXPECT_EQ(*ParseArea("100"), 10000);
  EXPECT_FALSE(ParseArea("-1").ok());
  EXPECT_FALSE(ParseArea("1.234").ok());
  EXPECT_EQ(FormatArea(8753), "87.53");
}

// Property: formatting and parsing round-trip for any amount.
TEST(MoneyTest, FormatParseRoundTripsRandomAmounts) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<Fen> d(-kMaxFen, kMaxFen);
  for (int i = 0; i < 20000; ++i) {
    Fen f = i < 100 ? i - 50 : d(rng);
    auto back = ParseYuan(FormatYuan(f));
    ASSERT_TRUE(back.ok()) << FormatYuan(f);
    ASSERT_EQ(*back, f);
  }
}

// Property: splitting an amount by weights as differences of cumulative
// prorations gives parts within one fen of the exact share that always sum
// to the whole: no fen created or lost.
TEST(MoneyTest, ProratedSplitsSumToTheWhole) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    Fen total = static_cast<Fen>(rng() % 10'000'000) - 1'000'000;
    int parts = 1 + static_cast<int>(rng() % 12);
    std::vector<int64_t> w(parts);
    int64_t den = 0;
    for (auto& x : w) den += (x = 1 + static_cast<int64_t>(rng() % 200));
    Fen sum = 0;
    int64_t acc = 0;
    for (int p = 0; p < parts; ++p) {
      Fen part = Prorate(total, acc + w[p], den) - Prorate(total, acc, den);
      acc += w[p];
      __int128 exact_times_den = static_cast<__int128>(total) * w[p];
      __int128 err = static_cast<__int128>(part) * den - exact_times_den;
      ASSERT_LE(err < 0 ? -err : err, den) << "part " << p << " of " << total;
      sum += part;
    }
    ASSERT_EQ(sum, total);
  }
}

}  // namespace
}  // namespace heat
