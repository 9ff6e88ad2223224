// billing/house_view.cc — a house as billctl show and the counter
// terminal present it (house_view.h).
#include "heat/billing/house_view.h"

#include "heat/billing/ops.h"

namespace heat::billing {
namespace {

using nlohmann::json;

// BIL-5 marks: arrears in any season, open blacklist kinds, the household
// valve's latest position (SCADA link), the heating status.
Result<json> Marks(db::Conn& db, const HouseRow& h) {
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT * FROM bill.house_marks($1)", {std::to_string(h.id)}));
  json m;
  m["arrears_fen"] = r.get_int(0, "arrears_fen");
  m["blacklist"] = r.opt(0, "blacklist") ? json(r.get(0, "blacklist")) : json(nullptr);
  m["valve_pct"] = r.opt(0, "valve") ? json(std::stod(r.get(0, "valve"))) : json(nullptr);
  m["heating_status"] = h.heating_status;
  return m;
}

// BIL-4: the house's main house, its subsidiary houses (paid before it)
// and the customer's other houses, as codes.
Result<json> Related(db::Conn& db, const HouseRow& h) {
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT (SELECT m.code FROM bill.house_relation r JOIN bill.house m ON m.id = r.main_id"
      "         WHERE r.sub_id = h.id) AS main_house,"
      " (SELECT coalesce(json_agg(s.code ORDER BY s.code), '[]') FROM bill.house_relation r"
      "   JOIN bill.house s ON s.id = r.sub_id WHERE r.main_id = h.id) AS subsidiary_houses,"
      " (SELECT coalesce(json_agg(o.code ORDER BY o.code), '[]') FROM bill.house o"
      "   WHERE o.customer_id = h.customer_id AND o.id <> h.id AND o.deleted_at IS NULL) AS household_houses,"
      " (SELECT d.label FROM bill.dict d WHERE d.kind = 'house_type' AND d.code = h.house_type) AS house_type_label"
      " FROM bill.house h WHERE h.id = $1", {std::to_string(h.id)}));
  json j;
  j["main_house"] = r.opt(0, "main_house") ? json(r.get(0, "main_house")) : json(nullptr);
  j["subsidiary_houses"] = json::parse(r.get(0, "subsidiary_houses"));
  j["household_houses"] = json::parse(r.get(0, "household_houses"));
  j["house_type_label"] = r.get(0, "house_type_label");  // the dictionary's word (住宅) for the code
  return j;
}

json EntryJson(const StoredEntry& s) {
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

Result<json> AccountJson(db::Conn& db, const AccountRow& row, const Date& as_of) {
  HEAT_ASSIGN(Params base, LoadParams(db));
  HEAT_ASSIGN(Params params, ParamsForAccount(db, row, base));
  HEAT_ASSIGN(Standing st, StandingOf(db, row, params, as_of));
  json a{{"season", row.season.name}, {"as_of", FormatDate(as_of)}, {"receivable_fen", st.receivable()},
         {"paid_fen", st.paid}, {"balance_fen", st.owed()}, {"pending_late_fee_fen", st.pending_late_fee},
         {"full_fee_fen", st.fee.full_fee}, {"heating_fee_fen", st.fee.heating_fee},
         {"season_closed", row.season.closed}, {"explanation", st.fee.explanation}};
  a["entries"] = json::array();
  for (const auto& e : row.entries) a["entries"].push_back(EntryJson(e));
  return a;
}

Result<json> HouseJson(db::Conn& db, const HouseRow& h) {
  json j{{"house", h.code}, {"address", h.Address()}, {"community", h.community},
         {"house_type", h.house_type}, {"charged_area_m2", FormatArea(h.area_centi_m2)}};
  j["customer"] = h.customer ? json(*h.customer) : json(nullptr);
  j["phone"] = h.phone ? json(*h.phone) : json(nullptr);
  j["card_no"] = h.card_no ? json(*h.card_no) : json(nullptr);
  HEAT_ASSIGN(j["marks"], Marks(db, h));
  HEAT_ASSIGN(json related, Related(db, h));
  j["house_type_label"] = related["house_type_label"];  // read with the relations: one query
  related.erase("house_type_label");
  j["related"] = std::move(related);
  return j;
}

}  // namespace

Result<json> HouseView(db::Conn& db, const std::string& house, const std::string& season,
                       const std::string& as_of_text) {
  HEAT_ASSIGN(HouseRow h, FindHouse(db, house));
  HEAT_ASSIGN(Date as_of, as_of_text.empty() ? Today(db) : ParseDate(as_of_text));
  std::vector<SeasonRow> seasons;
  if (!season.empty()) {
    HEAT_ASSIGN(SeasonRow s, FindSeason(db, season));
    seasons.push_back(s);
  } else {
    HEAT_ASSIGN(seasons, ListSeasons(db));
  }
  json accounts = json::array();
  // The season asked for, or else the current one, has its account opened
  // when missing (the assessed fee is then shown); other seasons are shown
  // only when they have one.
  int open_id = 0;
  if (season.empty()) {
    auto cur = DefaultSeason(db, as_of);
    if (cur.ok()) open_id = cur->id;
  }
  for (const auto& s : seasons) {
    bool open = !s.closed && (!season.empty() || s.id == open_id);
    auto row = open ? OpenAccount(db, h, s) : LoadAccount(db, h, s);
    if (!row.ok() && row.status().code() == Code::kPermission) row = LoadAccount(db, h, s);
    if (!row.ok() && row.status().code() == Code::kNotFound && season.empty()) continue;
    if (!row.ok()) return row.status();
    HEAT_ASSIGN(json acct, AccountJson(db, *row, as_of));
    accounts.push_back(std::move(acct));
  }
  // After the accounts: one opened just now counts in the marks' arrears.
  HEAT_ASSIGN(json j, HouseJson(db, h));
  j["accounts"] = std::move(accounts);
  return j;
}

}  // namespace heat::billing
