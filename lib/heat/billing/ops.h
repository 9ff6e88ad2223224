// billing/ops.h — the money operations every front end shares (billctl,
// the cashier terminal, heatpay.cgi): each reads the account, checks the
// ledger rules in C++ (ledger.h, fee.h), then writes through bill.post in
// one transaction naming the entry number it expects, so two terminals
// charging the same house at the same moment cannot both write: the
// second gets kConflict and nothing of it is stored.
#pragma once

#include <string>
#include <vector>

#include "heat/billing/store.h"

namespace heat::billing {

// What an account stands at on a day: the engine's breakdown plus what the
// ledger holds. receivable = charges + pending late fee; owed =
// receivable − paid.
struct Standing {
  FeeBreakdown fee;      // the engine's view as of the day
  Fen charges = 0;       // posted, net (ledger.h)
  Fen paid = 0;          // posted, net
  Fen pending_late_fee = 0;  // the engine's late fee not posted yet
  Fen receivable() const { return charges + pending_late_fee; }
  Fen owed() const { return receivable() - paid; }
};
Result<Standing> StandingOf(db::Conn& db, const AccountRow& row, const Params& params, const Date& day);

struct PaymentRequest {
  std::string house;      // code or card
  std::string season;     // empty: the default season
  Fen amount = 0;         // > 0
  std::string method;     // cash, card, wechat, ...
  std::string channel = "counter";
  std::string note;
};

struct Posted {
  std::string house, season;
  int64_t seq = 0;
  std::string receipt_no;
  Fen amount = 0;
  Fen balance = 0;        // owed after it (negative: a credit)
  std::vector<std::string> also;  // late fee / discount entries made with it
  // A reversal that needs approval is a request (BIL-13): its id (0: none),
  // route and outcome ("applied" when small enough to need none).
  int64_t request = 0;
  std::string route = "", outcome = "";
};

// A payment (BIL-11): late fee and early-payment discount due today are
// entered with it; refused above the amount owed unless prepayment is on;
// refused for a main house while a subsidiary owes (BIL-4).
Result<Posted> Charge(db::Conn& db, const PaymentRequest& req);
// A refund of money paid beyond the charges (never more than the credit).
Result<Posted> Refund(db::Conn& db, const PaymentRequest& req);
// 红冲 (BIL-9): reverses the entry with this receipt number, voiding the
// receipt (BIL-12); or, with `seq`, entry number seq of the house's
// account in `season`. Only a payment the caller took today is reversed
// at once; any other reversal writes something off (or back on) and is
// opened as a request of kind "reversal", routed by its amount (the
// database enforces both, bill.post and bill.request_open).
Result<Posted> ReverseReceipt(db::Conn& db, const std::string& receipt_no, const std::string& reason);
Result<Posted> ReverseEntry(db::Conn& db, const std::string& house, const std::string& season, int64_t seq,
                            const std::string& reason);

// 报停/复热/退网/复网 (BIL-10) from `date`: the event and the fee adjustment
// the engine computes for it.
Result<Posted> ChangeStatus(db::Conn& db, const std::string& house, const std::string& season,
                            EventKind kind, const Date& date);

// A mid-season price change from `from` (its tariff row already stored,
// BIL-17): the engine's fee with it minus without it, entered as an
// adjustment (bill_admin). `params` carries price_change.reaches_paid.
Result<Posted> ApplyPriceChange(db::Conn& db, const std::string& house, const SeasonRow& season,
                                const Params& params, const Date& today, const Date& from);

}  // namespace heat::billing
