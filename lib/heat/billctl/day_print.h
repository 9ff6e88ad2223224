// billctl/day_print.h — a cashier's cash-up sheet (日结单, BIL-19) as
// billctl prints it: text for the counter (--format table), one JSON
// object or CSV lines for scripts, and the PDF to print and sign
// (report::RenderPdfSections). Every figure is the sheet's own; nothing
// is recomputed here.
#pragma once

#include <string>

#include "heat/billing/day_close.h"
#include "heat/cli/command.h"

namespace heat::billctl {

// The sheet in ctx's format on ctx.out().
void PrintDaySheet(cli::Context& ctx, const billing::DaySheet& s, const std::string& company);
// The sheet as a PDF: cashier, date, halls, receipt range, counts, totals
// by method and channel, voided receipts, refunds, reversals, counted
// cash and its difference, and the signature lines 收款员 and 审核.
Result<std::string> DaySheetPdf(const billing::DaySheet& s, const std::string& company, const std::string& printed);

}  // namespace heat::billctl
