#include "heat/backup/check.h"

#include <set>

namespace heat::backup {
namespace {

// Tables only (partitioned ones counted through their parent), in the
// schemas that hold the company's data.
constexpr const char* kTables = R"(
  SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname IN ('heat', 'bill') AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  ORDER BY 1, 2)";

Status CountRows(db::Conn& db, Figures& f) {
  HEAT_ASSIGN(db::Rows tables, db.Query(kTables));
  for (int i = 0; i < tables.size(); ++i) {
    std::string name = db.QuoteIdent(tables.get(i, 0)) + "." + db.QuoteIdent(tables.get(i, 1));
    HEAT_ASSIGN(db::Rows n, db.Query("SELECT count(*) FROM " + name));
    f.rows[tables.get(i, 0) + "." + tables.get(i, 1)] = n.get_int(0, 0);
  }
  return Status::Ok();
}

Status SumLedger(db::Conn& db, Figures& f) {
  HEAT_ASSIGN(db::Rows has, db.Query("SELECT to_regclass('bill.entry') IS NOT NULL"));
  if (has.get(0, 0) != "t") return Status::Ok();
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT account_id, kind, sum(amount_fen) FROM bill.entry GROUP BY 1, 2"));
  for (int i = 0; i < r.size(); ++i) f.ledger["account " + r.get(i, 0) + " " + r.get(i, 1)] = r.get_int(i, 2);
  return Status::Ok();
}

int64_t Total(const std::map<std::string, int64_t>& m) {
  int64_t t = 0;
  for (const auto& [k, v] : m) t += v;
  return t;
}

std::string Opt(const std::map<std::string, int64_t>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? "(none)" : std::to_string(it->second);
}

}  // namespace

Result<Figures> Measure(db::Conn& db, bool snapshot) {
  Figures f;
  if (snapshot) {
    HEAT_TRY(db.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    // The first statement takes the snapshot: the WAL position is read with it.
    auto lsn = db.Query("SELECT pg_current_wal_insert_lsn()::text");
    if (!lsn.ok()) return (void)db.Rollback(), lsn.status();
    f.lsn = lsn->get(0, 0);
  }
  Status s = CountRows(db, f);
  if (s.ok()) s = SumLedger(db, f);
  if (snapshot) (void)db.Rollback();
  if (!s.ok()) return s;
  return f;
}

Comparison Compare(const Figures& live, const Figures& restored) {
  Comparison c;
  std::set<std::string> tables;
  for (const auto& [k, v] : live.rows) tables.insert(k);
  for (const auto& [k, v] : restored.rows) tables.insert(k);
  for (const std::string& t : tables) {
    Line l{t, Opt(live.rows, t), Opt(restored.rows, t)};
    l.match = l.live == l.restored;
    c.differences += !l.match;
    c.lines.push_back(l);
  }
  std::set<std::string> groups;
  for (const auto& [k, v] : live.ledger) groups.insert(k);
  for (const auto& [k, v] : restored.ledger) groups.insert(k);
  std::vector<Line> differing;
  for (const std::string& g : groups)
    if (Opt(live.ledger, g) != Opt(restored.ledger, g))
      differing.push_back({"ledger " + g + " (fen)", Opt(live.ledger, g), Opt(restored.ledger, g), false});
  Line sums{"ledger sums per account and kind", std::to_string(live.ledger.size()) + " sums",
            std::to_string(restored.ledger.size()) + " sums", differing.empty()};
  Line total{"ledger total (fen)", std::to_string(Total(live.ledger)), std::to_string(Total(restored.ledger))};
  total.match = total.live == total.restored;
  c.differences += !sums.match + !total.match;
  c.lines.push_back(sums);
  c.lines.push_back(total);
  c.lines.insert(c.lines.end(), differing.begin(), differing.end());
  return c;
}

}  // namespace heat::backup
