// heatctl db backup setup|now|list|restore|export|check (BIL-30): the heat
// cluster's pgBackRest backups (backup/): scheduled by heat-backup.timer
// and heat-backup-check.timer, taken by hand, listed, restored to a point
// in time into a scratch folder, exported as one file, and checked every
// night by restoring the newest into a scratch cluster and comparing it
// with the live database (heat.backup_check keeps each result for
// reports). heat-admin(8) is the manual.
#include <nlohmann/json.hpp>

#include <ctime>
#include <filesystem>
#include <fstream>

#include "heat/backup/check.h"
#include "heat/backup/export.h"
#include "heat/backup/restore.h"
#include "heat/ctl/commands.h"
#include "heat/core/time.h"

namespace heat::ctl {
namespace {

namespace fs = std::filesystem;
using backup::Repo;
using backup::Settings;
using K = cli::Cell::Kind;

// Backups read and write the whole cluster: the database superuser, on the
// cluster backup.pg_data names.
Status RequireSuperuser(db::Conn& db, const Settings& s) {
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
  if (r.empty() || r.get(0, 0) != "t")
    return Status::Permission("heatctl db backup needs the database superuser (as the cluster's OS user: "
                              "PGUSER=postgres)");
  HEAT_ASSIGN(db::Rows d, db.Query("SELECT current_setting('data_directory')"));
  std::error_code ec;
  if (!fs::equivalent(d.get(0, 0), s.pg_data, ec) && !ec)
    return Status::Usage("heatctl is connected to the cluster in " + d.get(0, 0) + ", but backup.pg_data is " +
                         s.pg_data + ": set one to the other");
  return Status::Ok();
}

Result<TimeZone> Zone(cli::Context& ctx) { return TimeZone::Load(ctx.config().str("site.timezone")); }

Status Setup(cli::Context& ctx) {
  Settings s = Settings::From(ctx.config());
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_TRY(RequireSuperuser(*db, s));
  HEAT_ASSIGN(Repo repo, Repo::Open(s, true));
  HEAT_ASSIGN(db::Rows alter, db->Query("SELECT format('ALTER SYSTEM SET archive_command = %L', $1::text)",
                                        {s.ArchiveCommand()}));
  HEAT_TRY(db->Exec(alter.get(0, 0)));
  HEAT_TRY(db->Exec("ALTER SYSTEM SET archive_mode = 'on'"));
  HEAT_TRY(db->Exec("SELECT pg_reload_conf()"));
  HEAT_ASSIGN(std::string out, repo.Run("stanza-create"));
  ctx.out() << "repository " << s.repo << ", stanza " << s.stanza << " (config " << s.ConfigFile() << ")\n"
            << "archive_command = '" << s.ArchiveCommand() << "'\n";
  HEAT_ASSIGN(db::Rows mode, db->Query("SELECT current_setting('archive_mode')"));
  if (mode.get(0, 0) == "off") {
    ctx.out() << "archive_mode is on after PostgreSQL restarts: restart it (systemctl restart postgresql@15-main),"
                 " then run heatctl db backup setup again to check WAL archiving\n";
    return Status::Ok();
  }
  HEAT_ASSIGN(out, repo.Run("check"));
  ctx.out() << "WAL archiving works (pgbackrest check)\n";
  return Status::Ok();
}

// auto: a full on Sundays (company time) or when there is none, else a differential.
Result<std::string> BackupType(cli::Context& ctx, const std::string& type, const backup::StanzaInfo& info) {
  if (type == "full" || type == "diff" || type == "incr") return type;
  if (type != "auto") return Status::Usage("--type: full, diff, incr or auto, not '" + type + "'");
  bool has_full = false;
  for (const auto& set : info.sets) has_full = has_full || set.type == "full";
  HEAT_ASSIGN(TimeZone tz, Zone(ctx));
  Date today = LocalDate(std::time(nullptr), tz);
  bool sunday = (DaysBetween(Date{1970, 1, 1}, today) + 4) % 7 == 0;  // 1970-01-01 was a Thursday
  return std::string(has_full && !sunday ? "diff" : "full");
}

Status Now(cli::Context& ctx, const std::string& type_arg) {
  if (type_arg != "full" && type_arg != "diff" && type_arg != "incr" && type_arg != "auto")
    return Status::Usage("--type: full, diff, incr or auto, not '" + type_arg + "'");
  HEAT_ASSIGN(Repo repo, Repo::Open(Settings::From(ctx.config()), false));
  HEAT_ASSIGN(auto info, repo.Info());
  HEAT_ASSIGN(std::string type, BackupType(ctx, type_arg, info));
  HEAT_ASSIGN(std::string out, repo.Run("backup", {"--type=" + type}));
  HEAT_ASSIGN(info, repo.Info());
  if (info.sets.empty()) return Status::Failure("pgbackrest backup ended, but the repository lists no backup");
  const auto& set = info.sets.back();
  HEAT_ASSIGN(TimeZone tz, Zone(ctx));
  ctx.out() << "backup " << set.label << " (" << set.type << ") finished " << FormatLocal(set.stop, tz) << ": "
            << set.size / 1048576 << " MiB of cluster, " << set.repo_size / 1048576 << " MiB stored\n";
  return Status::Ok();
}

Status List(cli::Context& ctx) {
  Settings s = Settings::From(ctx.config());
  HEAT_ASSIGN(Repo repo, Repo::Open(s, false));
  HEAT_ASSIGN(auto info, repo.Info());
  HEAT_ASSIGN(TimeZone tz, Zone(ctx));
  cli::Table t;
  t.columns = {"label", "type", "prior", "started", "finished", "size_bytes", "stored_bytes", "wal_start", "wal_stop"};
  auto str = [](const std::string& v) { return cli::Cell{v.empty() ? std::nullopt : std::optional(v), K::kString}; };
  for (const auto& set : info.sets)
    t.Add({str(set.label), str(set.type), str(set.prior), str(FormatLocal(set.start, tz)),
           str(FormatLocal(set.stop, tz)), cli::Cell{std::to_string(set.size), K::kInt},
           cli::Cell{std::to_string(set.repo_size), K::kInt}, str(set.wal_start), str(set.wal_stop)});
  if (ctx.format == cli::Format::kTable)
    ctx.out() << "stanza " << s.stanza << " in " << s.repo << ": " << info.sets.size() << " backups, "
              << s.full_keep << " fulls kept; WAL archived " << (info.wal_min.empty() ? "none" : info.wal_min)
              << " .. " << info.wal_max << "\n";
  cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

struct RestoreArgs {
  std::string to, into;
};

// Empties a folder a failed restore wrote into; removes it when it was made for it.
void Undo(const std::string& dir, bool created) {
  std::error_code ec;
  if (created) return (void)backup::RemoveTree(dir);
  for (const auto& e : fs::directory_iterator(dir, ec)) fs::remove_all(e.path(), ec);
}

Status Restore(cli::Context& ctx, const RestoreArgs& a) {
  HEAT_ASSIGN(Repo repo, Repo::Open(Settings::From(ctx.config()), false));
  HEAT_ASSIGN(auto info, repo.Info());
  if (info.sets.empty()) return Status::NotFound("there is no backup to restore (heatctl db backup now takes one)");
  HEAT_ASSIGN(TimeZone tz, Zone(ctx));
  backup::Target target;
  backup::BackupSet set = info.sets.back();
  std::string until = "to its end";
  if (!a.to.empty()) {
    int64_t now = std::time(nullptr);
    HEAT_ASSIGN(int64_t at, ParseTime(a.to, tz, now));
    if (at > now)
      return Status::Usage("--to " + FormatLocal(at, tz) + " is in the future; leave --to out for the newest state");
    HEAT_ASSIGN(set, backup::SetForTime(info, at, [&tz](int64_t t) { return FormatLocal(t, tz); }));
    std::string utc = FormatUtcNaive(at);
    target = {"time", utc.replace(10, 1, " ") + "+00"};
    until = "to " + FormatLocal(at, tz);
  }
  bool created = false;
  HEAT_TRY(backup::PrepareTarget(repo, a.into, &created));
  Status s = backup::RestoreInto(repo, set.label, target, a.into);
  if (!s.ok()) {
    Undo(a.into, created);
    return s;
  }
  ctx.out() << "restored backup " << set.label << " into " << a.into << "; started, it replays the archived WAL "
            << until
            << ", then promotes (archive_mode is off in it)\n"
            << "start it as the OS user " << repo.user().name << ": " << repo.settings().pg_bin << "/pg_ctl -D "
            << a.into << " -o '-p PORT' start\n";
  return Status::Ok();
}

Status ExportCmd(cli::Context& ctx, const std::string& file) {
  HEAT_ASSIGN(Repo repo, Repo::Open(Settings::From(ctx.config()), false));
  HEAT_ASSIGN(auto info, repo.Info());
  HEAT_ASSIGN(backup::BackupSet set, backup::Export(repo, info, file));
  HEAT_ASSIGN(TimeZone tz, Zone(ctx));
  ctx.out() << "exported backup " << set.label << " (" << set.type << ", finished " << FormatLocal(set.stop, tz)
            << ") with its WAL to " << file << " (" << fs::file_size(file) / 1048576
            << " MiB); RESTORE.txt in it says how to restore it\n";
  return Status::Ok();
}

// The scratch folder of the check: leftovers of an interrupted check (its
// marker file says so) are stopped and removed; anything else is refused.
Result<std::string> FreshScratch(const Repo& repo) {
  const std::string& dir = repo.settings().scratch_dir;
  if (fs::exists(dir + "/.heat-restore-check")) {
    if (fs::exists(dir + "/data/postmaster.pid")) (void)repo.Pg("pg_ctl", {"-D", dir + "/data", "-m", "immediate", "-w", "stop"});
    HEAT_TRY(backup::RemoveTree(dir));
  }
  bool created = false;
  HEAT_TRY(backup::PrepareTarget(repo, dir, &created).With("backup.scratch_dir"));
  std::ofstream(dir + "/.heat-restore-check") << "a scratch copy made by heatctl db backup check\n";
  HEAT_TRY(backup::PrepareTarget(repo, dir + "/data", &created));
  return dir + "/data";
}

// Restores `label` to the live snapshot's WAL position, runs it and measures it.
Result<backup::Figures> MeasureCopy(cli::Context& ctx, const Repo& repo, const std::string& label,
                                    const backup::Figures& live) {
  HEAT_ASSIGN(std::string out, repo.Run("check"));  // a WAL switch, and waits until it is archived
  HEAT_ASSIGN(std::string data, FreshScratch(repo));
  HEAT_TRY(backup::RestoreInto(repo, label, {"lsn", live.lsn}, data));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows who, db->Query("SELECT current_user, current_database()"));
  const std::string& dir = repo.settings().scratch_dir;
  HEAT_ASSIGN(backup::Scratch copy, backup::Scratch::Start(repo, data, dir, backup::FreePort(), dir + "/server.log"));
  HEAT_ASSIGN(db::Conn conn, db::Conn::Open(copy.Conninfo(who.get(0, 0), who.get(0, 1)), "heatctl-backup-check"));
  return backup::Measure(conn, false);
}

nlohmann::json Detail(const backup::Figures& live, const backup::Comparison& c) {
  nlohmann::json diff = nlohmann::json::array();
  for (const auto& l : c.lines)
    if (!l.match) diff.push_back({{"object", l.object}, {"live", l.live}, {"restored", l.restored}});
  return {{"lsn", live.lsn}, {"tables", live.rows.size()}, {"ledger_sums", live.ledger.size()}, {"differences", diff}};
}

Status Record(db::Conn& db, const std::string& label, bool ok, const nlohmann::json& detail) {
  return db.Exec("INSERT INTO heat.backup_check (label, ok, detail) VALUES ($1, $2, $3::jsonb)",
                 {label, ok ? "true" : "false", detail.dump()});
}

Status BackupCheck(cli::Context& ctx) {
  HEAT_ASSIGN(Repo repo, Repo::Open(Settings::From(ctx.config()), false));
  HEAT_ASSIGN(auto info, repo.Info());
  if (info.sets.empty()) return Status::NotFound("there is no backup to check (heatctl db backup now takes one)");
  const std::string label = info.sets.back().label;
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_TRY(RequireSuperuser(*db, repo.settings()));
  HEAT_ASSIGN(backup::Figures live, backup::Measure(*db, true));
  auto copy = MeasureCopy(ctx, repo, label, live);
  (void)backup::RemoveTree(repo.settings().scratch_dir);
  if (!copy.ok()) {
    HEAT_TRY(Record(*db, label, false, {{"lsn", live.lsn}, {"error", copy.status().message()}}));
    return copy.status().With("restore check of backup " + label);
  }
  backup::Comparison c = backup::Compare(live, *copy);
  cli::Table t;
  t.columns = {"object", "live", "restored", "result"};
  for (const auto& l : c.lines)
    t.Add({cli::Cell{l.object, K::kString}, cli::Cell{l.live, K::kString}, cli::Cell{l.restored, K::kString},
           cli::Cell{std::string(l.match ? "match" : "DIFFERS"), K::kString}});
  if (ctx.format == cli::Format::kTable)
    ctx.out() << "restore check of backup " << label << " replayed to WAL " << live.lsn << ": " << live.rows.size()
              << " tables, " << live.ledger.size() << " ledger sums\n";
  cli::Print(t, ctx.format, ctx.out());
  HEAT_TRY(Record(*db, label, c.ok(), Detail(live, c)));
  if (!c.ok())
    return Status::Failure("restore check of backup " + label + ": " + std::to_string(c.differences) +
                           " figures differ from the live database (stored in heat.backup_check)");
  if (ctx.format == cli::Format::kTable) ctx.out() << "all matched (stored in heat.backup_check)\n";
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> BackupCommands() {
  return {
      {"db backup setup", "create the backup repository and stanza, set archive_command (superuser)", "BIL-30",
       [](CLI::App&) -> cli::Runner { return Setup; }, false},
      {"db backup now", "take a backup now: full, diff, incr, or auto (full on Sundays)", "BIL-30",
       [](CLI::App& app) -> cli::Runner {
         auto type = std::make_shared<std::string>("full");
         app.add_option("--type", *type, "full (default), diff, incr, or auto: full on Sundays or when none, else diff");
         return [type](cli::Context& ctx) { return Now(ctx, *type); };
       },
       false},
      {"db backup list", "the backups in the repository, oldest first", "BIL-30",
       [](CLI::App&) -> cli::Runner { return List; }},
      {"db backup restore", "restore a backup to a point in time into a scratch folder (never the live cluster)",
       "BIL-30",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<RestoreArgs>();
         app.add_option("--to", a->to, "the time to restore to (site time zone); default: the newest archived state");
         app.add_option("--into", a->into, "an absent or empty folder: the restored data directory")->required();
         return [a](cli::Context& ctx) { return Restore(ctx, *a); };
       },
       false},
      {"db backup export", "write the newest backup with its WAL as one tar file to take away", "BIL-30",
       [](CLI::App& app) -> cli::Runner {
         auto file = std::make_shared<std::string>();
         app.add_option("file", *file, "the tar file to write (must not exist)")->required();
         return [file](cli::Context& ctx) { return ExportCmd(ctx, *file); };
       },
       false},
      {"db backup check", "restore the newest backup into a scratch cluster and compare it with the live one",
       "BIL-30", [](CLI::App&) -> cli::Runner { return BackupCheck; }},
  };
}

}  // namespace heat::ctl
