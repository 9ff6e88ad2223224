// billctl season|tariff|param (BIL-10, BIL-17, BIL-29): the heating
// seasons, the prices per house type and the rule parameters. Changes
// need bill_admin (the database refuses others) and are in the operation
// log through the audit trigger.
#include "heat/billctl/commands.h"
#include "heat/ctl/commands.h"

namespace heat::billctl {
namespace {

struct SeasonArgs {
  std::string name, start, end;
};

Status SeasonAdd(cli::Context& ctx, const SeasonArgs& a) {
  HEAT_ASSIGN(Date start, ParseDate(a.start));
  HEAT_ASSIGN(Date end, ParseDate(a.end));
  if (end <= start) return Status::Usage("--end must be after --start (the first day without heating)");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_TRY(db->Exec("INSERT INTO bill.season (name, start_date, end_date) VALUES ($1, $2, $3)",
                    {a.name, FormatDate(start), FormatDate(end)})
               .With("season " + a.name + " (name YYYY-YYYY, start in the first year)"));
  ctx.out() << "season " << a.name << ": " << a.start << " .. " << a.end << " ("
            << DaysBetween(start, end) << " heating days)\n";
  return Status::Ok();
}

Status SeasonList(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT name, start_date::text AS start, end_date::text AS end, end_date - start_date AS days,"
      " CASE WHEN closed_at IS NULL THEN 'open' ELSE 'closed' END AS state,"
      " (SELECT count(*) FROM bill.account a WHERE a.season_id = s.id) AS accounts"
      " FROM bill.season s ORDER BY start_date"));
  cli::Print(ctl::RowsTable(r, {{"days", cli::Cell::kInt}, {"accounts", cli::Cell::kInt}}), ctx.format,
             ctx.out());
  return Status::Ok();
}

Status SeasonClose(cli::Context& ctx, const std::string& name) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "UPDATE bill.season SET closed_at = now() WHERE name = $1 AND closed_at IS NULL RETURNING id", {name}));
  if (r.empty()) {
    HEAT_TRY(billing::FindSeason(*db, name).status());
    return Status::Conflict("season " + name + " is already closed");
  }
  ctx.out() << "season " << name << " closed: nothing more can be entered into it\n";
  return Status::Ok();
}

struct TariffArgs {
  std::string season, house_type, price, base_ratio, from;
  bool reaches_paid = false;
};

Status TariffSet(cli::Context& ctx, const TariffArgs& a) {
  HEAT_ASSIGN(Fen price, ParseYuan(a.price));
  if (price < 0) return Status::Usage("--price must not be negative");
  db::Param ratio;
  if (!a.base_ratio.empty()) {
    HEAT_ASSIGN(int64_t ppm, ParseRatio(a.base_ratio, true));
    ratio = std::to_string(ppm);
  }
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::SeasonRow s, billing::FindSeason(*db, a.season));
  Date from = s.start;
  if (!a.from.empty()) {
    HEAT_ASSIGN(from, ParseDate(a.from));
    if (from <= s.start || from >= s.end)
      return Status::Usage("--from must be inside season " + s.name + " (a mid-season price change)");
  }
  HEAT_TRY(db->Exec(
      "INSERT INTO bill.tariff (season_id, house_type, from_date, fen_per_m2, base_ratio_ppm, reaches_paid)"
      " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (season_id, house_type, from_date) DO UPDATE"
      " SET fen_per_m2 = EXCLUDED.fen_per_m2, base_ratio_ppm = EXCLUDED.base_ratio_ppm,"
      " reaches_paid = EXCLUDED.reaches_paid, set_by = session_user, set_at = now()",
      {std::to_string(s.id), a.house_type, FormatDate(from), std::to_string(price), ratio,
       a.reaches_paid ? "true" : "false"}).With("tariff for " + a.house_type));
  ctx.out() << "season " << s.name << ", " << a.house_type << ": " << FormatYuan(price)
            << " yuan/m2 from " << FormatDate(from) << "\n";
  return Status::Ok();
}

Status TariffList(cli::Context& ctx, const std::string& season) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  std::string price = ctx.format == cli::Format::kTable ? "to_char(t.fen_per_m2 / 100.0, 'FM999999990.00') AS price"
                                                        : "t.fen_per_m2 AS price_fen";
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT s.name AS season, t.house_type, t.from_date::text AS from_date, " + price +
      ", coalesce(trim(trailing '.' FROM to_char(t.base_ratio_ppm / 10000.0, 'FM990.9999')) || '%', 'param')"
      " AS base_ratio, t.reaches_paid, t.set_by"
      " FROM bill.tariff t JOIN bill.season s ON s.id = t.season_id"
      " WHERE $1 = '' OR s.name = $1 ORDER BY s.start_date, t.house_type, t.from_date", {season}));
  cli::Print(ctl::RowsTable(r, {{"price_fen", cli::Cell::kInt}, {"price", cli::Cell::kNumber},
                                {"reaches_paid", cli::Cell::kBool}}), ctx.format, ctx.out());
  return Status::Ok();
}

