// wechat/sign.h against signatures made by python3-cryptography and the
// openssl CLI (wechat_vectors.h): the request's Authorization, the JSAPI
// pay-sign, and the verification of replies — a forged signature, an
// unknown certificate serial and a stale timestamp are refused.
#include "heat/wechat/sign.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "wechat_vectors.h"

namespace heat::wechat {
namespace {

using namespace vectors;  // NOLINT: the vectors

const std::string kReply = R"({"code_url":"weixin://wxpay/bizpayurl?pr=p4lpSuKzz"})";

Headers ReplyHeaders(std::string_view signature, int64_t ts = kTimestamp) {
  return Headers{{"Wechatpay-Timestamp", std::to_string(ts)}, {"wechatpay-nonce", "NONCE123"},
                 {"Wechatpay-Signature", std::string(signature)}, {"Wechatpay-Serial", std::string(kPlatformSerial)}};
}

TEST(WechatSignTest, AuthorizationHeaderCarriesTheSignatureOpensslMakes) {
  Merchant m = TestMerchant();
  auto a = Authorization(m, "POST", "/v3/pay/transactions/native", R"({"a":1})", kTimestamp,
                         "593BEC0C930BF1AFEB40B4A08C8FB242");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(*a, "WECHATPAY2-SHA256-RSA2048 mchid=\"1900000109\",nonce_str=\"593BEC0C930BF1AFEB40B4A08C8FB242\","
                "signature=\"" + std::string(kAuthSignature) + "\",timestamp=\"1763000000\",serial_no=\"" +
                    std::string(kMerchantSerial) + "\"");
}

TEST(WechatSignTest, JsapiPaySignIsTheKnownSignature) {
  Merchant m = TestMerchant();
  auto p = JsapiPaySign(m, "wx201410272009395522657a690389285100", kTimestamp, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->app_id, kAppid);
  EXPECT_EQ(p->package, "prepay_id=wx201410272009395522657a690389285100");
  EXPECT_EQ(p->sign_type, "RSA");
  EXPECT_EQ(p->pay_sign, kJsapiSignature);
}

TEST(WechatSignTest, ReplySignedByThePlatformVerifies) {
  Merchant m = TestMerchant();
  Status s = VerifySigned(m, ReplyHeaders(kReplySignature), kReply, kTimestamp + 10);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(WechatSignTest, ForgedSignatureIsRefused) {
  Merchant m = TestMerchant();
  // Signed with the merchant's key instead of the platform's.
  std::string message = std::to_string(kTimestamp) + "\nNONCE123\n" + kReply + "\n";
  auto forged = RsaSign(m.private_key.get(), message);
  ASSERT_TRUE(forged.ok());
  Status s = VerifySigned(m, ReplyHeaders(*forged), kReply, kTimestamp);
  EXPECT_EQ(s.code(), Code::kPermission);
  EXPECT_NE(s.message().find("does not match"), std::string::npos) << s.message();
}

TEST(WechatSignTest, AlteredBodyIsRefused) {
  Merchant m = TestMerchant();
  std::string body = kReply;
  body[body.size() - 3] = 'Z';
  EXPECT_EQ(VerifySigned(m, ReplyHeaders(kReplySignature), body, kTimestamp).code(), Code::kPermission);
}

TEST(WechatSignTest, TimestampMoreThanFiveMinutesAwayIsRefused) {
  Merchant m = TestMerchant();
  Status old = VerifySigned(m, ReplyHeaders(kReplySignature), kReply, kTimestamp + 301);
  EXPECT_EQ(old.code(), Code::kPermission);
  EXPECT_NE(old.message().find("5 minutes"), std::string::npos) << old.message();
  EXPECT_EQ(VerifySigned(m, ReplyHeaders(kReplySignature), kReply, kTimestamp - 301).code(), Code::kPermission);
  EXPECT_TRUE(VerifySigned(m, ReplyHeaders(kReplySignature), kReply, kTimestamp + 300).ok());
}

TEST(WechatSignTest, UnknownSerialOrMissingHeaderIsRefused) {
  Merchant m = TestMerchant();
  Headers h = ReplyHeaders(kReplySignature);
  h["Wechatpay-Serial"] = "0123";
  EXPECT_EQ(VerifySigned(m, h, kReply, kTimestamp).code(), Code::kPermission);
  h = ReplyHeaders(kReplySignature);
  h.erase("Wechatpay-Nonce");
  EXPECT_EQ(VerifySigned(m, h, kReply, kTimestamp).code(), Code::kPermission);
}

TEST(WechatSignTest, Base64RoundTripsAndRefusesNonCanonicalText) {
  EXPECT_EQ(Base64("heat"), "aGVhdA==");
  EXPECT_EQ(*Unbase64("aGVhdA=="), "heat");
  EXPECT_EQ(*Unbase64(""), "");
  EXPECT_FALSE(Unbase64("aGVhdA").ok());
  EXPECT_FALSE(Unbase64("aG=hdA==").ok());
  EXPECT_FALSE(Unbase64("aGVh dA=").ok());
}

TEST(WechatSignTest, NonceIsThirtyTwoFreshCharacters) {
  std::string a = NewNonce(), b = NewNonce();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(WechatSignTest, CgiEnvironmentGivesTheHeaders) {
  auto fake = [](const char* name) -> const char* {
    std::string n = name;
    if (n == "HTTP_WECHATPAY_SERIAL") return "ABC";
    if (n == "HTTP_WECHATPAY_SIGNATURE_TYPE") return "WECHATPAY2-SHA256-RSA2048";
    return nullptr;
  };
  Headers h = WechatpayHeadersFromCgi(fake);
  ::setenv("HTTP_WECHATPAY_NONCE", "N1", 1);  // as the web server passes it to a CGI
  EXPECT_EQ(WechatpayHeadersFromCgi(std::getenv)["Wechatpay-Nonce"], "N1");
  ::unsetenv("HTTP_WECHATPAY_NONCE");
  EXPECT_EQ(h["wechatpay-serial"], "ABC");
  EXPECT_EQ(h["Wechatpay-Signature-Type"], "WECHATPAY2-SHA256-RSA2048");
  EXPECT_EQ(h.count("Wechatpay-Nonce"), 0u);
}

}  // namespace
}  // namespace heat::wechat
