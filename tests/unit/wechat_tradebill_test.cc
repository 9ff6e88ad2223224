// wechat/tradebill.h on bills in WeChat Pay's published format (交易账单,
// bill_type ALL): amounts in yuan become fen exactly, columns are found
// by name, and a malformed bill is refused naming its line.
#include "heat/wechat/tradebill.h"

#include <gtest/gtest.h>

namespace heat::wechat {
namespace {

const std::string kHeader =
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,"
    "货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,"
    "商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const std::string kSummaryHead = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

std::string Row(const std::string& time, const std::string& tx, const std::string& no, const std::string& state,
                const std::string& settle, const std::string& refund, const std::string& amount) {
  return "`" + time + ",`wx8888888888888888,`1900000109,`0,`,`" + tx + ",`" + no + ",`oUpF8uMuAJO,`NATIVE,`" + state +
         ",`OTHERS,`CNY,`" + settle + ",`0.00,`0,`" + (refund == "0.00" ? "" : "RF" + no) + ",`" + refund +
         ",`0.00,`,`,`供热费 2025-2026, XF11101,`,`0.00000,`0.60%,`" + amount + ",`" + refund + ",`";
}

std::string Bill(const std::vector<std::string>& rows, const std::string& summary, const char* eol = "\r\n") {
  std::string out = kHeader + eol;
  for (const auto& r : rows) out += r + eol;
  return out + kSummaryHead + eol + summary + eol;
}

TEST(WechatTradebillTest, AmountsInYuanBecomeExactFen) {
  std::string bill = Bill({Row("2025-11-13 10:13:20", "4200000001", "HP202511130000000001", "SUCCESS", "0.01", "0.00", "0.01"),
                           Row("2025-11-13 23:59:59", "4200000002", "HP202511130000000002", "SUCCESS", "1234.56", "0.00", "1234.56")},
                          "`2,`1234.57,`0.00,`0.00,`0.00000,`1234.57,`0.00");
  auto b = ParseTradeBill(bill);
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_EQ(b->rows.size(), 2u);
  EXPECT_EQ(b->rows[0].amount_fen, 1);
  EXPECT_EQ(b->rows[1].amount_fen, 123456);
  EXPECT_EQ(b->rows[1].settlement_fen, 123456);
  EXPECT_EQ(b->rows[0].transaction_id, "4200000001");
  EXPECT_EQ(b->rows[0].out_trade_no, "HP202511130000000001");
  EXPECT_EQ(b->rows[0].trade_state, "SUCCESS");
  EXPECT_EQ(b->rows[0].trade_epoch, 1763000000);
  EXPECT_EQ(b->rows[1].line, 3);
  EXPECT_EQ(b->summary.count, 2);
  EXPECT_EQ(b->summary.order_total, 123457);
}

TEST(WechatTradebillTest, EveryCentValueIsExactWhereDoubleWouldNotBe) {
  // 0.29 * 100 is 28.999999999999996 in double; 1.15 * 100 is 114.99999999999999.
  for (auto [text, fen] : std::vector<std::pair<std::string, Fen>>{
           {"0.29", 29}, {"1.15", 115}, {"4.35", 435}, {"12.3", 1230}, {"0", 0}, {"-0.05", -5}, {"99999999.99", 9999999999}})
    EXPECT_EQ(*BillYuan(text), fen) << text;
  EXPECT_FALSE(BillYuan("0.001").ok());
  EXPECT_FALSE(BillYuan("1e3").ok());
  EXPECT_FALSE(BillYuan("").ok());
}

TEST(WechatTradebillTest, RefundRowsKeepTheirState) {
  std::string bill = Bill({Row("2025-11-13 09:00:00", "4200000003", "HP202511130000000003", "SUCCESS", "9.90", "0.00", "9.90"),
                           Row("2025-11-13 11:00:00", "4200000003", "HP202511130000000003", "REFUND", "0.00", "9.90", "9.90")},
                          "`2,`9.90,`9.90,`0.00,`0.00000,`19.80,`9.90", "\n");
  auto b = ParseTradeBill(bill);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->rows[1].trade_state, "REFUND");
  EXPECT_EQ(b->rows[1].refund_fen, 990);
  EXPECT_EQ(b->rows[1].out_refund_no, "RFHP202511130000000003");
  EXPECT_EQ(b->summary.refund_total, 990);
}

TEST(WechatTradebillTest, EmptyDayAndBomAreFine) {
  auto b = ParseTradeBill("\xEF\xBB\xBF" + Bill({}, "`0,`0.00,`0.00,`0.00,`0.00000,`0.00,`0.00"));
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_TRUE(b->rows.empty());
}

TEST(WechatTradebillTest, ColumnsAreFoundByName) {
  std::string bill = "商户订单号,微信订单号,交易状态,订单金额,应结订单金额,交易时间,公众账号ID,商户号,交易类型\n"
                     "`HP202511130000000009,`4200000009,`SUCCESS,`5.00,`5.00,`2025-11-13 08:00:00,`wx1,`19,`JSAPI\n" +
                     kSummaryHead + "\n`1,`5.00,`0.00,`0.00,`0.00000,`5.00,`0.00\n";
  auto b = ParseTradeBill(bill);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->rows[0].out_trade_no, "HP202511130000000009");
  EXPECT_EQ(b->rows[0].amount_fen, 500);
}

