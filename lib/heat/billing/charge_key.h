// billing/charge_key.h — a charge that is stored once however often it is
// sent (BIL-11, BIL-12, OPS-1).
//
// Contract:
//  * Every charge from billctl and the counter carries a request key:
//    8 to 64 letters, digits, ".", "_", ":" or "-" (the client's choice,
//    or NewRequestKey). The payment entry keeps it (bill.entry.request_key,
//    unique; 0042_charge_key.sql).
//  * Charge (ops.h) looks the key up first, inside its transaction, under
//    the house's lock: a key already stored for the same house, season,
//    amount and method is that charge again — its receipt comes back
//    (Posted::replayed) and nothing is written; a key stored for anything
//    else is refused (kUsage) and changes nothing.
//  * ChargeSurely survives a lost connection: when the session is gone
//    after the charge was sent (a restart, a terminated backend, a
//    failover) the outcome is unknown; it connects again (same conninfo,
//    so the new primary) for up to `budget` and charges again, which the
//    key makes either the receipt already stored or the one charge.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "heat/billing/ops.h"

namespace heat::billing {

// Ok, or why `key` is not a request key.
Status CheckRequestKey(std::string_view key);
// A fresh random key: 32 lower-case hex digits.
Result<std::string> NewRequestKey();

// The payment stored with `key`, if any (as the caller sees the ledger).
struct KeyedPayment {
  int64_t account_id = 0, seq = 0;
  std::string house, receipt_no, method;
  Fen amount = 0;
};
Result<std::optional<KeyedPayment>> FindKeyed(db::Conn& db, const std::string& key);
// Whether a stored payment is the charge `req` names on account
// `account_id`; kUsage naming the receipt when it is another one.
Status SameCharge(const KeyedPayment& prior, int64_t account_id, const PaymentRequest& req);

inline constexpr std::chrono::seconds kChargeRecoveryBudget{60};
Result<Posted> ChargeSurely(db::Conn& db, const PaymentRequest& req,
                            std::chrono::milliseconds budget = kChargeRecoveryBudget);

}  // namespace heat::billing
