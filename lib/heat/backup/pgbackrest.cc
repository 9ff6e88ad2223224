#include "heat/backup/pgbackrest.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "heat/core/file.h"
#include "heat/core/text.h"

namespace heat::backup {

Settings Settings::From(const Config& c) {
  Settings s;
  s.repo = c.str("backup.repo");
  s.stanza = c.str("backup.stanza");
  s.pg_data = c.str("backup.pg_data");
  s.pg_socket = c.str("backup.pg_socket");
  s.pg_bin = c.str("backup.pg_bin");
  s.scratch_dir = c.str("backup.scratch_dir");
  s.pg_port = static_cast<int>(c.integer("backup.pg_port"));
  s.full_keep = static_cast<int>(c.integer("backup.full_keep"));
  return s;
}

std::string Settings::ArchiveCommand() const {
  return "pgbackrest --config=" + ConfigFile() + " --stanza=" + stanza + " archive-push %p";
}

std::string ConfigText(const Settings& s) {
  std::ostringstream o;
  o << "# Written by heatctl from heat.yaml (backup.*) before every use: change heat.yaml,\n"
    << "# not this file (heat-admin(8)).\n"
    << "[global]\n"
    << "repo1-path=" << s.repo << "\n"
    << "repo1-retention-full=" << s.full_keep << "\n"
    << "lock-path=" << s.repo << "/lock\n"
    << "log-path=" << s.repo << "/log\n"
    << "log-level-console=warn\n"
    << "log-level-file=info\n"
    << "start-fast=y\n"
    << "archive-timeout=120\n\n"
    << "[" << s.stanza << "]\n"
    << "pg1-path=" << s.pg_data << "\n"
    << "pg1-port=" << s.pg_port << "\n"
    << "pg1-socket-path=" << s.pg_socket << "\n";
  return o.str();
}

namespace {

// Whether `u` may write into the folder `st` describes.
bool Writable(const struct stat& st, const OsUser& u) {
  if (st.st_uid == u.uid) return st.st_mode & S_IWUSR;
  if (st.st_gid == u.gid) return st.st_mode & S_IWGRP;
  return st.st_mode & S_IWOTH;
}

Status MakeOwnedDir(const std::string& path, const OsUser& u, mode_t mode) {
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) return ErrnoStatus("cannot create " + path, errno);
  if (::geteuid() == 0 && ::chown(path.c_str(), u.uid, u.gid) != 0) return ErrnoStatus("chown " + path, errno);
  return Status::Ok();
}

Status CheckRepo(const Settings& s, const OsUser& u, bool create) {
  struct stat st {};
  if (::stat(s.repo.c_str(), &st) != 0) {
    if (errno != ENOENT) return ErrnoStatus(s.repo, errno);
    if (!create)
      return Status::NotFound("backup repository " + s.repo +
                              " does not exist (backup.repo): heatctl db backup setup creates it");
    HEAT_TRY(MakeOwnedDir(s.repo, u, 0750));
    if (::stat(s.repo.c_str(), &st) != 0) return ErrnoStatus(s.repo, errno);
  }
  if (!S_ISDIR(st.st_mode)) return Status::Usage("backup.repo " + s.repo + " is not a folder");
  if (!Writable(st, u))
    return Status::Permission("backup repository " + s.repo + " is not writable by the cluster's OS user " + u.name +
                              " (chown " + u.name + " " + s.repo + ")");
  for (const char* sub : {"/lock", "/log"}) HEAT_TRY(MakeOwnedDir(s.repo + sub, u, 0750));
  return Status::Ok();
}

}  // namespace

Result<Repo> Repo::Open(const Settings& s, bool create) {
  HEAT_ASSIGN(std::string exe, FindProgram("pgbackrest", "apt-get install pgbackrest"));
  auto owner = OwnerOf(s.pg_data);
  if (!owner.ok())
    return owner.status().code() == Code::kNotFound
               ? Status::NotFound("the cluster's data directory " + s.pg_data + " does not exist (backup.pg_data)")
               : owner.status();
  HEAT_TRY(CheckRepo(s, *owner, create));
  Repo r(s, exe, *owner);
  HEAT_TRY(r.WriteConfig());
  return r;
}

Status Repo::WriteConfig() const {
  std::string want = ConfigText(s_), path = s_.ConfigFile();
  std::ifstream in(path);
  std::stringstream have;
  have << in.rdbuf();
  if (in && have.str() == want) return Status::Ok();
  std::string tmp = path + ".new";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << want;
    if (!out.flush()) return Status::Permission("cannot write " + tmp);
  }
  if (::geteuid() == 0 && ::chown(tmp.c_str(), user_.uid, user_.gid) != 0) return ErrnoStatus("chown " + tmp, errno);
  ::chmod(tmp.c_str(), 0640);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return ErrnoStatus("cannot write " + path, errno);
  return Status::Ok();
}

Status PgBackRestError(const std::string& command, const Output& o, const Settings& s) {
  std::string line;
  for (const std::string& l : Split(o.err + o.out, '\n'))
    if (l.rfind("ERROR:", 0) == 0 || (line.empty() && !Trim(l).empty() && l.rfind("WARN", 0) != 0)) line = Trim(l);
  std::string what = "pgbackrest " + command + " failed (exit " + std::to_string(o.exit_code) + "): " + line;
  std::string all = o.err + o.out;
  if (all.find("[055]") != std::string::npos || all.find("does this stanza exist") != std::string::npos)
    return Status::NotFound(what + "; the stanza " + s.stanza + " is not created: run heatctl db backup setup");
  if (all.find("Permission denied") != std::string::npos) return Status::Permission(what);
  return Status::Failure(what);
}

Result<std::string> Repo::Run(const std::string& command, const std::vector<std::string>& args) const {
  // stdout carries only what the command prints (info's JSON); warnings and
  // errors go to stderr, progress to the log folder.
  std::vector<std::string> argv = {exe_, "--config=" + s_.ConfigFile(), "--stanza=" + s_.stanza,
                                   "--log-level-console=off", "--log-level-stderr=warn"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(command);
  HEAT_ASSIGN(Output o, backup::Run(argv, user_));
  if (o.exit_code != 0) return PgBackRestError(command, o, s_);
  return o.out;
}

Result<StanzaInfo> Repo::Info() const {
  HEAT_ASSIGN(std::string json, Run("info", {"--output=json"}));
  HEAT_ASSIGN(StanzaInfo info, ParseInfo(json, s_.stanza));
  if (info.status_code == 1)
    return Status::NotFound("the stanza " + s_.stanza + " is not created in " + s_.repo +
                            ": run heatctl db backup setup");
  return info;
}

Result<Output> Repo::Pg(const std::string& program, const std::vector<std::string>& args) const {
  HEAT_ASSIGN(std::string exe, FindProgram(s_.pg_bin + "/" + program, "backup.pg_bin: PostgreSQL's programs"));
  std::vector<std::string> argv = {exe};
  argv.insert(argv.end(), args.begin(), args.end());
  return backup::Run(argv, user_);
}

}  // namespace heat::backup
