#include "heat/billing/house_import.h"

#include <array>
#include <map>
#include <set>

#include "heat/billing/pinyin.h"
#include "heat/core/match.h"
#include "heat/core/money.h"
#include "heat/core/escape.h"
#include "heat/core/text.h"

namespace heat::billing {
namespace {

enum Col { kCode, kCommunity, kBuilding, kUnit, kRoom, kArea, kType, kCustomer, kPhone, kCard, kCols };

struct ColSpec {
  const char* name;
  std::vector<const char*> aliases;
  bool required;
};

const std::array<ColSpec, kCols>& Columns() {
  static const std::array<ColSpec, kCols> cols = {{
      {"house_code", {"房屋编号", "户号", "房屋编码", "code"}, true},
      {"community", {"小区", "小区名称"}, true},
      {"building", {"楼号", "楼栋", "楼"}, true},
      {"unit", {"单元"}, true},
      {"room", {"房号", "室", "门牌号"}, true},
      {"area_m2", {"面积", "收费面积", "area"}, true},
      {"house_type", {"房屋类型", "类型", "性质"}, true},
      {"customer_name", {"户主", "姓名", "客户名称", "customer"}, false},
      {"phone", {"电话", "手机", "联系电话"}, false},
      {"card_no", {"卡号", "card"}, false},
  }};
  return cols;
}

std::string Norm(std::string s) {
  s = ToLower(Trim(s));
  std::string out;
  for (char c : s) out += (c == ' ' || c == '-') ? '_' : c;
  return out;
}

// Column index per field (-1: absent); kUsage for unknown or missing ones.
Result<std::array<int, kCols>> MapHeader(const std::vector<std::string>& header) {
  std::array<int, kCols> at;
  at.fill(-1);
  std::vector<std::string> known;
  for (const auto& c : Columns()) known.push_back(c.name);
  for (size_t i = 0; i < header.size(); ++i) {
    std::string h = Norm(header[i]);
    if (h == "reason" || h == "原因") continue;
    int found = -1;
    for (int c = 0; c < kCols && found < 0; ++c) {
      if (h == Columns()[c].name) found = c;
      for (const char* a : Columns()[c].aliases)
        if (h == Norm(a)) found = c;
    }
    if (found < 0) {
      auto hint = Suggest(h, known);
      return Status::Usage("unknown column '" + header[i] + "'" +
                           (hint.empty() ? "" : "; did you mean " + hint[0] + "?"));
    }
    if (at[found] >= 0) return Status::Usage("column " + std::string(Columns()[found].name) + " appears twice");
    at[found] = static_cast<int>(i);
  }
  for (int c = 0; c < kCols; ++c)
    if (Columns()[c].required && at[c] < 0)
      return Status::Usage("missing column " + std::string(Columns()[c].name) + " (or " + Columns()[c].aliases[0] + ")");
  return at;
}

struct Row {
  int index = 0;  // into sheet.rows
  std::array<std::string, kCols> v;
  std::string area;  // canonical "100.00"
};

// Why an area cell is refused, in words a clerk can act on (BIL-6).
std::string AreaProblem(const std::string& a) {
  std::string bad = "area_m2 '" + a + "'";
  if (a.find_first_of(",，") != std::string::npos && a.find_first_not_of("0123456789.,，") == std::string::npos)
    return bad + ": no thousands separators, write it without the comma (1,234.5 is 1234.5)";
  auto dot = a.find('.');
  if (dot != std::string::npos && a.find_first_not_of("0123456789.") == std::string::npos &&
      a.size() - dot - 1 > 2)
    return bad + ": more than 2 decimals; the charged area is in m2 to 0.01 (87.355 is 87.35 or 87.36?)";
  return bad + " is not an area above 0 (e.g. 87.53)";
}

// The text with every byte that is not part of valid UTF-8 replaced by
// U+FFFD, so a rejected row can be written to the rejects file (UTF-8).
std::string MakeValidUtf8(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const size_t at = i;
    bool bad = NextCodePoint(s, &i) == 0xFFFD && i - at == 1;
    out.append(bad ? std::string_view("\xEF\xBF\xBD") : s.substr(at, i - at));
  }
  return out;
}

// A row with a cell that is not UTF-8 (a GBK cell in a UTF-8 file) is
// rejected on its own, naming the column, instead of refusing the file.
std::string Utf8Problem(const std::vector<std::string>& cells, const std::vector<std::string>& header) {
  for (size_t c = 0; c < cells.size(); ++c)
    if (!IsValidUtf8(cells[c]))
      return "column " + std::to_string(c + 1) + (c < header.size() ? " (" + header[c] + ")" : "") +
             " is not valid UTF-8 (typed in another encoding, e.g. GBK); retype it";
  return "";
}

struct Checker {
  std::map<std::string, std::string> types;  // code or label -> code
  std::set<std::string> codes, addresses, cards;

