// billctl show HOUSE (BIL-5, BIL-10, BIL-11): the house, its status marks
// (arrears, blacklist, valve, heating) and its yearly accounts with their
// entries (each receipt's e-invoice, BIL-21) and the fee engine's
// explanation.
#include <nlohmann/json.hpp>

#include "heat/billctl/commands.h"
#include "heat/billing/house_view.h"
#include "heat/ctl/commands.h"

namespace heat::billctl {
namespace {

using nlohmann::json;

struct ShowArgs {
  std::string house, season, as_of;
};

void PrintTable(cli::Context& ctx, const json& j) {
  cli::Record rec;
  for (const char* k : {"house", "address", "customer", "phone", "card_no", "house_type", "charged_area_m2"})
    rec.emplace_back(k, TextCell(j[k].is_null() ? "-" : j[k].get<std::string>()));
  const json& m = j["marks"];
  rec.emplace_back("heating", TextCell(m["heating_status"]));
  rec.emplace_back("arrears", MoneyCell(ctx, m["arrears_fen"]));
  rec.emplace_back("blacklist", TextCell(m["blacklist"].is_null() ? "-" : m["blacklist"].get<std::string>()));
  rec.emplace_back("valve", TextCell(m["valve_pct"].is_null() ? "-" : m["valve_pct"].dump() + " %"));
  cli::PrintRecord(rec, ctx.format, ctx.out());
  for (const auto& a : j["accounts"]) {
    ctx.out() << "\nseason " << a["season"].get<std::string>() << " as of " << a["as_of"].get<std::string>()
              << ": receivable " << FormatYuan(a["receivable_fen"]) << ", paid " << FormatYuan(a["paid_fen"])
              << ", owed " << FormatYuan(a["balance_fen"]) << "\n";
    for (const auto& line : a["explanation"]) ctx.out() << "  " << line.get<std::string>() << "\n";
    cli::Table t{{"seq", "date", "kind", "amount", "receipt", "invoice", "by", "note"}, {}};
    std::string links;
    for (const auto& e : a["entries"]) {
      t.Add({IntCell(e["seq"]), TextCell(e["date"]), TextCell(e["kind"]), MoneyCell(ctx, e["amount_fen"]),
             TextCell(e.value("receipt_no", "") + (e.value("receipt_status", "") == "voided" ? " (voided)" : "")),
             TextCell(e.value("invoice_no", "")), TextCell(e["by"]), TextCell(e["note"])});
      if (e.contains("invoice_url"))
        links += "  invoice " + e.value("invoice_no", "") + " of " + e.value("receipt_no", "") + ": " +
                 e.value("invoice_url", "") + "\n";
    }
    cli::Print(t, ctx.format, ctx.out());
    ctx.out() << links;
  }
}

// The electronic invoice of each receipt (BIL-21): number and PDF link,
// as bill.receipt keeps them once issued.
Status AddInvoices(db::Conn& db, json& j) {
  for (auto& a : j["accounts"])
    for (auto& e : a["entries"]) {
      if (!e.contains("receipt_no")) continue;
      HEAT_ASSIGN(db::Rows r, db.Query("SELECT invoice_no, invoice_url FROM bill.receipt WHERE receipt_no = $1"
                                       " AND invoice_no IS NOT NULL", {e["receipt_no"].get<std::string>()}));
      if (r.empty()) continue;
      e["invoice_no"] = r.get(0, 0);
      if (!r.is_null(0, 1)) e["invoice_url"] = r.get(0, 1);
    }
  return Status::Ok();
}

Status Show(cli::Context& ctx, const ShowArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(json j, billing::HouseView(*db, a.house, a.season, a.as_of));
  HEAT_TRY(AddInvoices(*db, j));
  if (ctx.format == cli::Format::kJson) ctx.out() << j.dump(2) << "\n";
  else PrintTable(ctx, j);
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> ShowCommands() {
  return {{"show", "a house: status marks, accounts by season, entries, fee explained",
           "BIL-5 BIL-10 BIL-11",
           [](CLI::App& app) -> cli::Runner {
             auto a = std::make_shared<ShowArgs>();
             app.add_option("house", a->house, "house code or card number")->required();
             app.add_option("--season", a->season, "only this season (its account is opened if missing)");
             app.add_option("--as-of", a->as_of, "the day late fees run to (default today)");
             return [a](cli::Context& ctx) { return Show(ctx, *a); };
           }}};
}

}  // namespace heat::billctl

