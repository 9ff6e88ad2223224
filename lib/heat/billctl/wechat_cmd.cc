// billctl wechat reconcile [--date D] (BIL-23): the daily job that holds
// WeChat Pay against the ledger (wechat/reconcile.h): pending orders are
// queried and posted or closed, the day's trade bill is downloaded and
// every payment the ledger lacks is posted from it, and what still
// differs is listed to the fen, ending with the totals. Exit 5 when a
// difference remains. Run by systemd/heat-wechat-reconcile.timer at 10:00,
// after WeChat publishes the previous day's bill; running it twice posts
// nothing twice.
#include "heat/billctl/commands.h"
#include "heat/wechat/reconcile.h"

namespace heat::billctl {
namespace {

struct ReconcileArgs {
  std::string date;
};

cli::Cell OptMoney(const cli::Context& ctx, const std::optional<Fen>& fen) {
  return fen ? MoneyCell(ctx, *fen) : cli::Cell{std::nullopt, cli::Cell::kString};
}

std::optional<Fen> LineDifference(const wechat::ReconcileLine& l) {
  if (!l.difference) return std::nullopt;
  return l.bill_fen.value_or(0) - l.ledger_fen.value_or(0);
}

void PrintReport(cli::Context& ctx, const wechat::ReconcileReport& r) {
  cli::Table t{{"event", "source", "out_trade_no", "transaction_id", MoneyName(ctx, "bill"),
                MoneyName(ctx, "ledger"), MoneyName(ctx, "difference"), "note"}, {}};
  for (const auto& l : r.lines)
    t.Add({TextCell(l.event), TextCell(l.source), TextCell(l.out_trade_no), TextCell(l.transaction_id),
           OptMoney(ctx, l.bill_fen), OptMoney(ctx, l.ledger_fen), OptMoney(ctx, LineDifference(l)), TextCell(l.note)});
  t.Add({TextCell("total"), TextCell(""), TextCell(""), TextCell(""), MoneyCell(ctx, r.bill_total),
         MoneyCell(ctx, r.ledger_total), MoneyCell(ctx, r.difference()),
         TextCell(FormatDate(r.day) + ": " + std::to_string(r.differences) + " differences")});
  cli::Print(t, ctx.format, ctx.out());
}

Status Reconcile(cli::Context& ctx, const ReconcileArgs& a) {
  HEAT_ASSIGN(wechat::Merchant m, wechat::LoadMerchant(ctx.config()));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(Date today, billing::Today(*db));
  Date day = AddDays(today, -1);
  if (!a.date.empty()) {
    HEAT_ASSIGN(day, ParseDate(a.date));
  }
  if (day > today) return Status::Usage("--date " + FormatDate(day) + " is in the future");
  wechat::Client client(m);
  HEAT_ASSIGN(wechat::ReconcileReport r, wechat::Reconcile(*db, client, m, day));
  PrintReport(ctx, r);
  if (r.differences > 0)
    return Status::Conflict(std::to_string(r.differences) + " differences between WeChat Pay's bill of " +
                            FormatDate(day) + " and the ledger (difference " + FormatYuan(r.difference()) +
                            " yuan); see the lines above");
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> WechatCommands() {
  return {{"wechat reconcile",
           "hold WeChat Pay against the ledger for --date (default yesterday): post what is missing, list what differs",
           "BIL-23",
           [](CLI::App& app) -> cli::Runner {
             auto a = std::make_shared<ReconcileArgs>();
             app.add_option("--date", a->date, "the company day, YYYY-MM-DD (default yesterday)");
             return [a](cli::Context& ctx) { return Reconcile(ctx, *a); };
           }}};
}

}  // namespace heat::billctl
