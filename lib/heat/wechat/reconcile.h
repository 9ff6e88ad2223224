// wechat/reconcile.h — the daily reconciliation of WeChat Pay with the
// ledger (billctl wechat reconcile, BIL-23): no payment is lost when
// notifies are lost, and none is entered twice when they are repeated.
//
// For a company day D:
//  1. every order bill.pay_pending(D) returns is queried at WeChat:
//     SUCCESS goes to bill.pay_notified('query', …) (posted once: a second
//     run finds it a duplicate or no longer pending); CLOSED, REVOKED and
//     PAYERROR to bill.pay_order_closed; NOTPAY and USERPAYING stay open;
//     an order WeChat never saw (404) is listed and left.
//  2. D's trade bill is downloaded (SHA1 checked) and held against
//     bill.pay_ledger_day(D) by transaction id. A SUCCESS row of ours the
//     ledger lacks is posted through bill.pay_notified('tradebill', …)
//     (the database refuses an unknown order or another amount).
//  3. What still differs is a line each: in the bill and not the ledger,
//     in the ledger and not the bill, amounts that differ, refunds and
//     revocations in the bill (the ledger takes no refund from WeChat).
// Totals: the bill's SUCCESS amounts, the ledger's, and the difference.
// A failure to reach WeChat or a reply that fails its signature stops the
// run with that error; what was posted before stays posted (each post is
// its own transaction and idempotent).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "heat/core/money.h"
#include "heat/core/time.h"
#include "heat/db/conn.h"
#include "heat/wechat/client.h"

namespace heat::wechat {

// What WeChat says of one order, to the ledger: bill.pay_notified(source,
// out_trade_no, transaction_id, trade_state, amount, success time), which
// posts a SUCCESS once and answers posted, duplicate, not_paid or refused.
// `source`: notify, query or tradebill; `success_time` RFC 3339 ("" when
// the order is not paid). The one door of the page's notify, its order
// query and this job.
Result<std::string> PostToLedger(db::Conn& db, const char* source, const std::string& out_trade_no,
                                 const std::string& transaction_id, const std::string& trade_state, Fen amount,
                                 const std::string& success_time);

struct ReconcileLine {
  // posted, duplicate, refused, not_paid (what bill.pay_notified answered),
  // closed, open, not_at_wechat, missing_in_ledger, missing_in_bill,
  // amount_differs, refund, revoked
  std::string event;
  std::string source;  // query, tradebill, or "" for a comparison line
  std::string out_trade_no, transaction_id;
  std::optional<Fen> bill_fen, ledger_fen;
  std::string note;
  bool difference = false;  // counts towards the exit status
};

struct ReconcileReport {
  Date day;
  std::vector<ReconcileLine> lines;
  Fen bill_total = 0, ledger_total = 0;
  int differences = 0;
  Fen difference() const { return bill_total - ledger_total; }
};

Result<ReconcileReport> Reconcile(db::Conn& db, Client& client, const Merchant& m, const Date& day);

}  // namespace heat::wechat
