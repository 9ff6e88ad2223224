#include "heat/einvoice/queue.h"

#include <utility>

#include "heat/einvoice/tax.h"

namespace heat::einvoice {
namespace {

const char* kColumns =
    "id, receipt_no, kind, order_no, state, buyer_name, coalesce(buyer_tax_id, '') AS buyer_tax_id, amount_fen,"
    " tax_fen, tax_rate_pct, attempts, to_char(next_try_at, 'YYYY-MM-DD HH24:MI:SS') AS next_try_at,"
    " coalesce(last_error, '') AS last_error, coalesce(serial, '') AS serial, coalesce(invoice_no, '') AS invoice_no,"
    " coalesce(invoice_code, '') AS invoice_code, coalesce(pdf_url, '') AS pdf_url, requested_by,"
    " to_char(requested_at, 'YYYY-MM-DD HH24:MI:SS') AS requested_at,"
    " coalesce(to_char(issued_at, 'YYYY-MM-DD HH24:MI:SS'), '') AS issued_at";

InvoiceRow RowAt(const db::Rows& r, int i) {
  InvoiceRow v;
  v.id = r.get_int(i, "id");
  v.receipt_no = r.get(i, "receipt_no"), v.kind = r.get(i, "kind"), v.order_no = r.get(i, "order_no");
  v.state = r.get(i, "state"), v.buyer_name = r.get(i, "buyer_name"), v.buyer_tax_id = r.get(i, "buyer_tax_id");
  v.amount = r.get_int(i, "amount_fen");
  if (!r.is_null(i, r.column("tax_fen"))) v.tax = r.get_int(i, "tax_fen");
  if (!r.is_null(i, r.column("tax_rate_pct"))) v.tax_rate_pct = static_cast<int>(r.get_int(i, "tax_rate_pct"));
  v.attempts = static_cast<int>(r.get_int(i, "attempts"));
  v.next_try_at = r.get(i, "next_try_at"), v.last_error = r.get(i, "last_error"), v.serial = r.get(i, "serial");
  v.invoice_no = r.get(i, "invoice_no"), v.invoice_code = r.get(i, "invoice_code"), v.pdf_url = r.get(i, "pdf_url");
  v.requested_by = r.get(i, "requested_by"), v.requested_at = r.get(i, "requested_at");
  v.issued_at = r.get(i, "issued_at");
  return v;
}

db::Param Opt(const std::string& s) { return s.empty() ? db::Param() : db::Param(s); }

// One claimed row as bill.invoice_claim gives it.
struct Claimed {
  int64_t id = 0;
  int attempts = 0;
  std::string serial, receipt_status;
  Order order;
  bool tax_known = false;
};

Claimed ClaimedAt(const db::Rows& r, int i) {
  Claimed c;
  c.id = r.get_int(i, "id");
  c.attempts = static_cast<int>(r.get_int(i, "attempts"));
  c.serial = r.get(i, "serial"), c.receipt_status = r.get(i, "receipt_status");
  Order& o = c.order;
  o.order_no = r.get(i, "order_no"), o.buyer_name = r.get(i, "buyer_name"), o.buyer_tax_id = r.get(i, "buyer_tax_id");
  o.invoice_date = r.get(i, "invoice_date"), o.amount = r.get_int(i, "amount_fen");
  o.orig_invoice_code = r.get(i, "orig_invoice_code"), o.orig_invoice_no = r.get(i, "orig_invoice_no");
  c.tax_known = !r.is_null(i, r.column("tax_fen"));
  if (c.tax_known) o.tax = r.get_int(i, "tax_fen"), o.tax_rate_pct = static_cast<int>(r.get_int(i, "tax_rate_pct"));
  return c;
}

// What to record for a row: outcome and its values.
struct Answer {
  std::string outcome, serial, error;
  InvoiceState state;
};

// Issue (unless the vendor has it), then ask how it went.
Answer Ask(Client& client, const Claimed& c) {
  Answer a;
  a.serial = c.serial;
  if (a.serial.empty()) {
    auto s = client.Issue(c.order);
    if (!s.ok()) return {s.status().transient() ? "retry" : "failed", "", s.status().message(), {}};
    a.serial = *s;
  }
  auto q = client.Query(a.serial);
  if (!q.ok()) return {q.status().transient() ? "pending" : "failed", a.serial, q.status().message(), {}};
  for (const auto& st : *q)
    if (st.serial == a.serial || q->size() == 1) a.state = st;
  switch (a.state.progress) {
    case Progress::kIssued: a.outcome = "issued"; break;
    case Progress::kFailed: a.outcome = "failed", a.error = "vendor: " + a.state.fail_cause; break;
    default: a.outcome = "pending", a.error = "the vendor is still issuing it (status " + a.state.status + ")";
  }
  return a;
}

// The row's new state and when it is due again.
Result<std::pair<std::string, std::string>> Record(db::Conn& db, const Claimed& c, const Answer& a, int64_t retry_s) {
  const InvoiceState& s = a.state;
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT state, to_char(next_try_at, 'YYYY-MM-DD HH24:MI:SS')"
      " FROM bill.invoice_record($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {std::to_string(c.id), a.outcome, Opt(a.serial), Opt(s.invoice_no), Opt(s.invoice_code), Opt(s.pdf_url),
       Opt(a.error), std::to_string(RetryDelay(retry_s, c.attempts)), std::to_string(c.order.tax_rate_pct),
       std::to_string(c.order.tax)}));
  return std::pair{r.get(0, 0), r.get(0, 1)};
}

