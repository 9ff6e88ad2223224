#include "heat/core/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace heat {

Status ErrnoStatus(const std::string& what, int err) {
  std::string m = what + ": " + std::strerror(err);
  if (err == ENOENT || err == ENOTDIR) return Status::NotFound(m);
  if (err == EACCES || err == EPERM || err == EROFS) return Status::Permission(m);
  return Status::Failure(m);
}

Result<std::string> ReadRegularFile(const std::string& path, size_t max_bytes, const std::string& advice) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(path, errno);
  struct stat st;
  Status s;
  if (::fstat(fd, &st) != 0) s = ErrnoStatus(path, errno);
  else if (S_ISDIR(st.st_mode)) s = Status::Usage(path + ": a directory, not a file");
  else if (!S_ISREG(st.st_mode)) s = Status::Failure(path + ": not a regular file");
  else if (static_cast<size_t>(st.st_size) > max_bytes) {
    std::string limit = max_bytes >= (1u << 20) ? std::to_string(max_bytes >> 20) + " MB" : std::to_string(max_bytes) + " bytes";
    s = Status::Usage(path + ": larger than " + limit + "; " + advice);
  }
  std::string data;
  if (s.ok()) data.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (s.ok() && got < data.size()) {
    ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) s = ErrnoStatus(path, errno);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (!s.ok()) return s;
  data.resize(got);  // the file shrank while we read: take what is there
  return data;
}

Result<std::string> ReadSecretFile(const std::string& path, size_t max_bytes) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(path, errno);
  if (S_ISREG(st.st_mode) && (st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status::Permission(path + ": mode " + mode + " lets group or others read a secret; chmod 600 (or 400) it");
  }
  return ReadRegularFile(path, max_bytes, "a secret is a short file");
}

Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return ErrnoStatus(path, errno);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  int err = done < bytes.size() ? errno : 0;
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  ::fchmod(fd, 0644);
  ::close(fd);
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    return ErrnoStatus(path, err ? err : EIO);
  }
  return Status::Ok();
}

}  // namespace heat
