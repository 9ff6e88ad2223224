// billctl hall list|show|take|done|reject and hall info list|add|edit|rm
// (BIL-14, BIL-24, BIL-28): the requests residents file on the payment
// page and the company's information the page shows (lib/sql/0038_hall.sql).
// The database keeps the rules: which requests a login sees (its data
// scope), the steps new -> taken -> done | rejected, who may take one
// over, and the operation log; this prints.
#include <algorithm>

#include "heat/billctl/commands.h"
#include "heat/core/file.h"
#include "heat/ctl/commands.h"

namespace heat::billctl {
namespace {

constexpr const char* kStates = "new, taken, done, rejected, open (new and taken) or all";
constexpr const char* kKinds = "suspension, resumption, repair, installation, name_change, unbinding, feedback";

// The request's columns as list, show and the steps print them.
constexpr const char* kRequestCols =
    "q.id, h.code AS house, concat_ws(' ', c.name, b.name, u.name, h.room) AS address, q.kind, q.state,"
    " to_char(q.filed_at, 'YYYY-MM-DD HH24:MI') AS filed, q.phone, q.taken_by,"
    " to_char(q.taken_at, 'YYYY-MM-DD HH24:MI') AS taken, q.ended_by, to_char(q.ended_at, 'YYYY-MM-DD HH24:MI') AS ended,"
    " q.detail, q.answer";
constexpr const char* kRequestFrom =
    " FROM bill.hall_request q JOIN bill.house h ON h.id = q.house_id JOIN bill.unit u ON u.id = h.unit_id"
    " JOIN bill.building b ON b.id = u.building_id JOIN bill.community c ON c.id = b.community_id";

cli::Record RowRecord(const db::Rows& r, int row) {
  cli::Record rec;
  for (int c = 0; c < r.columns(); ++c) {
    const std::string name = r.column_name(c);
    cli::Cell cell{r.is_null(row, c) ? std::nullopt : std::optional<std::string>(r.get(row, c)),
                   name == "id" || name == "position" ? cli::Cell::kInt
                   : name == "published"              ? cli::Cell::kBool
                                                      : cli::Cell::kString};
    if (cell.kind == cli::Cell::kBool && cell.text) cell.text = *cell.text == "t" ? "true" : "false";
    rec.emplace_back(name, cell);
  }
  return rec;
}

Status PrintRequest(cli::Context& ctx, db::Conn& db, int64_t id) {
  HEAT_ASSIGN(db::Rows r, db.Query(std::string("SELECT ") + kRequestCols + kRequestFrom + " WHERE q.id = $1",
                                   {std::to_string(id)}));
  if (r.empty()) return Status::NotFound("no hall request " + std::to_string(id) + " in your data scope");
  cli::PrintRecord(RowRecord(r, 0), ctx.format, ctx.out());
  return Status::Ok();
}

Status ListCmd(cli::Context& ctx, const std::string& state, const std::string& kind) {
  static const char* kStateList[] = {"new", "taken", "done", "rejected", "open", "all"};
  if (std::find(std::begin(kStateList), std::end(kStateList), state) == std::end(kStateList))
    return Status::Usage("--state is " + std::string(kStates) + ", got " + state);
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  // In a table the detail is cut to one short line; show gives it whole.
  const std::string detail = ctx.format == cli::Format::kTable
                                 ? "left(replace(q.detail, E'\\n', ' '), 30) AS detail"
                                 : "q.detail, q.answer";
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT q.id, h.code AS house, q.kind, q.state, to_char(q.filed_at, 'YYYY-MM-DD HH24:MI') AS filed, q.phone,"
      " q.taken_by, " + detail + kRequestFrom +
      " WHERE CASE $1 WHEN 'all' THEN true WHEN 'open' THEN q.state IN ('new', 'taken') ELSE q.state = $1 END"
      " AND ($2 = '' OR q.kind = $2) ORDER BY q.filed_at, q.id",
      {state, kind}));
  cli::Print(ctl::RowsTable(r, {{"id", cli::Cell::kInt}}), ctx.format, ctx.out());
  return Status::Ok();
}

