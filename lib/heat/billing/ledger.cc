#include "heat/billing/ledger.h"

#include <algorithm>
#include <utility>

namespace heat::billing {
namespace {

std::string Yuan(Fen f) { return FormatYuan(f) + " yuan"; }

bool InRange(__int128 v) { return v >= -kMaxFen && v <= kMaxFen; }

// The sign an entry of this kind must have (0: either, not zero).
int SignOf(EntryKind k) {
  switch (k) {
    case EntryKind::kAssessed:
    case EntryKind::kLateFee:
    case EntryKind::kRefund: return 1;
    case EntryKind::kDiscount:
    case EntryKind::kReduction:
    case EntryKind::kPayment: return -1;
    case EntryKind::kAdjustment:
    case EntryKind::kReversal: return 0;
  }
  return 0;
}

bool IsMoney(EntryKind k) { return k == EntryKind::kPayment || k == EntryKind::kRefund; }

}  // namespace

const char* EntryKindName(EntryKind kind) {
  switch (kind) {
    case EntryKind::kAssessed: return "assessed";
    case EntryKind::kDiscount: return "discount";
    case EntryKind::kReduction: return "reduction";
    case EntryKind::kLateFee: return "late fee";
    case EntryKind::kPayment: return "payment";
    case EntryKind::kRefund: return "refund";
    case EntryKind::kAdjustment: return "adjustment";
    case EntryKind::kReversal: return "reversal";
  }
  return "?";
}

Account::Account(std::string house, int season, bool allow_prepayment)
    : house_(std::move(house)), season_(season), allow_prepayment_(allow_prepayment) {}

Result<Account> Account::Replay(std::string house, int season, bool allow_prepayment,
                                const std::vector<Entry>& entries) {
  Account a(std::move(house), season, allow_prepayment);
  for (const auto& e : entries) {
    std::string where = "house " + a.house_ + " season " + std::to_string(season) + " entry " +
                        std::to_string(e.id);
    if (e.id != static_cast<int64_t>(a.entries_.size()) + 1)
      return Status::Failure(where + ": out of sequence (expected " +
                             std::to_string(a.entries_.size() + 1) + ")");
    if (e.kind != EntryKind::kReversal && e.reverses != 0)
      return Status::Failure(where + ": only a reversal links to another entry");
    if (e.kind == EntryKind::kReversal) {
      const Entry* r = a.Find(e.reverses);
      if (!r || e.amount != -r->amount)
        return Status::Failure(where + ": a reversal must negate the entry it reverses");
    }
    auto added = a.Add(e, false);
    if (!added.ok()) return Status(added.status().code(), where + ": " + added.status().message());
  }
  return a;
}

const Entry* Account::Find(int64_t id) const {
  if (id < 1 || id > static_cast<int64_t>(entries_.size())) return nullptr;
  return &entries_[static_cast<size_t>(id - 1)];
}

bool Account::IsReversed(int64_t id) const {
  return Find(id) != nullptr && reversed_[static_cast<size_t>(id - 1)];
}

Result<int64_t> Account::Add(Entry e, bool enforce_policy) {
  const char* what = EntryKindName(e.kind);
  int sign = SignOf(e.kind);
  if (e.amount == 0 || (sign > 0 && e.amount < 0) || (sign < 0 && e.amount > 0))
    return Status::Usage(std::string("a ") + what + (sign == 0 ? " must not be 0.00 yuan" : " must be more than 0.00 yuan"));
  if (!InRange(e.amount)) return Status::Usage(std::string("a ") + what + " of at most " + Yuan(kMaxFen));

  const Entry* target = nullptr;
  if (e.kind == EntryKind::kReversal) {
    target = Find(e.reverses);
    if (!target) return Status::NotFound("no entry " + std::to_string(e.reverses) + " to reverse");
    if (target->kind == EntryKind::kReversal)
      return Status::Conflict("entry " + std::to_string(target->id) +
                              " is a reversal; a reversal cannot be reversed (make a new entry instead)");
    if (reversed_[static_cast<size_t>(target->id - 1)])
      return Status::Conflict("entry " + std::to_string(target->id) + " (" + EntryKindName(target->kind) +
                              ") is already reversed");
  }
  if (e.kind == EntryKind::kAssessed) {
    for (const auto& x : entries_)
      if (x.kind == EntryKind::kAssessed && !reversed_[static_cast<size_t>(x.id - 1)])
        return Status::Conflict("house " + house_ + " season " + std::to_string(season_) +
                                " already has an assessed fee (entry " + std::to_string(x.id) + ", " +
                                Yuan(x.amount) + "); reverse it before assessing again");
  }

  // The would-be sums.
  EntryKind effective = target ? target->kind : e.kind;
  __int128 balance = static_cast<__int128>(balance_) + e.amount;
  __int128 paid = paid_;
  if (IsMoney(effective)) paid -= e.amount;  // payments are negative, refunds positive
  __int128 charges = balance + paid;
  if (!InRange(balance) || !InRange(paid) || !InRange(charges))
    return Status::Usage("the account would hold more than " + Yuan(kMaxFen));

  if (e.kind == EntryKind::kPayment && enforce_policy && !allow_prepayment_ && -e.amount > balance_)
    return Status::Conflict("payment of " + Yuan(-e.amount) + " is more than the " + Yuan(std::max<Fen>(balance_, 0)) +
                            " owed by house " + house_ + "; prepayments are off (ledger.allow_prepayment)");
  if (e.kind == EntryKind::kRefund) {
    if (e.amount > paid_)
      return Status::Conflict("refund of " + Yuan(e.amount) + " is more than the " + Yuan(paid_) + " paid");
    if (e.amount > -balance_)
      return Status::Conflict("refund of " + Yuan(e.amount) + " is more than the credit of " +
                              Yuan(std::max<Fen>(-balance_, 0)) +
                              "; to undo a payment taken by mistake, reverse it (红冲)");
  }
  if (paid < 0)
    return Status::Conflict(std::string("this ") + what + " would leave less than nothing paid (" +
                            Yuan(static_cast<Fen>(paid)) + "); reverse the refund first");
  if (charges < 0)
    return Status::Conflict(std::string("this ") + what + " would take the charges below zero (" +
                            Yuan(static_cast<Fen>(charges)) + ")");

  e.id = static_cast<int64_t>(entries_.size()) + 1;
  if (target) reversed_[static_cast<size_t>(target->id - 1)] = true;
  balance_ = static_cast<Fen>(balance);
  paid_ = static_cast<Fen>(paid);
  entries_.push_back(std::move(e));
  reversed_.push_back(false);
  return entries_.back().id;
}

Result<int64_t> Account::Assess(const Date& date, Fen fee, std::string note) {
  return Add(Entry{0, EntryKind::kAssessed, date, fee, 0, std::move(note)}, true);
}
Result<int64_t> Account::Discount(const Date& date, Fen amount, std::string note) {
  if (amount <= 0) return Status::Usage("a discount must be more than 0.00 yuan");
  return Add(Entry{0, EntryKind::kDiscount, date, -amount, 0, std::move(note)}, true);
}
Result<int64_t> Account::Reduce(const Date& date, Fen amount, std::string note) {
  if (amount <= 0) return Status::Usage("a reduction must be more than 0.00 yuan");
  return Add(Entry{0, EntryKind::kReduction, date, -amount, 0, std::move(note)}, true);
}
Result<int64_t> Account::LateFee(const Date& date, Fen amount, std::string note) {
  return Add(Entry{0, EntryKind::kLateFee, date, amount, 0, std::move(note)}, true);
}
Result<int64_t> Account::Pay(const Date& date, Fen amount, std::string note) {
  if (amount <= 0) return Status::Usage("a payment must be more than 0.00 yuan");
  return Add(Entry{0, EntryKind::kPayment, date, -amount, 0, std::move(note)}, true);
}
Result<int64_t> Account::Refund(const Date& date, Fen amount, std::string note) {
  return Add(Entry{0, EntryKind::kRefund, date, amount, 0, std::move(note)}, true);
}
Result<int64_t> Account::Adjust(const Date& date, Fen signed_amount, std::string note) {
  return Add(Entry{0, EntryKind::kAdjustment, date, signed_amount, 0, std::move(note)}, true);
}
Result<int64_t> Account::Reverse(const Date& date, int64_t entry_id, std::string note) {
  const Entry* target = Find(entry_id);
  if (!target) return Status::NotFound("no entry " + std::to_string(entry_id) + " to reverse");
  return Add(Entry{0, EntryKind::kReversal, date, -target->amount, entry_id, std::move(note)}, true);
}

Status CanPay(const Account& main, const std::vector<Account>& subsidiaries) {
  std::string owing;
  for (const auto& s : subsidiaries) {
    if (s.house() == main.house())
      return Status::Usage("house " + main.house() + " is listed as its own subsidiary house");
    if (s.Owes())
      owing += (owing.empty() ? "" : ", ") + s.house() + " (season " + std::to_string(s.season()) + ", " +
               Yuan(s.Balance()) + ")";
  }
  if (!owing.empty())
    return Status::Conflict("main house " + main.house() + " cannot be paid while its subsidiary houses owe: " +
                            owing + "; pay those first (BIL-4)");
  return Status::Ok();
}

}  // namespace heat::billing
