// billctl late-fees [--date D] (BIL-10): the daily job that enters the late
// fee (违约金) houses that do not pay have accrued, so reports and `show`
// agree without a payment. Run by systemd/billctl-late-fees.timer; running
// it twice for one day changes nothing (billing::AccrueLateFee).
#include "heat/billctl/commands.h"
#include "heat/billing/ops.h"

namespace heat::billctl {
namespace {

struct LateArgs {
  std::string date, season;
};

Status LateFees(cli::Context& ctx, const LateArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(Date today, billing::Today(*db));
  Date day = today;
  if (!a.date.empty()) {
    HEAT_ASSIGN(day, ParseDate(a.date));
  }
  if (day > today) return Status::Usage("--date " + FormatDate(day) + " is in the future");
  HEAT_ASSIGN(billing::LateFeeRun run, billing::AccrueLateFees(*db, day, a.season,
      [&](const std::string& house, const std::string& season, const Status& why) {
        ctx.err() << "billctl: late-fees: " << house << " " << season << ": " << why.message() << "\n";
      }));
  cli::PrintRecord({{"date", TextCell(FormatDate(day))},
                    {"late_fee", TextCell(run.on ? "on" : "off (late_fee.daily_rate 0%)")},
                    {"accounts_owing", IntCell(run.owing)}, {"late_fees_entered", IntCell(run.entered)},
                    {MoneyName(ctx, "total"), MoneyCell(ctx, run.total)}, {"failed", IntCell(run.failed)}},
                   ctx.format, ctx.out());
  if (run.failed) return Status::Failure(std::to_string(run.failed) + " accounts failed; see above");
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> LateFeeCommands() {
  return {{"late-fees", "enter the late fee accrued up to --date (default today); a daily job, idempotent",
           "BIL-10",
           [](CLI::App& app) -> cli::Runner {
             auto a = std::make_shared<LateArgs>();
             app.add_option("--date", a->date, "the day, YYYY-MM-DD (default today; not in the future)");
             app.add_option("--season", a->season, "only this season (default: every open season)");
             return [a](cli::Context& ctx) { return LateFees(ctx, *a); };
           }}};
}

}  // namespace heat::billctl
