// The receipt's QR text (BIL-21): made with and without the company's
// key, parsed strictly; and which printer a terminal prints on.
#include <gtest/gtest.h>

#include "heat/forms/print.h"
#include "heat/forms/receipt.h"

namespace heat::forms {
namespace {

Receipt Sample() {
  Receipt r;
  r.receipt_no = "hall1-00000042";
  r.amount = 220000;
  r.date = "2026-12-07";
  return r;
}

TEST(FormsReceiptTest, PayloadCarriesNumberAmountDateAndA16HexMac) {
  std::string text = ReceiptPayload(Sample(), "0123456789abcdef-secret");
  ASSERT_EQ(text.rfind("HEATRCPT1;hall1-00000042;220000;2026-12-07;", 0), 0u) << text;
  auto p = ParsePayload(text);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->receipt_no, "hall1-00000042");
  EXPECT_EQ(p->amount, 220000);
  EXPECT_EQ(p->date, "2026-12-07");
  EXPECT_EQ(p->mac.size(), 16u);
  EXPECT_NE(ReceiptPayload(Sample(), "another key of 16+ chars"), text);  // the MAC depends on the key
}

TEST(FormsReceiptTest, WithoutAKeyThePayloadHasAnEmptyMac) {
  std::string text = ReceiptPayload(Sample(), "");
  EXPECT_EQ(text, "HEATRCPT1;hall1-00000042;220000;2026-12-07;");
  auto p = ParsePayload(text);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->mac, "");
}

TEST(FormsReceiptTest, ParseRefusesAnythingElse) {
  for (std::string bad : {"", "HEATRCPT1", "HEATRCPT2;a-1;1;2026-12-07;", "HEATRCPT1;a-1;0;2026-12-07;",
                          "HEATRCPT1;a-1;-5;2026-12-07;", "HEATRCPT1;a-1;012;2026-12-07;",
                          "HEATRCPT1;a-1;1;2026-02-30;", "HEATRCPT1;a-1;1;2026-12-7;",
                          "HEATRCPT1;a 1-1;1;2026-12-07;", "HEATRCPT1;a-;1;2026-12-07;",
                          "HEATRCPT1;a-1;1;2026-12-07;XYZ", "HEATRCPT1;a-1;1;2026-12-07;0123456789abcdeF",
                          "HEATRCPT1;a-1;99999999999999999;2026-12-07;", "HEATRCPT1;a-1;1;2026-12-07;;"}) {
    auto p = ParsePayload(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().code(), Code::kUsage) << bad;
  }
}

Config WithCounter(const std::string& lines) {
  auto c = Config::Parse("counter:\n" + lines, "heat.yaml");
  EXPECT_TRUE(c.ok()) << c.status().message();
  return c.ok() ? *c : Config::Defaults();
}

TEST(FormsReceiptTest, TerminalPrinterComesFromPrintersElseTheDefault) {
  Config c = WithCounter("  printer: hall\n  printers: \"t1=rcpt1, t2 = rcpt2\"\n");
  EXPECT_EQ(*PrinterFor(c, "t1"), "rcpt1");
  EXPECT_EQ(*PrinterFor(c, "t2"), "rcpt2");
  EXPECT_EQ(*PrinterFor(c, "t3"), "hall");
  EXPECT_EQ(*PrinterFor(Config::Defaults(), "t1"), "");
  auto bad = PrinterFor(WithCounter("  printers: \"t1\"\n"), "t1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "counter.printers: 't1' is not TERMINAL=PRINTER");
}

TEST(FormsReceiptTest, NotPrintedTellsHowToReprint) {
  Status s = NotPrinted("hall1-00000042", Status::Failure("lp -d P: no such printer"));
  EXPECT_EQ(s.message(), "receipt hall1-00000042 not printed: lp -d P: no such printer; reprint it with billctl reprint hall1-00000042");
  EXPECT_EQ(s.code(), Code::kFailure);
}

}  // namespace
}  // namespace heat::forms