// take, done, reject: the database checks scope, state and who.
Status StepCmd(cli::Context& ctx, int64_t id, const std::string& step, const std::string& answer) {
  if (step != "take" && answer.empty()) return Status::Usage("the resident is told why: --answer TEXT");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  if (step == "take") HEAT_TRY(db->Exec("SELECT bill.hall_take($1)", {std::to_string(id)}));
  else HEAT_TRY(db->Exec("SELECT bill.hall_" + step + "($1, $2)", {std::to_string(id), answer}));
  return PrintRequest(ctx, *db, id);
}

cli::Command StepRow(const char* path, const char* summary, const char* step) {
  return {path, summary, "BIL-14 BIL-24", [step](CLI::App& app) -> cli::Runner {
            auto id = std::make_shared<int64_t>(0);
            auto answer = std::make_shared<std::string>();
            app.add_option("id", *id, "request number (billctl hall list)")->required();
            if (std::string(step) != "take")
              app.add_option("--answer", *answer, "what the resident reads on the page")->required();
            return [id, answer, step](cli::Context& ctx) { return StepCmd(ctx, *id, step, *answer); };
          }};
}

// ---------------------------------------------------------------------------
// The company's information on the page.

struct InfoArgs {
  int64_t id = 0;
  std::string kind, title, body, body_file, position;
  bool publish = false, draft = false;
};

// The body from --body or --body-file (at most 20000 characters; the
// database checks the exact limit and the characters).
Result<std::optional<std::string>> Body(const InfoArgs& a) {
  if (!a.body.empty() && !a.body_file.empty()) return Status::Usage("give --body or --body-file, not both");
  if (!a.body_file.empty()) {
    HEAT_ASSIGN(std::string b, ReadRegularFile(a.body_file, 80000, "a body is at most 20000 characters"));
    return std::optional<std::string>(b);
  }
  if (!a.body.empty()) return std::optional<std::string>(a.body);
  return std::optional<std::string>{};
}

Status InfoList(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  const std::string body = ctx.format == cli::Format::kTable ? "left(replace(body, E'\\n', ' '), 30) AS body" : "body";
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT id, kind, position, published, title, " + body + ", updated_by,"
      " to_char(updated_at, 'YYYY-MM-DD HH24:MI') AS updated FROM bill.hall_info"
      " ORDER BY array_position(ARRAY['notice', 'guide', 'company', 'location', 'faq', 'law'], kind), position, id"));
  cli::Print(ctl::RowsTable(r, {{"id", cli::Cell::kInt}, {"position", cli::Cell::kInt},
                                {"published", cli::Cell::kBool}}), ctx.format, ctx.out());
  return Status::Ok();
}

Status PrintInfo(cli::Context& ctx, db::Conn& db, const std::string& id) {
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT id, kind, position, published, title, body, updated_by,"
                                   " to_char(updated_at, 'YYYY-MM-DD HH24:MI') AS updated FROM bill.hall_info"
                                   " WHERE id = $1", {id}));
  if (r.empty()) return Status::NotFound("no hall information " + id);
  cli::PrintRecord(RowRecord(r, 0), ctx.format, ctx.out());
  return Status::Ok();
}

Status InfoAdd(cli::Context& ctx, const InfoArgs& a) {
  HEAT_ASSIGN(std::optional<std::string> body, Body(a));
  if (!body) return Status::Usage("the information needs a body (--body TEXT or --body-file FILE)");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "INSERT INTO bill.hall_info (kind, title, body, position, published)"
      " VALUES ($1, $2, $3, coalesce($4::int, 0), NOT $5::boolean) RETURNING id",
      {a.kind, a.title, *body, a.position.empty() ? db::Param() : db::Param(a.position), a.draft ? "true" : "false"}));
  return PrintInfo(ctx, *db, r.get(0, 0));
}

Status InfoEdit(cli::Context& ctx, const InfoArgs& a) {
  HEAT_ASSIGN(std::optional<std::string> body, Body(a));
  if (a.publish && a.draft) return Status::Usage("give --publish or --draft, not both");
  auto opt = [](const std::string& s) { return s.empty() ? db::Param() : db::Param(s); };
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "UPDATE bill.hall_info SET kind = coalesce($2, kind), title = coalesce($3, title), body = coalesce($4, body),"
      " position = coalesce($5::int, position),"
      " published = CASE WHEN $6::boolean THEN true WHEN $7::boolean THEN false ELSE published END"
      " WHERE id = $1 RETURNING id",
      {std::to_string(a.id), opt(a.kind), opt(a.title), body ? db::Param(*body) : db::Param(), opt(a.position),
       a.publish ? "true" : "false", a.draft ? "true" : "false"}));
  if (r.empty()) return Status::NotFound("no hall information " + std::to_string(a.id));
  return PrintInfo(ctx, *db, r.get(0, 0));
}

