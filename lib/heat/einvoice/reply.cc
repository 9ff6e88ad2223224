#include "heat/einvoice/reply.h"

#include <nlohmann/json.hpp>

#include <cctype>

#include "heat/core/text.h"

namespace heat::einvoice {
namespace {

using nlohmann::json;

Status Unreadable(const std::string& why) { return Status::Failure("vendor reply: " + why).Transient(); }

// A value as text: strings as they are, integers written out (some
// vendors send status 2, not "2"); anything else empty.
std::string Text(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return "";
}

bool Token(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (unsigned char c : s)
    if (!(std::isalnum(c) || c == '_' || c == '-')) return false;
  return true;
}

std::string TokenOr(const std::string& s) { return Token(s) ? s : ""; }

std::string Url(const std::string& s) {
  if (s.size() > 1000 || !(s.starts_with("https://") || s.starts_with("http://"))) return "";
  for (unsigned char c : s)
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\') return "";
  return s;
}

// Valid UTF-8, control characters dropped, at most 300 code points.
std::string Prose(const std::string& s) {
  if (!IsValidUtf8(s)) return "";
  std::string out;
  size_t i = 0, n = 0;
  while (i < s.size() && n < 300) {
    size_t at = i;
    char32_t cp = NextCodePoint(s, &i);
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
    out.append(s, at, i - at);
    ++n;
  }
  return out;
}

// The envelope: its code checked, the result returned.
Result<json> Envelope(std::string_view body) {
  if (body.size() > kMaxReplyBytes) return Unreadable("over 1 MiB");
  if (!IsValidUtf8(body)) return Unreadable("not UTF-8");
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Unreadable("not a JSON object");
  auto code = j.find("code");
  if (code == j.end() || !code->is_string() || code->get<std::string>().empty())
    return Unreadable("no code");
  std::string c = Prose(code->get<std::string>()), describe = Prose(Text(j, "describe"));
  if (c == "E0000") return j.contains("result") ? j["result"] : json();
  Status refused = Status::Usage("vendor " + c + (describe.empty() ? "" : ": " + describe));
  if (c.starts_with("E9")) return std::move(refused).Transient();
  return refused;
}

}  // namespace

Progress ProgressOf(std::string_view status) {
  if (status == "2") return Progress::kIssued;
  if (status == "20" || status == "21") return Progress::kIssuing;
  if (status == "22" || status == "24") return Progress::kFailed;
  return Progress::kUnknown;
}

Result<std::string> ParseIssueReply(std::string_view body) {
  HEAT_ASSIGN(json r, Envelope(body));
  if (!r.is_object()) return Unreadable("no result");
  std::string serial = Text(r, "invoiceSerialNum");
  if (!Token(serial)) return Unreadable("no valid invoiceSerialNum");
  return serial;
}

Result<std::vector<InvoiceState>> ParseQueryReply(std::string_view body) {
  HEAT_ASSIGN(json r, Envelope(body));
  if (!r.is_array()) return Unreadable("the result is not a list");
  std::vector<InvoiceState> out;
  for (const json& o : r) {
    if (!o.is_object() || out.size() >= 100) continue;
    InvoiceState s;
    s.serial = TokenOr(Text(o, "serialNo"));
    s.order_no = TokenOr(Text(o, "orderNo"));
    s.status = TokenOr(Text(o, "status"));
    s.invoice_no = TokenOr(Text(o, "invoiceNo"));
    s.invoice_code = TokenOr(Text(o, "invoiceCode"));
    s.pdf_url = Url(Text(o, "pdfUrl"));
    s.fail_cause = Prose(Text(o, "failCause"));
    s.progress = ProgressOf(s.status);
    // "Issued" without a number is not issued yet, whatever it says.
    if (s.progress == Progress::kIssued && s.invoice_no.empty()) s.progress = Progress::kUnknown;
    out.push_back(std::move(s));
  }
  return out;
}

Status ParseCancelReply(std::string_view body) { return Envelope(body).status(); }

}  // namespace heat::einvoice
