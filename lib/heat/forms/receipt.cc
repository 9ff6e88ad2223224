// Receipts: loading, the QR text and its MAC, drawing (receipt.h).
#include "heat/forms/receipt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "heat/core/file.h"
#include "heat/core/text.h"
#include "heat/core/time.h"
#include "heat/forms/capitals.h"
#include "heat/forms/paper.h"
#include "heat/forms/placement.h"

namespace heat::forms {
namespace {

constexpr const char* kReceiptSql =
    "SELECT rc.receipt_no, rc.status, rc.prints, -e.amount_fen AS amount_fen, h.code AS house,"
    " coalesce(cu.name, '') AS customer,"
    " c.name || b.name || u.name || h.room || '室' AS address, s.name AS season,"
    " to_char(s.start_date, 'YYYY-MM-DD') || ' 至 ' || to_char(s.end_date - 1, 'YYYY-MM-DD') AS period,"
    " coalesce(m.label, e.method, '') AS method, coalesce(ch.label, e.channel, '') AS channel,"
    " e.by_login AS cashier, to_char(e.at, 'YYYY-MM-DD') AS date, to_char(e.at, 'HH24:MI:SS') AS time"
    " FROM bill.receipt rc JOIN bill.entry e ON e.id = rc.entry_id JOIN bill.account a ON a.id = e.account_id"
    " JOIN bill.season s ON s.id = a.season_id JOIN bill.house h ON h.id = a.house_id"
    " LEFT JOIN bill.customer cu ON cu.id = h.customer_id"
    " JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b ON b.id = u.building_id"
    " JOIN bill.community c ON c.id = b.community_id"
    " LEFT JOIN bill.channel m ON m.code = e.method LEFT JOIN bill.channel ch ON ch.code = e.channel"
    " WHERE rc.receipt_no = $1";

std::string Mac(const std::string& key, const std::string& text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
       text.size(), md, &len);
  return HexLower(std::string_view(reinterpret_cast<const char*>(md), std::min(len, 8u)));
}

std::string Signed(const Payload& p) {
  return "HEATRCPT1;" + p.receipt_no + ";" + std::to_string(p.amount) + ";" + p.date;
}

bool AllOf(std::string_view s, size_t min, size_t max, bool (*ok)(char)) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s)
    if (!ok(c)) return false;
  return true;
}
bool Digit(char c) { return c >= '0' && c <= '9'; }
bool Hex(char c) { return Digit(c) || (c >= 'a' && c <= 'f'); }
bool PrefixChar(char c) { return Digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

// PREFIX-NNN: the prefix as bill.receipt_seq allows it, then digits.
bool IsReceiptNo(std::string_view s) {
  size_t dash = s.rfind('-');
  return dash != std::string_view::npos && AllOf(s.substr(0, dash), 1, 32, PrefixChar) &&
         AllOf(s.substr(dash + 1), 1, 18, Digit);
}

Values ValuesOf(const Receipt& r, const Config& cfg, const std::string& capitals) {
  bool copy = r.prints > 1;
  return {{"receipt_no", r.receipt_no}, {"amount", FormatYuan(r.amount)}, {"capitals", capitals},
          {"customer", r.customer}, {"address", r.address}, {"house", r.house}, {"season", r.season},
          {"period", r.period}, {"method", r.method}, {"channel", r.channel}, {"cashier", r.cashier},
          {"date", r.date}, {"time", r.time}, {"company", cfg.str("site.company")},
          {"copy", copy ? std::to_string(r.prints) : ""}, {"void", r.status == "voided" ? "1" : ""}};
}

}  // namespace

Result<Receipt> LoadReceipt(db::Conn& db, const std::string& receipt_no) {
  HEAT_ASSIGN(db::Rows d, db.Query(kReceiptSql, {receipt_no}));
  if (d.size() == 0) return Status::NotFound("no receipt " + receipt_no);
  Receipt r;
  r.receipt_no = d.get(0, "receipt_no");
  r.status = d.get(0, "status");
  r.prints = static_cast<int>(d.get_int(0, "prints"));
  r.amount = d.get_int(0, "amount_fen");
  for (auto [field, col] : {std::pair{&r.house, "house"}, {&r.customer, "customer"}, {&r.address, "address"},
                            {&r.season, "season"}, {&r.period, "period"}, {&r.method, "method"},
                            {&r.channel, "channel"}, {&r.cashier, "cashier"}, {&r.date, "date"}, {&r.time, "time"}})
    *field = d.get(0, col);
  return r;
}

