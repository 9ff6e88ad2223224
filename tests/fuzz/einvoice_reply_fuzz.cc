// libFuzzer target: the invoicing vendor's answers (einvoice/reply.h),
// every byte hostile. Whatever the input: no crash; a failure is kUsage
// (a refusal) or transient kFailure (tried again); and every value kept
// passes its check: serials, numbers and codes 1..64 of [0-9A-Za-z_-],
// links http(s) of printable ASCII, texts valid UTF-8 without control
// characters, "issued" only with a number.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "heat/core/text.h"
#include "heat/einvoice/reply.h"

namespace {

void CheckToken(const std::string& s) {
  if (s.size() > 64) abort();
  for (unsigned char c : s)
    if (!(std::isalnum(c) || c == '_' || c == '-')) abort();
}

void CheckStatus(const heat::Status& s) {
  if (s.ok()) return;
  if (!(s.code() == heat::Code::kUsage || (s.code() == heat::Code::kFailure && s.transient()))) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto issue = heat::einvoice::ParseIssueReply(body);
  CheckStatus(issue.status());
  if (issue.ok()) {
    if (issue->empty()) abort();
    CheckToken(*issue);
  }
  CheckStatus(heat::einvoice::ParseCancelReply(body));
  auto q = heat::einvoice::ParseQueryReply(body);
  CheckStatus(q.status());
  if (!q.ok()) return 0;
  for (const auto& s : *q) {
    for (const std::string* t : {&s.serial, &s.order_no, &s.status, &s.invoice_no, &s.invoice_code}) CheckToken(*t);
    if (!s.pdf_url.empty() && s.pdf_url.rfind("http://", 0) != 0 && s.pdf_url.rfind("https://", 0) != 0) abort();
    for (unsigned char c : s.pdf_url)
      if (c <= 0x20 || c >= 0x7f) abort();
    if (!heat::IsValidUtf8(s.fail_cause)) abort();
    for (unsigned char c : s.fail_cause)
      if (c < 0x20 || c == 0x7f) abort();
    if (s.progress == heat::einvoice::Progress::kIssued && s.invoice_no.empty()) abort();
  }
  return 0;
}
