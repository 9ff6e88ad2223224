// billing/ledger.h — the yearly account of one house for one season
// (BIL-10, BIL-11) as a list of immutable entries. Nothing is edited or
// deleted: a mistake is undone by a reversal (红冲) linked to the entry it
// reverses, and the corrected entry is added anew.
//
// Signs: every entry carries its signed effect on the amount owed.
// Charges are positive (assessed fee, late fee, refund), credits negative
// (discount, reduction, payment); an adjustment is either; a reversal is
// the negation of the entry it reverses.
//   Balance() = sum of all entries = amount owed (negative: a credit)
//   Paid()    = payments − refunds, after reversals (money received, net)
//   Charges() = Balance() + Paid() (what the house is charged, net)
//
// Rules (kUsage for a malformed request, kNotFound for an unknown entry,
// kConflict when the account does not allow it):
// - Amounts are given positive (an adjustment: either sign, not 0) and at
//   most kMaxFen; the account refuses anything that takes a sum beyond it.
// - One assessed fee at a time: a second Assess is refused while the first
//   stands; to re-assess, reverse it and assess again.
// - Charges never go below zero: a discount, reduction, negative
//   adjustment or reversal that would take them there is refused.
// - Overpayment: a payment above the amount owed is REFUSED by default —
//   the cashier is shown the exact receivable, so more is nearly always a
//   typing mistake (an extra zero), and holding customers' money the
//   company did not bill must be a decision, not an accident. With
//   allow_prepayment (ledger.allow_prepayment) the excess is kept as a
//   prepayment: the balance goes negative and is a credit for the house.
//   A credit can also arise without a payment, when a charge is reduced
//   or reversed after the house paid; it is refunded or carried over.
// - Refunds: never beyond what was paid (Paid()), and never beyond the
//   credit (−Balance()): a refund gives back money paid beyond the
//   charges. To undo a payment taken by mistake, reverse it (红冲).
// - Reversal: of an existing entry, once; a reversal itself cannot be
//   reversed; the result must keep Paid() >= 0 and Charges() >= 0 (so a
//   payment whose money was refunded is reversed after the refund's
//   reversal). Undoing everything but the assessed fee always succeeds in
//   this order: refunds, payments, credits (discounts, reductions,
//   negative adjustments), then charges (late fees, positive adjustments);
//   and so does reversing the entries of an account without earlier
//   reversals newest first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "heat/core/money.h"
#include "heat/core/status.h"
#include "heat/core/time.h"

namespace heat::billing {

enum class EntryKind {
  kAssessed,    // 应收: the heating fee (+)
  kDiscount,    // early-payment discount (−)
  kReduction,   // 减免 (−)
  kLateFee,     // 违约金 (+)
  kPayment,     // (−)
  kRefund,      // (+)
  kAdjustment,  // either sign
  kReversal,    // 红冲: −(the reversed entry)
};
const char* EntryKindName(EntryKind kind);  // "assessed", "discount", ...

struct Entry {
  int64_t id = 0;  // 1, 2, 3 … in the order entries were made
  EntryKind kind = EntryKind::kAdjustment;
  Date date;
  Fen amount = 0;  // signed effect on the amount owed
  int64_t reverses = 0;  // kReversal: id of the reversed entry; else 0
  std::string note;      // operator, receipt number, reason
};

class Account {
 public:
  Account(std::string house, int season, bool allow_prepayment = false);

  // Rebuilds an account from stored entries, checking ids (1, 2, 3 …),
  // signs and every rule above except the overpayment policy (which
  // applied when the payment was taken).
  static Result<Account> Replay(std::string house, int season, bool allow_prepayment,
                                const std::vector<Entry>& entries);

  // Each returns the id of the new entry.
  Result<int64_t> Assess(const Date& date, Fen fee, std::string note = {});
  Result<int64_t> Discount(const Date& date, Fen amount, std::string note = {});
  Result<int64_t> Reduce(const Date& date, Fen amount, std::string note = {});
  Result<int64_t> LateFee(const Date& date, Fen amount, std::string note = {});
  Result<int64_t> Pay(const Date& date, Fen amount, std::string note = {});
  Result<int64_t> Refund(const Date& date, Fen amount, std::string note = {});
  Result<int64_t> Adjust(const Date& date, Fen signed_amount, std::string note = {});
  Result<int64_t> Reverse(const Date& date, int64_t entry_id, std::string note = {});

  Fen Balance() const { return balance_; }
  Fen Paid() const { return paid_; }
  Fen Charges() const { return balance_ + paid_; }
  bool Owes() const { return balance_ > 0; }

  const std::string& house() const { return house_; }
  int season() const { return season_; }
  bool allow_prepayment() const { return allow_prepayment_; }
  const std::vector<Entry>& entries() const { return entries_; }
  const Entry* Find(int64_t id) const;
  bool IsReversed(int64_t id) const;

 private:
  Result<int64_t> Add(Entry e, bool enforce_policy);

  std::string house_;
  int season_;
  bool allow_prepayment_;
  std::vector<Entry> entries_;
  std::vector<bool> reversed_;  // by id − 1
  Fen balance_ = 0, paid_ = 0;
};

// Related houses (BIL-4): one household, several houses; every subsidiary
// house must be paid up before the main house is paid. kConflict naming
// each subsidiary that owes (any season given); kUsage when a subsidiary
// is the main house itself.
Status CanPay(const Account& main, const std::vector<Account>& subsidiaries);

}  // namespace heat::billing
