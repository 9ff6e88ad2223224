#include "heat/wechat/notify.h"

#include <nlohmann/json.hpp>

#include "heat/proto/payload.h"
#include "heat/wechat/rfc3339.h"

namespace heat::wechat {
namespace {

using nlohmann::json;

// Size and nesting are bounded before nlohmann sees the bytes (proto/payload.h).
Result<json> ParseObject(std::string_view text, const char* what) {
  auto j = proto::ParseJsonPayload(text, {kMaxNotifyBytes, 8});
  if (!j.ok()) return j.status().With(what);
  if (!j->is_object()) return Status::Usage(std::string(what) + " is not a JSON object");
  return std::move(j).value();
}

// o[key] as a string of at most max bytes; absent is "" unless required.
Status Str(const json& o, const char* key, size_t max, bool required, std::string* out) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) {
    if (required) return Status::Usage(std::string(key) + " is missing");
    return Status::Ok();
  }
  if (!it->is_string()) return Status::Usage(std::string(key) + " is not a string");
  const std::string& v = it->get_ref<const std::string&>();
  if (v.size() > max) return Status::Usage(std::string(key) + " is longer than " + std::to_string(max));
  *out = v;
  return Status::Ok();
}

Status Fen(const json& o, const char* key, bool required, heat::Fen* out) {
  auto it = o.find(key);
  if (it == o.end()) return required ? Status::Usage(std::string("amount.") + key + " is missing") : Status::Ok();
  if (!it->is_number_integer()) return Status::Usage(std::string("amount.") + key + " is not an integer of fen");
  bool neg = it->is_number_unsigned() ? false : it->get<int64_t>() < 0;
  if (neg || it->get<uint64_t>() > static_cast<uint64_t>(kMaxFen))
    return Status::Usage(std::string("amount.") + key + " is out of range");
  *out = it->get<int64_t>();
  return Status::Ok();
}

bool Charset(std::string_view s, const char* extra) {
  for (char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    for (const char* e = extra; *e && !ok; ++e) ok = c == *e;
    if (!ok) return false;
  }
  return true;
}

Status CheckIds(const Transaction& t) {
  if (t.out_trade_no.size() < 6 || !Charset(t.out_trade_no, "_-|*"))
    return Status::Usage("out_trade_no is not 6-32 characters of [0-9A-Za-z_-|*]");
  if (!Charset(t.transaction_id, "")) return Status::Usage("transaction_id is not alphanumeric");
  static const char* kStates[] = {"SUCCESS", "REFUND", "NOTPAY", "CLOSED", "REVOKED", "USERPAYING", "PAYERROR"};
  for (const char* s : kStates)
    if (t.trade_state == s) return Status::Ok();
  return Status::Usage("trade_state '" + t.trade_state.substr(0, 32) + "' is not a WeChat trade state");
}

Status PaidFields(Transaction* t) {
  if (!t->Paid()) return Status::Ok();
  if (t->transaction_id.empty()) return Status::Usage("a SUCCESS transaction without transaction_id");
  if (t->total <= 0) return Status::Usage("a SUCCESS transaction without a positive amount.total");
  auto at = ParseRfc3339(t->success_time);
  if (!at.ok()) return at.status().With("success_time");
  t->success_epoch = *at;
  return Status::Ok();
}

}  // namespace

Result<Transaction> ParseTransaction(const Merchant& m, std::string_view text) {
  HEAT_ASSIGN(json j, ParseObject(text, "the transaction"));
  Transaction t;
  HEAT_TRY(Str(j, "mchid", 32, true, &t.mchid));
  HEAT_TRY(Str(j, "appid", 32, true, &t.appid));
  HEAT_TRY(Str(j, "out_trade_no", 32, true, &t.out_trade_no));
  HEAT_TRY(Str(j, "transaction_id", 32, false, &t.transaction_id));
  HEAT_TRY(Str(j, "trade_type", 16, false, &t.trade_type));
  HEAT_TRY(Str(j, "trade_state", 32, true, &t.trade_state));
  HEAT_TRY(Str(j, "trade_state_desc", 256, false, &t.trade_state_desc));
  HEAT_TRY(Str(j, "success_time", 64, false, &t.success_time));
  if (t.mchid != m.mchid) return Status::Usage("mchid is not ours (wechat.mchid)");
  if (t.appid != m.appid) return Status::Usage("appid is not ours (wechat.appid)");
  HEAT_TRY(CheckIds(t));
  auto amount = j.find("amount");
  if (amount != j.end() && !amount->is_object()) return Status::Usage("amount is not an object");
  if (amount != j.end()) {
    HEAT_TRY(Fen(*amount, "total", t.Paid(), &t.total));
    HEAT_TRY(Fen(*amount, "payer_total", false, &t.payer_total));
    std::string currency;
    HEAT_TRY(Str(*amount, "currency", 8, false, &currency));
    if (!currency.empty() && currency != "CNY") return Status::Usage("amount.currency is not CNY");
  }
  HEAT_TRY(PaidFields(&t));
  return t;
}

Result<Envelope> ParseEnvelope(std::string_view body) {
  HEAT_ASSIGN(json j, ParseObject(body, "the notify"));
  Envelope e;
  HEAT_TRY(Str(j, "id", 64, true, &e.id));
  HEAT_TRY(Str(j, "event_type", 64, true, &e.event_type));
  HEAT_TRY(Str(j, "resource_type", 64, false, &e.resource_type));
  auto r = j.find("resource");
  if (r == j.end() || !r->is_object()) return Status::Usage("resource is missing or not an object");
  Resource& res = e.resource;
  HEAT_TRY(Str(*r, "algorithm", 32, true, &res.algorithm).With("resource"));
  HEAT_TRY(Str(*r, "ciphertext", kMaxCiphertextB64, true, &res.ciphertext).With("resource"));
  HEAT_TRY(Str(*r, "associated_data", 256, false, &res.associated_data).With("resource"));
  HEAT_TRY(Str(*r, "nonce", 32, true, &res.nonce).With("resource"));
  HEAT_TRY(Str(*r, "original_type", 32, false, &res.original_type).With("resource"));
  return e;
}

Result<Transaction> ParseNotify(const Merchant& m, const Headers& headers, std::string_view body, int64_t now_s) {
  if (body.size() > kMaxNotifyBytes) return Status::Usage("the notify is larger than 64 KiB");
  HEAT_TRY(VerifySigned(m, headers, body, now_s));
  HEAT_ASSIGN(Envelope e, ParseEnvelope(body));
  HEAT_ASSIGN(std::string plain, DecryptResource(m.apiv3_key, e.resource));
  Transaction t;
  t.event_type = e.event_type;
  if (t.IsPayment()) {
    HEAT_ASSIGN(t, ParseTransaction(m, plain));
    t.event_type = e.event_type;
  }
  t.notify_id = e.id;
  return t;
}

Reply AckReply() { return Reply{204, ""}; }

Reply FailReply(int status, std::string_view message) {
  return Reply{status, json{{"code", "FAIL"}, {"message", std::string(message)}}.dump(-1, ' ', false, json::error_handler_t::replace)};
}

Reply ReplyFor(const Status& s) {
  if (s.ok()) return AckReply();
  if (s.code() == Code::kPermission) return FailReply(401, "signature or decryption failed");
  if (s.code() == Code::kUsage) return FailReply(400, "malformed notify");
  return FailReply(500, "not recorded; send again");
}

}  // namespace heat::wechat
