#include "heat/billing/store.h"

#include <map>

namespace heat::billing {
namespace {

Result<Date> DateOf(const std::string& text) { return ParseDate(text.substr(0, 10)); }

Result<SeasonRow> SeasonFrom(const db::Rows& r, int i) {
  SeasonRow s;
  s.id = static_cast<int>(r.get_int(i, "id"));
  s.name = r.get(i, "name");
  HEAT_ASSIGN(s.start, DateOf(r.get(i, "start_date")));
  HEAT_ASSIGN(s.end, DateOf(r.get(i, "end_date")));
  s.closed = r.get_bool(i, "closed");
  return s;
}

constexpr const char* kSeasonCols =
    "SELECT id, name, start_date::text, end_date::text, closed_at IS NOT NULL AS closed FROM bill.season ";

const std::map<std::string, EntryKind>& KindsByName() {
  static const std::map<std::string, EntryKind> kinds = {
      {"assessed", EntryKind::kAssessed}, {"discount", EntryKind::kDiscount},
      {"reduction", EntryKind::kReduction}, {"late_fee", EntryKind::kLateFee},
      {"payment", EntryKind::kPayment}, {"refund", EntryKind::kRefund},
      {"adjustment", EntryKind::kAdjustment}, {"reversal", EntryKind::kReversal}};
  return kinds;
}

Result<std::vector<StoredEntry>> LoadEntries(db::Conn& db, int64_t account) {
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared(
      "SELECT e.seq, e.kind, e.amount_fen, e.entry_date::text AS d, coalesce(t.seq, 0) AS rev,"
      " e.note, e.by_login, to_char(e.at, 'YYYY-MM-DD HH24:MI:SS') AS at, coalesce(e.channel, '') AS channel,"
      " coalesce(e.method, '') AS method, coalesce(e.receipt_no, rc.receipt_no, '') AS receipt_no,"
      " coalesce(rc.status, '') AS receipt_status, e.request_id, coalesce(rq.kind, '') AS request_kind"
      " FROM bill.entry e LEFT JOIN bill.entry t ON t.id = e.reverses"
      " LEFT JOIN bill.request rq ON rq.id = e.request_id"
      " LEFT JOIN bill.receipt rc ON rc.entry_id = e.id"
      " WHERE e.account_id = $1 ORDER BY e.seq", {std::to_string(account)}));
  std::vector<StoredEntry> out;
  for (int i = 0; i < r.size(); ++i) {
    StoredEntry s;
    s.entry.id = r.get_int(i, "seq");
    s.kind_name = r.get(i, "kind");
    s.entry.kind = KindsByName().at(s.kind_name);
    s.entry.amount = r.get_int(i, "amount_fen");
    HEAT_ASSIGN(s.entry.date, DateOf(r.get(i, "d")));
    s.entry.reverses = r.get_int(i, "rev");
    s.entry.note = r.get(i, "note");
    s.by = r.get(i, "by_login");
    s.at = r.get(i, "at");
    s.channel = r.get(i, "channel");
    s.method = r.get(i, "method");
    s.receipt_no = r.get(i, "receipt_no");
    s.receipt_status = r.get(i, "receipt_status");
    if (auto q = r.opt(i, "request_id")) s.request_id = std::stoll(*q);
    s.request_kind = r.get(i, "request_kind");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::string HouseRow::Address() const {
  std::string a = community + " " + building;
  if (!unit.empty()) a += " " + unit;
  return a + " " + room;
}

Result<Params> LoadParams(db::Conn& db) {
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared("SELECT name, value FROM bill.param"));
  std::map<std::string, std::string> values;
  for (int i = 0; i < r.size(); ++i) values[r.get(i, 0)] = r.get(i, 1);
  auto p = ParseParams(values);
  if (!p.ok()) return p.status().With("stored billing parameters (billctl param list)");
  return p;
}

Result<SeasonRow> FindSeason(db::Conn& db, const std::string& name) {
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared(std::string(kSeasonCols) + "WHERE name = $1", {name}));
  if (r.empty()) return Status::NotFound("no season '" + name + "' (billctl season list)");
  return SeasonFrom(r, 0);
}

Result<SeasonRow> DefaultSeason(db::Conn& db, const Date& day) {
  HEAT_ASSIGN(db::Rows r, db.Query(std::string(kSeasonCols) +
      "ORDER BY ($1::date >= start_date AND $1::date < end_date) DESC,"
      " (closed_at IS NULL) DESC, start_date DESC LIMIT 1", {FormatDate(day)}));
  if (r.empty()) return Status::NotFound("no season yet (billctl season add)");
  return SeasonFrom(r, 0);
}

Result<std::vector<SeasonRow>> ListSeasons(db::Conn& db) {
  HEAT_ASSIGN(db::Rows r, db.Query(std::string(kSeasonCols) + "ORDER BY start_date"));
  std::vector<SeasonRow> out;
  for (int i = 0; i < r.size(); ++i) {
    HEAT_ASSIGN(SeasonRow s, SeasonFrom(r, i));
    out.push_back(std::move(s));
  }
  return out;
}

Result<HouseRow> FindHouse(db::Conn& db, const std::string& key, bool include_deleted) {
  // By code, then by active card: two indexed lookups (one query with
  // "code = $1 OR id = (card)" scanned every house).
  static const std::string kSelect =
      "SELECT h.id, h.code, c.name AS community, b.name AS building, u.name AS unit, h.room,"
      " h.house_type, h.heating_status, (h.charged_area * 100)::bigint AS area,"
      " cu.name AS customer, cu.phone, cd.card_no, h.deleted_at IS NOT NULL AS deleted"
      " FROM bill.house h JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b ON b.id = u.building_id"
      " JOIN bill.community c ON c.id = b.community_id LEFT JOIN bill.customer cu ON cu.id = h.customer_id"
      " LEFT JOIN bill.card cd ON cd.house_id = h.id AND cd.status = 'active' WHERE ";
  // Prepared: planning this join took longer than running it (a charge).
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared(kSelect + "h.code = $1", {key}));
  if (r.empty()) {
    HEAT_ASSIGN(r, db.QueryPrepared(kSelect + "h.id = (SELECT house_id FROM bill.card WHERE card_no = $1 AND status = 'active')",
                            {key}));
  }
  if (r.empty()) return Status::NotFound("no house or card '" + key + "' (billctl find)");
  HouseRow h;
  h.id = static_cast<int>(r.get_int(0, "id"));
  for (auto [field, col] : {std::pair{&h.code, "code"}, {&h.community, "community"},
                            {&h.building, "building"}, {&h.unit, "unit"}, {&h.room, "room"},
                            {&h.house_type, "house_type"}, {&h.heating_status, "heating_status"}})
    *field = r.get(0, col);
  h.area_centi_m2 = r.get_int(0, "area");
  h.customer = r.opt(0, "customer");
  h.phone = r.opt(0, "phone");
  h.card_no = r.opt(0, "card_no");
  h.deleted = r.get_bool(0, "deleted");
  if (h.deleted && !include_deleted)
    return Status::NotFound("house " + h.code + " is in the recycle bin (billctl restore " + h.code + ")");
  return h;
}