  std::string Check(Row& r) {
    static const std::regex code("^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"), phone("^[0-9+ -]{3,20}$"),
        card("^[0-9A-Za-z]{4,32}$");
    auto& v = r.v;
    for (int c = 0; c < kCols; ++c)
      if (FirstControl(v[c]) != std::string::npos)
        return std::string(Columns()[c].name) + " holds a control character";
    if (!BoundedMatch(v[kCode], code)) return "house_code '" + v[kCode] + "': letters, digits, _ and - (at most 32)";
    for (int c : {kCommunity, kBuilding, kRoom})
      if (v[c].empty()) return std::string(Columns()[c].name) + " is empty";
    auto area = ParseArea(v[kArea]);
    if (!area.ok() || *area <= 0) return AreaProblem(v[kArea]);
    r.area = FormatArea(*area);
    auto t = types.find(v[kType]);
    if (t == types.end()) return "house_type '" + v[kType] + "' is not in the dictionary";
    v[kType] = t->second;
    if (!v[kPhone].empty() && !BoundedMatch(v[kPhone], phone)) return "phone '" + v[kPhone] + "' is malformed";
    if (!v[kCard].empty() && !BoundedMatch(v[kCard], card)) return "card_no '" + v[kCard] + "' is malformed";
    if (!codes.insert(v[kCode]).second) return "house_code " + v[kCode] + " appears twice in the file";
    if (!addresses.insert(v[kCommunity] + "\x1f" + v[kBuilding] + "\x1f" + v[kUnit] + "\x1f" + v[kRoom]).second)
      return "the address appears twice in the file";
    if (!v[kCard].empty() && !cards.insert(v[kCard]).second) return "card_no " + v[kCard] + " appears twice in the file";
    return "";
  }
};

Result<Checker> NewChecker(db::Conn& db) {
  Checker c;
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT code, label FROM bill.dict WHERE kind = 'house_type' AND active"));
  for (int i = 0; i < r.size(); ++i) {
    c.types[r.get(i, 0)] = r.get(i, 0);
    c.types[r.get(i, 1)] = r.get(i, 0);
  }
  return c;
}

// Staging: every valid row, with the pinyin keys computed here (the
// database cannot), copied in one COPY.
Status Stage(db::Conn& db, const std::vector<Row>& rows) {
  HEAT_TRY(db.Exec(
      "CREATE TEMP TABLE imp (line int, code text, community text, building text, unit text, room text,"
      " area numeric(10,2), house_type text, customer text, phone text, card text, community_keys text,"
      " customer_keys text, customer_id int) ON COMMIT DROP"));
  std::map<std::string, std::string> community_keys;
  std::vector<std::vector<db::Param>> copy;
  copy.reserve(rows.size());
  for (const auto& r : rows) {
    const auto& v = r.v;
    auto [it, fresh] = community_keys.try_emplace(v[kCommunity]);
    if (fresh) it->second = SearchKeys(v[kCommunity]);
    auto opt = [](const std::string& s) { return s.empty() ? db::Param() : db::Param(s); };
    copy.push_back({std::to_string(r.index), v[kCode], v[kCommunity], v[kBuilding], v[kUnit], v[kRoom], r.area,
                    v[kType], opt(v[kCustomer]), opt(v[kPhone]), opt(v[kCard]), it->second,
                    v[kCustomer].empty() ? db::Param() : db::Param(SearchKeys(v[kCustomer]))});
  }
  return db.CopyIn("imp", {"line", "code", "community", "building", "unit", "room", "area", "house_type",
                           "customer", "phone", "card", "community_keys", "customer_keys"}, copy);
}

// Rows that clash with what the database holds: (sheet row index, reason).
Result<std::vector<std::pair<int, std::string>>> Clashes(db::Conn& db) {
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT i.line, CASE WHEN h.id IS NOT NULL THEN 'house_code ' || i.code || ' already exists'"
      " WHEN a.id IS NOT NULL THEN 'the address is already house ' || a.code"
      " ELSE 'card_no ' || i.card || ' is already in use' END AS reason FROM imp i"
      " LEFT JOIN bill.house h ON h.code = i.code"
      " LEFT JOIN LATERAL (SELECT hh.id, hh.code FROM bill.house hh JOIN bill.unit u ON u.id = hh.unit_id"
      "   JOIN bill.building b ON b.id = u.building_id JOIN bill.community c ON c.id = b.community_id"
      "   WHERE c.name = i.community AND b.name = i.building AND u.name = i.unit AND hh.room = i.room) a ON true"
      " LEFT JOIN bill.card cd ON cd.card_no = i.card"
      " WHERE h.id IS NOT NULL OR a.id IS NOT NULL OR cd.card_no IS NOT NULL ORDER BY i.line"));
  std::vector<std::pair<int, std::string>> out;
  for (int i = 0; i < r.size(); ++i) out.emplace_back(static_cast<int>(r.get_int(i, "line")), r.get(i, "reason"));
  if (!out.empty()) {
    std::string lines;
    for (const auto& [l, _] : out) lines += (lines.empty() ? "" : ",") + std::to_string(l);
    HEAT_TRY(db.Exec("DELETE FROM imp WHERE line = ANY(('{' || $1 || '}')::int[])", {lines}));
  }
  return out;
}

