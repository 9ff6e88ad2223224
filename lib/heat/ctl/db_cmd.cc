// heatctl db migrate|status: the schema migrations of lib/sql; db archive:
// raw readings archived by month (ANA-9).
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

struct ArchiveArgs {
  std::string keep, interval;
  bool rebuild = false, dry_run = false;
};

// Archives months of raw readings in one transaction (lib/sql/0032): all
// of them or, on an error, none.
// A duration option's seconds: the command line's value when given (checked
// like the file's), else the configuration's.
Result<int64_t> Seconds(cli::Context& ctx, const char* key, const std::string& given, const char* flag) {
  if (given.empty()) return ctx.config().seconds(key);
  auto v = CheckOptionValue(*FindOption(key), given);
  if (!v.ok()) return v.status().With(flag);
  return std::stoll(*v);
}

Status Archive(cli::Context& ctx, const ArchiveArgs& a) {
  HEAT_ASSIGN(int64_t keep, Seconds(ctx, "archive.raw_keep", a.keep, "--keep"));
  HEAT_ASSIGN(int64_t width, Seconds(ctx, "archive.interval", a.interval, "--interval"));
  if (3600 % width != 0)
    return Status::Usage("--interval: " + std::to_string(width) + " s does not divide the hour");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto rows, db->Query("SELECT partition, from_ts::date::text AS from, to_ts::date::text AS to, raw_rows, "
                                   "points, mismatched_hours, archive_rows, state "
                                   "FROM heat.archive_readings(make_interval(secs => $1), $2, $3, $4, $5)",
                                   {std::to_string(keep), std::to_string(width), ctx.config().str("site.timezone"), a.rebuild ? "t" : "f", a.dry_run ? "t" : "f"}));
  using K = cli::Cell::Kind;
  cli::Print(RowsTable(rows, {{"raw_rows", K::kInt}, {"points", K::kInt}, {"mismatched_hours", K::kInt},
                              {"archive_rows", K::kInt}}),
             ctx.format, ctx.out());
  if (rows.empty() && ctx.format == cli::Format::kTable)
    ctx.out() << "no month of raw readings ended more than " << keep / 86400 << " days ago\n";
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> DbCommands() {
  return {
      {"db migrate", "apply pending schema migrations (as the database owner)", "",
       [](CLI::App&) -> cli::Runner { return Migrate; }, false},
      {"db status", "list migrations: applied, pending, or changed since applied", "",
       [](CLI::App&) -> cli::Runner { return MigrationStatus; }},
      {"db archive", "archive months of raw readings older than archive.raw_keep, rollups verified first",
       "ANA-9", [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<ArchiveArgs>();
         app.add_option("--keep", a->keep, "keep raw readings this long (default archive.raw_keep)");
         app.add_option("--interval", a->interval, "archive bucket width (default archive.interval)");
         app.add_flag("--rebuild", a->rebuild, "recompute rollups that do not count every raw reading, then archive");
         app.add_flag("--dry-run", a->dry_run, "say what would be archived; change nothing");
         return [a](cli::Context& ctx) { return Archive(ctx, *a); };
       }},
  };
}

}  // namespace heat::ctl
