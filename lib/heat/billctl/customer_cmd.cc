// billctl customer|link|unlink|doc (BIL-1, BIL-4): who owns a house and
// how to reach them (the ID number is only ever shown masked), related
// houses (a main house is paid only after its subsidiary houses), and
// documents attached to a house, stored once by content hash.
#include <fstream>
#include <sstream>

#include "heat/billctl/commands.h"
#include "heat/core/file.h"
#include "heat/core/text.h"
#include "heat/ctl/commands.h"

namespace heat::billctl {
namespace {

std::string S(int64_t v) { return std::to_string(v); }

struct CustomerArgs {
  std::string house, name, phone, id_number, type;
};

// Creates the house's customer when it has none; changes only the fields
// given.
Status CustomerSet(cli::Context& ctx, const CustomerArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto tx, db::Transaction::Start(*db));
  HEAT_ASSIGN(billing::HouseRow h, billing::FindHouse(*db, a.house));
  auto opt = [](const std::string& s) { return s.empty() ? db::Param() : db::Param(s); };
  if (!h.customer) {
    if (a.name.empty()) return Status::Usage("house " + h.code + " has no customer yet: give --name");
    HEAT_TRY(db->Exec("WITH c AS (INSERT INTO bill.customer (name, phone, id_number, customer_type)"
                      " VALUES ($2, $3, $4, coalesce($5, 'resident')) RETURNING id)"
                      " UPDATE bill.house SET customer_id = (SELECT id FROM c) WHERE id = $1",
                      {S(h.id), a.name, opt(a.phone), opt(a.id_number), opt(a.type)}));
  } else {
    HEAT_TRY(db->Exec("UPDATE bill.customer SET name = coalesce($2, name), phone = coalesce($3, phone),"
                      " customer_type = coalesce($4, customer_type)"
                      " WHERE id = (SELECT customer_id FROM bill.house WHERE id = $1)",
                      {S(h.id), opt(a.name), opt(a.phone), opt(a.type)}));
    // Cashiers may write the ID number but not read it (0018), so it is set
    // by a statement that does not mention the old value.
    if (!a.id_number.empty())
      HEAT_TRY(db->Exec("UPDATE bill.customer SET id_number = $2"
                        " WHERE id = (SELECT customer_id FROM bill.house WHERE id = $1)", {S(h.id), a.id_number}));
  }
  HEAT_TRY(tx->Commit());
  ctx.out() << "house " << h.code << ": customer updated\n";
  return Status::Ok();
}

// The ID number as the counter shows it: the first 6 and last 4 digits
// (bill.customer.id_number_masked; only bill_admin reads it in full).
Status CustomerShow(cli::Context& ctx, const std::string& house) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::HouseRow h, billing::FindHouse(*db, house));
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT h.code AS house, c.name, c.phone, c.customer_type,"
      " c.id_number_masked AS id_number, (SELECT string_agg(o.code, ',' ORDER BY o.code) FROM bill.house o"
      "   WHERE o.customer_id = c.id) AS houses,"
      " (SELECT m.code FROM bill.house_relation r JOIN bill.house m ON m.id = r.main_id WHERE r.sub_id = h.id) AS main_house,"
      " (SELECT string_agg(s.code, ',' ORDER BY s.code) FROM bill.house_relation r JOIN bill.house s ON s.id = r.sub_id"
      "   WHERE r.main_id = h.id) AS subsidiary_houses"
      " FROM bill.house h LEFT JOIN bill.customer c ON c.id = h.customer_id WHERE h.id = $1", {S(h.id)}));
  cli::Print(ctl::RowsTable(r), ctx.format, ctx.out());
  return Status::Ok();
}

Status Link(cli::Context& ctx, const std::string& main, const std::string& sub, bool link) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::HouseRow s, billing::FindHouse(*db, sub));
  if (!link) {
    HEAT_ASSIGN(db::Rows r, db->Query("DELETE FROM bill.house_relation WHERE sub_id = $1 RETURNING main_id", {S(s.id)}));
    if (r.empty()) return Status::NotFound("house " + s.code + " is not a subsidiary house");
    ctx.out() << "house " << s.code << " is no longer a subsidiary house\n";
    return Status::Ok();
  }
  HEAT_ASSIGN(billing::HouseRow m, billing::FindHouse(*db, main));
  if (m.id == s.id) return Status::Usage("a house cannot be its own subsidiary");
  HEAT_TRY(db->Exec("INSERT INTO bill.house_relation (main_id, sub_id) VALUES ($1, $2)", {S(m.id), S(s.id)})
               .With("link " + m.code + " " + s.code + " (a house has at most one main house)"));
  ctx.out() << "house " << s.code << " is now a subsidiary of " << m.code << " (BIL-4)\n";
  return Status::Ok();
}

struct DocArgs {
  std::string house, category, file, media_type = "application/octet-stream";
};

