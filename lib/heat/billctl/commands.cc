#include "heat/billctl/commands.h"

namespace heat::billctl {

std::vector<cli::Command> BillctlCommands() {
  std::vector<cli::Command> all;
  for (auto part : {SeasonCommands, ImportCommands, FindCommands, ShowCommands, MoneyCommands,
                    RequestCommands, StatusCommands, HouseCommands, DictCommands,
                    SeasonOpsCommands, CheckCommands, LateFeeCommands, BatchCommands,
                    CustomerCommands, PrintCommands, TuiCommands, DayCommands,
                    InvoiceCommands, HallCommands, WechatCommands}) {
    auto rows = part();
    all.insert(all.end(), rows.begin(), rows.end());
  }
  return all;
}

Result<billing::SeasonRow> SeasonArg(db::Conn& db, const std::string& name) {
  if (!name.empty()) return billing::FindSeason(db, name);
  HEAT_ASSIGN(Date today, billing::Today(db));
  return billing::DefaultSeason(db, today);
}

std::string MoneyName(const cli::Context& ctx, const std::string& name) {
  return ctx.format == cli::Format::kTable ? name : name + "_fen";
}

cli::Cell MoneyCell(const cli::Context& ctx, Fen fen) {
  if (ctx.format == cli::Format::kTable) return cli::Cell{FormatYuan(fen), cli::Cell::kNumber};
  return cli::Cell{std::to_string(fen), cli::Cell::kInt};
}
cli::Cell IntCell(int64_t v) { return cli::Cell{std::to_string(v), cli::Cell::kInt}; }
cli::Cell TextCell(const std::string& s) { return cli::Cell{s, cli::Cell::kString}; }

}  // namespace heat::billctl
