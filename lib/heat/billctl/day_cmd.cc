// billctl day close|reopen|show|sheet (BIL-19, BIL-9, BIL-12, BIL-13): the
// daily cash-up (日结) through billing/day_close.h. The database computes
// and keeps every figure and decides who may do what; this prints.
#include "heat/core/file.h"
#include "heat/billctl/commands.h"
#include "heat/billctl/day_print.h"
#include "heat/billing/day_close.h"
#include "heat/report/output.h"

namespace heat::billctl {
namespace {

struct DayArgs {
  std::string cashier, date, cash_counted, pdf, reason, hall, by = "cashier";
};

Result<std::optional<Date>> DateArg(const std::string& s) {
  if (s.empty()) return std::optional<Date>{};
  auto d = ParseDate(s);
  if (!d.ok()) return d.status().With("--date");
  return std::optional<Date>{*d};
}

// The sheet on stdout, and as a PDF when --pdf names a file.
Status Output(cli::Context& ctx, db::Conn& db, const billing::DaySheet& s, const std::string& pdf) {
  std::string company = ctx.config().str("site.company");
  PrintDaySheet(ctx, s, company);
  if (pdf.empty()) return Status::Ok();
  HEAT_ASSIGN(db::Rows now, db.Query("SELECT to_char(now(), 'YYYY-MM-DD HH24:MI:SS')"));
  HEAT_ASSIGN(std::string bytes, DaySheetPdf(s, company, now.get(0, 0)));
  return WriteFileAtomically(pdf, bytes);
}

// Without --cashier the caller submits their own day; with it a
// supervisor closes that cashier's day.
Status CloseCmd(cli::Context& ctx, const DayArgs& a) {
  HEAT_ASSIGN(std::optional<Date> day, DateArg(a.date));
  if (!a.cashier.empty() && !a.cash_counted.empty())
    return Status::Usage("--cash-counted is the cashier's own count; it goes with their submission, not --cashier");
  std::optional<Fen> counted;
  if (!a.cash_counted.empty()) {
    auto fen = ParseYuan(a.cash_counted);
    if (!fen.ok()) return fen.status().With("--cash-counted");
    if (*fen < 0) return Status::Usage("--cash-counted must be 0.00 yuan or more, got " + a.cash_counted);
    counted = *fen;
  }
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  auto s = a.cashier.empty() ? billing::SubmitDay(*db, day, counted) : billing::CloseDay(*db, a.cashier, day);
  if (!s.ok()) return s.status();
  return Output(ctx, *db, *s, a.pdf);
}

Status ReopenCmd(cli::Context& ctx, const DayArgs& a) {
  HEAT_ASSIGN(std::optional<Date> day, DateArg(a.date));
  if (a.reason.empty()) return Status::Usage("reopening a day needs a reason (--reason)");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::DaySheet s, billing::ReopenDay(*db, a.cashier, *day, a.reason));
  ctx.out() << "reopened the day " << s.day << " of " << s.cashier << "; its closed sheet ("
            << FormatYuan(s.takings) << " yuan) is kept as history\n";
  return Status::Ok();
}

Status SheetCmd(cli::Context& ctx, const DayArgs& a) {
  HEAT_ASSIGN(std::optional<Date> day, DateArg(a.date));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  std::string cashier = a.cashier;
  if (cashier.empty()) {
    HEAT_ASSIGN(db::Rows me, db->Query("SELECT session_user::text"));
    cashier = me.get(0, 0);
  }
  HEAT_ASSIGN(billing::DaySheet s, billing::SheetOf(*db, cashier, day));
  return Output(ctx, *db, s, a.pdf);
}

// The reconciliation line: sheets against the ledger, exit 1 on a difference.
Status PrintReconciliation(cli::Context& ctx, const billing::DayReconciliation& rec) {
  if (ctx.format == cli::Format::kTable) {
    ctx.out() << "\nreconciliation: sheets " << FormatYuan(rec.sheets) << " yuan, ledger " << FormatYuan(rec.ledger)
              << " yuan, difference " << FormatYuan(rec.sheets - rec.ledger) << " (closed " << rec.closed
              << ", submitted " << rec.submitted << ", open " << rec.open << ")\n";
    for (const auto& d : rec.differences) ctx.out() << "  differs: " << d << "\n";
  }
  if (rec.differences.empty()) return Status::Ok();
  std::string all;
  for (const auto& d : rec.differences) all += (all.empty() ? "" : "; ") + d;
  return Status::Failure("the sheets differ from the ledger by " + FormatYuan(rec.sheets - rec.ledger) +
                         " yuan: " + all);
}

Status ShowCmd(cli::Context& ctx, const DayArgs& a) {
  HEAT_ASSIGN(std::optional<Date> day, DateArg(a.date));
  HEAT_ASSIGN(billing::DayBy by, billing::ParseDayBy(a.by));
  if (!a.cashier.empty() && !a.hall.empty()) return Status::Usage("give --cashier or --hall, not both");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto days, billing::DayOverview(*db, day));
  auto groups = billing::GroupDay(days, by, a.cashier, a.hall);
  auto rec = billing::Reconcile(days, a.cashier, a.hall);
  cli::Table t{{a.by, "state", "cashiers", "payments", "refunds", "reversals", MoneyName(ctx, "takings"),
                MoneyName(ctx, "ledger")}, {}};
  int64_t p = 0, r = 0, v = 0;
  for (const auto& g : groups) {
    t.Add({TextCell(g.key), TextCell(g.state), IntCell(g.cashiers), IntCell(g.payments), IntCell(g.refunds),
           IntCell(g.reversals), MoneyCell(ctx, g.takings), cli::Cell{std::nullopt, cli::Cell::kString}});
    p += g.payments, r += g.refunds, v += g.reversals;
  }
  std::string state = rec.open ? "open" : rec.submitted ? "submitted" : "closed";
  t.Add({TextCell("total"), TextCell(state), IntCell(rec.open + rec.submitted + rec.closed), IntCell(p), IntCell(r),
         IntCell(v), MoneyCell(ctx, rec.sheets), MoneyCell(ctx, rec.ledger)});
  cli::Print(t, ctx.format, ctx.out());
  return PrintReconciliation(ctx, rec);
}

