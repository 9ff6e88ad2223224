// billctl find QUERY (BIL-3): one box for everything a cashier types —
// a house code, a card number from the barcode scanner, a phone number,
// a customer's name, a community in Chinese, full pinyin or initials
// (polyphones match every common reading, billing/pinyin.h).
// Ranked: exact code or card first, then phone, name, community, pinyin.
#include "heat/billctl/commands.h"
#include "heat/billing/pinyin.h"
#include "heat/core/text.h"
#include "heat/ctl/commands.h"

namespace heat::billctl {
namespace {

struct FindArgs {
  std::string query;
  int limit = 50;
};

bool IsAscii(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// Each branch uses an index: code and card by equality, phone and name by
// prefix (text_pattern_ops), longer names and pinyin keys by trigrams;
// communities are few, so their names are scanned.
constexpr const char* kFindSql = R"SQL(
WITH hits AS (
  SELECT id AS house_id, 0 AS rank, 'house code' AS matched FROM bill.house WHERE code = $1
  UNION ALL SELECT house_id, 0, 'card' FROM bill.card WHERE card_no = $1 AND status = 'active'
  UNION ALL SELECT h.id, 1, 'phone' FROM bill.customer cu JOIN bill.house h ON h.customer_id = cu.id
    WHERE $1 ~ '^[0-9]{4,}$' AND cu.phone LIKE $1 || '%'
  UNION ALL SELECT h.id, 2, 'customer' FROM bill.customer cu JOIN bill.house h ON h.customer_id = cu.id
    WHERE (cu.name LIKE $1 || '%' OR (char_length($1) >= 3 AND cu.name LIKE '%' || $1 || '%'))
  UNION ALL SELECT h.id, 3, 'community' FROM bill.community c JOIN bill.building b ON b.community_id = c.id
    JOIN bill.unit u ON u.building_id = b.id JOIN bill.house h ON h.unit_id = u.id
    WHERE c.name LIKE '%' || $1 || '%' OR ($3 AND c.pinyin_keys LIKE '%' || $2 || '%')
  UNION ALL SELECT h.id, 4, 'customer pinyin' FROM bill.customer cu JOIN bill.house h ON h.customer_id = cu.id
    WHERE $3 AND char_length($2) >= 2 AND cu.pinyin_keys LIKE '%' || $2 || '%'
), best AS (
  SELECT DISTINCT ON (house_id) house_id, rank, matched FROM hits ORDER BY house_id, rank
)
SELECT h.code AS house, c.name || ' ' || b.name || CASE WHEN u.name = '' THEN '' ELSE ' ' || u.name END
       || ' ' || h.room AS address, cu.name AS customer, cu.phone, cd.card_no, h.heating_status,
       best.matched
FROM best JOIN bill.house h ON h.id = best.house_id JOIN bill.unit u ON u.id = h.unit_id
JOIN bill.building b ON b.id = u.building_id JOIN bill.community c ON c.id = b.community_id
LEFT JOIN bill.customer cu ON cu.id = h.customer_id
LEFT JOIN bill.card cd ON cd.house_id = h.id AND cd.status = 'active'
WHERE h.deleted_at IS NULL
ORDER BY best.rank, c.name, b.name, u.name, h.room LIMIT $4
)SQL";

Status Find(cli::Context& ctx, const FindArgs& a) {
  std::string q = Trim(a.query);
  if (q.empty()) return Status::Usage("an empty query finds nothing; type a code, card, phone, name or pinyin");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  // Pinyin only for an ASCII query with something left after normalising
  // (an empty pattern would match every key).
  std::string pinyin = billing::NormalizeQuery(q);
  bool use_pinyin = IsAscii(q) && !pinyin.empty();
  HEAT_ASSIGN(db::Rows r, db->Query(kFindSql, {q, pinyin, use_pinyin ? "true" : "false", std::to_string(a.limit)}));
  cli::Print(ctl::RowsTable(r), ctx.format, ctx.out());
  if (r.empty()) return Status::NotFound("nothing found for '" + q + "'");
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> FindCommands() {
  return {{"find", "find houses by code, card, phone, name, community, pinyin or initials", "BIL-3",
           [](CLI::App& app) -> cli::Runner {
             auto a = std::make_shared<FindArgs>();
             app.add_option("query", a->query, "what to look for (xfxq finds 幸福小区)")->required();
             app.add_option("--limit", a->limit, "at most this many houses")->check(CLI::Range(1, 10000));
             return [a](cli::Context& ctx) { return Find(ctx, *a); };
           }}};
}

}  // namespace heat::billctl
