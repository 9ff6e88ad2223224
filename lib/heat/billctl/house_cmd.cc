// billctl card|blacklist|rm|restore (BIL-2, BIL-7, BIL-8): cards scanned
// at the counter, the blacklist, and the recycle bin for houses.
#include "heat/billctl/commands.h"
#include "heat/ctl/commands.h"

namespace heat::billctl {
namespace {

std::string S(int64_t v) { return std::to_string(v); }

Status CardIssue(cli::Context& ctx, const std::string& house, const std::string& card, bool reissue) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto tx, db::Transaction::Start(*db));
  HEAT_ASSIGN(billing::HouseRow h, billing::FindHouse(*db, house));
  if (h.card_no && !reissue)
    return Status::Conflict("house " + h.code + " already has card " + *h.card_no + " (billctl card reissue)");
  if (!h.card_no && reissue) return Status::Conflict("house " + h.code + " has no card (billctl card issue)");
  if (reissue)
    HEAT_TRY(db->Exec("UPDATE bill.card SET status = 'replaced', ended_at = now() WHERE card_no = $1",
                      {*h.card_no}));
  HEAT_TRY(db->Exec("INSERT INTO bill.card (card_no, house_id) VALUES ($1, $2)", {card, S(h.id)})
               .With("card " + card));
  HEAT_TRY(tx->Commit());
  ctx.out() << "card " << card << " issued for house " << h.code
            << (reissue ? " (replaces " + *h.card_no + ")" : "") << "\n";
  return Status::Ok();
}

Status CardCancel(cli::Context& ctx, const std::string& card) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "UPDATE bill.card SET status = 'cancelled', ended_at = now() WHERE card_no = $1 AND status = 'active'"
      " RETURNING card_no", {card}));
  if (r.empty()) return Status::NotFound("no active card " + card);
  ctx.out() << "card " << card << " cancelled\n";
  return Status::Ok();
}

struct BlacklistArgs {
  std::string house, kind, reason;
};

Status BlacklistAdd(cli::Context& ctx, const BlacklistArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::HouseRow h, billing::FindHouse(*db, a.house));
  HEAT_TRY(db->Exec("INSERT INTO bill.blacklist (house_id, kind, reason) VALUES ($1, $2, $3)",
                    {S(h.id), a.kind, a.reason}).With("blacklist " + h.code + " (" + a.kind + ")"));
  ctx.out() << "house " << h.code << " blacklisted: " << a.kind << "\n";
  return Status::Ok();
}

Status BlacklistRm(cli::Context& ctx, const BlacklistArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::HouseRow h, billing::FindHouse(*db, a.house));
  HEAT_ASSIGN(db::Rows r, db->Query(
      "UPDATE bill.blacklist SET removed_at = now(), removed_by = session_user WHERE house_id = $1"
      " AND kind = $2 AND removed_at IS NULL RETURNING id", {S(h.id), a.kind}));
  if (r.empty()) return Status::NotFound("house " + h.code + " is not blacklisted as " + a.kind);
  ctx.out() << "house " << h.code << " off the blacklist: " << a.kind << "\n";
  return Status::Ok();
}

Status BlacklistList(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT h.code AS house, b.kind, b.reason, b.added_by, to_char(b.added_at, 'YYYY-MM-DD') AS added"
      " FROM bill.blacklist b JOIN bill.house h ON h.id = b.house_id WHERE b.removed_at IS NULL"
      " ORDER BY h.code, b.kind"));
  cli::Print(ctl::RowsTable(r), ctx.format, ctx.out());
  return Status::Ok();
}

// The recycle bin (BIL-7): a house that owes nothing can be put away and
// brought back; its accounts and entries stay untouched.
Status Bin(cli::Context& ctx, const std::string& house, bool restore) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::HouseRow h, billing::FindHouse(*db, house, true));
  if (h.deleted != restore)
    return Status::Conflict("house " + h.code + (restore ? " is not in the recycle bin" : " is already in the recycle bin"));
  if (!restore) {
    HEAT_ASSIGN(db::Rows owed, db->Query(
        "SELECT coalesce(sum((bill.account_sums(id)).balance), 0) FROM bill.account WHERE house_id = $1",
        {S(h.id)}));
    if (owed.get_int(0, 0) != 0)
      return Status::Conflict("house " + h.code + " has a balance of " + FormatYuan(owed.get_int(0, 0)) +
                              " yuan; settle it before removing the house");
  }
  HEAT_TRY(db->Exec(restore ? "UPDATE bill.house SET deleted_at = NULL, deleted_by = NULL WHERE id = $1"
                            : "UPDATE bill.house SET deleted_at = now(), deleted_by = session_user WHERE id = $1",
                    {S(h.id)}));
  ctx.out() << "house " << h.code << (restore ? " restored" : " moved to the recycle bin") << "\n";
  return Status::Ok();
}

cli::Runner HouseArg(CLI::App& app, bool restore) {
  auto h = std::make_shared<std::string>();
  app.add_option("house", *h, "house code")->required();
  return [h, restore](cli::Context& ctx) { return Bin(ctx, *h, restore); };
}

}  // namespace

std::vector<cli::Command> HouseCommands() {
  return {
      {"card issue", "give a house its card: HOUSE CARD_NO", "BIL-8",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<std::pair<std::string, std::string>>();
         app.add_option("house", a->first, "house code")->required();
         app.add_option("card", a->second, "card number")->required();
         return [a](cli::Context& ctx) { return CardIssue(ctx, a->first, a->second, false); };
       }, false},
      {"card reissue", "replace a house's card (lost or broken): HOUSE NEW_CARD_NO", "BIL-8",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<std::pair<std::string, std::string>>();
         app.add_option("house", a->first, "house code")->required();
         app.add_option("card", a->second, "the new card number")->required();
         return [a](cli::Context& ctx) { return CardIssue(ctx, a->first, a->second, true); };
       }, false},
      {"card cancel", "cancel a card", "BIL-8",
       [](CLI::App& app) -> cli::Runner {
         auto c = std::make_shared<std::string>();
         app.add_option("card", *c, "card number")->required();
         return [c](cli::Context& ctx) { return CardCancel(ctx, *c); };
       }, false},
      {"blacklist add", "blacklist a house: HOUSE --kind K --reason R", "BIL-2",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<BlacklistArgs>();
         app.add_option("house", a->house, "house code or card")->required();
         app.add_option("--kind", a->kind, "arrears, theft, dispute (dictionary)")->required();
         app.add_option("--reason", a->reason, "why")->required();
         return [a](cli::Context& ctx) { return BlacklistAdd(ctx, *a); };
       }, false},
      {"blacklist rm", "take a house off the blacklist: HOUSE --kind K", "BIL-2",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<BlacklistArgs>();
         app.add_option("house", a->house, "house code or card")->required();
         app.add_option("--kind", a->kind, "the kind to end")->required();
         return [a](cli::Context& ctx) { return BlacklistRm(ctx, *a); };
       }, false},
      {"blacklist list", "houses on the blacklist", "BIL-2",
       [](CLI::App&) -> cli::Runner { return BlacklistList; }},
      {"rm", "move a house that owes nothing to the recycle bin", "BIL-7",
       [](CLI::App& app) -> cli::Runner { return HouseArg(app, false); }, false},
      {"restore", "bring a house back from the recycle bin", "BIL-7",
       [](CLI::App& app) -> cli::Runner { return HouseArg(app, true); }, false},
  };
}

}  // namespace heat::billctl
