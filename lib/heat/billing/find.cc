// billing/find.cc — the one search box (find.h): the query's shape
// decides the branches, each branch is fixed SQL, the query only ever a
// parameter.
#include "heat/billing/find.h"

#include "heat/billing/pinyin.h"
#include "heat/core/text.h"

namespace heat::billing {
namespace {

// What the query looks like decides where to look (find runs only the
// branches that can match, so it plans and scans only those):
//   kDigits  only digits: a house code or card (exact), a phone (prefix,
//            4 digits or more);
//   kAscii   any other ASCII (H0001234, C-17, xfxq): a house code or card;
//            without digits also the pinyin keys of communities and of
//            customers (2 letters: only at the beginning of a spelling);
//   kText    anything else (Chinese): a customer's or a community's name;
//            with spaces, an address in parts ("幸福小区 1号楼 101").
enum class Shape { kDigits, kAscii, kText };

Shape ShapeOf(const std::string& q) {
  bool digits = true;
  for (unsigned char c : q) {
    if (c >= 0x80) return Shape::kText;
    if (c < '0' || c > '9') digits = false;
  }
  return digits ? Shape::kDigits : Shape::kAscii;
}

bool HasDigit(const std::string& q) {
  for (unsigned char c : q)
    if (c >= '0' && c <= '9') return true;
  return false;
}

// A name typed with % or _ means those characters, not LIKE's wildcards.
std::string LikeEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '%' || c == '_') out += '\\';
    out += c;
  }
  return out;
}

// At most this many houses from one branch: a community or a 4-digit phone
// prefix matches thousands, and a cashier reads the first screen only.
constexpr int kBranchCap = 1000;

// The SQL is these fixed pieces; the query only ever travels as a
// parameter: $1 the query (LIKE-escaped for kText), $2 the limit, $3 the
// branch cap, $4 the normalised pinyin (only with a pinyin branch) or,
// with the address branch, $1 the first part of the address and $4 the
// others.
//
// Each branch gives rows (house_id, rank, matched, n, unit_id, room,
// community, building, unit) for houses not in the recycle bin, n being
// how many rows the branch gave (n = $3: there may be more). Code and card
// by equality; the houses of customers by phone, name or pinyin keys come
// from bill.find_customer_houses (lib/sql/0027), which looks a phone or a
// short name up by prefix (text_pattern_ops) and longer names and pinyin
// keys by trigrams, and checks the caller's scope on the matches only (a
// LIKE on bill.customer itself read every customer under row-level
// security); those branches leave the address names NULL. Communities
// are few, so their names are scanned and their houses reached through
// building and unit, in address order, names included (so the houses of
// a community shown are its first ones).
#define HEAT_FIND_CAPPED(rank, matched) \
  "SELECT house_id, " rank " AS rank, '" matched "' AS matched, count(*) OVER () AS n, unit_id, room, "
#define HEAT_FIND_NO_NAMES "NULL::text AS community, NULL::text AS building, NULL::text AS unit FROM ("
#define HEAT_FIND_BY_CUSTOMER(kind, text)                                                          \
  "SELECT h.id AS house_id, h.unit_id, h.room FROM bill.find_customer_houses('" kind "', " text \
  ", $3::int) f(id) JOIN bill.house h ON h.id = f.id) x"
// The matching communities by name, each one's houses in address order
// (a lateral subquery per community: the LIMIT stops after the first
// communities instead of sorting the houses of all of them).
#define HEAT_FIND_COMMUNITIES_WHERE                                                            \
  "community, building, unit FROM (SELECT y.* FROM (SELECT id, name FROM bill.community c WHERE "
#define HEAT_FIND_THEIR_HOUSES_WHERE(extra)                                                                     \
  " ORDER BY name) c CROSS JOIN LATERAL (SELECT h.id AS house_id, h.unit_id, h.room, c.name AS community, "     \
  "b.name AS building, u.name AS unit FROM bill.building b JOIN bill.unit u ON u.building_id = b.id "          \
  "JOIN bill.house h ON h.unit_id = u.id WHERE b.community_id = c.id AND h.deleted_at IS NULL " extra          \
  " ORDER BY b.name COLLATE bill.natural, u.name COLLATE bill.natural, h.room COLLATE bill.natural) y LIMIT $3) x"
#define HEAT_FIND_THEIR_HOUSES HEAT_FIND_THEIR_HOUSES_WHERE("")

constexpr const char* kCodeBranch =
    "SELECT h.id AS house_id, 0 AS rank, 'house code' AS matched, 1::bigint AS n, h.unit_id, h.room, "
    "NULL::text AS community, NULL::text AS building, NULL::text AS unit "
    "FROM bill.house h WHERE h.code = $1 AND h.deleted_at IS NULL";
