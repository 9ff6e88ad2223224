// heatctl db migrate|status: the schema migrations of lib/sql.
#include "heat/ctl/commands.h"
#include "heat/db/migrate.h"

namespace heat::ctl {
namespace {

Status Migrate(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto done, db::Migrate(*db, db::BundledMigrations()));
  for (const auto& name : done) ctx.out() << "applied " << name << "\n";
  ctx.out() << (done.empty() ? "schema is up to date" : "schema migrated") << " ("
            << db::BundledMigrations().size() << " migrations)\n";
  return Status::Ok();
}

Status MigrationStatus(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto states, db::MigrationStatus(*db, db::BundledMigrations()));
  cli::Table t;
  t.columns = {"version", "name", "state", "applied_at", "applied_by"};
  bool bad = false;
  for (const auto& s : states) {
    bad = bad || s.state == "changed" || s.state == "unknown";
    t.Add({cli::Cell{std::to_string(s.version), cli::Cell::kInt}, cli::Cell{s.name, cli::Cell::kString},
           cli::Cell{s.state, cli::Cell::kString},
           cli::Cell{s.applied_at.empty() ? std::nullopt : std::optional(s.applied_at), cli::Cell::kString},
           cli::Cell{s.applied_by.empty() ? std::nullopt : std::optional(s.applied_by), cli::Cell::kString}});
  }
  cli::Print(t, ctx.format, ctx.out());
  if (bad) return Status::Conflict("an applied migration differs from this build; see the state column");
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> DbCommands() {
  return {
      {"db migrate", "apply pending schema migrations (as the database owner)", "",
       [](CLI::App&) -> cli::Runner { return Migrate; }, false},
      {"db status", "list migrations: applied, pending, or changed since applied", "",
       [](CLI::App&) -> cli::Runner { return MigrationStatus; }},
  };
}

}  // namespace heat::ctl
