// billctl invoice request|run|list|show (BIL-21): electronic invoices of
// payments through einvoice/ — a cashier queues the request, the worker
// (heat-invoice.timer, or by hand) sends what is due to the invoicing
// vendor and records the answers; the number and PDF link end up on the
// receipt. The database keeps the queue and its rules
// (lib/sql/0037_invoice.sql).
#include "heat/billctl/commands.h"
#include "heat/einvoice/queue.h"

namespace heat::billctl {
namespace {

struct InvoiceArgs {
  std::string receipt, buyer, tax_id, state;
  int limit = 100;
};

cli::Cell Opt(const std::string& s) { return s.empty() ? cli::Cell{std::nullopt, cli::Cell::kString} : TextCell(s); }

cli::Record RowRecord(const cli::Context& ctx, const einvoice::InvoiceRow& v) {
  cli::Record rec{{"receipt_no", TextCell(v.receipt_no)}, {"kind", TextCell(v.kind)},
                  {"order_no", TextCell(v.order_no)}, {"state", TextCell(v.state)},
                  {"buyer", TextCell(v.buyer_name)}, {"buyer_tax_id", Opt(v.buyer_tax_id)},
                  {MoneyName(ctx, "amount"), MoneyCell(ctx, v.amount)}};
  rec.emplace_back(MoneyName(ctx, "tax"), v.tax ? MoneyCell(ctx, *v.tax) : cli::Cell{std::nullopt, cli::Cell::kNumber});
  rec.emplace_back("invoice_no", Opt(v.invoice_no));
  rec.emplace_back("invoice_code", Opt(v.invoice_code));
  rec.emplace_back("pdf_url", Opt(v.pdf_url));
  rec.emplace_back("attempts", IntCell(v.attempts));
  rec.emplace_back("next_try_at", TextCell(v.state == "queued" || v.state == "sending" ? v.next_try_at : ""));
  rec.emplace_back("last_error", Opt(v.last_error));
  rec.emplace_back("requested", TextCell(v.requested_at + " " + v.requested_by));
  return rec;
}

Status RequestCmd(cli::Context& ctx, const InvoiceArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(einvoice::InvoiceRow v, einvoice::Request(*db, a.receipt, a.buyer, a.tax_id));
  cli::PrintRecord(RowRecord(ctx, v), ctx.format, ctx.out());
  return Status::Ok();
}

// Exit 1 when something is left undone: invoices queued because the
// vendor was not reached, or refused by it.
Status RunOutcome(const einvoice::RunSummary& s) {
  std::string why;
  if (s.queued > 0)
    why = std::to_string(s.queued) + " invoices stay queued: " +
          (s.vendor_error.empty() ? "the vendor was not reached" : s.vendor_error) + "; next try at " + s.next_try_at +
          " (billctl invoice run again then, or the timer does)";
  if (s.failed > 0)
    why += (why.empty() ? "" : "; ") + std::to_string(s.failed) +
           " invoices refused by the vendor (billctl invoice list --state failed; ask again once it is put right)";
  return why.empty() ? Status::Ok() : Status::Failure(why);
}

Status RunCmd(cli::Context& ctx, const InvoiceArgs& a) {
  HEAT_ASSIGN(einvoice::Options o, einvoice::LoadOptions(ctx.config()));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  einvoice::Client client(o);
  HEAT_ASSIGN(einvoice::RunSummary s, einvoice::RunDue(*db, client, o, a.limit));
  if (ctx.format == cli::Format::kTable)
    for (const auto& line : s.lines) ctx.out() << line << "\n";
  cli::PrintRecord({{"claimed", IntCell(s.claimed)}, {"issued", IntCell(s.issued)}, {"issuing", IntCell(s.issuing)},
                    {"queued", IntCell(s.queued)}, {"failed", IntCell(s.failed)},
                    {"next_try_at", TextCell(s.next_try_at)}},
                   ctx.format, ctx.out());
  return RunOutcome(s);
}

Status ListCmd(cli::Context& ctx, const InvoiceArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto rows, einvoice::List(*db, a.state, ""));
  cli::Table t{{"receipt_no", "kind", "order_no", "state", "buyer", MoneyName(ctx, "amount"), "invoice_no",
                "attempts", "next_try_at", "last_error"}, {}};
  for (const auto& v : rows)
    t.Add({TextCell(v.receipt_no), TextCell(v.kind), TextCell(v.order_no), TextCell(v.state), TextCell(v.buyer_name),
           MoneyCell(ctx, v.amount), Opt(v.invoice_no), IntCell(v.attempts),
           TextCell(v.state == "queued" || v.state == "sending" ? v.next_try_at : ""), Opt(v.last_error)});
  cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

// The receipt's invoices: the blue one, and a red-letter one if any.
Status ShowCmd(cli::Context& ctx, const InvoiceArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto rows, einvoice::List(*db, "", a.receipt));
  if (rows.empty()) return Status::NotFound("no invoice of receipt " + a.receipt + " (or not in your data scope)");
  if (ctx.format == cli::Format::kJson) {
    ctx.out() << "[";
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i) ctx.out() << ",";
      cli::PrintRecord(RowRecord(ctx, rows[i]), ctx.format, ctx.out());
    }
    ctx.out() << "]\n";
    return Status::Ok();
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i) ctx.out() << "\n";
    cli::PrintRecord(RowRecord(ctx, rows[i]), ctx.format, ctx.out());
  }
  return Status::Ok();
}

cli::Runner With(std::shared_ptr<InvoiceArgs> a, Status (*fn)(cli::Context&, const InvoiceArgs&)) {
  return [a, fn](cli::Context& ctx) { return fn(ctx, *a); };
}

}  // namespace

std::vector<cli::Command> InvoiceCommands() {
  return {
      {"invoice request", "ask for the electronic invoice of a payment's receipt (queued for the vendor)",
       "BIL-21 BIL-24",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<InvoiceArgs>();
         app.add_option("receipt", a->receipt, "the receipt number")->required();
         app.add_option("--buyer", a->buyer, "the buyer's name (default: the house's customer)");
         app.add_option("--tax-id", a->tax_id, "the buyer's tax id, 15 to 20 digits and capitals (a company)");
         return With(a, RequestCmd);
       }},
      {"invoice run", "send the due invoice requests to the vendor and record its answers; a job, idempotent",
       "BIL-21",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<InvoiceArgs>();
         app.add_option("--limit", a->limit, "at most this many requests (default 100)")->check(CLI::Range(1, 10000));
         return With(a, RunCmd);
       }},
      {"invoice list", "the invoice requests you may see, newest first", "BIL-21",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<InvoiceArgs>();
         app.add_option("--state", a->state, "only queued, sending, issued, failed, voided or cancelled")
             ->check(CLI::IsMember({"queued", "sending", "issued", "failed", "voided", "cancelled"}));
         return With(a, ListCmd);
       }},
      {"invoice show", "a receipt's invoices: state, number, code, PDF link, tries", "BIL-21",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<InvoiceArgs>();
         app.add_option("receipt", a->receipt, "the receipt number")->required();
         return With(a, ShowCmd);
       }},
  };
}

}  // namespace heat::billctl
