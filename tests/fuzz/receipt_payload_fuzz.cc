// libFuzzer target: the text of a receipt's QR code (BIL-21), as
// billctl receipt verify takes it from a scanner or a person. Whatever the
// bytes, ParsePayload returns a payload or kUsage; a payload it accepts
// is made again, byte for byte, by ReceiptPayload (nothing is lost or
// invented on the way), and amounts in it have Chinese capitals.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "heat/forms/capitals.h"
#include "heat/forms/receipt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = heat::forms::ParsePayload(text);
  if (!p.ok()) {
    if (p.status().code() != heat::Code::kUsage) std::abort();
    return 0;
  }
  heat::forms::Receipt r;
  r.receipt_no = p->receipt_no;
  r.amount = p->amount;
  r.date = p->date;
  std::string again = heat::forms::ReceiptPayload(r, "") + p->mac;
  if (again != text) std::abort();
  if (!heat::forms::ChineseCapitals(p->amount).ok()) std::abort();
  return 0;
}