void DateOption(CLI::App& app, DayArgs& a, bool required) {
  auto* o = app.add_option("--date", a.date, "the day, YYYY-MM-DD (default today, company time zone)");
  if (required) o->required();
}

}  // namespace

std::vector<cli::Command> DayCommands() {
  return {
      {"day close", "日结: submit your day (a cashier), or close a cashier's day (--cashier, a supervisor)",
       "BIL-19 BIL-12",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<DayArgs>();
         app.add_option("--cashier", a->cashier, "close this cashier's submitted day (bill_supervisor)");
         DateOption(app, *a, false);
         app.add_option("--cash-counted", a->cash_counted, "the cash you counted, yuan (with your submission)");
         app.add_option("--pdf", a->pdf, "also write the sheet as a PDF to FILE");
         return [a](cli::Context& ctx) { return CloseCmd(ctx, *a); };
       }},
      {"day reopen", "reopen a closed day (a supervisor, with a reason); the closed sheet is kept", "BIL-19 BIL-24",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<DayArgs>();
         app.add_option("--cashier", a->cashier, "the cashier")->required();
         DateOption(app, *a, true);
         app.add_option("--reason", a->reason, "why")->required();
         return [a](cli::Context& ctx) { return ReopenCmd(ctx, *a); };
       }},
      {"day show", "a day's takings by cashier, hall, channel or method, each with its state, reconciled",
       "BIL-19",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<DayArgs>();
         DateOption(app, *a, false);
         app.add_option("--cashier", a->cashier, "only this cashier's day");
         app.add_option("--hall", a->hall, "only this hall (receipt prefix)");
         app.add_option("--by", a->by, "cashier (default), hall, channel or method");
         return [a](cli::Context& ctx) { return ShowCmd(ctx, *a); };
       }},
      {"day sheet", "print a cashier's cash-up sheet (日结单) as it stands, or as a PDF", "BIL-19",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<DayArgs>();
         app.add_option("--cashier", a->cashier, "the cashier (default: you)");
         DateOption(app, *a, false);
         app.add_option("--pdf", a->pdf, "also write the sheet as a PDF to FILE");
         return [a](cli::Context& ctx) { return SheetCmd(ctx, *a); };
       }},
  };
}

}  // namespace heat::billctl