void Count(RunSummary& sum, const Claimed& c, const Answer& a, const std::string& state) {
  if (state == "issued") ++sum.issued;
  else if (state == "sending") ++sum.issuing;
  else if (state == "queued") ++sum.queued;
  else if (state == "failed") ++sum.failed;
  if (a.outcome == "retry" && sum.vendor_error.empty()) sum.vendor_error = a.error;
  std::string detail = state == "issued" ? a.state.invoice_no + " " + a.state.pdf_url : a.error;
  sum.lines.push_back(c.order.order_no + " " + state + (detail.empty() ? "" : " " + detail));
}

}  // namespace

Result<InvoiceRow> Request(db::Conn& db, const std::string& receipt, const std::string& buyer,
                           const std::string& tax_id) {
  HEAT_ASSIGN(db::Rows r, db.Query(std::string("SELECT ") + kColumns + " FROM bill.invoice_request($1, $2, $3)",
                                   {receipt, Opt(buyer), Opt(tax_id)}));
  return RowAt(r, 0);
}

Result<std::vector<InvoiceRow>> List(db::Conn& db, const std::string& state, const std::string& receipt) {
  HEAT_ASSIGN(db::Rows r, db.Query(std::string("SELECT ") + kColumns +
                                   " FROM bill.invoice WHERE ($1::text IS NULL OR state = $1)"
                                   " AND ($2::text IS NULL OR receipt_no = $2) ORDER BY requested_at DESC, id DESC",
                                   {Opt(state), Opt(receipt)}));
  std::vector<InvoiceRow> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(RowAt(r, i));
  return out;
}

Result<RunSummary> RunDue(db::Conn& db, Client& client, const Options& o, int limit) {
  // The lease: longer than one row's calls can take, so a row is never
  // claimed twice while its worker lives.
  int64_t lease_s = 4 * (o.timeout_ms / 1000 + 1) + 60;
  HEAT_ASSIGN(db::Rows rows, db.Query("SELECT * FROM bill.invoice_claim($1, $2)",
                                      {std::to_string(limit), std::to_string(lease_s)}));
  RunSummary sum;
  sum.claimed = rows.size();
  for (int i = 0; i < rows.size(); ++i) {
    Claimed c = ClaimedAt(rows, i);
    if (!c.tax_known) {
      c.order.tax_rate_pct = o.tax_rate_pct;
      c.order.tax = SplitTax(c.order.amount, o.tax_rate_pct).tax;
    }
    Answer a = Ask(client, c);
    HEAT_ASSIGN(auto rec, Record(db, c, a, o.retry_s));
    Count(sum, c, a, rec.first);
    if (rec.first == "queued" && (sum.next_try_at.empty() || rec.second < sum.next_try_at)) sum.next_try_at = rec.second;
  }
  return sum;
}

}  // namespace heat::einvoice