void ExpectRefused(const std::string& bill, const std::string& where) {
  auto b = ParseTradeBill(bill);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), Code::kUsage);
  EXPECT_NE(b.status().message().find(where), std::string::npos) << b.status().message();
}

TEST(WechatTradebillTest, MalformedBillsAreRefusedWithTheLine) {
  std::string good = Row("2025-11-13 10:13:20", "4200000001", "HP202511130000000001", "SUCCESS", "0.01", "0.00", "0.01");
  std::string sum = "`1,`0.01,`0.00,`0.00,`0.00000,`0.01,`0.00";
  ExpectRefused(Bill({good, "`2025-11-13 10:00:00,`wx"}, sum), "line 3: 2 fields");
  ExpectRefused(Bill({good.substr(1)}, sum), "line 2: a field does not start with a backquote");
  std::string bad_amount = Row("2025-11-13 10:13:20", "4200000001", "HP202511130000000001", "SUCCESS", "0.01", "0.00", "0.011");
  ExpectRefused(Bill({bad_amount}, sum), "line 2: 订单金额");
  std::string bad_time = Row("2025-11-31 10:13:20", "4200000001", "HP202511130000000001", "SUCCESS", "0.01", "0.00", "0.01");
  ExpectRefused(Bill({bad_time}, sum), "line 2: 交易时间");
  std::string bad_state = Row("2025-11-13 10:13:20", "4200000001", "HP202511130000000001", "PAID", "0.01", "0.00", "0.01");
  ExpectRefused(Bill({bad_state}, sum), "line 2: 交易状态");
  ExpectRefused(Bill({good}, "`2,`0.01,`0.00,`0.00,`0.00000,`0.01,`0.00"), "line 4: 总交易单数 2 but 1");
  ExpectRefused(Bill({good}, "`1,`0.01,`0.00,`0.00,`0.00000,`0.02,`0.00"), "line 4: 订单总金额");
  ExpectRefused(kHeader + "\n" + good + "\n", "line 3: no summary");
  ExpectRefused("交易时间,商户订单号\n", "line 1: no column");
  ExpectRefused("", "line 1: empty");
  ExpectRefused(Bill({good}, sum) + "`extra\n", "line 5: a line after the summary values");
  ExpectRefused(kHeader + "\n" + good + "\n" + kSummaryHead + "\n", "line 4: no summary values");
}

}  // namespace
}  // namespace heat::wechat
