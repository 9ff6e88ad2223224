// wechat/notify.h: a notify signed and encrypted by python3-cryptography
// (wechat_vectors.h) gives the transaction to the fen; a forged, stale,
// tampered or foreign notify is refused with the reply WeChat expects.
#include "heat/wechat/notify.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "heat/wechat/rfc3339.h"
#include "wechat_vectors.h"

namespace heat::wechat {
namespace {

using namespace vectors;  // NOLINT: the vectors

Headers NotifyHeaders(std::string_view signature = kNotifySignature) {
  return Headers{{"Wechatpay-Timestamp", std::to_string(kTimestamp)}, {"Wechatpay-Nonce", "NOTIFYNONCE"},
                 {"Wechatpay-Signature", std::string(signature)}, {"Wechatpay-Serial", std::string(kPlatformSerial)},
                 {"Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048"}};
}

// The notify body with `edit` applied, signed again with the platform key.
std::pair<std::string, Headers> Resigned(const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json j = nlohmann::json::parse(kNotifyBody);
  edit(j);
  std::string body = j.dump();
  auto key = PrivateKeyFromPem(kPlatformKeyPem);
  auto sig = RsaSign(key->get(), std::to_string(kTimestamp) + "\nNOTIFYNONCE\n" + body + "\n");
  return {body, NotifyHeaders(*sig)};
}

TEST(WechatNotifyTest, SignedEncryptedNotifyGivesTheTransaction) {
  Merchant m = TestMerchant();
  auto t = ParseNotify(m, NotifyHeaders(), kNotifyBody, kTimestamp + 60);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->event_type, "TRANSACTION.SUCCESS");
  EXPECT_TRUE(t->IsPayment());
  EXPECT_TRUE(t->Paid());
  EXPECT_EQ(t->notify_id, "EV-2018022511223320873");
  EXPECT_EQ(t->out_trade_no, "HP202511130000000001");
  EXPECT_EQ(t->transaction_id, "4200000001202511130000000001");
  EXPECT_EQ(t->total, 123456);  // 1234.56 yuan, to the fen
  EXPECT_EQ(t->payer_total, 123456);
  EXPECT_EQ(t->success_time, "2025-11-13T10:13:20+08:00");
  EXPECT_EQ(t->success_epoch, kTimestamp);
}

TEST(WechatNotifyTest, ForgedSignatureIsRefusedWith401) {
  Merchant m = TestMerchant();
  auto forged = RsaSign(m.private_key.get(), std::to_string(kTimestamp) + "\nNOTIFYNONCE\n" +
                                                 std::string(kNotifyBody) + "\n");
  auto t = ParseNotify(m, NotifyHeaders(*forged), kNotifyBody, kTimestamp);
  EXPECT_EQ(t.status().code(), Code::kPermission);
  Reply r = ReplyFor(t.status());
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(nlohmann::json::parse(r.body)["code"], "FAIL");
}

TEST(WechatNotifyTest, ReplayedNotifyOlderThanFiveMinutesIsRefused) {
  Merchant m = TestMerchant();
  EXPECT_EQ(ParseNotify(m, NotifyHeaders(), kNotifyBody, kTimestamp + 3600).status().code(), Code::kPermission);
}

TEST(WechatNotifyTest, TamperedCiphertextUnderAValidSignatureIsRefused) {
  Merchant m = TestMerchant();
  auto [body, headers] = Resigned([](nlohmann::json& j) {
    std::string c = j["resource"]["ciphertext"];
    c[10] = c[10] == 'A' ? 'B' : 'A';
    j["resource"]["ciphertext"] = c;
  });
  auto t = ParseNotify(m, headers, body, kTimestamp);
  EXPECT_EQ(t.status().code(), Code::kPermission) << t.status().message();
}

TEST(WechatNotifyTest, NotifyForAnotherMerchantIsRefused) {
  Merchant m = TestMerchant();
  m.mchid = "1900000110";
  auto t = ParseNotify(m, NotifyHeaders(), kNotifyBody, kTimestamp);
  EXPECT_EQ(t.status().code(), Code::kUsage);
  EXPECT_NE(t.status().message().find("mchid"), std::string::npos);
  EXPECT_EQ(ReplyFor(t.status()).status, 400);
}

TEST(WechatNotifyTest, OtherEventIsAuthenticButNotAPayment) {
  Merchant m = TestMerchant();
  auto [body, headers] = Resigned([](nlohmann::json& j) { j["event_type"] = "REFUND.SUCCESS"; });
  auto t = ParseNotify(m, headers, body, kTimestamp);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_FALSE(t->IsPayment());
  EXPECT_EQ(t->event_type, "REFUND.SUCCESS");
  EXPECT_TRUE(t->out_trade_no.empty());
}

const char* kQuery = R"({"appid":"wx8888888888888888","mchid":"1900000109","out_trade_no":"HP20251113A1",
  "transaction_id":"4200000002","trade_state":"SUCCESS","success_time":"2025-11-13T02:13:20Z",
  "amount":{"total":1,"payer_total":1,"currency":"CNY"}})";

