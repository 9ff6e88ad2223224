#include "heat/billing/day_close.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace heat::billing {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? "" : it->is_string() ? it->get<std::string>() : it->dump();
}

std::vector<DayListed> Listed(const json& arr, const char* who_key, const char* day_key) {
  std::vector<DayListed> out;
  for (const auto& x : arr)
    out.push_back({Str(x, "receipt_no"), Str(x, "house"), Str(x, "reason"), who_key ? Str(x, who_key) : "",
                   day_key ? Str(x, day_key) : "", x.at("amount_fen").get<Fen>()});
  return out;
}

// The columns every step and SheetOf select of a bill.day_sheet row.
constexpr const char* kSheetCols =
    "state, totals::text AS totals, cash_counted_fen, cash_diff_fen,"
    " to_char(submitted_at, 'YYYY-MM-DD HH24:MI:SS') AS submitted_at, closed_by,"
    " to_char(closed_at, 'YYYY-MM-DD HH24:MI:SS') AS closed_at";

Result<DaySheet> FromRow(const db::Rows& r, int i) {
  HEAT_ASSIGN(DaySheet s, ParseDaySheet(r.get(i, "totals")));
  s.state = r.get(i, "state");
  if (auto c = r.opt(i, "cash_counted_fen")) s.cash_counted = std::stoll(*c);
  if (auto d = r.opt(i, "cash_diff_fen")) s.cash_diff = std::stoll(*d);
  s.submitted_at = r.get(i, "submitted_at");
  s.closed_by = r.get(i, "closed_by");
  s.closed_at = r.get(i, "closed_at");
  return s;
}

std::optional<std::string> DayParam(std::optional<Date> day) {
  if (!day) return std::nullopt;
  return FormatDate(*day);
}

int StateRank(const std::string& s) { return s == "closed" ? 2 : s == "submitted" ? 1 : 0; }

bool Kept(const DayCashier& d, const std::string& cashier, const std::string& hall) {
  if (!cashier.empty() && d.sheet.cashier != cashier) return false;
  if (hall.empty()) return true;
  auto halls = d.sheet.Halls();
  return std::find(halls.begin(), halls.end(), hall) != halls.end();
}

}  // namespace

std::vector<std::string> DaySheet::Halls() const {
  std::set<std::string> h;
  for (const auto& l : lines) h.insert(l.hall);
  return {h.begin(), h.end()};
}

Result<DaySheet> ParseDaySheet(const std::string& totals_json) {
  try {
    json j = json::parse(totals_json);
    DaySheet s;
    s.cashier = Str(j, "cashier");
    s.day = Str(j, "day");
    s.payments = j.at("payments").get<int64_t>();
    s.refunds = j.at("refunds").get<int64_t>();
    s.reversals = j.at("reversals").get<int64_t>();
    s.receipts = j.at("receipts").get<int64_t>();
    s.receipt_first = Str(j, "receipt_first");
    s.receipt_last = Str(j, "receipt_last");
    s.takings = j.at("takings_fen").get<Fen>();
    s.cash = j.at("cash_fen").get<Fen>();
    for (const auto& l : j.at("lines"))
      s.lines.push_back({Str(l, "hall"), Str(l, "channel"), Str(l, "method"), Str(l, "kind"),
                         l.at("count").get<int64_t>(), l.at("takings_fen").get<Fen>()});
    s.voided = Listed(j.at("voided"), "voided_by", nullptr);
    s.refund_list = Listed(j.at("refund_list"), nullptr, nullptr);
    s.reversal_list = Listed(j.at("reversal_list"), nullptr, "receipt_day");
    s.totals_json = totals_json;
    return s;
  } catch (const json::exception& e) {
    return Status::Failure(std::string("a day sheet that is not what bill.day_totals writes: ") + e.what());
  }
}

Result<DaySheet> SubmitDay(db::Conn& db, std::optional<Date> day, std::optional<Fen> cash_counted) {
  std::optional<std::string> counted;
  if (cash_counted) counted = std::to_string(*cash_counted);
  HEAT_ASSIGN(db::Rows r, db.Query(std::string("SELECT ") + kSheetCols + " FROM bill.day_submit($1::date, $2::bigint)",
                                   {DayParam(day), counted}));
  return FromRow(r, 0);
}

Result<DaySheet> CloseDay(db::Conn& db, const std::string& cashier, std::optional<Date> day) {
  HEAT_ASSIGN(db::Rows r, db.Query(std::string("SELECT ") + kSheetCols + " FROM bill.day_close($1, $2::date)",
                                   {cashier, DayParam(day)}));
  return FromRow(r, 0);
}

