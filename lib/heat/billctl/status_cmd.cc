// billctl suspend|resume|disconnect|reconnect (BIL-10): 报停, 复热, 退网,
// 复网 from a date; the fee engine adjusts the season's fee.
#include "heat/billctl/commands.h"
#include "heat/billing/ops.h"

namespace heat::billctl {
namespace {

struct StatusArgs {
  std::string house, season, date;
};

Status Change(cli::Context& ctx, const StatusArgs& a, billing::EventKind kind) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  Date date;
  if (a.date.empty()) {
    HEAT_ASSIGN(date, billing::Today(*db));
  } else {
    HEAT_ASSIGN(date, ParseDate(a.date));
  }
  HEAT_ASSIGN(billing::Posted p, billing::ChangeStatus(*db, a.house, a.season, kind, date));
  cli::PrintRecord({{"house", TextCell(p.house)}, {"season", TextCell(p.season)},
                    {"change", TextCell(p.also.empty() ? "" : p.also[0])},
                    {MoneyName(ctx, "adjustment"), MoneyCell(ctx, p.amount)},
                    {MoneyName(ctx, "balance"), MoneyCell(ctx, p.balance)}},
                   ctx.format, ctx.out());
  return Status::Ok();
}

cli::Command Row(const char* word, const char* summary, billing::EventKind kind) {
  return {word, summary, "BIL-10", [kind](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<StatusArgs>();
            app.add_option("house", a->house, "house code or card number")->required();
            app.add_option("--date", a->date, "effective from this day (default today)");
            app.add_option("--season", a->season, "the season (default: the current one)");
            return [a, kind](cli::Context& ctx) { return Change(ctx, *a, kind); };
          }};
}

}  // namespace

std::vector<cli::Command> StatusCommands() {
  using K = billing::EventKind;
  return {Row("suspend", "报停: the house pays the base ratio from --date", K::kSuspend),
          Row("resume", "复热: heating again from --date (the rest prorated by days)", K::kResume),
          Row("disconnect", "退网: no heating fee from --date", K::kDisconnect),
          Row("reconnect", "复网: heating again from --date, plus reconnection.fee", K::kReconnect)};
}

}  // namespace heat::billctl
