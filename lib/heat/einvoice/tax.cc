#include "heat/einvoice/tax.h"

namespace heat::einvoice {

TaxSplit SplitTax(Fen amount, int rate_pct) {
  Fen magnitude = amount < 0 ? -amount : amount;
  Fen tax = RoundHalfUp(static_cast<__int128>(magnitude) * rate_pct, 100 + rate_pct);
  if (amount < 0) tax = -tax;
  return {amount - tax, tax};
}

int64_t RetryDelay(int64_t base_s, int attempts) {
  if (base_s < 1) base_s = 1;
  int64_t d = base_s;
  for (int i = 1; i < attempts && d < kMaxRetryDelayS; ++i) d *= 2;
  return d < kMaxRetryDelayS ? d : kMaxRetryDelayS;
}

std::string Decimal(Fen fen) { return FormatYuan(fen); }

std::string RateText(int rate_pct) {
  if (rate_pct == 0) return "0";
  if (rate_pct >= 100) return std::to_string(rate_pct / 100) + (rate_pct % 100 ? "." + std::to_string(rate_pct % 100) : "");
  return rate_pct < 10 ? "0.0" + std::to_string(rate_pct) : "0." + std::to_string(rate_pct);
}

}  // namespace heat::einvoice
