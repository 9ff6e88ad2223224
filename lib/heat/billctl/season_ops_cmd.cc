// billctl carryover|adjust-price (BIL-16, BIL-17): the once-a-year and
// once-in-a-while operations on every account of a season. Both show what
// they would do and act only with --yes; both need bill_admin.
#include "heat/billctl/commands.h"
#include "heat/billing/ops.h"

namespace heat::billctl {
namespace {

struct CarryArgs {
  std::string from, to;
  bool yes = false;
};

Status Carryover(cli::Context& ctx, const CarryArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::SeasonRow from, billing::FindSeason(*db, a.from));
  HEAT_ASSIGN(billing::SeasonRow to, billing::FindSeason(*db, a.to));
  HEAT_ASSIGN(billing::Params p, billing::LoadParams(*db));
  if (!a.yes) {
    HEAT_ASSIGN(db::Rows r, db->Query(
        "SELECT count(*) FILTER (WHERE h.deleted_at IS NULL) AS houses,"
        " count(*) FILTER (WHERE h.deleted_at IS NULL AND h.heating_status = 'suspended') AS suspended,"
        " (SELECT count(*) FROM bill.account a WHERE a.season_id = $1 AND (bill.account_sums(a.id)).balance <> 0)"
        "   AS balances FROM bill.house h", {std::to_string(from.id)}));
    cli::PrintRecord({{"from", TextCell(from.name)}, {"to", TextCell(to.name)},
                      {"houses", IntCell(r.get_int(0, "houses"))},
                      {"suspended_houses", IntCell(r.get_int(0, "suspended"))},
                      {"heating_status", TextCell(p.carry_heating_status ? "carried" : "reset to heating")},
                      {"balances_to_move", IntCell(p.carry_arrears ? r.get_int(0, "balances") : 0)},
                      {"preview", TextCell("nothing done; run again with --yes")}},
                     ctx.format, ctx.out());
    return Status::Ok();
  }
  // The old season's late fee up to the day before the balances move: from
  // that day the arrears accrue in the new season, by its rule (BIL-16).
  HEAT_ASSIGN(Date today, billing::Today(*db));
  Date until = std::min(today, AddDays(to.start, -1));
  HEAT_ASSIGN(auto late, billing::AccrueLateFees(*db, until, from.name,
      [&](const std::string& house, const std::string&, const Status& why) {
        ctx.err() << "billctl: carryover: late fee of " << house << ": " << why.message() << "\n";
      }));
  if (late.failed) return Status::Failure("the old season's late fees could not all be entered; nothing carried");
  HEAT_ASSIGN(db::Rows r, db->Query("SELECT * FROM bill.carryover($1, $2, $3, $4)",
                                    {std::to_string(from.id), std::to_string(to.id),
                                     p.carry_arrears ? "true" : "false", p.carry_heating_status ? "true" : "false"}));
  cli::PrintRecord({{"from", TextCell(from.name)}, {"to", TextCell(to.name)},
                    {"accounts_opened", IntCell(r.get_int(0, "accounts"))},
                    {"status_reset", IntCell(r.get_int(0, "status_reset"))},
                    {"balances_moved", IntCell(r.get_int(0, "balances_moved"))},
                    {MoneyName(ctx, "moved"), MoneyCell(ctx, r.get_int(0, "moved_fen"))}},
                   ctx.format, ctx.out());
  return Status::Ok();
}

struct PriceArgs {
  std::string season, house_type, price, from;
  bool reaches_paid = false, yes = false;
};

// Every account of the type in the season: the engine's fee with the new
// price against without it; the difference is entered as an adjustment.
Status AdjustPrice(cli::Context& ctx, const PriceArgs& a) {
  HEAT_ASSIGN(Fen price, ParseYuan(a.price));
  if (price < 0) return Status::Usage("--price must not be negative");
  HEAT_ASSIGN(Date from, ParseDate(a.from));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(Date today, billing::Today(*db));
  if (from > today)
    return Status::Usage("--from " + a.from + " is in the future: run adjust-price on or after the change day, "
                         "when who had paid before it is settled (BIL-17)");
  HEAT_ASSIGN(auto tx, db::Transaction::Start(*db));
  HEAT_ASSIGN(billing::SeasonRow s, billing::FindSeason(*db, a.season));
  if (from <= s.start || from >= s.end) return Status::Usage("--from must lie inside season " + s.name);
  HEAT_ASSIGN(billing::Params base, billing::LoadParams(*db));
  base.price_change_reaches_paid = a.reaches_paid;
  HEAT_ASSIGN(db::Rows houses, db->Query(
      "SELECT h.code FROM bill.account ac JOIN bill.house h ON h.id = ac.house_id WHERE ac.season_id = $1"
      " AND h.house_type = $2 ORDER BY h.code", {std::to_string(s.id), a.house_type}));
  HEAT_TRY(db->Exec("INSERT INTO bill.tariff (season_id, house_type, from_date, fen_per_m2, reaches_paid)"
                    " VALUES ($1, $2, $3, $4, $5)", {std::to_string(s.id), a.house_type, FormatDate(from),
                                                     std::to_string(price), a.reaches_paid ? "true" : "false"})
               .With("price change"));
  int64_t changed = 0;
  Fen total = 0;
  for (int i = 0; i < houses.size(); ++i) {
    HEAT_ASSIGN(billing::Posted p, billing::ApplyPriceChange(*db, houses.get(i, 0), s, base, today, from));
    if (p.amount != 0) ++changed;
    total += p.amount;
  }
  cli::PrintRecord({{"season", TextCell(s.name)}, {"house_type", TextCell(a.house_type)},
                    {"from", TextCell(FormatDate(from))}, {"accounts", IntCell(houses.size())},
                    {"adjusted", IntCell(changed)}, {MoneyName(ctx, "total_adjustment"), MoneyCell(ctx, total)},
                    {"done", TextCell(a.yes ? "yes" : "no: preview only, run again with --yes")}},
                   ctx.format, ctx.out());
  if (!a.yes) return Status::Ok();  // the transaction rolls back
  return tx->Commit();
}

}  // namespace

std::vector<cli::Command> SeasonOpsCommands() {
  return {
      {"carryover", "annual carry-over (结转): open --to's accounts, carry statuses and balances", "BIL-16",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<CarryArgs>();
         app.add_option("--from", a->from, "the season ending")->required();
         app.add_option("--to", a->to, "the next season (its tariffs set)")->required();
         app.add_flag("--yes", a->yes, "do it (without: a preview)");
         return [a](cli::Context& ctx) { return Carryover(ctx, *a); };
       }},
      {"adjust-price", "mid-season price change for a house type, with adjustments", "BIL-17",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<PriceArgs>();
         app.add_option("--season", a->season, "the season")->required();
         app.add_option("--house-type", a->house_type, "house type")->required();
         app.add_option("--price", a->price, "new yuan per m2")->required();
         app.add_option("--from", a->from, "first day at the new price (not in the future)")->required();
         app.add_flag("--reaches-paid", a->reaches_paid, "also houses that had paid in full before --from");
         app.add_flag("--yes", a->yes, "do it (without: a preview)");
         return [a](cli::Context& ctx) { return AdjustPrice(ctx, *a); };
       }},
  };
}

}  // namespace heat::billctl