Result<AccountRow> LoadAccount(db::Conn& db, const HouseRow& house, const SeasonRow& season) {
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared(
      "SELECT id, initial_status FROM bill.account WHERE house_id = $1 AND season_id = $2",
      {std::to_string(house.id), std::to_string(season.id)}));
  if (r.empty())
    return Status::NotFound("house " + house.code + " has no account in season " + season.name);
  AccountRow a{r.get_int(0, "id"), house, season, {}, {}};
  a.initial_status = r.get(0, "initial_status");
  HEAT_ASSIGN(a.entries, LoadEntries(db, a.id));
  return a;
}

Result<AccountRow> OpenAccount(db::Conn& db, const HouseRow& house, const SeasonRow& season) {
  auto existing = LoadAccount(db, house, season);
  if (existing.ok() || existing.status().code() != Code::kNotFound) return existing;
  if (season.closed) return Status::Conflict("season " + season.name + " is closed");
  HEAT_TRY(db.Exec("SELECT bill.open_account($1, $2)",
                   {std::to_string(house.id), std::to_string(season.id)}));
  return LoadAccount(db, house, season);
}

Result<Account> Replay(const AccountRow& row, const Params& params) {
  std::vector<Entry> entries;
  for (const auto& s : row.entries) entries.push_back(s.entry);
  return Account::Replay(row.house.code, row.season.AsSeason().year, params.allow_prepayment, entries);
}

Result<Date> Today(db::Conn& db) {
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared("SELECT (now() AT TIME ZONE current_setting('TimeZone'))::date::text"));
  return ParseDate(r.get(0, 0));
}

}  // namespace heat::billing
