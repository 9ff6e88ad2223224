// backup/export.h — the downloadable backup (BIL-30): one tar file a person
// can take away and restore with pgbackrest alone, no heat installation.
//
// It is a small pgBackRest repository: the newest backup set and the sets
// it builds on (a differential needs its full), the WAL segments from the
// set's start to its end (what makes it consistent), the stanza's
// backup.info and archive.info, timeline history files, the
// pgbackrest.conf it was made with, and RESTORE.txt with the commands that
// restore it (heat-admin(8), RESTORING AN EXPORT). The repository's files
// are already compressed, so the tar is not. The file is mode 0600: it
// holds the whole database.
#pragma once

#include <string>

#include "heat/backup/pgbackrest.h"

namespace heat::backup {

// Writes the export of the newest set of `info` to `file`; refused when
// `file` exists. Returns the set exported.
Result<BackupSet> Export(const Repo& repo, const StanzaInfo& info, const std::string& file);

// RESTORE.txt for a set.
std::string RestoreText(const Settings& s, const BackupSet& set);

}  // namespace heat::backup
