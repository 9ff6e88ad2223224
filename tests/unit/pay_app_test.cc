// The residents' page without a database (pay/app.h, pay/html.h,
// pay/csrf.h; BIL-23): routes, the CSRF refusal, escaping, headers.
#include <gtest/gtest.h>

#include "heat/pay/app.h"
#include "heat/pay/csrf.h"
#include "heat/pay/html.h"
#include "heat/pay/pages.h"

namespace heat::pay {
namespace {

App TestApp() {
  auto cfg = Config::Parse("db:\n  conninfo: \"host=/nonexistent-heat-test\"\n", "test.yaml");
  return App(*cfg, "0123456789abcdef0123");
}

Request Post(const std::string& path) {
  Request r;
  r.method = "POST";
  r.path = path;
  return r;
}

TEST(PayAppTest, PostWithoutTokenIsRefusedBeforeAnythingHappens) {
  App app = TestApp();
  for (const char* path : {"/lookup", "/pay", "/invoice", "/hall", "/logout"}) {
    Request r = Post(path);
    r.cookies["hp_s"] = std::string(64, 'a');
    r.cookies["hp_c"] = std::string(32, 'b');
    r.form["csrf"] = "forged";
    EXPECT_EQ(app.Handle(r).status, 403) << path;
  }
}

TEST(PayAppTest, TokenOfOneSessionDoesNotServeAnother) {
  std::string key = "0123456789abcdef0123";
  std::string mine(64, 'a'), theirs(64, 'b');
  EXPECT_TRUE(CsrfValid(key, mine, CsrfToken(key, mine)));
  EXPECT_FALSE(CsrfValid(key, theirs, CsrfToken(key, mine)));
  EXPECT_FALSE(CsrfValid(key, "", CsrfToken(key, "")));
  EXPECT_FALSE(CsrfValid("another key 123456", mine, CsrfToken(key, mine)));
}

TEST(PayAppTest, PagesOfABillWithoutASessionGoBackToTheLookUp) {
  App app = TestApp();
  for (const char* path : {"/bill", "/order", "/hall"}) {
    Request r;
    r.path = path;
    Response out = app.Handle(r);
    EXPECT_EQ(out.status, 303) << path;
    ASSERT_FALSE(out.headers.empty());
    EXPECT_EQ(out.headers[0].second, "/");
  }
}

TEST(PayAppTest, UnknownPathIs404AndWrongMethod405) {
  App app = TestApp();
  Request r;
  r.path = "/../etc/passwd";
  EXPECT_EQ(app.Handle(r).status, 404);
  r.path = "/notify";
  EXPECT_EQ(app.Handle(r).status, 405);
}

TEST(PayAppTest, EveryResponseCarriesTheSecurityHeaders) {
  App app = TestApp();
  Request r;
  r.path = "/style.css";
  std::string text = Serialize(app.Handle(r));
  EXPECT_NE(text.find("Content-Security-Policy: default-src 'none'"), std::string::npos);
  EXPECT_NE(text.find("X-Frame-Options: DENY"), std::string::npos);
  EXPECT_NE(text.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_NE(text.find("Content-Type: text/css"), std::string::npos);
}

TEST(PayAppTest, TheLookUpFormSetsAnHttpOnlyStrictCookieAndItsToken) {
  App app = TestApp();
  Request r;
  Response out = app.Handle(r);
  ASSERT_EQ(out.status, 200);
  std::string cookie;
  for (const auto& [k, v] : out.headers)
    if (k == "Set-Cookie") cookie = v;
  ASSERT_EQ(cookie.rfind("hp_c=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly; SameSite=Strict"), std::string::npos);
  std::string binding = cookie.substr(5, 32);
  EXPECT_NE(out.body.find(CsrfToken("0123456789abcdef0123", binding)), std::string::npos);
}

TEST(PayHtmlTest, EscapesMarkupQuotesAndControlCharacters) {
  EXPECT_EQ(Esc("<script>alert(\"x\")</script>"), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  EXPECT_EQ(Esc("a'b&c"), "a&#39;b&amp;c");
  EXPECT_EQ(Esc("line\x01" "end"), "line\\x01end");
  EXPECT_EQ(Esc("\xff<"), "\\xff&lt;");
}

TEST(PayHtmlTest, BillShowsOwedInYuanAndEscapesWhatTheDatabaseHolds) {
  nlohmann::json bill = {{"house", "XF<1>"}, {"address", "幸福小区 \"1\"号楼 *01"}, {"customer", "王*"},
                         {"due_fen", 190301}, {"pays_season", "2026-2027"}, {"closed_reason", nullptr},
                         {"accounts", nlohmann::json::array()}, {"receipts", nlohmann::json::array()}};
  std::string html = BillHtml(bill, nlohmann::json::array(), "tok", "");
  EXPECT_NE(html.find("¥1903.01"), std::string::npos);
  EXPECT_NE(html.find("XF&lt;1&gt;"), std::string::npos);
  EXPECT_EQ(html.find("XF<1>"), std::string::npos);
  EXPECT_NE(html.find("action=\"/pay\""), std::string::npos);
  bill["closed_reason"] = "online payment is closed";
  html = BillHtml(bill, nlohmann::json::array(), "tok", "");
  EXPECT_EQ(html.find("action=\"/pay\""), std::string::npos);
  EXPECT_NE(html.find("网上缴费暂停"), std::string::npos);
}

TEST(PayHtmlTest, InvoiceLinksOnlyToHttpAddresses) {
  nlohmann::json bill = {{"due_fen", 0},
                         {"receipts", {{{"receipt_no", "WX-00000001"}, {"status", "issued"}, {"amount_fen", 100}}}}};
  nlohmann::json bad = {{{"receipt_no", "WX-00000001"}, {"state", "issued"}, {"invoice_no", "1"},
                         {"pdf_url", "javascript:alert(1)"}}};
  EXPECT_EQ(BillHtml(bill, bad, "t", "").find("javascript:"), std::string::npos);
  nlohmann::json good = bad;
  good[0]["pdf_url"] = "https://inv.example.com/a.pdf";
  EXPECT_NE(BillHtml(bill, good, "t", "").find("href=\"https://inv.example.com/a.pdf\""), std::string::npos);
}

TEST(PayHtmlTest, QrCodeIsInlineSvg) {
  std::string svg = QrSvg("weixin://wxpay/bizpayurl?pr=abc");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("<path d=\"M"), std::string::npos);
}

}  // namespace
}  // namespace heat::pay
