#include "heat/wechat/reconcile.h"

#include <map>

#include "heat/wechat/rfc3339.h"
#include "heat/wechat/tradebill.h"

namespace heat::wechat {
namespace {

struct LedgerRow {
  std::string out_trade_no;
  Fen amount = 0;
  bool seen = false;
};
using Ledger = std::map<std::string, LedgerRow>;  // by transaction id

// Step 1: one pending order, as WeChat knows it.
Result<ReconcileLine> Settle(db::Conn& db, Client& client, const std::string& no, Fen amount) {
  ReconcileLine l{"open", "query", no, "", std::nullopt, std::nullopt, "", false};
  auto t = client.QueryByOutTradeNo(no);
  if (!t.ok() && t.status().code() == Code::kNotFound) {
    l.event = "not_at_wechat";
    l.note = "WeChat has no such order (never opened); left open";
    return l;
  }
  if (!t.ok()) return t.status().With("order " + no);
  l.transaction_id = t->transaction_id;
  const std::string& s = t->trade_state;
  if (s == "SUCCESS") {
    l.bill_fen = t->total;
    HEAT_ASSIGN(l.event, PostToLedger(db, "query", no, t->transaction_id, "SUCCESS", t->total, t->success_time));
    if (l.event == "refused")
      l.note = "refused: the order is for " + FormatYuan(amount) + " yuan (bill.online_event says why)";
  } else if (s == "CLOSED" || s == "REVOKED" || s == "PAYERROR") {
    HEAT_TRY(db.Exec("SELECT bill.pay_order_closed($1, $2)", {no, s}));
    l.event = "closed";
    l.note = s;
  } else if (s == "REFUND") {
    l.event = "refund";
    l.note = "paid and refunded at WeChat, never entered";
    l.difference = true;
  } else {
    l.note = s + ": not paid yet";
  }
  return l;
}

Result<Ledger> LedgerOf(db::Conn& db, const Date& day) {
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT transaction_id, out_trade_no, amount_fen FROM bill.pay_ledger_day($1::date)",
                                   {FormatDate(day)}));
  Ledger out;
  for (int i = 0; i < r.size(); ++i) out[r.get(i, 0)] = LedgerRow{r.get(i, 1), r.get_int(i, 2), false};
  return out;
}

Result<TradeBill> BillOf(Client& client, const Date& day, ReconcileReport* rep) {
  auto bytes = client.TradeBill(FormatDate(day));
  if (!bytes.ok() && client.last_code() == "NO_STATEMENT_EXIST") {
    rep->lines.push_back({"no_bill", "tradebill", "", "", std::nullopt, std::nullopt,
                          "WeChat has no trade bill for the day (no payments)", false});
    return TradeBill{};
  }
  if (!bytes.ok()) return bytes.status().With("trade bill of " + FormatDate(day));
  auto bill = ParseTradeBill(*bytes);
  if (!bill.ok()) return bill.status().With("trade bill of " + FormatDate(day));
  return bill;
}

// Step 2: SUCCESS rows of ours the ledger lacks are posted from the bill.
Status PostMissing(db::Conn& db, const Merchant& m, const TradeBill& bill, const Ledger& ledger,
                   ReconcileReport* rep) {
  for (const BillRow& r : bill.rows) {
    if (r.trade_state != "SUCCESS" || ledger.count(r.transaction_id)) continue;
    if (r.mchid != m.mchid || r.appid != m.appid) continue;  // not ours: reported below
    HEAT_ASSIGN(std::string outcome, PostToLedger(db, "tradebill", r.out_trade_no, r.transaction_id, "SUCCESS",
                                                  r.amount_fen, FormatBeijing(r.trade_epoch)));
    if (outcome == "posted" || outcome == "duplicate")
      rep->lines.push_back({outcome, "tradebill", r.out_trade_no, r.transaction_id, r.amount_fen, std::nullopt,
                            "from the trade bill (line " + std::to_string(r.line) + ")", false});
  }
  return Status::Ok();
}

// Step 3: what still differs, row by row.
void Compare(const TradeBill& bill, Ledger ledger, ReconcileReport* rep) {
  for (const BillRow& r : bill.rows) {
    std::string where = "trade bill line " + std::to_string(r.line);
    if (r.trade_state != "SUCCESS") {
      Fen back = r.refund_fen ? r.refund_fen : r.amount_fen;
      rep->lines.push_back({r.trade_state == "REFUND" ? "refund" : "revoked", "", r.out_trade_no, r.transaction_id,
                            -back, std::nullopt, where + ": the ledger holds no refund from WeChat", true});
      continue;
    }
    rep->bill_total += r.amount_fen;
    auto it = ledger.find(r.transaction_id);
    if (it == ledger.end()) {
      rep->lines.push_back({"missing_in_ledger", "", r.out_trade_no, r.transaction_id, r.amount_fen, std::nullopt,
                            where + ": paid at WeChat, not in the ledger", true});
      continue;
    }
    it->second.seen = true;
    if (it->second.amount != r.amount_fen)
      rep->lines.push_back({"amount_differs", "", r.out_trade_no, r.transaction_id, r.amount_fen, it->second.amount,
                            where + ": amounts differ", true});
  }
  for (const auto& [tx, l] : ledger) {
    rep->ledger_total += l.amount;
    if (!l.seen)
      rep->lines.push_back({"missing_in_bill", "", l.out_trade_no, tx, std::nullopt, l.amount,
                            "in the ledger, not in WeChat's bill of the day", true});
  }
}

}  // namespace

Result<std::string> PostToLedger(db::Conn& db, const char* source, const std::string& out_trade_no,
                                 const std::string& transaction_id, const std::string& trade_state, Fen amount,
                                 const std::string& success_time) {
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT bill.pay_notified($1, $2, $3, $4, $5::bigint, $6::timestamptz)",
                                   {source, out_trade_no, transaction_id, trade_state, std::to_string(amount),
                                    success_time.empty() ? db::Param() : db::Param(success_time)}));
  return r.get(0, 0);
}

Result<ReconcileReport> Reconcile(db::Conn& db, Client& client, const Merchant& m, const Date& day) {
  ReconcileReport rep;
  rep.day = day;
  HEAT_ASSIGN(db::Rows pending, db.Query("SELECT out_trade_no, amount_fen FROM bill.pay_pending($1::date)",
                                         {FormatDate(day)}));
  for (int i = 0; i < pending.size(); ++i) {
    HEAT_ASSIGN(ReconcileLine l, Settle(db, client, pending.get(i, 0), pending.get_int(i, 1)));
    rep.lines.push_back(std::move(l));
  }
  HEAT_ASSIGN(TradeBill bill, BillOf(client, day, &rep));
  HEAT_ASSIGN(Ledger before, LedgerOf(db, day));
  HEAT_TRY(PostMissing(db, m, bill, before, &rep));
  HEAT_ASSIGN(Ledger after, LedgerOf(db, day));
  Compare(bill, std::move(after), &rep);
  for (const auto& l : rep.lines) rep.differences += l.difference;
  return rep;
}

}  // namespace heat::wechat
