// billing/ops.h — the money operations every front end shares (billctl,
// the cashier terminal, heatpay.cgi): each reads the account, checks the
// ledger rules in C++ (ledger.h, fee.h), then writes through bill.post in
// one transaction naming the entry number it expects, so two terminals
// charging the same house at the same moment cannot both write twice.
//
// Concurrency: each operation first takes a transaction-scoped lock on the
// house (LockHouse), so terminals working on one house queue for a few
// milliseconds instead of colliding; whatever still collides (PostgreSQL's
// serialization failure 40001, e.g. "the account changed meanwhile", or a
// deadlock 40P01) is retried by Retrying: the whole transaction again,
// from a fresh read, at most kAttempts times with jittered backoff. A
// cashier sees a business answer (posted, or refused for a reason such as
// overpayment), not exit 5, unless the account stays busy for ~1 s.
#pragma once

#include <functional>
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
  // Charge only: names this charge for good (charge_key.h); "" for none.
  std::string request_key = "";
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
  // A charge whose request key was stored already: its receipt, nothing new.
  bool replayed = false;
};

// Runs `attempt` (one whole transaction) again after a serialization
// failure or deadlock, up to kAttempts times, sleeping a random 0..d ms
// between (d = 5, 10, 20, ... up to 200 ms); returns the first result that
// is not such a failure, or the last failure.
inline constexpr int kAttempts = 10;
Result<Posted> Retrying(const std::function<Result<Posted>()>& attempt);

// Inside a transaction: waits for, then holds until its end, the house's
// lock (pg_advisory_xact_lock) that every operation here takes first.
Status LockHouse(db::Conn& db, int house_id);

// A payment (BIL-11): late fee and early-payment discount due today are
// entered with it; refused above the amount owed unless prepayment is on;
// refused for a main house while a subsidiary owes (BIL-4). With a
// request key, a key already stored gives that payment back
// (charge_key.h).
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

// The late fee (违约金, BIL-10) accrued up to `day` (not after today) and
// not yet entered, as one late_fee entry dated `day`: what Charge enters
// with a payment, for a house that does not pay, so reports and `show`
// agree without one. Nothing (amount 0) when nothing has accrued since the
// last late-fee entry, so a second run for the same day changes nothing.
Result<Posted> AccrueLateFee(db::Conn& db, const std::string& house, const std::string& season, const Date& day);

// AccrueLateFee for every account that owes something in the open
// seasons started by `day` (only `season` when not empty); nothing when
// late_fee.daily_rate is 0. An account that fails is passed to `failed`
// and the others go on. A house that owes nothing accrues nothing: the
// late fee up to its last payment was entered with that payment.
struct LateFeeRun {
  bool on = false;         // late_fee.daily_rate > 0
  int64_t owing = 0, entered = 0, failed = 0;
  Fen total = 0;
};
Result<LateFeeRun> AccrueLateFees(db::Conn& db, const Date& day, const std::string& season,
                                  const std::function<void(const std::string& house, const std::string& season,
                                                           const Status& why)>& failed);

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
