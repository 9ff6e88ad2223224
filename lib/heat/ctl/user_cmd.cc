// heatctl user add|list|grant|revoke|rm|who (SYS-1). The work is done by
// SECURITY DEFINER functions in the database (0003_security.sql), which
// check that the caller may manage users; this file only passes words on.
#include "heat/ctl/commands.h"

namespace heat::ctl {
namespace {

// "{a,b}" array literal for text[] parameters; codes and role names never
// hold commas, quotes or braces (checked by the database as well).
Result<std::string> ArrayLiteral(const std::vector<std::string>& items) {
  std::string s = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].find_first_of(",{}\"\\ ") != std::string::npos)
      return Status::Usage("'" + items[i] + "' is not a valid role or org code");
    s += (i ? "," : "") + items[i];
  }
  return s + "}";
}

struct UserArgs {
  std::string login;
  std::vector<std::string> roles, orgs;
};

void AddUserOptions(CLI::App& app, UserArgs& a, bool roles_required) {
  app.add_option("name", a.login, "login name (lower case, digits, _)")->required();
  auto* r = app.add_option("-r,--role", a.roles, "group role, e.g. heat_operator (repeatable)");
  if (roles_required) r->required();
  app.add_option("-o,--org", a.orgs, "org unit code of the data scope (repeatable)");
}

Status CallUserFunction(cli::Context& ctx, const std::string& fn, const UserArgs& a,
                        const std::string& done) {
  HEAT_ASSIGN(std::string roles, ArrayLiteral(a.roles));
  HEAT_ASSIGN(std::string orgs, ArrayLiteral(a.orgs));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_TRY(db->Exec("SELECT heat." + fn + "($1, $2::text[], $3::text[])", {a.login, roles, orgs}));
  ctx.out() << done << " " << a.login << "\n";
  return Status::Ok();
}

Status List(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT login, array_to_json(roles)::text AS roles, array_to_json(orgs)::text AS orgs "
      "FROM heat.users()"));
  auto t = RowsTable(r, {{"roles", cli::Cell::kJson}, {"orgs", cli::Cell::kJson}});
  cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

Status Who(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT login, application, coalesce(host(client_addr), 'local') AS client,"
      " to_char(since, 'YYYY-MM-DD HH24:MI:SS') AS since, state, pid FROM heat.who()"));
  auto t = RowsTable(r, {{"pid", cli::Cell::kInt}});
  cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

// Builds a command row whose runner calls heat.<fn>() with UserArgs.
cli::Command UserFunctionCommand(const char* path, const char* summary, const char* fn,
                                 const char* done, bool roles_required) {
  return {path, summary, "SYS-1",
          [=](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<UserArgs>();
            AddUserOptions(app, *a, roles_required);
            return [=](cli::Context& ctx) { return CallUserFunction(ctx, fn, *a, done); };
          },
          false};
}

}  // namespace

std::vector<cli::Command> UserCommands() {
  return {
      UserFunctionCommand("user add", "add a person: a login role with group roles and org scope",
                          "user_add", "added user", true),
      UserFunctionCommand("user grant", "give a user more roles or org units", "user_grant",
                          "granted to", false),
      UserFunctionCommand("user revoke", "take roles or org units from a user", "user_revoke",
                          "revoked from", false),
      {"user rm", "remove a user (the log keeps their entries)", "SYS-1",
       [](CLI::App& app) -> cli::Runner {
         auto login = std::make_shared<std::string>();
         app.add_option("name", *login, "login name")->required();
         return [login](cli::Context& ctx) -> Status {
           HEAT_ASSIGN(db::Conn* db, ctx.Db());
           HEAT_TRY(db->Exec("SELECT heat.user_rm($1)", {*login}));
           ctx.out() << "removed user " << *login << "\n";
           return Status::Ok();
         };
       },
       false},
      {"user list", "list users with their roles and org scope", "SYS-1",
       [](CLI::App&) -> cli::Runner { return List; }},
      {"user who", "who is connected now, since when, from where", "SYS-1",
       [](CLI::App&) -> cli::Runner { return Who; }},
  };
}

}  // namespace heat::ctl