Result<std::string> ReadFile(const std::string& path) {
  return ReadRegularFile(path, 20u << 20, "documents are at most 20 MiB");
}

// The bytes go in once per content (sha256 computed by the database);
// the same file attached twice, or to two houses, is stored once.
Status DocAdd(cli::Context& ctx, const DocArgs& a) {
  HEAT_ASSIGN(std::string bytes, ReadFile(a.file));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto tx, db::Transaction::Start(*db));
  HEAT_ASSIGN(billing::HouseRow h, billing::FindHouse(*db, a.house));
  std::string hex = "\\x" + HexLower(bytes);
  HEAT_ASSIGN(db::Rows r, db->Query(
      "WITH b AS (SELECT $1::bytea AS bytes), d AS (INSERT INTO bill.document (sha256, media_type, bytes)"
      " SELECT encode(sha256(bytes), 'hex'), $2, bytes FROM b ON CONFLICT (sha256) DO NOTHING)"
      " SELECT encode(sha256(bytes), 'hex') FROM b", {hex, a.media_type}));
  std::string sha = r.get(0, 0);
  std::string name = a.file.substr(a.file.rfind('/') == std::string::npos ? 0 : a.file.rfind('/') + 1);
  HEAT_TRY(db->Exec("INSERT INTO bill.house_document (house_id, category, sha256, file_name) VALUES ($1, $2, $3, $4)"
                    " ON CONFLICT DO NOTHING", {S(h.id), a.category, sha, name}).With("document category"));
  HEAT_TRY(tx->Commit());
  ctx.out() << "house " << h.code << ": " << a.category << " " << name << " (sha256 " << sha.substr(0, 12) << ")\n";
  return Status::Ok();
}

Status DocList(cli::Context& ctx, const std::string& house) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::HouseRow h, billing::FindHouse(*db, house));
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT hd.category, hd.file_name, d.media_type, length(d.bytes) AS bytes, hd.sha256, hd.added_by,"
      " to_char(hd.added_at, 'YYYY-MM-DD HH24:MI') AS added FROM bill.house_document hd"
      " JOIN bill.document d ON d.sha256 = hd.sha256 WHERE hd.house_id = $1 ORDER BY hd.added_at", {S(h.id)}));
  cli::Print(ctl::RowsTable(r, {{"bytes", cli::Cell::kInt}}), ctx.format, ctx.out());
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> CustomerCommands() {
  return {
      {"customer set", "set a house's customer: --name, --phone, --id-number, --type", "BIL-4",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<CustomerArgs>();
         app.add_option("house", a->house, "house code or card")->required();
         app.add_option("--name", a->name, "the customer's name");
         app.add_option("--phone", a->phone, "phone number");
         app.add_option("--id-number", a->id_number, "ID card number (18 characters; shown masked)");
         app.add_option("--type", a->type, "customer type (dictionary: resident, company)");
         return [a](cli::Context& ctx) { return CustomerSet(ctx, *a); };
       }, false},
      {"customer show", "a house's customer (ID number masked), their houses and related houses", "BIL-4",
       [](CLI::App& app) -> cli::Runner {
         auto h = std::make_shared<std::string>();
         app.add_option("house", *h, "house code or card")->required();
         return [h](cli::Context& ctx) { return CustomerShow(ctx, *h); };
       }},
      {"link", "make SUB a subsidiary house of MAIN: MAIN is paid only after SUB", "BIL-4",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<std::pair<std::string, std::string>>();
         app.add_option("main", a->first, "the main house")->required();
         app.add_option("sub", a->second, "the subsidiary house")->required();
         return [a](cli::Context& ctx) { return Link(ctx, a->first, a->second, true); };
       }, false},
      {"unlink", "SUB is no longer a subsidiary house", "BIL-4",
       [](CLI::App& app) -> cli::Runner {
         auto s = std::make_shared<std::string>();
         app.add_option("sub", *s, "the subsidiary house")->required();
         return [s](cli::Context& ctx) { return Link(ctx, "", *s, false); };
       }, false},
      {"doc add", "attach a document to a house: HOUSE --category C FILE", "BIL-1",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<DocArgs>();
         app.add_option("house", a->house, "house code or card")->required();
         app.add_option("file", a->file, "the file")->required();
         app.add_option("--category", a->category, "deed, id_card, contract, stop_form (dictionary)")->required();
         app.add_option("--media-type", a->media_type, "e.g. image/jpeg, application/pdf");
         return [a](cli::Context& ctx) { return DocAdd(ctx, *a); };
       }, false},
      {"doc list", "a house's documents", "BIL-1",
       [](CLI::App& app) -> cli::Runner {
         auto h = std::make_shared<std::string>();
         app.add_option("house", *h, "house code or card")->required();
         return [h](cli::Context& ctx) { return DocList(ctx, *h); };
       }},
  };
}

}  // namespace heat::billctl
