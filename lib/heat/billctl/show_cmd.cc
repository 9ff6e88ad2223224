// billctl show HOUSE (BIL-5, BIL-10, BIL-11): the house, its status marks
// (arrears, blacklist, valve, heating) and its yearly accounts with their
// entries and the fee engine's explanation.
#include <nlohmann/json.hpp>

#include "heat/billctl/commands.h"
#include "heat/billing/ops.h"
#include "heat/ctl/commands.h"

namespace heat::billctl {
namespace {

using nlohmann::json;

struct ShowArgs {
  std::string house, season, as_of;
};

// BIL-5 marks: arrears in any season, open blacklist kinds, the household
// valve's latest position (SCADA link), the heating status.
Result<json> Marks(db::Conn& db, const billing::HouseRow& h) {
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT * FROM bill.house_marks($1)", {std::to_string(h.id)}));
  json m;
  m["arrears_fen"] = r.get_int(0, "arrears_fen");
  m["blacklist"] = r.opt(0, "blacklist") ? json(r.get(0, "blacklist")) : json(nullptr);
  m["valve_pct"] = r.opt(0, "valve") ? json(std::stod(r.get(0, "valve"))) : json(nullptr);
  m["heating_status"] = h.heating_status;
  return m;
}

json EntryJson(const billing::StoredEntry& s) {
  json e{{"seq", s.entry.id}, {"kind", s.kind_name}, {"amount_fen", s.entry.amount},
         {"date", FormatDate(s.entry.date)}, {"by", s.by}, {"at", s.at}, {"note", s.entry.note}};
  if (s.entry.reverses) e["reverses"] = s.entry.reverses;
  if (!s.channel.empty()) e["channel"] = s.channel;
  if (!s.method.empty()) e["method"] = s.method;
  if (!s.receipt_no.empty()) e["receipt_no"] = s.receipt_no;
  if (!s.receipt_status.empty()) e["receipt_status"] = s.receipt_status;
  if (s.request_id) e["request_id"] = *s.request_id;
  return e;
}

Result<json> AccountJson(db::Conn& db, const billing::AccountRow& row, const Date& as_of) {
  HEAT_ASSIGN(billing::Params base, billing::LoadParams(db));
  HEAT_ASSIGN(billing::Params params, billing::ParamsForAccount(db, row, base));
  HEAT_ASSIGN(billing::Standing st, billing::StandingOf(db, row, params, as_of));
  json a{{"season", row.season.name}, {"as_of", FormatDate(as_of)}, {"receivable_fen", st.receivable()},
         {"paid_fen", st.paid}, {"balance_fen", st.owed()}, {"pending_late_fee_fen", st.pending_late_fee},
         {"full_fee_fen", st.fee.full_fee}, {"heating_fee_fen", st.fee.heating_fee},
         {"season_closed", row.season.closed}, {"explanation", st.fee.explanation}};
  a["entries"] = json::array();
  for (const auto& e : row.entries) a["entries"].push_back(EntryJson(e));
  return a;
}

Result<json> HouseJson(db::Conn& db, const billing::HouseRow& h) {
  json j{{"house", h.code}, {"address", h.Address()}, {"community", h.community},
         {"house_type", h.house_type}, {"charged_area_m2", FormatArea(h.area_centi_m2)}};
  j["customer"] = h.customer ? json(*h.customer) : json(nullptr);
  j["phone"] = h.phone ? json(*h.phone) : json(nullptr);
  j["card_no"] = h.card_no ? json(*h.card_no) : json(nullptr);
  HEAT_ASSIGN(j["marks"], Marks(db, h));
  return j;
}

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
    cli::Table t{{"seq", "date", "kind", "amount", "receipt", "by", "note"}, {}};
    for (const auto& e : a["entries"])
      t.Add({IntCell(e["seq"]), TextCell(e["date"]), TextCell(e["kind"]), MoneyCell(ctx, e["amount_fen"]),
             TextCell(e.value("receipt_no", "") + (e.value("receipt_status", "") == "voided" ? " (voided)" : "")),
             TextCell(e["by"]), TextCell(e["note"])});
    cli::Print(t, ctx.format, ctx.out());
  }
}

Status Show(cli::Context& ctx, const ShowArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::HouseRow h, billing::FindHouse(*db, a.house));
  HEAT_ASSIGN(Date as_of, a.as_of.empty() ? billing::Today(*db) : ParseDate(a.as_of));
  std::vector<billing::SeasonRow> seasons;
  if (!a.season.empty()) {
    HEAT_ASSIGN(billing::SeasonRow s, billing::FindSeason(*db, a.season));
    seasons.push_back(s);
  } else {
    HEAT_ASSIGN(seasons, billing::ListSeasons(*db));
  }
  HEAT_ASSIGN(json j, HouseJson(*db, h));
  j["accounts"] = json::array();
  // The season asked for, or else the current one, has its account opened
  // when missing (the assessed fee is then shown); other seasons are shown
  // only when they have one.
  int open_id = 0;
  if (a.season.empty()) {
    auto cur = billing::DefaultSeason(*db, as_of);
    if (cur.ok()) open_id = cur->id;
  }
  for (const auto& s : seasons) {
    bool open = !s.closed && (!a.season.empty() || s.id == open_id);
    auto row = open ? billing::OpenAccount(*db, h, s) : billing::LoadAccount(*db, h, s);
    if (!row.ok() && row.status().code() == Code::kPermission) row = billing::LoadAccount(*db, h, s);
    if (!row.ok() && row.status().code() == Code::kNotFound && a.season.empty()) continue;
    if (!row.ok()) return row.status();
    HEAT_ASSIGN(json acct, AccountJson(*db, *row, as_of));
    j["accounts"].push_back(std::move(acct));
  }
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
