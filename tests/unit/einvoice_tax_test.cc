// The money of an e-invoice (einvoice/tax.h): the tax split exactly to
// the fen, red-letter amounts the exact negation, the retry back-off,
// and the content JSON sent to the vendor (einvoice/client.h).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "heat/einvoice/client.h"
#include "heat/einvoice/tax.h"

namespace heat::einvoice {
namespace {

TEST(EinvoiceTaxTest, HundredYuanAtNinePercentIs826FenTax) {
  // 10000 × 9 / 109 = 825.69 → 826; 9174 + 826 = 10000.
  TaxSplit s = SplitTax(10000, 9);
  EXPECT_EQ(s.tax, 826);
  EXPECT_EQ(s.excluded, 9174);
}

TEST(EinvoiceTaxTest, HalfAFenRoundsUp) {
  // 109 × 9 / 109 = 9 exactly; 6 × 9 / 109 = 0.495 → 0. At 9 % no amount
  // gives an exact half (109 is odd); at 100 %: 1 × 100 / 200 = 0.5 → 1.
  EXPECT_EQ(SplitTax(109, 9).tax, 9);
  EXPECT_EQ(SplitTax(6, 9).tax, 0);
  EXPECT_EQ(SplitTax(1, 100).tax, 1);
  EXPECT_EQ(SplitTax(3, 100).tax, 2);  // 1.5 → 2
}

TEST(EinvoiceTaxTest, PartsAlwaysAddUpAndRedIsTheNegation) {
  for (int rate : {0, 1, 3, 6, 9, 13, 17})
    for (Fen a : {1LL, 7LL, 99LL, 10000LL, 123456LL, 246913578LL, 900000000000000LL}) {
      TaxSplit blue = SplitTax(a, rate), red = SplitTax(-a, rate);
      EXPECT_EQ(blue.excluded + blue.tax, a);
      EXPECT_EQ(red.tax, -blue.tax) << a << " at " << rate;
      EXPECT_EQ(red.excluded, -blue.excluded);
      EXPECT_GE(blue.tax, 0);
    }
  EXPECT_EQ(SplitTax(10000, 0).tax, 0);
}

TEST(EinvoiceTaxTest, RetryDelayDoublesUpToADay) {
  EXPECT_EQ(RetryDelay(60, 1), 60);
  EXPECT_EQ(RetryDelay(60, 2), 120);
  EXPECT_EQ(RetryDelay(60, 5), 960);
  EXPECT_EQ(RetryDelay(60, 20), kMaxRetryDelayS);
  EXPECT_EQ(RetryDelay(60, 1000000), kMaxRetryDelayS);
  EXPECT_EQ(RetryDelay(0, 1), 1);
}

TEST(EinvoiceTaxTest, RatesAndAmountsAreWrittenAsTheVendorReadsThem) {
  EXPECT_EQ(RateText(9), "0.09");
  EXPECT_EQ(RateText(13), "0.13");
  EXPECT_EQ(RateText(0), "0");
  EXPECT_EQ(Decimal(9174), "91.74");
  EXPECT_EQ(Decimal(-826), "-8.26");
}

TEST(EinvoiceTaxTest, BlueContentCarriesTheOrderBuyerAndSplit) {
  Options o;
  o.seller_tax_id = "91650100MA77XYZ12K";
  o.item_name = "*供热*采暖费";
  Order order{"INVheat-00000001", "王芳", "", "2026-12-07 10:00:00", 10000, 826, 9, "", ""};
  auto j = nlohmann::json::parse(IssueContent(o, order))["order"];
  EXPECT_EQ(j["orderNo"], "INVheat-00000001");
  EXPECT_EQ(j["buyerName"], "王芳");
  EXPECT_FALSE(j.contains("buyerTaxNum"));
  EXPECT_EQ(j["salerTaxNum"], "91650100MA77XYZ12K");
  EXPECT_EQ(j["invoiceType"], "1");
  EXPECT_FALSE(j.contains("invoiceCode"));
  auto d = j["invoiceDetail"][0];
  EXPECT_EQ(d["goodsName"], "*供热*采暖费");
  EXPECT_EQ(d["num"], "1");
  EXPECT_EQ(d["price"], "100.00");
  EXPECT_EQ(d["withTaxFlag"], "1");
  EXPECT_EQ(d["taxRate"], "0.09");
  EXPECT_EQ(d["taxExcludedAmount"], "91.74");
  EXPECT_EQ(d["tax"], "8.26");
}

TEST(EinvoiceTaxTest, RedContentNamesTheBlueInvoiceWithNegativeAmounts) {
  Options o;
  Order order{"REDheat-00000001", "某公司", "91650100MA7ABCDE1X", "2026-12-07 11:00:00", -10000, -826, 9,
              "044002600111", "40000001"};
  auto j = nlohmann::json::parse(IssueContent(o, order))["order"];
  EXPECT_EQ(j["invoiceType"], "2");
  EXPECT_EQ(j["invoiceCode"], "044002600111");
  EXPECT_EQ(j["invoiceNum"], "40000001");
  EXPECT_EQ(j["buyerTaxNum"], "91650100MA7ABCDE1X");
  auto d = j["invoiceDetail"][0];
  EXPECT_EQ(d["num"], "-1");
  EXPECT_EQ(d["price"], "100.00");
  EXPECT_EQ(d["taxExcludedAmount"], "-91.74");
  EXPECT_EQ(d["tax"], "-8.26");
  // The same order gives the same bytes: a retry sends the same invoice.
  EXPECT_EQ(IssueContent(o, order), IssueContent(o, order));
}

}  // namespace
}  // namespace heat::einvoice