constexpr const char* kCardBranch =
    "SELECT h.id, 0, 'card', 1, h.unit_id, h.room, NULL, NULL, NULL FROM bill.card cd "
    "JOIN bill.house h ON h.id = cd.house_id WHERE cd.card_no = $1 AND cd.status = 'active' AND h.deleted_at IS NULL";
constexpr const char* kPhoneBranch =
    HEAT_FIND_CAPPED("1", "phone") HEAT_FIND_NO_NAMES HEAT_FIND_BY_CUSTOMER("phone", "$1");
constexpr const char* kNamePrefixBranch =
    HEAT_FIND_CAPPED("2", "customer") HEAT_FIND_NO_NAMES HEAT_FIND_BY_CUSTOMER("name start", "$1");
constexpr const char* kNameInsideBranch =
    HEAT_FIND_CAPPED("2", "customer") HEAT_FIND_NO_NAMES HEAT_FIND_BY_CUSTOMER("name", "$1");
constexpr const char* kCommunityBranch = HEAT_FIND_CAPPED("3", "community") HEAT_FIND_COMMUNITIES_WHERE
    "c.name LIKE '%' || $1 || '%'" HEAT_FIND_THEIR_HOUSES;
constexpr const char* kCommunityPinyinBranch = HEAT_FIND_CAPPED("3", "community") HEAT_FIND_COMMUNITIES_WHERE
    "c.pinyin_keys LIKE '%' || $4 || '%'" HEAT_FIND_THEIR_HOUSES;
constexpr const char* kCustomerPinyinBranch =
    HEAT_FIND_CAPPED("4", "customer pinyin") HEAT_FIND_NO_NAMES HEAT_FIND_BY_CUSTOMER("pinyin", "$4");
// Two letters have no trigram inside a word, so '%zw%' would read the whole
// index; at the beginning of a spelling (pinyin.h's prefix match) they do.
constexpr const char* kCustomerPinyinPrefixBranch =
    HEAT_FIND_CAPPED("4", "customer pinyin") HEAT_FIND_NO_NAMES HEAT_FIND_BY_CUSTOMER("pinyin start", "$4");
// An address as the house list prints it, "幸福小区 1号楼 2单元 101",
// typed in parts: $1 a part of the community's name, $4 the other parts
// separated by spaces, each the beginning of the building's, the unit's or
// the room's name (so "幸福 1号楼 101" finds room 101 of 幸福小区's 1号楼,
// not 11号楼 or room 1101... unless typed "1").
constexpr const char* kAddressBranch = HEAT_FIND_CAPPED("3", "address") HEAT_FIND_COMMUNITIES_WHERE
    "c.name LIKE '%' || $1 || '%'" HEAT_FIND_THEIR_HOUSES_WHERE(
        "AND NOT EXISTS (SELECT FROM unnest(string_to_array($4, ' ')) p "
        "WHERE ' ' || b.name || ' ' || u.name || ' ' || h.room NOT LIKE '% ' || p || '%')");
#undef HEAT_FIND_CAPPED
#undef HEAT_FIND_NO_NAMES
#undef HEAT_FIND_BY_CUSTOMER
#undef HEAT_FIND_COMMUNITIES_WHERE
#undef HEAT_FIND_THEIR_HOUSES
#undef HEAT_FIND_THEIR_HOUSES_WHERE

// best: the best-ranked hit per house. ranks: how many houses up to each
// rank, so only the ranks that reach the limit get their addresses looked
// up (a community's 1000 houses leave its customers' pinyin hits alone),
// and only hits without the names (OFFSET 0 keeps the lateral subquery
// apart, so its condition on b.community is checked before its lookups).
// top: the first $2 by rank and address; only these get their customer
// and card. total and more say how many houses there were.
constexpr const char* kFindHead = "WITH hits AS MATERIALIZED (\n  ";
constexpr const char* kFindTail = R"SQL(
), best AS (
  SELECT DISTINCT ON (house_id) * FROM hits ORDER BY house_id, rank
), ranks AS (
  SELECT rank, sum(count(*)) OVER (ORDER BY rank) AS upto FROM best GROUP BY rank
), top AS (
  SELECT b.house_id, b.rank, b.matched, coalesce(b.community, a.community) AS community,
         coalesce(b.building, a.building) AS building, coalesce(b.unit, a.unit) AS unit, b.room
  FROM best b LEFT JOIN LATERAL (
    SELECT c.name AS community, bu.name AS building, u.name AS unit FROM bill.unit u
    JOIN bill.building bu ON bu.id = u.building_id JOIN bill.community c ON c.id = bu.community_id
    WHERE u.id = b.unit_id AND b.community IS NULL OFFSET 0) a ON true
  WHERE b.rank <= (SELECT coalesce(min(rank), 9) FROM ranks WHERE upto >= $2::bigint)
  ORDER BY rank, community, coalesce(b.building, a.building) COLLATE bill.natural,
           coalesce(b.unit, a.unit) COLLATE bill.natural, b.room COLLATE bill.natural
  LIMIT $2
)
SELECT h.code AS house, t.community || ' ' || t.building || CASE WHEN t.unit = '' THEN '' ELSE ' ' || t.unit END
       || ' ' || t.room AS address, cu.name AS customer, cu.phone, cd.card_no, h.heating_status, t.matched,
       (SELECT max(upto) FROM ranks)::bigint AS total, (SELECT max(n) FROM hits) >= $3 AS more
