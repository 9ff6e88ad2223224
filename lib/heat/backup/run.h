// backup/run.h — running the programs a backup needs (pgbackrest, pg_ctl,
// pg_controldata, tar) by fork/exec with an argument vector: no shell ever
// sees a path or a time a person typed (BIL-30).
//
// PostgreSQL's files belong to the cluster's OS user (the owner of its data
// directory), and pgbackrest must run as that user: PostgreSQL runs its
// archive_command as that user too, so a backup taken as root would leave
// files the archiver cannot write beside. Run as root, a command given an
// OsUser switches to it in the child (setgid, initgroups, setuid) before
// exec; run as anyone else it runs as the caller, who must be that user.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "heat/core/status.h"

namespace heat::backup {

struct OsUser {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
};

// The owner of `path` (a cluster's data directory). kNotFound when it does
// not exist; kPermission when the caller is neither root nor that user.
Result<OsUser> OwnerOf(const std::string& path);

// The full path of `program` in PATH (or itself when it holds a '/');
// kNotFound "PROGRAM is not installed (HINT)" otherwise.
Result<std::string> FindProgram(const std::string& program, const std::string& hint);

struct Output {
  int exit_code = 0;  // 128 + signal when killed by one
  std::string out, err;
};

// Runs argv[0] (a full path) with argv, as `as` when given and the caller is
// root, in directory "/"; stdin is /dev/null, stdout and stderr are
// captured. A failure to start is a Status; the program's own failure is an
// Output with a non-zero exit_code.
Result<Output> Run(const std::vector<std::string>& argv, const std::optional<OsUser>& as = std::nullopt);

// rm -rf of a directory tree, as the caller (no program run).
Status RemoveTree(const std::string& path);

}  // namespace heat::backup