Result<DaySheet> ReopenDay(db::Conn& db, const std::string& cashier, const Date& day, const std::string& reason) {
  HEAT_ASSIGN(db::Rows r, db.Query(std::string("SELECT ") + kSheetCols + " FROM bill.day_reopen($1, $2::date, $3)",
                                   {cashier, FormatDate(day), reason}));
  return FromRow(r, 0);
}

Result<DaySheet> SheetOf(db::Conn& db, const std::string& cashier, std::optional<Date> day) {
  HEAT_ASSIGN(std::vector<DayCashier> all, DayOverview(db, day));
  for (const auto& d : all)
    if (d.sheet.cashier == cashier) return d.sheet;
  HEAT_ASSIGN(db::Rows t, db.Query("SELECT coalesce($1::date, bill.today())::text", {DayParam(day)}));
  return Status::NotFound("no day " + t.get(0, 0) + " of " + cashier + " that you may see (no takings, no sheet)");
}

Result<std::vector<DayCashier>> DayOverview(db::Conn& db, std::optional<Date> day) {
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT cashier, state, coalesce(totals, live)::text AS totals, (live->>'takings_fen')::bigint AS live_fen,"
      " ledger_fen, cash_counted_fen, cash_diff_fen, to_char(submitted_at, 'YYYY-MM-DD HH24:MI:SS') AS submitted_at,"
      " closed_by, to_char(closed_at, 'YYYY-MM-DD HH24:MI:SS') AS closed_at"
      " FROM bill.day_overview(coalesce($1::date, bill.today()))",
      {DayParam(day)}));
  std::vector<DayCashier> out;
  for (int i = 0; i < r.size(); ++i) {
    HEAT_ASSIGN(DaySheet s, FromRow(r, i));
    out.push_back({std::move(s), r.get_int(i, "live_fen"), r.get_int(i, "ledger_fen")});
  }
  return out;
}

Result<DayBy> ParseDayBy(const std::string& s) {
  if (s == "cashier") return DayBy::kCashier;
  if (s == "hall") return DayBy::kHall;
  if (s == "channel") return DayBy::kChannel;
  if (s == "method") return DayBy::kMethod;
  return Status::Usage("--by '" + s + "' is not one of cashier|hall|channel|method");
}

std::vector<DayGroup> GroupDay(const std::vector<DayCashier>& days, DayBy by, const std::string& cashier,
                               const std::string& hall) {
  std::map<std::string, DayGroup> groups;
  std::map<std::string, std::set<std::string>> who;
  for (const auto& d : days) {
    if (!Kept(d, cashier, hall)) continue;
    if (by == DayBy::kCashier) groups[d.sheet.cashier];  // a day without takings still shows
    for (const auto& l : d.sheet.lines) {
      if (!hall.empty() && l.hall != hall) continue;
      const std::string& key = by == DayBy::kCashier ? d.sheet.cashier
                               : by == DayBy::kHall  ? l.hall
                               : by == DayBy::kChannel ? l.channel : l.method;
      DayGroup& g = groups[key];
      (l.kind == "payment" ? g.payments : l.kind == "refund" ? g.refunds : g.reversals) += l.count;
      g.takings += l.takings;
      who[key].insert(d.sheet.cashier);
    }
    if (by == DayBy::kCashier) who[d.sheet.cashier].insert(d.sheet.cashier);
  }
  std::map<std::string, std::string> state_of;
  for (const auto& d : days) state_of[d.sheet.cashier] = d.sheet.state;
  std::vector<DayGroup> out;
  for (auto& [key, g] : groups) {
    g.key = key;
    g.cashiers = static_cast<int64_t>(who[key].size());
    int rank = 2;
    for (const auto& c : who[key]) rank = std::min(rank, StateRank(state_of[c]));
    g.state = rank == 2 ? "closed" : rank == 1 ? "submitted" : "open";
    out.push_back(g);
  }
  return out;
}

DayReconciliation Reconcile(const std::vector<DayCashier>& days, const std::string& cashier, const std::string& hall) {
  DayReconciliation rec;
  for (const auto& d : days) {
    if (!Kept(d, cashier, hall)) continue;
    rec.sheets += d.sheet.takings;
    rec.ledger += d.ledger;
    (d.sheet.state == "closed" ? rec.closed : d.sheet.state == "submitted" ? rec.submitted : rec.open)++;
    if (d.sheet.takings != d.ledger)
      rec.differences.push_back(d.sheet.cashier + ": " + d.sheet.state + " sheet " + FormatYuan(d.sheet.takings) +
                                " yuan, ledger " + FormatYuan(d.ledger) + " yuan" +
                                (d.sheet.state == "submitted" ? " (entered after the submission: submit again)" : ""));
  }
  return rec;
}

}  // namespace heat::billing
