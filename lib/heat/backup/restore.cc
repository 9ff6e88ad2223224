#include "heat/backup/restore.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "heat/core/file.h"
#include "heat/core/text.h"

namespace heat::backup {
namespace {

namespace fs = std::filesystem;

// The canonical form of a path that may not exist yet (its parent must).
std::string Canonical(const std::string& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::absolute(p), ec);
  return ec ? p : c.lexically_normal().string();
}

bool Within(const std::string& inner, const std::string& outer) {
  std::string a = Canonical(inner), b = Canonical(outer);
  while (a.size() > 1 && a.back() == '/') a.pop_back();
  while (b.size() > 1 && b.back() == '/') b.pop_back();
  return a == b || (a.size() > b.size() && a.compare(0, b.size(), b) == 0 && a[b.size()] == '/');
}

// Appends `text` to the copy's postgresql.auto.conf, where later lines win.
Status AppendAutoConf(const std::string& dir, const std::string& text) {
  std::ofstream out(dir + "/postgresql.auto.conf", std::ios::app);
  out << "\n# Added by heatctl db backup (heat-admin(8)): a scratch copy of the heat cluster.\n" << text;
  if (!out.flush()) return Status::Failure("cannot write " + dir + "/postgresql.auto.conf");
  return Status::Ok();
}

// The settings WAL replay needs at least at the primary's values.
Result<std::string> ReplaySettings(const Repo& repo, const std::string& dir) {
  HEAT_ASSIGN(Output o, repo.Pg("pg_controldata", {"-D", dir}));
  if (o.exit_code != 0) return Status::Failure("pg_controldata " + dir + ": " + Trim(o.err));
  static const std::pair<const char*, const char*> kMap[] = {
      {"max_connections setting:", "max_connections"},
      {"max_worker_processes setting:", "max_worker_processes"},
      {"max_wal_senders setting:", "max_wal_senders"},
      {"max_prepared_xacts setting:", "max_prepared_transactions"},
      {"max_locks_per_xact setting:", "max_locks_per_transaction"}};
  std::string text;
  for (const std::string& line : Split(o.out, '\n'))
    for (const auto& [label, guc] : kMap)
      if (line.rfind(label, 0) == 0) text += std::string(guc) + " = " + Trim(line.substr(strlen(label))) + "\n";
  return text + "archive_mode = 'off'\n";
}

// Whether the copy has left recovery ("in production" in pg_control).
Result<bool> Promoted(const Repo& repo, const std::string& dir) {
  HEAT_ASSIGN(Output o, repo.Pg("pg_controldata", {"-D", dir}));
  return o.out.find("Database cluster state:               in production") != std::string::npos;
}

}  // namespace

Status PrepareTarget(const Repo& repo, const std::string& dir, bool* created) {
  *created = false;
  const std::string& live = repo.settings().pg_data;
  if (Within(dir, live) || Within(live, dir))
    return Status::Usage("--into " + dir + ": that is the live cluster's data directory (" + live +
                         "); a restore goes into a scratch folder, never over the live cluster");
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return Status::Usage("--into " + dir + ": not a folder");
    if (!fs::is_empty(dir, ec)) return Status::Conflict("--into " + dir + ": the folder is not empty");
  } else {
    if (::mkdir(dir.c_str(), 0700) != 0) return ErrnoStatus("--into " + dir, errno);
    *created = true;
  }
  if (::geteuid() == 0 && ::chown(dir.c_str(), repo.user().uid, repo.user().gid) != 0)
    return ErrnoStatus("chown " + dir, errno);
  if (::chmod(dir.c_str(), 0700) != 0) return ErrnoStatus("chmod " + dir, errno);
  return Status::Ok();
}

Status RestoreInto(const Repo& repo, const std::string& label, const Target& target, const std::string& dir) {
  std::vector<std::string> args = {"--pg1-path=" + Canonical(dir), "--set=" + label, "--type=" + target.type,
                                   "--archive-mode=off"};
  if (target.type != "default") args.push_back("--target-action=promote");
  // An LSN target is the live snapshot's position: nothing at or after it.
  if (target.type == "lsn") args.push_back("--target-exclusive");
  if (!target.value.empty()) args.push_back("--target=" + target.value);
  HEAT_ASSIGN(std::string out, repo.Run("restore", args));
  (void)out;
  // Where the cluster keeps postgresql.conf elsewhere, the copy has none.
  std::string conf = dir + "/postgresql.conf";
  if (!fs::exists(conf)) {
    std::ofstream(conf) << "# empty: the restored cluster's configuration was kept outside its data directory\n";
    if (::geteuid() == 0 && ::chown(conf.c_str(), repo.user().uid, repo.user().gid) != 0)
      return ErrnoStatus("chown " + conf, errno);
  }
  HEAT_ASSIGN(std::string settings, ReplaySettings(repo, dir));
  return AppendAutoConf(dir, settings);
}

Result<Scratch> Scratch::Start(const Repo& repo, const std::string& data, const std::string& sock_dir, int port,
                               const std::string& log_file) {
  // Only this copy's socket, reachable by the caller alone.
  std::ofstream(data + "/pg_hba.conf", std::ios::trunc) << "local all all trust\n";
  HEAT_TRY(AppendAutoConf(data, "port = " + std::to_string(port) + "\nunix_socket_directories = '" + sock_dir +
                                    "'\nlisten_addresses = ''\nhba_file = '" + data + "/pg_hba.conf'\n"));
  HEAT_ASSIGN(Output o, repo.Pg("pg_ctl", {"-D", data, "-l", log_file, "-w", "-t", "3600", "start"}));
  Scratch s(repo, data, sock_dir, port);
  if (o.exit_code != 0) {
    std::ifstream in(log_file);
    std::string line, last;
    while (std::getline(in, line))
      if (line.find("FATAL") != std::string::npos) last = line;
    return Status::Failure("the restored copy did not start: " + (last.empty() ? Trim(o.err) : last) + " (log " +
                           log_file + ")");
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::hours(2);
  while (true) {
    HEAT_ASSIGN(bool done, Promoted(repo, data));
    if (done) break;
    if (std::chrono::steady_clock::now() > deadline)
      return Status::Failure("the restored copy is still replaying WAL after 2 hours (log " + log_file + ")");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return s;
}

Scratch::~Scratch() {
  if (!data_.empty()) (void)repo_->Pg("pg_ctl", {"-D", data_, "-m", "fast", "-w", "stop"});
}

std::string Scratch::Conninfo(const std::string& user, const std::string& dbname) const {
  auto q = [](const std::string& v) {
    std::string o = "'";
    for (char c : v) o += (c == '\'' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return o + "'";
  };
  return "host=" + q(sock_) + " port=" + std::to_string(port_) + " user=" + q(user) + " dbname=" + q(dbname);
}

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t n = sizeof a;
  int port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n) == 0)
    port = ntohs(a.sin_port);
  if (fd >= 0) ::close(fd);
  return port ? port : 55432;
}

}  // namespace heat::backup
