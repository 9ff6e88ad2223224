// billctl/commands.h — the billctl command table: seasons,
// tariffs, parameters, houses, search, accounts, money, approvals, heating
// status. cmd/billctl/main.cc hands it to cli::Run; billctl(1) documents
// every row. Identity is the login role; the database checks rights.
#pragma once

#include <string>
#include <vector>

#include "heat/billing/store.h"
#include "heat/cli/command.h"

namespace heat::billctl {

std::vector<cli::Command> BillctlCommands();

std::vector<cli::Command> SeasonCommands();   // season, tariff, param
std::vector<cli::Command> ImportCommands();   // import houses
std::vector<cli::Command> FindCommands();     // find
std::vector<cli::Command> ShowCommands();     // show
std::vector<cli::Command> MoneyCommands();    // charge, refund, reverse
std::vector<cli::Command> RequestCommands();  // request, requests, approve, reject, withdraw
std::vector<cli::Command> StatusCommands();   // suspend, resume, disconnect, reconnect
std::vector<cli::Command> HouseCommands();    // card, blacklist, rm, restore
std::vector<cli::Command> DictCommands();     // dict, channel
std::vector<cli::Command> SeasonOpsCommands(); // carryover, adjust-price
std::vector<cli::Command> CheckCommands();    // check
std::vector<cli::Command> LateFeeCommands();  // late-fees
std::vector<cli::Command> BatchCommands();    // batch
std::vector<cli::Command> CustomerCommands(); // customer, link, unlink, doc
std::vector<cli::Command> TuiCommands();      // tui (the counter, counter/counter.h)
std::vector<cli::Command> DayCommands();      // day close, day reopen, day show, day sheet
std::vector<cli::Command> PrintCommands();    // reprint, form, receipt verify (print_cmd.cc)
std::vector<cli::Command> WechatCommands();   // wechat reconcile (wechat_cmd.cc)
std::vector<cli::Command> HallCommands();     // hall list|show|take|done|reject, hall info ... (hall_cmd.cc)
std::vector<cli::Command> InvoiceCommands();  // invoice request, run, list, show (invoice_cmd.cc)

// Paper out of a command (BIL-21): --pdf FILE and --print [PRINTER].
struct PaperArgs {
  std::string pdf, printer;
  CLI::Option* print = nullptr;
  bool printing() const { return print && print->count() > 0; }
  bool wanted() const { return !pdf.empty() || printing(); }
};
void PaperOptions(CLI::App& app, PaperArgs& a);
// The original receipt of a committed payment to --pdf and/or the
// printer; a failure is "receipt R not printed: ...; reprint it with
// billctl reprint R" and leaves the payment as it is.
Status IssueReceipt(cli::Context& ctx, const std::string& receipt_no, const PaperArgs& a);

// Shared by the commands: the season named by --season, or the default
// one (the season containing today, else the latest open one).
Result<billing::SeasonRow> SeasonArg(db::Conn& db, const std::string& name);
// Money for output: in table form a yuan figure under `name`
// ("2200.00"), in JSON and CSV integer fen under `name`_fen (DESIGN §4).
std::string MoneyName(const cli::Context& ctx, const std::string& name);
cli::Cell MoneyCell(const cli::Context& ctx, Fen fen);
cli::Cell IntCell(int64_t v);
cli::Cell TextCell(const std::string& s);

}  // namespace heat::billctl
