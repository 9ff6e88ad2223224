// backup/info.h — what the backup repository holds, read from
// `pgbackrest info --output=json` (BIL-30), and the choices made from it:
// which backup set a point in time is restored from, which sets and WAL
// segments an export must carry. Pure functions over the parsed text, so
// they are tested without a repository (tests/unit/backup_info_test.cc);
// the parser takes any bytes (tests/fuzz/backup_info_fuzz.cc).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "heat/core/status.h"

namespace heat::backup {

struct BackupSet {
  std::string label;   // "20261207-025220F"
  std::string type;    // full, diff or incr
  std::string prior;   // the set it builds on; "" for a full
  std::vector<std::string> references;  // every set whose files it uses
  int64_t start = 0, stop = 0;          // epoch seconds; consistent from stop on
  std::string wal_start, wal_stop;      // first and last WAL segment it needs
  std::string archive_id;               // "15-1": the WAL folder of its database
  int64_t size = 0, repo_size = 0;      // bytes: the cluster, and stored (compressed)
};

struct StanzaInfo {
  std::string name;
  int status_code = 0;         // pgbackrest's: 0 ok, 1 missing stanza path, 2 no valid backups, ...
  std::string status_message;
  std::vector<BackupSet> sets;  // oldest first, sets with errors left out
  std::string wal_min, wal_max; // the archived WAL of the current database
};

// The stanza `stanza` of the info JSON; kNotFound when the JSON has no such
// stanza, kFailure when it is not pgbackrest's info JSON.
Result<StanzaInfo> ParseInfo(std::string_view json, const std::string& stanza);

// The newest set consistent at `target` (its stop at or before it): the one
// a point-in-time restore to `target` starts from. kUsage when `target` is
// before the oldest set's stop (`shown` formats times for the message) or
// when there is no backup at all.
Result<BackupSet> SetForTime(const StanzaInfo& info, int64_t target,
                             const std::function<std::string(int64_t)>& shown);

// The labels of the sets a restore of `set` reads: its references, then it.
std::vector<std::string> SetChain(const BackupSet& set);

// Whether an archived WAL file (a name in the archive folder, such as
// "000000010000000000000002-<sha1>.gz") is one of the segments from
// `first` to `last` of the same timeline: what makes a set consistent.
bool WalFileInRange(std::string_view file, const std::string& first, const std::string& last);

}  // namespace heat::backup