Result<int> CountCopy(db::Conn& db, const std::string& receipt_no) {
  HEAT_ASSIGN(db::Rows d, db.Query("SELECT prints FROM bill.reprint($1)", {receipt_no}));
  return static_cast<int>(d.get_int(0, 0));
}

std::string ReceiptPayload(const Receipt& r, const std::string& key) {
  Payload p{r.receipt_no, r.date, "", r.amount};
  std::string text = Signed(p);
  return text + ";" + (key.empty() ? "" : Mac(key, text));
}

Result<std::string> ReceiptKey(const Config& cfg) {
  const std::string& path = cfg.str("counter.receipt_key_file");
  if (path.empty()) return std::string();
  HEAT_ASSIGN(std::string text, ReadRegularFile(path, 4096, "the key is one line"));
  std::string key = Trim(text.substr(0, text.find('\n')));
  if (key.size() < 16) return Status::Usage(path + ": the receipt key must be at least 16 characters");
  return key;
}

Result<Rendered> RenderReceipt(db::Conn& db, const Config& cfg, const std::string& receipt_no,
                               const RenderOptions& opt) {
  HEAT_ASSIGN(Receipt r, LoadReceipt(db, receipt_no));
  HEAT_ASSIGN(std::string key, ReceiptKey(cfg));
  HEAT_ASSIGN(std::string capitals, ChineseCapitals(r.amount));
  HEAT_ASSIGN(std::string path, FindTemplate(cfg, "receipt.yaml"));
  HEAT_ASSIGN(Placement p, LoadPlacement(path));
  HEAT_ASSIGN(std::string pdf, RenderPlacement(p, ValuesOf(r, cfg, capitals), ReceiptPayload(r, key), opt.preprinted));
  return Rendered{std::move(pdf), p.media, std::move(r)};
}

Result<Payload> ParsePayload(std::string_view text) {
  auto parts = Split(std::string(text), ';');
  auto bad = [&](const std::string& why) {
    return Status::Usage("not a receipt's QR text (HEATRCPT1;RECEIPT;AMOUNT_FEN;YYYY-MM-DD;MAC): " + why);
  };
  if (parts.size() != 5 || parts[0] != "HEATRCPT1") return bad("expected 5 parts starting with HEATRCPT1");
  Payload p{parts[1], parts[3], parts[4], 0};
  if (!IsReceiptNo(p.receipt_no)) return bad("the receipt number is not PREFIX-NNNNNNNN");
  if (!AllOf(parts[2], 1, 16, Digit) || parts[2][0] == '0') return bad("the amount is not whole fen above 0");
  p.amount = std::stoll(parts[2]);
  if (p.amount > kMaxFen) return bad("the amount is too large");
  if (!ParseDate(p.date).ok() || p.date.size() != 10) return bad("the date is not YYYY-MM-DD");
  if (!p.mac.empty() && !AllOf(p.mac, 16, 16, Hex)) return bad("the MAC is not 16 hex digits");
  return p;
}

Result<Verdict> VerifyReceipt(db::Conn& db, const std::string& key, std::string_view text) {
  Verdict v;
  HEAT_ASSIGN(v.payload, ParsePayload(text));
  const Payload& p = v.payload;
  std::string want = key.empty() ? "" : Mac(key, Signed(p));
  if (key.empty()) v.mac = "unchecked";
  else if (p.mac.empty()) v.mac = "absent";
  else v.mac = CRYPTO_memcmp(want.data(), p.mac.data(), 16) == 0 ? "ok" : "bad";
  auto r = LoadReceipt(db, p.receipt_no);
  if (!r.ok() && r.status().code() != Code::kNotFound) return r.status();
  v.status = r.ok() ? r->status : "unknown";
  v.amount_matches = r.ok() && r->amount == p.amount;
  v.date_matches = r.ok() && r->date == p.date;
  if (v.mac == "bad" || v.mac == "absent")
    v.why = "the MAC does not match: the text was altered or not made with the company's key";
  else if (!r.ok()) v.why = "no receipt " + p.receipt_no;
  else if (!v.amount_matches) v.why = "the amount differs from the receipt's " + FormatYuan(r->amount) + " yuan";
  else if (!v.date_matches) v.why = "the date differs from the receipt's " + r->date;
  else if (v.status != "issued") v.why = "the receipt is voided";
  v.valid = v.why.empty();
  return v;
}

}  // namespace heat::forms