// Set-based inserts from the staging table, in dependency order.
Result<int> Insert(db::Conn& db) {
  for (const char* sql : {
           "INSERT INTO bill.community (name, pinyin_keys) SELECT DISTINCT community, community_keys FROM imp"
           " ON CONFLICT (name) DO NOTHING",
           "INSERT INTO bill.building (community_id, name) SELECT DISTINCT c.id, i.building FROM imp i"
           " JOIN bill.community c ON c.name = i.community ON CONFLICT DO NOTHING",
           "INSERT INTO bill.unit (building_id, name) SELECT DISTINCT b.id, i.unit FROM imp i"
           " JOIN bill.community c ON c.name = i.community JOIN bill.building b ON b.community_id = c.id"
           " AND b.name = i.building ON CONFLICT DO NOTHING",
           "UPDATE imp SET customer_id = nextval('bill.customer_id_seq') WHERE customer IS NOT NULL",
           "INSERT INTO bill.customer (id, name, pinyin_keys, phone) SELECT customer_id, customer, customer_keys,"
           " phone FROM imp WHERE customer_id IS NOT NULL",
       })
    HEAT_TRY(db.Exec(sql));
  HEAT_ASSIGN(db::Rows r, db.Query(
      "WITH ins AS (INSERT INTO bill.house (code, unit_id, room, charged_area, house_type, customer_id)"
      " SELECT i.code, u.id, i.room, i.area, i.house_type, i.customer_id FROM imp i"
      " JOIN bill.community c ON c.name = i.community JOIN bill.building b ON b.community_id = c.id"
      " AND b.name = i.building JOIN bill.unit u ON u.building_id = b.id AND u.name = i.unit RETURNING 1)"
      " SELECT count(*) FROM ins"));
  HEAT_TRY(db.Exec("INSERT INTO bill.card (card_no, house_id) SELECT i.card, h.id FROM imp i"
                   " JOIN bill.house h ON h.code = i.code WHERE i.card IS NOT NULL"));
  return static_cast<int>(r.get_int(0, 0));
}

}  // namespace

Result<ImportResult> ImportHouses(db::Conn& db, const Sheet& sheet, const Progress& progress) {
  HEAT_ASSIGN(auto at, MapHeader(sheet.header));
  HEAT_ASSIGN(Checker checker, NewChecker(db));
  ImportResult out;
  int old_reason = -1;  // a rejects file's own reason column is replaced
  for (size_t c = 0; c < sheet.header.size(); ++c)
    if (Norm(sheet.header[c]) == "reason") old_reason = static_cast<int>(c);
  for (size_t c = 0; c < sheet.header.size(); ++c)
    if (static_cast<int>(c) != old_reason) out.rejects.header.push_back(sheet.header[c]);
  out.rejects.header.push_back("reason");
  std::map<int, std::string> rejected;
  std::vector<Row> rows;
  for (size_t i = 0; i < sheet.rows.size(); ++i) {
    Row r;
    r.index = static_cast<int>(i);
    for (int c = 0; c < kCols; ++c)
      if (at[c] >= 0 && static_cast<size_t>(at[c]) < sheet.rows[i].size()) r.v[c] = Trim(sheet.rows[i][at[c]]);
    std::string why = Utf8Problem(sheet.rows[i], sheet.header);
    if (why.empty()) why = checker.Check(r);
    if (why.empty()) rows.push_back(std::move(r));
    else rejected[r.index] = why;
    if (progress && i % 5000 == 0) progress("checking", i, sheet.rows.size());
  }
  HEAT_ASSIGN(auto tx, db::Transaction::Start(db));
  if (progress) progress("writing", 0, rows.size());
  HEAT_TRY(Stage(db, rows));
  HEAT_ASSIGN(auto clashes, Clashes(db));
  for (auto& [line, why] : clashes) rejected[line] = why;
  HEAT_ASSIGN(out.imported, Insert(db));
  HEAT_TRY(tx->Commit());
  if (progress) progress("writing", rows.size(), rows.size());
  for (const auto& [i, why] : rejected) {
    std::vector<std::string> row;
    for (size_t c = 0; c < sheet.header.size(); ++c)
      if (static_cast<int>(c) != old_reason)
        row.push_back(c < sheet.rows[i].size() ? MakeValidUtf8(sheet.rows[i][c]) : "");
    int line = i < static_cast<int>(sheet.line.size()) ? sheet.line[i] : i + 2;
    row.push_back("line " + std::to_string(line) + ": " + why);  // the line of the file imported
    out.rejects.rows.push_back(std::move(row));
    out.rejects.line.push_back(line);
  }
  return out;
}

}  // namespace heat::billing
