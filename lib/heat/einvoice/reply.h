// einvoice/reply.h — the invoicing vendor's answers, parsed as hostile
// bytes (BIL-21).
//
// Every answer is {"code": "...", "describe": "...", "result": ...}; code
// E0000 is success. Contract:
// - A body that is not such JSON (over 1 MiB, not UTF-8, not an object,
//   code missing or not a string) is kFailure marked transient: the
//   vendor is treated as not reached, and the row is tried again.
// - A code other than E0000 is kUsage with "vendor CODE: DESCRIBE"
//   (the vendor refused the request for good), except codes beginning
//   "E9" (the vendor's own trouble), which are transient like the above.
// - Values kept are bounded and checked: serial, invoice number and code
//   1..64 of [0-9A-Za-z_-]; pdfUrl an http(s) URL of at most 1000
//   printable ASCII characters; texts (describe, failCause) valid UTF-8
//   without control characters, at most 300 characters. A value failing
//   its check is dropped (empty), never passed on.
// - Progress: status "2" issued (开票完成); "20", "21" still issuing;
//   "22", "24" and every code the vendor lists as failed are failed;
//   anything else unknown (asked again).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "heat/core/status.h"

namespace heat::einvoice {

inline constexpr size_t kMaxReplyBytes = 1 << 20;

// requestBillingNew: the vendor's invoiceSerialNum.
Result<std::string> ParseIssueReply(std::string_view body);

enum class Progress { kIssued, kIssuing, kFailed, kUnknown };

struct InvoiceState {
  std::string serial, order_no, status, invoice_no, invoice_code, pdf_url, fail_cause;
  Progress progress = Progress::kUnknown;
};
// queryInvoiceResult: one state per invoice the vendor knows.
Result<std::vector<InvoiceState>> ParseQueryReply(std::string_view body);

// invoiceCancellation: ok or the vendor's refusal.
Status ParseCancelReply(std::string_view body);

Progress ProgressOf(std::string_view status);

}  // namespace heat::einvoice