FROM top t JOIN bill.house h ON h.id = t.house_id LEFT JOIN bill.customer cu ON cu.id = h.customer_id
LEFT JOIN bill.card cd ON cd.house_id = t.house_id AND cd.status = 'active'
ORDER BY t.rank, t.community, t.building COLLATE bill.natural, t.unit COLLATE bill.natural,
         t.room COLLATE bill.natural
)SQL";

// Planner settings for this query only (SET LOCAL, so nothing else on the
// connection sees them): parallel workers cost more to start (~15 ms) than
// these index lookups take; the tables are cached, so random reads are
// nearly as cheap as sequential ones; and JIT never pays off here.
constexpr const char* kFindSettings =
    "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL random_page_cost = 1.1; SET LOCAL jit = off";

// A full-width space (U+3000, what a Chinese input method types) is a
// space; runs of spaces are one.
std::string NormalizeSpaces(const std::string& q) {
  std::string out;
  for (size_t i = 0; i < q.size(); ++i) {
    bool space = q[i] == ' ' || q[i] == '\t';
    if (q.compare(i, 3, "\xE3\x80\x80") == 0) space = true, i += 2;
    if (!space) out += q[i];
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  return Trim(out);
}

// The SQL and its parameters for one query.
struct Plan {
  std::vector<const char*> branches;
  db::Params params;
};

Plan PlanFor(const std::string& q, int limit) {
  Plan p;
  const Shape shape = ShapeOf(q);
  p.params = {shape == Shape::kText ? LikeEscape(q) : q, std::to_string(limit), std::to_string(kBranchCap)};
  const size_t space = q.find(' ');
  if (shape == Shape::kText && space != std::string::npos) {
    // Chinese with spaces: an address in parts (a name has no spaces).
    p.branches = {kAddressBranch};
    p.params[0] = LikeEscape(q.substr(0, space));
    p.params.push_back(LikeEscape(q.substr(space + 1)));
  } else if (shape == Shape::kText) {
    p.branches = {CodePointCount(q) >= 3 ? kNameInsideBranch : kNamePrefixBranch, kCommunityBranch};
  } else {
    p.branches = {kCodeBranch, kCardBranch};
    if (shape == Shape::kDigits && q.size() >= 4) p.branches.push_back(kPhoneBranch);
    // Pinyin only for ASCII without digits with something left after
    // normalising (an empty pattern would match every key).
    const std::string pinyin = billing::NormalizeQuery(q);
    if (shape == Shape::kAscii && !HasDigit(q) && !pinyin.empty()) {
      p.branches.push_back(kCommunityPinyinBranch);
      if (pinyin.size() >= 3) p.branches.push_back(kCustomerPinyinBranch);
      else if (pinyin.size() == 2) p.branches.push_back(kCustomerPinyinPrefixBranch);
      p.params.push_back(pinyin);
    }
  }
  return p;
}

}  // namespace

Result<Found> FindHouses(db::Conn& db, const std::string& query, int limit) {
  Found f;
  f.query = NormalizeSpaces(query);
  if (f.query.empty()) return Status::Usage("an empty query finds nothing; type a code, card, phone, name or pinyin");
  const Plan plan = PlanFor(f.query, limit);
  std::string sql = kFindHead;
  for (size_t i = 0; i < plan.branches.size(); ++i)
    sql += (i ? "\n  UNION ALL " : "") + std::string(plan.branches[i]);
  sql += kFindTail;

  HEAT_ASSIGN(auto tx, db::Transaction::Start(db));
  HEAT_TRY(db.ExecScript(kFindSettings));
  HEAT_ASSIGN(f.rows, db.Query(sql, plan.params));
  HEAT_TRY(tx->Commit());
  if (!f.rows.empty()) {
    f.total = f.rows.get_int(0, "total");
    f.more = f.rows.get_bool(0, "more");
  }
  return f;
}

}  // namespace heat::billing
