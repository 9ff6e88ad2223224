#include "heat/billing/charge_key.h"

#include "heat/core/money.h"
#include "heat/db/reconnect.h"
#include "heat/pay/csrf.h"

namespace heat::billing {

Status CheckRequestKey(std::string_view key) {
  bool chars_ok = key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-") ==
                  std::string_view::npos;
  if (key.size() >= 8 && key.size() <= 64 && chars_ok) return Status::Ok();
  return Status::Usage("--key '" + std::string(key.substr(0, 80)) +
                       "': a request key is 8 to 64 letters, digits, '.', '_', ':' or '-'");
}

Result<std::string> NewRequestKey() { return pay::RandomHex(16); }

Result<std::optional<KeyedPayment>> FindKeyed(db::Conn& db, const std::string& key) {
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared(
      "SELECT e.account_id, e.seq, h.code, r.receipt_no, e.method, -e.amount_fen AS amount"
      " FROM bill.entry e JOIN bill.account a ON a.id = e.account_id JOIN bill.house h ON h.id = a.house_id"
      " LEFT JOIN bill.receipt r ON r.entry_id = e.id"  // the number lives with the receipt, not the entry
      " WHERE e.request_key = $1", {key}));
  if (r.empty()) return std::optional<KeyedPayment>();
  return std::optional<KeyedPayment>(KeyedPayment{r.get_int(0, "account_id"), r.get_int(0, "seq"),
                                                  r.get(0, "code"), r.get(0, "receipt_no"), r.get(0, "method"),
                                                  r.get_int(0, "amount")});
}

Status SameCharge(const KeyedPayment& prior, int64_t account_id, const PaymentRequest& req) {
  if (prior.account_id == account_id && prior.amount == req.amount && prior.method == req.method)
    return Status::Ok();
  return Status::Usage("request key " + req.request_key + " was used for another charge: receipt " +
                       prior.receipt_no + ", house " + prior.house + ", " + FormatYuan(prior.amount) + " " +
                       prior.method + "; nothing charged");
}

namespace {
Status Unknown(const PaymentRequest& req, const Status& why) {
  return Status::Failure("the connection to PostgreSQL was lost and did not come back (" + why.message() +
                         "); whether the charge was stored is not known: run it again with --key " +
                         req.request_key + " (it is stored once)");
}
}  // namespace

Result<Posted> ChargeSurely(db::Conn& db, const PaymentRequest& req, std::chrono::milliseconds budget) {
  HEAT_TRY(CheckRequestKey(req.request_key));
  const auto deadline = std::chrono::steady_clock::now() + budget;
  db::Reconnector rc("charge " + req.request_key);
  bool raced = false;
  for (;;) {
    Result<Posted> r = Charge(db, req);
    // Two charges with this key at once: the other one stored it; the
    // next attempt finds it (the same charge) or says whose it is.
    if (!r.ok() && r.status().code() == Code::kConflict && !raced && db.Alive()) {
      raced = true;
      continue;
    }
    if (r.ok() || db.Alive()) return r;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Unknown(req, r.status());
    Status back = db::ReconnectWithin(db, rc, r.status(), left);
    if (!back.ok()) return Unknown(req, back);
  }
}

}  // namespace heat::billing
