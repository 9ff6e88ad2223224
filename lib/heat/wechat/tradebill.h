// wechat/tradebill.h — WeChat Pay's daily trade bill (交易账单, GET
// /v3/bill/tradebill, bill_type ALL), the statement the reconcile job
// (billctl wechat reconcile, BIL-23) holds the ledger against.
//
// The file: a header line of Chinese column names (交易时间,公众账号ID,
// 商户号,…,微信订单号,商户订单号,…,交易状态,…,应结订单金额,…,订单金额,…)
// whose order is not fixed (columns are found by name), a line per trade
// with every field prefixed by a backquote (`), then the summary header
// 总交易单数,应结订单总金额,退款总金额,… and one line of its values. Lines
// end in LF or CRLF; a UTF-8 BOM is skipped. Amounts are yuan with up to
// two decimals and become integer fen exactly (never through double).
//
// Malformed input (a missing column, a wrong field count, a bad amount or
// time, a summary whose count or order total disagrees with the rows, no
// summary) is kUsage naming the line number.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heat/core/money.h"
#include "heat/core/status.h"

namespace heat::wechat {

inline constexpr size_t kMaxTradeBillBytes = 64 << 20;

struct BillRow {
  int line = 0;
  std::string trade_time;  // "YYYY-MM-DD HH:MM:SS", Beijing time
  int64_t trade_epoch = 0;
  std::string appid, mchid;
  std::string transaction_id, out_trade_no;
  std::string trade_type;
  std::string trade_state;  // SUCCESS, REFUND or REVOKED
  Fen amount_fen = 0;       // 订单金额: what the payer was charged
  Fen settlement_fen = 0;   // 应结订单金额: the amount less non-cash coupons
  Fen refund_fen = 0;       // 退款金额 (REFUND rows)
  std::string out_refund_no;
};

struct BillSummary {
  int64_t count = 0;          // 总交易单数
  Fen settlement_total = 0;   // 应结订单总金额
  Fen refund_total = 0;       // 退款总金额
  Fen order_total = 0;        // 订单总金额
};

struct TradeBill {
  std::vector<BillRow> rows;
  BillSummary summary;
};

Result<TradeBill> ParseTradeBill(std::string_view text);

// One bill amount ("12.34", "0.01", "-0.05", "12.3", "0") as fen.
Result<Fen> BillYuan(std::string_view s);

}  // namespace heat::wechat
