// einvoice/tax.h — the money of an electronic invoice (BIL-21), in
// integer fen.
//
// Contract:
// - SplitTax: a receipt's amount is tax included (价税合计). The tax in it
//   at rate r % is |amount| × r / (100 + r) rounded half up to the fen,
//   the rest is the amount before tax; both carry the amount's sign, so a
//   red-letter invoice is the exact negation of its blue one and
//   excluded + tax == amount always. Rates are whole percent, 0..100.
// - RetryDelay: the wait before try number `attempts` + 1 after a try
//   that did not reach the vendor: base, 2 × base, 4 × base, ... and
//   never more than a day.
// - Decimal: fen as the vendor's decimal yuan ("91.74", "-8.26").
#pragma once

#include <cstdint>
#include <string>

#include "heat/core/money.h"

namespace heat::einvoice {

struct TaxSplit {
  Fen excluded = 0;  // 不含税金额
  Fen tax = 0;       // 税额
};

TaxSplit SplitTax(Fen amount, int rate_pct);

inline constexpr int64_t kMaxRetryDelayS = 86400;
int64_t RetryDelay(int64_t base_s, int attempts);

std::string Decimal(Fen fen);
// The rate as the vendor writes it: 9 -> "0.09", 13 -> "0.13", 0 -> "0".
std::string RateText(int rate_pct);

}  // namespace heat::einvoice