// "a 1 b=2 c 3" -> {a: 1, b: 2, c: 3}: NAME VALUE or NAME=VALUE, mixed.
Result<std::vector<std::pair<std::string, std::string>>> Settings(const std::vector<std::string>& args) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < args.size(); ++i) {
    auto eq = args[i].find('=');
    if (eq != std::string::npos) {
      out.emplace_back(args[i].substr(0, eq), args[i].substr(eq + 1));
    } else if (i + 1 < args.size()) {
      out.emplace_back(args[i], args[i + 1]);
      ++i;
    } else {
      return Status::Usage("parameter " + args[i] + " has no value (NAME VALUE or NAME=VALUE)");
    }
    for (size_t k = 0; k + 1 < out.size(); ++k)
      if (out[k].first == out.back().first) return Status::Usage("parameter " + out.back().first + " is given twice");
  }
  return out;
}

// BIL-29: every value checked against its type, then the rules between
// parameters on the result of all of them, so pairs that go together
// (late_fee.daily_rate and late_fee.due) are set in one command; stored in
// one transaction, all or nothing.
Status ParamSet(cli::Context& ctx, const std::vector<std::string>& args) {
  HEAT_ASSIGN(auto settings, Settings(args));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto tx, db::Transaction::Start(*db));
  HEAT_TRY(db->Exec("LOCK TABLE bill.param IN SHARE ROW EXCLUSIVE MODE"));  // one setter at a time
  HEAT_ASSIGN(billing::Params p, billing::LoadParams(*db));
  for (const auto& [name, value] : settings) HEAT_TRY(billing::SetParam(p, name, value));
  HEAT_TRY(billing::Validate(p));
  for (const auto& [name, value] : settings)
    HEAT_TRY(db->Exec("INSERT INTO bill.param VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = $2",
                      {name, billing::GetParam(p, name)}));
  HEAT_TRY(tx->Commit());
  for (const auto& [name, value] : settings) ctx.out() << name << " = " << billing::GetParam(p, name) << "\n";
  return Status::Ok();
}

Status ParamList(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::Params p, billing::LoadParams(*db));
  cli::Table t{{"name", "value", "default", "type", "doc"}, {}};
  for (const auto& spec : billing::ParamTable())
    t.Add({TextCell(spec.name), TextCell(billing::GetParam(p, spec.name)), TextCell(spec.default_value),
           TextCell(spec.type), TextCell(spec.doc)});
  cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> SeasonCommands() {
  return {
      {"season add", "add a heating season: NAME (2025-2026) --start --end", "BIL-10 BIL-29",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<SeasonArgs>();
         app.add_option("name", a->name, "the season, YYYY-YYYY")->required();
         app.add_option("--start", a->start, "first heating day, YYYY-MM-DD")->required();
         app.add_option("--end", a->end, "first day without heating, YYYY-MM-DD")->required();
         return [a](cli::Context& ctx) { return SeasonAdd(ctx, *a); };
       }, false},
      {"season list", "the seasons, their days and accounts", "BIL-10",
       [](CLI::App&) -> cli::Runner { return SeasonList; }},
      {"season close", "close a season: its accounts take no more entries", "BIL-16",
       [](CLI::App& app) -> cli::Runner {
         auto n = std::make_shared<std::string>();
         app.add_option("name", *n, "the season")->required();
         return [n](cli::Context& ctx) { return SeasonClose(ctx, *n); };
       }, false},
      {"tariff set", "the price per m2 of a house type in a season (--from: a mid-season change)",
       "BIL-10 BIL-17",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<TariffArgs>();
         app.add_option("--season", a->season, "the season")->required();
         app.add_option("--house-type", a->house_type, "house type (dictionary: residential, ...)")->required();
         app.add_option("--price", a->price, "yuan per m2, e.g. 22.00")->required();
         app.add_option("--base-ratio", a->base_ratio, "suspended houses' share, e.g. 0.30 or 30%");
         app.add_option("--from", a->from, "first day of a mid-season price");
         app.add_flag("--reaches-paid", a->reaches_paid, "a mid-season change reaches houses that had paid");
         return [a](cli::Context& ctx) { return TariffSet(ctx, *a); };
       }, false},
      {"tariff list", "prices by season and house type", "BIL-10",
       [](CLI::App& app) -> cli::Runner {
         auto s = std::make_shared<std::string>();
         app.add_option("--season", *s, "only this season");
         return [s](cli::Context& ctx) { return TariffList(ctx, *s); };
       }},
      {"param set", "set billing rule parameters, several at once (billctl param list shows them all)",
       "BIL-29",
       [](CLI::App& app) -> cli::Runner {
         auto args = std::make_shared<std::vector<std::string>>();
         app.add_option("settings", *args, "NAME VALUE or NAME=VALUE, as many as go together")->required();
         return [args](cli::Context& ctx) { return ParamSet(ctx, *args); };
       }, false},
      {"param list", "every billing rule parameter with its value and default", "BIL-29",
       [](CLI::App&) -> cli::Runner { return ParamList; }},
  };
}

}  // namespace heat::billctl
