// backup/restore.h — restoring a backup set into a scratch data directory
// (BIL-30), never over the live cluster, and running it there.
//
// A restored directory replays archived WAL up to its target when started
// (pgbackrest writes restore_command and the target into its
// postgresql.auto.conf), then promotes; archive_mode is off in it, so a
// scratch copy never pushes WAL into the repository. PostgreSQL refuses to
// replay WAL with max_connections and its kin below the primary's: those
// are taken from the restored pg_control (pg_controldata) and written into
// the copy, with an empty postgresql.conf where the cluster kept its
// configuration elsewhere (Debian's /etc/postgresql), so the copy starts
// as it is.
#pragma once

#include <string>

#include "heat/backup/pgbackrest.h"

namespace heat::backup {

// Checks and makes DIR for a restore: refused when it is, holds or lies in
// the live data directory (backup.pg_data) or is a non-empty folder;
// created (mode 0700, owned by the cluster's user) when absent, and
// `*created` says so. Nothing is made when it is refused.
Status PrepareTarget(const Repo& repo, const std::string& dir, bool* created);

struct Target {
  std::string type = "default";  // default (end of the archive), time, lsn, immediate
  std::string value;             // time as "YYYY-MM-DD HH:MM:SS+00", or an LSN
};

// Restores `label` into the prepared `dir` to `target` and makes the copy
// startable (see above).
Status RestoreInto(const Repo& repo, const std::string& label, const Target& target, const std::string& dir);

// A restored copy run on a Unix socket only, in its own folder.
class Scratch {
 public:
  // Starts the copy in `data` with its socket in `sock_dir` on `port`,
  // and waits until it has replayed to its target and promoted.
  static Result<Scratch> Start(const Repo& repo, const std::string& data, const std::string& sock_dir, int port,
                               const std::string& log_file);
  Scratch(Scratch&& o) noexcept : repo_(o.repo_), data_(std::move(o.data_)), sock_(o.sock_), port_(o.port_) {
    o.data_.clear();
  }
  Scratch& operator=(Scratch&&) = delete;
  ~Scratch();  // fast shutdown
  std::string Conninfo(const std::string& user, const std::string& dbname) const;

 private:
  Scratch(const Repo& r, std::string data, std::string sock, int port)
      : repo_(&r), data_(std::move(data)), sock_(std::move(sock)), port_(port) {}
  const Repo* repo_;
  std::string data_, sock_;
  int port_;
};

// A TCP port nobody listens on at 127.0.0.1 (the copy's socket file name).
int FreePort();

}  // namespace heat::backup
