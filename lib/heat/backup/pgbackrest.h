// backup/pgbackrest.h — the heat cluster's pgBackRest repository (BIL-30).
//
// heat.yaml's backup.* options are the one source of the setup: from them
// heatctl writes BACKUP.REPO/pgbackrest.conf (stanza, retention, the
// cluster's data directory, port and socket, lock and log folders inside
// the repository) before every use, and passes --config with it, so the
// file PostgreSQL's archive_command and archive-get name never drifts
// from heat.yaml. pgbackrest runs as the cluster's OS user (backup/run.h).
//
// Errors say what to do: pgbackrest missing, the repository missing or not
// writable by the cluster's user, the stanza not created.
#pragma once

#include <string>
#include <vector>

#include "heat/backup/info.h"
#include "heat/backup/run.h"
#include "heat/core/config.h"

namespace heat::backup {

struct Settings {
  std::string repo, stanza, pg_data, pg_socket, pg_bin, scratch_dir;
  int pg_port = 5432;
  int full_keep = 2;
  static Settings From(const Config& c);
  std::string ConfigFile() const { return repo + "/pgbackrest.conf"; }
  // The archive_command PostgreSQL runs for every finished WAL segment.
  std::string ArchiveCommand() const;
};

// pgbackrest.conf for these settings.
std::string ConfigText(const Settings& s);

class Repo {
 public:
  // Checks pgbackrest is installed and finds the cluster's OS user. With
  // `create`, makes the repository folder (owned by that user) when it is
  // missing; without, a missing one is kNotFound. Writes pgbackrest.conf.
  static Result<Repo> Open(const Settings& s, bool create);

  const Settings& settings() const { return s_; }
  const OsUser& user() const { return user_; }

  // pgbackrest --config=... --stanza=... COMMAND ARGS..., as the cluster's
  // user; its stdout, or a Status made from its error.
  Result<std::string> Run(const std::string& command, const std::vector<std::string>& args = {}) const;
  // The stanza's info; kNotFound when the stanza was not created.
  Result<StanzaInfo> Info() const;
  // A program of the cluster's PostgreSQL (backup.pg_bin), as its user.
  Result<Output> Pg(const std::string& program, const std::vector<std::string>& args) const;

 private:
  Repo(Settings s, std::string exe, OsUser u) : s_(std::move(s)), exe_(std::move(exe)), user_(std::move(u)) {}
  Status WriteConfig() const;
  Settings s_;
  std::string exe_;
  OsUser user_;
};

// A Status for a failed pgbackrest run: its ERROR line, with advice for the
// errors people meet (no stanza, permissions).
Status PgBackRestError(const std::string& command, const Output& o, const Settings& s);

}  // namespace heat::backup