Status InfoRm(cli::Context& ctx, int64_t id) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query("DELETE FROM bill.hall_info WHERE id = $1 RETURNING title", {std::to_string(id)}));
  if (r.empty()) return Status::NotFound("no hall information " + std::to_string(id));
  ctx.out() << "removed hall information " << id << " (" << r.get(0, 0) << ")\n";
  return Status::Ok();
}

// The options of add (kind and title required) and edit (all optional).
void InfoOptions(CLI::App& app, InfoArgs& a, bool add) {
  auto* kind = app.add_option("--kind", a.kind, "notice, guide, faq, law, location or company")
                   ->check(CLI::IsMember({"notice", "guide", "faq", "law", "location", "company"}));
  auto* title = app.add_option("--title", a.title, "the title (one line, at most 200 characters)");
  if (add) kind->required(), title->required();
  app.add_option("--body", a.body, "the text (at most 20000 characters)");
  app.add_option("--body-file", a.body_file, "the text from a file (UTF-8)");
  app.add_option("--position", a.position, "order within its kind (default 0)")->check(CLI::Number);
  app.add_flag("--draft", a.draft, "kept but not shown on the page");
  if (!add) app.add_flag("--publish", a.publish, "shown on the page again");
}

cli::Command InfoRow(const char* path, const char* summary, bool add) {
  return {path, summary, "BIL-14", [add](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<InfoArgs>();
            if (!add) app.add_option("id", a->id, "its number (billctl hall info list)")->required();
            InfoOptions(app, *a, add);
            return [a, add](cli::Context& ctx) { return add ? InfoAdd(ctx, *a) : InfoEdit(ctx, *a); };
          }};
}

}  // namespace

std::vector<cli::Command> HallCommands() {
  return {
      {"hall list", "residents' requests from the payment page (default: the open ones)", "BIL-14 BIL-28",
       [](CLI::App& app) -> cli::Runner {
         auto state = std::make_shared<std::string>("open");
         auto kind = std::make_shared<std::string>();
         app.add_option("--state", *state, kStates);
         app.add_option("--kind", *kind, kKinds)
             ->check(CLI::IsMember({"suspension", "resumption", "repair", "installation", "name_change", "unbinding",
                                    "feedback"}));
         return [state, kind](cli::Context& ctx) { return ListCmd(ctx, *state, *kind); };
       }},
      {"hall show", "one request, its detail, who handled it and the answer", "BIL-14",
       [](CLI::App& app) -> cli::Runner {
         auto id = std::make_shared<int64_t>(0);
         app.add_option("id", *id, "request number")->required();
         return [id](cli::Context& ctx) -> Status {
           HEAT_ASSIGN(db::Conn* db, ctx.Db());
           return PrintRequest(ctx, *db, *id);
         };
       }},
      StepRow("hall take", "take a new request (it is yours to handle)", "take"),
      StepRow("hall done", "finish a request you took, with the answer for the resident", "done"),
      StepRow("hall reject", "reject a request, with the reason for the resident", "reject"),
      {"hall info list", "the information the payment page shows, drafts too", "BIL-14",
       [](CLI::App&) -> cli::Runner { return [](cli::Context& ctx) { return InfoList(ctx); }; }},
      InfoRow("hall info add", "add a notice, guide, FAQ, law, location or company page (bill_admin)", true),
      InfoRow("hall info edit", "change a piece of information (bill_admin)", false),
      {"hall info rm", "remove a piece of information (bill_admin)", "BIL-14",
       [](CLI::App& app) -> cli::Runner {
         auto id = std::make_shared<int64_t>(0);
         app.add_option("id", *id, "its number")->required();
         return [id](cli::Context& ctx) { return InfoRm(ctx, *id); };
       },
       false},
  };
}

}  // namespace heat::billctl
