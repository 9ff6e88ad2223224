// libFuzzer target: WeChat Pay's trade bill (BIL-23), downloaded from the
// internet. Whatever the bytes, ParseTradeBill returns a bill or kUsage;
// an accepted bill agrees with its own summary (count, order and
// settlement totals) and every row's state is SUCCESS, REFUND or REVOKED.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "heat/wechat/tradebill.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto b = heat::wechat::ParseTradeBill(text);
  if (!b.ok()) {
    if (b.status().code() != heat::Code::kUsage) std::abort();
    if (b.status().message().rfind("trade bill line ", 0) != 0) std::abort();  // always names the line
    return 0;
  }
  heat::Fen order = 0, settle = 0;
  for (const auto& r : b->rows) {
    if (r.trade_state != "SUCCESS" && r.trade_state != "REFUND" && r.trade_state != "REVOKED") std::abort();
    if (r.transaction_id.empty() || r.out_trade_no.empty()) std::abort();
    order += r.amount_fen;
    settle += r.settlement_fen;
  }
  if (b->summary.count != static_cast<int64_t>(b->rows.size())) std::abort();
  if (b->summary.order_total != order || b->summary.settlement_total != settle) std::abort();
  return 0;
}
