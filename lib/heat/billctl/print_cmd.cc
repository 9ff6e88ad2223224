// billctl reprint, form, receipt verify (BIL-21, BIL-26, BIL-12): receipts
// and the counter's forms on paper, through forms/ (receipt.h, paper.h,
// print.h), and the check of a receipt's QR code.
#include <unistd.h>

#include "heat/core/file.h"
#include "heat/billctl/commands.h"
#include "heat/forms/paper.h"
#include "heat/forms/print.h"
#include "heat/forms/receipt.h"
#include "heat/report/output.h"

namespace heat::billctl {
namespace {

// The PDF to --pdf (a file, or - for stdout) and to the printer.
Status Deliver(cli::Context& ctx, const PaperArgs& a, const std::string& pdf, const std::string& media,
               const std::string& title) {
  if (a.pdf == "-") {
    if (isatty(1)) return Status::Usage("--pdf - writes binary data: redirect stdout or name a file");
    ctx.out() << pdf;
  } else if (!a.pdf.empty()) {
    HEAT_TRY(WriteFileAtomically(a.pdf, pdf));
  }
  if (!a.printing()) return Status::Ok();
  HEAT_ASSIGN(std::string printer, forms::ResolvePrinter(ctx.config(), a.printer));
  return forms::PrintPdf(pdf, {printer, media, title});
}

forms::RenderOptions Options(cli::Context& ctx) { return {ctx.config().boolean("counter.preprinted")}; }

void PrintReceiptRecord(cli::Context& ctx, const forms::Receipt& r) {
  cli::PrintRecord({{"receipt_no", TextCell(r.receipt_no)}, {"copy", IntCell(r.prints)},
                    {"status", TextCell(r.status)}, {"house", TextCell(r.house)},
                    {"customer", TextCell(r.customer)}, {"address", TextCell(r.address)},
                    {"season", TextCell(r.season)}, {MoneyName(ctx, "amount"), MoneyCell(ctx, r.amount)},
                    {"method", TextCell(r.method)}, {"cashier", TextCell(r.cashier)},
                    {"at", TextCell(r.date + " " + r.time)}},
                   ctx.format, ctx.out());
}

// A copy: counted in the transaction that renders and delivers it, so a
// copy that failed to print is not counted.
Status Reprint(cli::Context& ctx, const std::string& receipt, const PaperArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  if (a.printing() && a.pdf.empty()) {  // the counter terminal's call
    HEAT_TRY(forms::PrintReceipt(*db, ctx.config(), receipt, true, a.printer));
    HEAT_ASSIGN(forms::Receipt r, forms::LoadReceipt(*db, receipt));
    PrintReceiptRecord(ctx, r);
    return Status::Ok();
  }
  HEAT_ASSIGN(auto tx, db::Transaction::Start(*db));
  HEAT_TRY(forms::CountCopy(*db, receipt).status());  // kNotFound when unknown
  if (!a.wanted()) {
    HEAT_ASSIGN(forms::Receipt r, forms::LoadReceipt(*db, receipt));
    HEAT_TRY(tx->Commit());
    PrintReceiptRecord(ctx, r);
    return Status::Ok();
  }
  HEAT_ASSIGN(forms::Rendered out, forms::RenderReceipt(*db, ctx.config(), receipt, Options(ctx)));
  Status st = Deliver(ctx, a, out.pdf, out.media, "receipt " + receipt + " copy " + std::to_string(out.receipt.prints));
  if (!st.ok()) return st.With("receipt " + receipt + ": the copy is not counted");
  HEAT_TRY(tx->Commit());
  if (a.pdf != "-") PrintReceiptRecord(ctx, out.receipt);
  return Status::Ok();
}

struct FormArgs {
  std::string house, season;
  int64_t request = 0;
  PaperArgs paper;
};

Status Form(cli::Context& ctx, const std::string& kind, const FormArgs& a) {
  if (!a.paper.wanted()) return Status::Usage("name where the form goes: --pdf FILE and/or --print [PRINTER]");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  Result<std::string> pdf = Status::Usage(kind);
  if (kind == "suspension") {
    HEAT_ASSIGN(billing::SeasonRow s, SeasonArg(*db, a.season));
    pdf = forms::SuspensionForm(*db, ctx.config(), a.house, s.name);
  } else if (kind == "reduction") {
    pdf = forms::ReductionForm(*db, ctx.config(), a.request);
  } else {
    pdf = forms::DunningNotice(*db, ctx.config(), a.house);
  }
  if (!pdf.ok()) return pdf.status();
  return Deliver(ctx, a.paper, *pdf, "A4", kind + " " + (a.house.empty() ? std::to_string(a.request) : a.house));
}

Status Verify(cli::Context& ctx, const std::string& text) {
  HEAT_ASSIGN(std::string key, forms::ReceiptKey(ctx.config()));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(forms::Verdict v, forms::VerifyReceipt(*db, key, text));
  cli::PrintRecord({{"receipt_no", TextCell(v.payload.receipt_no)}, {"status", TextCell(v.status)},
                    {MoneyName(ctx, "amount"), MoneyCell(ctx, v.payload.amount)}, {"date", TextCell(v.payload.date)},
                    {"mac", TextCell(v.mac)}, {"amount_matches", TextCell(v.amount_matches ? "yes" : "no")},
                    {"valid", TextCell(v.valid ? "yes" : "no")}, {"why", TextCell(v.why)}},
                   ctx.format, ctx.out());
  if (v.valid) return Status::Ok();
  if (v.status == "unknown" && v.mac != "bad" && v.mac != "absent") return Status::NotFound(v.why);
  return Status::Failure(v.why);
}

cli::Command FormRow(const std::string& kind, const std::string& summary) {
  std::string reqs = kind == "dunning" ? "BIL-26 BIL-22" : kind == "reduction" ? "BIL-26 BIL-13" : "BIL-26 BIL-9";
  return {"form " + kind, summary, reqs,
          [kind](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<FormArgs>();
            if (kind == "reduction") {
              app.add_option("request", a->request, "the request number (billctl requests)")->required();
            } else {
              app.add_option("house", a->house, "the house code")->required();
            }
            if (kind == "suspension") app.add_option("--season", a->season, "the season (default: the current one)");
            PaperOptions(app, a->paper);
            return [a, kind](cli::Context& ctx) { return Form(ctx, kind, *a); };
          },
          false};
}

}  // namespace

void PaperOptions(CLI::App& app, PaperArgs& a) {
  app.add_option("--pdf", a.pdf, "write the PDF to FILE (- for stdout)");
  a.print = app.add_option("--print", a.printer, "print it: on PRINTER, else this terminal's (counter.printer)")
                ->expected(0, 1);
}

Status IssueReceipt(cli::Context& ctx, const std::string& receipt_no, const PaperArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  if (a.pdf.empty()) return forms::PrintReceipt(*db, ctx.config(), receipt_no, false, a.printer);
  auto out = forms::RenderReceipt(*db, ctx.config(), receipt_no, Options(ctx));
  if (!out.ok()) return forms::NotPrinted(receipt_no, out.status());
  Status st = Deliver(ctx, a, out->pdf, out->media, "receipt " + receipt_no);
  return st.ok() ? st : forms::NotPrinted(receipt_no, st);
}

std::vector<cli::Command> PrintCommands() {
  return {
      {"reprint", "print a copy of a receipt, marked COPY n (the copy is counted)", "BIL-12 BIL-21",
       [](CLI::App& app) -> cli::Runner {
         auto r = std::make_shared<std::string>();
         auto a = std::make_shared<PaperArgs>();
         app.add_option("receipt", *r, "the receipt number")->required();
         PaperOptions(app, *a);
         return [r, a](cli::Context& ctx) { return Reprint(ctx, *r, *a); };
       }},
      FormRow("suspension", "the suspension form (报停申请表) of a house, to fill in and sign"),
      FormRow("reduction", "the reduction form (减免申请表) of a request, with its route"),
      FormRow("dunning", "the dunning notice (催缴通知书) of one house"),
      {"receipt verify", "check a receipt's QR text: MAC, issued or voided, amount", "BIL-21 BIL-12",
       [](CLI::App& app) -> cli::Runner {
         auto t = std::make_shared<std::string>();
         app.add_option("text", *t, "the QR code's text, HEATRCPT1;...")->required();
         return [t](cli::Context& ctx) { return Verify(ctx, *t); };
       }},
  };
}

}  // namespace heat::billctl
