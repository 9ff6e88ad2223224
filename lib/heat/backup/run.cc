#include "heat/backup/run.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "heat/core/file.h"
#include "heat/core/text.h"

namespace heat::backup {

Result<OsUser> OwnerOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(path, errno);
  OsUser u{st.st_uid, st.st_gid, std::to_string(st.st_uid)};
  if (const passwd* pw = ::getpwuid(st.st_uid)) {
    u.name = pw->pw_name;
    u.gid = pw->pw_gid;
  }
  if (::geteuid() != 0 && ::geteuid() != st.st_uid)
    return Status::Permission(path + " belongs to the OS user " + u.name +
                              ": run this as root or as " + u.name);
  return u;
}

Result<std::string> FindProgram(const std::string& program, const std::string& hint) {
  if (program.find('/') != std::string::npos) {
    if (::access(program.c_str(), X_OK) == 0) return program;
    return Status::NotFound(program + " is not installed (" + hint + ")");
  }
  const char* path = std::getenv("PATH");
  for (const std::string& dir : Split(path ? path : "/usr/bin:/bin", ':')) {
    std::string full = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(full.c_str(), X_OK) == 0) return full;
  }
  return Status::NotFound(program + " is not installed (" + hint + ")");
}

namespace {

// In the child: become `as`, wire the pipes, exec. Never returns.
[[noreturn]] void Child(const std::vector<char*>& argv, const std::optional<OsUser>& as, int out, int err) {
  int null = ::open("/dev/null", O_RDONLY);
  if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) _exit(126);
  if (as && ::geteuid() == 0 && as->uid != 0) {
    if (::setgid(as->gid) != 0 || ::initgroups(as->name.c_str(), as->gid) != 0 || ::setuid(as->uid) != 0) {
      dprintf(2, "cannot become the OS user %s: %s\n", as->name.c_str(), strerror(errno));
      _exit(126);
    }
  }
  if (::chdir("/") != 0) _exit(126);
  ::execv(argv[0], argv.data());
  dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
  _exit(127);
}

// Reads both pipes to their end without letting either fill up.
void Drain(int out_fd, int err_fd, Output& o) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&o.out, &o.err};
  int open = 2;
  char buf[65536];
  while (open > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
}

}  // namespace

Result<Output> Run(const std::vector<std::string>& args, const std::optional<OsUser>& as) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return ErrnoStatus("pipe", errno);
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]), ::close(out[1]);
    return ErrnoStatus("pipe", errno);
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
    return ErrnoStatus("fork", errno);
  }
  if (pid == 0) Child(argv, as, out[1], err[1]);
  ::close(out[1]);
  ::close(err[1]);
  Output o;
  Drain(out[0], err[0], o);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return o;
}

Status RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) return Status::Failure("cannot remove " + path + ": " + ec.message());
  return Status::Ok();
}

}  // namespace heat::backup
