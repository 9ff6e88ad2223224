#include "heat/backup/export.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "heat/core/file.h"
#include "heat/core/text.h"
#include "heat/core/time.h"

namespace heat::backup {
namespace {

namespace fs = std::filesystem;

// Repository paths (relative to backup.repo) the set needs.
Result<std::vector<std::string>> RepoFiles(const Settings& s, const BackupSet& set) {
  std::string b = "backup/" + s.stanza, a = "archive/" + s.stanza;
  std::vector<std::string> files = {b + "/backup.info", b + "/backup.info.copy", a + "/archive.info",
                                    a + "/archive.info.copy"};
  for (const std::string& label : SetChain(set)) files.push_back(b + "/" + label);
  std::error_code ec;
  std::string wal_dir = a + "/" + set.archive_id;
  for (const auto& e : fs::directory_iterator(s.repo + "/" + wal_dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.size() > 8 && name.substr(name.size() - 8) == ".history") files.push_back(wal_dir + "/" + name);
    if (!e.is_directory() || name.size() != 16 || name < set.wal_start.substr(0, 16) ||
        name > set.wal_stop.substr(0, 16))
      continue;
    for (const auto& w : fs::directory_iterator(e.path(), ec))
      if (WalFileInRange(w.path().filename().string(), set.wal_start, set.wal_stop))
        files.push_back(wal_dir + "/" + name + "/" + w.path().filename().string());
  }
  if (ec) return Status::Failure("cannot read " + s.repo + "/" + wal_dir + ": " + ec.message());
  return files;
}

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out.flush()) return Status::Failure("cannot write " + path);
  return Status::Ok();
}

}  // namespace

std::string RestoreText(const Settings& s, const BackupSet& set) {
  return "A heat database backup (heat-admin(8), RESTORING AN EXPORT): pgBackRest backup set " + set.label +
         " (" + set.type + ") of the stanza " + s.stanza + ", finished " + FormatUtcNaive(set.stop) +
         " UTC,\nwith the WAL that makes it consistent. PostgreSQL 15 and pgbackrest restore it, as the OS user\n"
         "the restored cluster is to run as, into an empty folder NEWDATA:\n\n"
         "  mkdir R && tar -xf THIS-FILE -C R\n"
         "  pgbackrest --config=$PWD/R/pgbackrest.conf --repo1-path=$PWD/R --pg1-path=NEWDATA \\\n"
         "    --lock-path=/tmp --log-path=/tmp --stanza=" + s.stanza + " --set=" + set.label + " \\\n"
         "    --type=immediate --target-action=promote --archive-mode=off restore\n"
         "  pg_ctl -D NEWDATA -o '-c max_connections=N' start\n\n"
         "N at least the original's max_connections (pg_controldata NEWDATA shows it). Keep R until\n"
         "the cluster has started: it reads its WAL from there.\n";
}

Result<BackupSet> Export(const Repo& repo, const StanzaInfo& info, const std::string& file) {
  if (info.sets.empty()) return Status::NotFound("there is no backup to export (heatctl db backup now takes one)");
  const BackupSet& set = info.sets.back();
  std::error_code ec;
  if (fs::exists(file, ec)) return Status::Conflict(file + " exists: export writes a new file");
  HEAT_ASSIGN(std::vector<std::string> files, RepoFiles(repo.settings(), set));
  HEAT_ASSIGN(std::string tar, FindProgram("tar", "apt-get install tar"));
  std::string part = file + ".part";
  int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus(part, errno);
  ::close(fd);
  char tmpl[] = "/tmp/heat-export-XXXXXX";
  if (!::mkdtemp(tmpl)) return ::unlink(part.c_str()), ErrnoStatus("mkdtemp", errno);
  std::string stage = tmpl;
  Status s = WriteText(stage + "/RESTORE.txt", RestoreText(repo.settings(), set));
  if (s.ok()) s = WriteText(stage + "/pgbackrest.conf", ConfigText(repo.settings()));
  if (s.ok()) {
    std::vector<std::string> argv = {tar, "--create", "--file=" + fs::absolute(part).string(), "--directory=" + stage,
                                     "RESTORE.txt", "pgbackrest.conf", "--directory=" + repo.settings().repo};
    argv.insert(argv.end(), files.begin(), files.end());
    auto o = Run(argv);
    if (!o.ok()) s = o.status();
    else if (o->exit_code != 0) s = Status::Failure("tar failed (exit " + std::to_string(o->exit_code) + "): " + Trim(o->err));
  }
  (void)RemoveTree(stage);
  if (s.ok() && ::rename(part.c_str(), file.c_str()) != 0) s = ErrnoStatus(file, errno);
  if (!s.ok()) {
    ::unlink(part.c_str());
    return s;
  }
  return set;
}

}  // namespace heat::backup
