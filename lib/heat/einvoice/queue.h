// einvoice/queue.h — the invoice queue in the database (bill.invoice,
// lib/sql/0037_invoice.sql) and the worker that empties it (BIL-21).
//
// Contract:
// - Request asks for the blue invoice of a payment's receipt through
//   bill.invoice_request (the database checks role, scope, the tax id and
//   the receipt; asking again returns the same row).
// - RunDue claims the due rows (bill.invoice_claim: FOR UPDATE SKIP
//   LOCKED, so two workers never send one row at once) and for each:
//   fixes its tax split at the first send (tax.h, invoice.tax_rate), asks
//   the vendor to issue it unless the vendor has its serial already, then
//   asks how it went, and records the answer (bill.invoice_record).
//   Not reaching the vendor leaves the row queued for RetryDelay; a
//   vendor still issuing leaves it for the next run; a refusal fails it.
//   The order number makes a resend harmless: the vendor issues once.
// - Nothing here prints: the caller reports the RunSummary.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "heat/core/money.h"
#include "heat/core/status.h"
#include "heat/db/conn.h"
#include "heat/einvoice/client.h"

namespace heat::einvoice {

struct InvoiceRow {
  int64_t id = 0;
  std::string receipt_no, kind, order_no, state, buyer_name, buyer_tax_id;
  Fen amount = 0;
  std::optional<Fen> tax;
  std::optional<int> tax_rate_pct;
  int attempts = 0;
  std::string next_try_at, last_error, serial, invoice_no, invoice_code, pdf_url, requested_by, requested_at,
      issued_at;
};

Result<InvoiceRow> Request(db::Conn& db, const std::string& receipt, const std::string& buyer,
                           const std::string& tax_id);
// Rows the caller may see (row-level security), newest first; `state` and
// `receipt` filter when not empty.
Result<std::vector<InvoiceRow>> List(db::Conn& db, const std::string& state, const std::string& receipt);

struct RunSummary {
  int claimed = 0, issued = 0, issuing = 0, queued = 0, failed = 0;
  std::string vendor_error;   // why the vendor was not reached, when it was not
  std::string next_try_at;    // the earliest next try of a row left queued
  std::vector<std::string> lines;  // one per row: "ORDER state detail"
};
Result<RunSummary> RunDue(db::Conn& db, Client& client, const Options& o, int limit);

}  // namespace heat::einvoice
