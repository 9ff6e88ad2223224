// The vendor's answers (einvoice/reply.h), parsed as hostile bytes:
// success, refusals, the vendor's own trouble, and values that fail
// their checks and are dropped.
#include <gtest/gtest.h>

#include "heat/einvoice/reply.h"

namespace heat::einvoice {
namespace {

TEST(EinvoiceReplyTest, IssueReplyGivesTheSerial) {
  auto s = ParseIssueReply(R"({"code":"E0000","describe":"开具成功","result":{"invoiceSerialNum":"26000000000000000001"}})");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(*s, "26000000000000000001");
}

TEST(EinvoiceReplyTest, VendorRefusalIsUsageWithItsCodeAndText) {
  auto s = ParseIssueReply(R"({"code":"E1002","describe":"购方税号不合法"})");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kUsage);
  EXPECT_FALSE(s.status().transient());
  EXPECT_EQ(s.status().message(), "vendor E1002: 购方税号不合法");
}

TEST(EinvoiceReplyTest, VendorTroubleAndGarbageAreTriedAgain) {
  for (const char* body : {R"({"code":"E9999","describe":"系统繁忙"})", "", "<html>502</html>", "[]", "{\"code\":1}",
                           R"({"code":"E0000","result":{"invoiceSerialNum":"a b"}})", "\xff\xfe"}) {
    auto s = ParseIssueReply(body);
    ASSERT_FALSE(s.ok()) << body;
    EXPECT_TRUE(s.status().transient()) << body << ": " << s.status().message();
  }
}

TEST(EinvoiceReplyTest, QueryReplyGivesNumberCodeLinkAndProgress) {
  auto q = ParseQueryReply(R"({"code":"E0000","describe":"获取成功","result":[{"serialNo":"2601","orderNo":"INVa-1",
    "status":"2","invoiceNo":"40000001","invoiceCode":"044002600111","pdfUrl":"https://x.test/a.pdf"}]})");
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_EQ(q->size(), 1u);
  const InvoiceState& s = (*q)[0];
  EXPECT_EQ(s.serial, "2601");
  EXPECT_EQ(s.order_no, "INVa-1");
  EXPECT_EQ(s.invoice_no, "40000001");
  EXPECT_EQ(s.invoice_code, "044002600111");
  EXPECT_EQ(s.pdf_url, "https://x.test/a.pdf");
  EXPECT_EQ(s.progress, Progress::kIssued);
}

TEST(EinvoiceReplyTest, HostileValuesAreDroppedNotPassedOn) {
  auto q = ParseQueryReply(R"j({"code":"E0000","result":[{"serialNo":"26'; DROP","status":2,
    "invoiceNo":"4000 0001","pdfUrl":"javascript:alert(1)","failCause":"bad\u0007 cause"}, 7, "x"]})j");
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_EQ(q->size(), 1u);
  const InvoiceState& s = (*q)[0];
  EXPECT_EQ(s.serial, "");
  EXPECT_EQ(s.status, "2");
  EXPECT_EQ(s.invoice_no, "");
  EXPECT_EQ(s.pdf_url, "");
  EXPECT_EQ(s.fail_cause, "bad cause");
  EXPECT_EQ(s.progress, Progress::kUnknown) << "issued without a number is not issued";
}

TEST(EinvoiceReplyTest, StatusCodesMapToProgress) {
  EXPECT_EQ(ProgressOf("2"), Progress::kIssued);
  EXPECT_EQ(ProgressOf("20"), Progress::kIssuing);
  EXPECT_EQ(ProgressOf("21"), Progress::kIssuing);
  EXPECT_EQ(ProgressOf("22"), Progress::kFailed);
  EXPECT_EQ(ProgressOf("24"), Progress::kFailed);
  EXPECT_EQ(ProgressOf("99"), Progress::kUnknown);
}

TEST(EinvoiceReplyTest, CancelReplyIsOkOrTheRefusal) {
  EXPECT_TRUE(ParseCancelReply(R"({"code":"E0000","describe":"作废成功","result":{"serialNo":"1"}})").ok());
  EXPECT_EQ(ParseCancelReply(R"({"code":"E1005","describe":"发票不存在"})").code(), Code::kUsage);
}

}  // namespace
}  // namespace heat::einvoice
