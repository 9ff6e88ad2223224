// The bridge from stored facts to the fee engine (billing/store.h).
#include <algorithm>
#include <set>

#include "heat/billing/store.h"

namespace heat::billing {
namespace {

std::set<int64_t> ReversedSeqs(const AccountRow& row) {
  std::set<int64_t> out;
  for (const auto& s : row.entries)
    if (s.entry.kind == EntryKind::kReversal) out.insert(s.entry.reverses);
  return out;
}

Result<HeatingStatus> StatusNamed(const std::string& s) {
  if (s == "heating") return HeatingStatus::kHeating;
  if (s == "suspended") return HeatingStatus::kSuspended;
  if (s == "disconnected") return HeatingStatus::kDisconnected;
  return Status::Failure("unknown heating status '" + s + "'");
}

Result<EventKind> EventNamed(const std::string& s) {
  if (s == "suspend") return EventKind::kSuspend;
  if (s == "resume") return EventKind::kResume;
  if (s == "disconnect") return EventKind::kDisconnect;
  if (s == "reconnect") return EventKind::kReconnect;
  return Status::Failure("unknown status event '" + s + "'");
}

Status LoadPrices(db::Conn& db, const AccountRow& row, FeeInput& in) {
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared(
      "SELECT from_date::text, fen_per_m2 FROM bill.tariff WHERE season_id = $1 AND house_type = $2"
      " ORDER BY from_date", {std::to_string(row.season.id), row.house.house_type}));
  if (r.empty() || r.get(0, 0) != FormatDate(row.season.start))
    return Status::Conflict("season " + row.season.name + " has no price for house type " +
                            row.house.house_type + " (billctl tariff set)");
  in.fen_per_m2 = r.get_int(0, "fen_per_m2");
  for (int i = 1; i < r.size(); ++i) {
    HEAT_ASSIGN(Date from, ParseDate(r.get(i, 0)));
    in.price_changes.push_back({from, r.get_int(i, "fen_per_m2")});
  }
  return Status::Ok();
}

Status LoadEvents(db::Conn& db, const AccountRow& row, FeeInput& in) {
  HEAT_ASSIGN(in.initial_status, StatusNamed(row.initial_status));
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared(
      "SELECT event_date::text, kind FROM bill.status_event WHERE account_id = $1 ORDER BY event_date, id",
      {std::to_string(row.id)}));
  for (int i = 0; i < r.size(); ++i) {
    HEAT_ASSIGN(Date d, ParseDate(r.get(i, 0)));
    HEAT_ASSIGN(EventKind k, EventNamed(r.get(i, 1)));
    in.events.push_back({d, k});
  }
  return Status::Ok();
}

// Payments, refunds, approved reductions and carry-over moves that stand.
void LoadMoney(const AccountRow& row, FeeInput& in) {
  auto reversed = ReversedSeqs(row);
  for (const auto& s : row.entries) {
    const Entry& e = s.entry;
    if (reversed.count(e.id) || e.date > in.as_of) continue;
    if (IsCarryOver(s)) {  // "carried to": −balance out of this season; "carried from": +balance in
      if (e.note.starts_with("carried to ")) in.carried_out.push_back({e.date, -e.amount});
      else in.carried_in += e.amount;
    }
    if (e.kind == EntryKind::kPayment || e.kind == EntryKind::kRefund)
      in.payments.push_back({e.date, -e.amount});
    if (e.kind == EntryKind::kReduction)
      in.reductions.push_back({-e.amount, s.request_kind == "late_fee", e.note});
  }
}

}  // namespace

Fen NetOf(const AccountRow& row, std::initializer_list<EntryKind> kinds) {
  auto reversed = ReversedSeqs(row);
  Fen sum = 0;
  for (const auto& s : row.entries)
    if (!reversed.count(s.entry.id) && std::find(kinds.begin(), kinds.end(), s.entry.kind) != kinds.end())
      sum += s.entry.amount;
  return sum;
}

bool IsCarryOver(const StoredEntry& s) {
  const std::string& n = s.entry.note;
  return s.entry.kind == EntryKind::kAdjustment && !s.request_id &&
         (n.starts_with("carried to ") || n.starts_with("carried from "));
}

Fen CarriedNet(const AccountRow& row) {
  auto reversed = ReversedSeqs(row);
  Fen sum = 0;
  for (const auto& s : row.entries)
    if (!reversed.count(s.entry.id) && IsCarryOver(s)) sum += s.entry.amount;
  return sum;
}

Result<Params> ParamsForAccount(db::Conn& db, const AccountRow& row, Params params) {
  // The season's first tariff (its own base ratio, if any) and the first
  // mid-season change: a change carries its own choice (billctl
  // adjust-price --reaches-paid); the engine takes one flag, that of the
  // first change.
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared(
      "SELECT from_date = $3 AS first, base_ratio_ppm, reaches_paid FROM bill.tariff"
      " WHERE season_id = $1 AND house_type = $2 AND from_date >= $3 ORDER BY from_date LIMIT 2",
      {std::to_string(row.season.id), row.house.house_type, FormatDate(row.season.start)}));
  int change = 0;
  if (!r.empty() && r.get_bool(0, "first")) {
    if (auto ratio = r.opt(0, "base_ratio_ppm")) params.suspended_base_ratio = std::stoll(*ratio);
    change = 1;
  }
  if (change < r.size()) params.price_change_reaches_paid = r.get_bool(change, "reaches_paid");
  return params;
}

Result<FeeInput> BuildFeeInput(db::Conn& db, const AccountRow& row, const Date& as_of) {
  FeeInput in;
  in.season = row.season.AsSeason();
  in.area_centi_m2 = row.house.area_centi_m2;
  in.as_of = as_of;
  in.reductions_as_stored = true;  // the ledger holds them: explained, never refused (BIL-13)
  HEAT_TRY(LoadPrices(db, row, in));
  HEAT_TRY(LoadEvents(db, row, in));
  LoadMoney(row, in);
  return in;
}

}  // namespace heat::billing
