#include "heat/db/migrate.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace heat::db {
namespace {

constexpr const char* kMetaDdl =
    "CREATE SCHEMA IF NOT EXISTS heat_meta;"
    "CREATE TABLE IF NOT EXISTS heat_meta.schema_migration ("
    "  version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
    "  applied_at timestamptz NOT NULL DEFAULT now(),"
    "  applied_by text NOT NULL DEFAULT session_user)";

struct Applied {
  std::string name, checksum, at, by;
};

Result<std::map<int, Applied>> LoadApplied(Conn& conn) {
  HEAT_ASSIGN(Rows exists, conn.Query("SELECT to_regclass('heat_meta.schema_migration') IS NOT NULL AS e"));
  std::map<int, Applied> out;
  if (!exists.get_bool(0, "e")) return out;
  HEAT_ASSIGN(Rows rows, conn.Query(
      "SELECT version, name, checksum, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SSOF') AS at,"
      " applied_by FROM heat_meta.schema_migration ORDER BY version"));
  for (int i = 0; i < rows.size(); ++i)
    out[static_cast<int>(rows.get_int(i, "version"))] =
        Applied{rows.get(i, "name"), rows.get(i, "checksum"), rows.get(i, "at"), rows.get(i, "applied_by")};
  return out;
}

Result<std::string> Checksum(Conn& conn, const std::string& text) {
  HEAT_ASSIGN(Rows r, conn.Query("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex') AS h", {text}));
  return r.get(0, "h");
}

}  // namespace

int MigrationVersion(const std::string& name) {
  int v = 0;
  size_t i = 0;
  for (; i < name.size() && std::isdigit(static_cast<unsigned char>(name[i])); ++i)
    v = v * 10 + (name[i] - '0');
  return (i == 4 && i < name.size() && name[i] == '_') ? v : 0;
}

Result<std::vector<MigrationState>> MigrationStatus(Conn& conn, const std::vector<Migration>& all) {
  HEAT_ASSIGN(auto applied, LoadApplied(conn));
  std::vector<MigrationState> out;
  for (const auto& m : all) {
    MigrationState s{MigrationVersion(m.name), m.name, "pending", "", ""};
    auto it = applied.find(s.version);
    if (it != applied.end()) {
      HEAT_ASSIGN(std::string sum, Checksum(conn, m.sql));
      s.state = sum == it->second.checksum ? "applied" : "changed";
      s.applied_at = it->second.at;
      s.applied_by = it->second.by;
      applied.erase(it);
    }
    out.push_back(s);
  }
  for (const auto& [v, a] : applied) out.push_back({v, a.name, "unknown", a.at, a.by});
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
  return out;
}

Result<std::vector<std::string>> Migrate(Conn& conn, const std::vector<Migration>& all) {
  HEAT_TRY(conn.Exec("SELECT pg_advisory_lock(hashtext('heat.migrate'))"));
  struct Unlock {
    Conn& c;
    ~Unlock() { (void)c.Exec("SELECT pg_advisory_unlock(hashtext('heat.migrate'))"); }
  } unlock{conn};
  HEAT_TRY(conn.ExecScript(kMetaDdl).With("creating heat_meta.schema_migration"));
  HEAT_ASSIGN(auto states, MigrationStatus(conn, all));
  for (const auto& s : states) {
    if (s.state == "changed")
      return Status::Conflict("lib/sql/" + s.name + " was changed after it was applied on " +
                              s.applied_at + "; restore it and add a new migration instead");
    if (s.state == "unknown")
      return Status::Conflict("the database has migration " + s.name +
                              ", which this build does not know; use a newer build");
  }
  std::vector<std::string> done;
  for (const auto& m : all) {
    auto it = std::find_if(states.begin(), states.end(),
                           [&](auto& s) { return s.name == m.name; });
    if (it == states.end() || it->state != "pending") continue;
    if (MigrationVersion(m.name) == 0)
      return Status::Usage(std::string("migration file name must be NNNN_name.sql: ") + m.name);
    HEAT_ASSIGN(std::string sum, Checksum(conn, m.sql));
    auto tx = Transaction::Start(conn);
    if (!tx.ok()) return tx.status();
    HEAT_TRY(conn.ExecScript(m.sql).With(std::string("lib/sql/") + m.name));
    HEAT_TRY(conn.Exec("INSERT INTO heat_meta.schema_migration (version, name, checksum) "
                       "VALUES ($1, $2, $3)",
                       {std::to_string(MigrationVersion(m.name)), m.name, sum}));
    HEAT_TRY((*tx)->Commit());
    done.push_back(m.name);
  }
  return done;
}

}  // namespace heat::db