TEST(WechatNotifyTest, QueryReplyParsesAmountsInFen) {
  Merchant m = TestMerchant();
  auto t = ParseTransaction(m, kQuery);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->total, 1);  // 0.01 yuan
  EXPECT_EQ(t->success_epoch, kTimestamp);
  EXPECT_TRUE(t->IsPayment());
}

TEST(WechatNotifyTest, HostileTransactionFieldsAreRefused) {
  Merchant m = TestMerchant();
  auto with = [&](const char* key, nlohmann::json v) {
    nlohmann::json j = nlohmann::json::parse(kQuery);
    j[key] = v;
    return ParseTransaction(m, j.dump()).status();
  };
  auto amount = [&](nlohmann::json total) {
    nlohmann::json j = nlohmann::json::parse(kQuery);
    j["amount"]["total"] = total;
    return ParseTransaction(m, j.dump()).status();
  };
  EXPECT_EQ(amount(1.5).code(), Code::kUsage);
  EXPECT_EQ(amount("100").code(), Code::kUsage);
  EXPECT_EQ(amount(-1).code(), Code::kUsage);
  EXPECT_EQ(amount(0).code(), Code::kUsage);  // a success of nothing
  EXPECT_EQ(amount(nlohmann::json::number_unsigned_t{18446744073709551615u}).code(), Code::kUsage);
  EXPECT_EQ(with("out_trade_no", "HP 1; DROP").code(), Code::kUsage);
  EXPECT_EQ(with("out_trade_no", std::string(33, 'A')).code(), Code::kUsage);
  EXPECT_EQ(with("trade_state", "PAID").code(), Code::kUsage);
  EXPECT_EQ(with("success_time", "2025-02-30T10:00:00+08:00").code(), Code::kUsage);
  EXPECT_EQ(with("appid", "wx0000000000000000").code(), Code::kUsage);
  EXPECT_EQ(with("transaction_id", 42).code(), Code::kUsage);
  EXPECT_EQ(ParseTransaction(m, "[]").status().code(), Code::kUsage);
  EXPECT_EQ(ParseTransaction(m, std::string(100, '[')).status().code(), Code::kUsage);
  EXPECT_EQ(ParseTransaction(m, std::string(kMaxNotifyBytes + 1, ' ')).status().code(), Code::kUsage);
}

TEST(WechatNotifyTest, RepliesAreWhatWechatExpects) {
  EXPECT_EQ(AckReply().status, 204);
  EXPECT_TRUE(AckReply().body.empty());
  Reply r = FailReply(500, "数据库不可用");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"({"code":"FAIL","message":"数据库不可用"})");
  EXPECT_EQ(ReplyFor(Status::Failure("db down")).status, 500);
}

TEST(WechatNotifyTest, Rfc3339TimesReadAndWrite) {
  EXPECT_EQ(*ParseRfc3339("2025-11-13T10:13:20+08:00"), kTimestamp);
  EXPECT_EQ(*ParseRfc3339("2025-11-13T02:13:20.123Z"), kTimestamp);
  EXPECT_EQ(FormatBeijing(kTimestamp), "2025-11-13T10:13:20+08:00");
  EXPECT_EQ(FormatBeijing(kTimestamp + 14 * 3600), "2025-11-14T00:13:20+08:00");
  EXPECT_FALSE(ParseRfc3339("2025-11-13 10:13:20+08:00").ok());
  EXPECT_FALSE(ParseRfc3339("2024-02-30T00:00:00Z").ok());
  EXPECT_TRUE(ParseRfc3339("2024-02-29T00:00:00Z").ok());
}

}  // namespace
}  // namespace heat::wechat
