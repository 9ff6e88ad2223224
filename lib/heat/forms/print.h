// forms/print.h — printing a PDF through CUPS (BIL-21): `lp -d PRINTER
// [-o media=M] [-t TITLE] FILE`, run by fork/exec with an argument vector
// (no shell). The CUPS server is lp's own choice: CUPS_SERVER in the
// environment, ~/.cups/client.conf, /etc/cups/client.conf, else local.
//
// Which printer: `--print PRINTER` names one; otherwise the terminal's,
// from heat.yaml: counter.printers is "TERMINAL=PRINTER,..." and
// counter.printer the default for terminals not listed; the terminal is
// $HEAT_TERMINAL, else the host name. "" means no printer.
// A failed print changes nothing in the database; callers that print
// after a committed payment say "receipt R not printed: WHY; reprint it
// with billctl reprint R" (NotPrinted).
#pragma once

#include <string>

#include "heat/core/config.h"
#include "heat/core/status.h"
#include "heat/db/conn.h"

namespace heat::forms {

struct PrintJob {
  std::string printer;  // required
  std::string media;    // "" : the printer's default
  std::string title;    // the job's name in the queue
};
// Spools `pdf` (bytes) with lp; lp's message on failure.
Status PrintPdf(const std::string& pdf, const PrintJob& job);

// This terminal's name ($HEAT_TERMINAL, else the host name).
std::string TerminalName();
// The printer of `terminal` (above); kUsage when counter.printers is not
// TERMINAL=PRINTER pairs.
Result<std::string> PrinterFor(const Config& cfg, const std::string& terminal);

// `given` when not empty, else this terminal's printer; kUsage when
// there is none ("name one (--print PRINTER) or set counter.printer").
Result<std::string> ResolvePrinter(const Config& cfg, const std::string& given);

// "receipt R not printed: WHY; reprint it with billctl reprint R", with
// the code of `why`.
Status NotPrinted(const std::string& receipt_no, const Status& why);

// The counter's one call: the receipt on `printer` ("" : this terminal's)
// after a committed charge (copy false: as stored, the original), or a
// copy (copy true: counted by bill.reprint in the transaction that prints
// it, so a failed print counts nothing). Any failure is NotPrinted.
Status PrintReceipt(db::Conn& db, const Config& cfg, const std::string& receipt_no, bool copy,
                    const std::string& printer = "");

}  // namespace heat::forms
