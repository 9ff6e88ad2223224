// db/migrate.h — schema migrations from lib/sql/NNNN_name.sql.
//
// The files are compiled into the library (cmake/sql_bundle.cmake). Each
// applied file is recorded in heat_meta.schema_migration with the SHA-256 of
// its text; the runner refuses to go on when an applied file has changed
// since (write a new migration instead) or when the database holds a version
// this build does not know. Each file runs in its own transaction, under an
// advisory lock so two runners never interleave. Applying needs the owner
// of the database (a superuser in the private cluster).
#pragma once

#include <string>
#include <vector>

#include "heat/db/conn.h"

namespace heat::db {

struct Migration {
  const char* name;  // "0001_core.sql"
  const char* sql;
};

const std::vector<Migration>& BundledMigrations();

struct MigrationState {
  int version = 0;
  std::string name;
  std::string state;       // applied | pending | changed | unknown
  std::string applied_at;  // empty when pending
  std::string applied_by;
};

// Version number of "0001_core.sql" -> 1; 0 when the name has no number.
int MigrationVersion(const std::string& name);

// What is applied, pending or changed, in version order.
Result<std::vector<MigrationState>> MigrationStatus(Conn& conn,
                                                    const std::vector<Migration>& all);

// Applies every pending migration; returns the names applied (may be none).
Result<std::vector<std::string>> Migrate(Conn& conn, const std::vector<Migration>& all);

}  // namespace heat::db
