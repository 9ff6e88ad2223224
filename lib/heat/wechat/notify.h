// wechat/notify.h — a payment as WeChat Pay v3 tells it (BIL-23): the
// notify POSTed to wechat.notify_url, and the transaction JSON that both
// the notify (encrypted) and a query (plain, signed) carry.
//
// Every byte is hostile. ParseNotify accepts a notify only when the body
// is at most 64 KiB of JSON, its signature verifies against the platform
// certificate of Wechatpay-Serial within 5 minutes of `now_s` (else
// kPermission), the resource decrypts with the APIv3 key (else
// kPermission), and the transaction inside has the right types and sizes
// and is for our mchid and appid (else kUsage). An event other than
// TRANSACTION.* (e.g. REFUND.SUCCESS) is authentic but not a payment: it
// is returned with event_type set and no transaction fields, and
// IsPayment() says so.
//
// The replies WeChat expects: 204 and no body when the notify was taken
// (it then stops resending), else 4xx/5xx with {"code":"FAIL","message":…}
// (it resends over the next 24 h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "heat/core/money.h"
#include "heat/core/status.h"
#include "heat/wechat/aead.h"
#include "heat/wechat/merchant.h"
#include "heat/wechat/sign.h"

namespace heat::wechat {

inline constexpr size_t kMaxNotifyBytes = 64 * 1024;

struct Transaction {
  std::string event_type;  // the notify's, e.g. TRANSACTION.SUCCESS; empty from a query
  std::string notify_id;   // the notify's id; empty from a query
  std::string mchid, appid;
  std::string out_trade_no;    // ours, [0-9A-Za-z_|*-]{6,32}
  std::string transaction_id;  // WeChat's, digits; empty until paid
  std::string trade_type;      // NATIVE, JSAPI, MWEB, …
  std::string trade_state;     // SUCCESS, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR, REFUND
  std::string trade_state_desc;
  Fen total = 0;        // amount.total, fen
  Fen payer_total = 0;  // amount.payer_total, fen (after coupons)
  std::string success_time;  // RFC 3339 as sent; empty unless SUCCESS
  int64_t success_epoch = 0;
  bool IsPayment() const { return event_type.empty() || event_type.rfind("TRANSACTION.", 0) == 0; }
  bool Paid() const { return trade_state == "SUCCESS"; }
};

// The transaction JSON (a query's body or a notify's plaintext), checked
// against the merchant's mchid and appid.
Result<Transaction> ParseTransaction(const Merchant& m, std::string_view json);

// The notify envelope without verifying or decrypting it: id, event_type
// and resource (for ParseNotify and the fuzz target).
struct Envelope {
  std::string id, event_type, resource_type;
  Resource resource;
};
Result<Envelope> ParseEnvelope(std::string_view body);

Result<Transaction> ParseNotify(const Merchant& m, const Headers& headers, std::string_view body, int64_t now_s);

struct Reply {
  int status = 204;
  std::string body;  // JSON, or empty
};
Reply AckReply();
Reply FailReply(int status, std::string_view message);
// The reply to a notify that failed with s: 401 for a bad signature or
// key (kPermission), 400 for malformed content, 500 otherwise.
Reply ReplyFor(const Status& s);

}  // namespace heat::wechat
