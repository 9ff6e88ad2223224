#include "heat/core/file_ops.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace heat {
namespace {

Status Errno(const char* what, int fd) {
  return Status::Failure(std::string(what) + " (fd " + std::to_string(fd) + "): " + std::strerror(errno));
}

class RealFileOps final : public FileOps {
 public:
  Status MakeDir(const std::string& path, mode_t mode) override {
    if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST)
      return Status::Failure("mkdir " + path + ": " + std::strerror(errno));
    return Status::Ok();
  }
  Result<int> Open(const std::string& path, int flags, mode_t mode) override {
    int fd = open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd < 0) return Status::Failure("open " + path + ": " + std::strerror(errno));
    return fd;
  }
  Result<size_t> Write(int fd, const void* data, size_t n) override {
    for (;;) {
      ssize_t w = write(fd, data, n);
      if (w >= 0) return static_cast<size_t>(w);
      if (errno != EINTR) return Errno("write", fd);
    }
  }
  Result<size_t> ReadAt(int fd, void* data, size_t n, uint64_t offset) override {
    for (;;) {
      ssize_t r = pread(fd, data, n, static_cast<off_t>(offset));
      if (r >= 0) return static_cast<size_t>(r);
      if (errno != EINTR) return Errno("read", fd);
    }
  }
  Status Sync(int fd) override { return fdatasync(fd) == 0 ? Status::Ok() : Errno("fdatasync", fd); }
  Status Truncate(int fd, uint64_t size) override {
    return ftruncate(fd, static_cast<off_t>(size)) == 0 ? Status::Ok() : Errno("ftruncate", fd);
  }
  Result<uint64_t> Size(int fd) override {
    struct stat st {};
    if (fstat(fd, &st) != 0) return Errno("fstat", fd);
    return static_cast<uint64_t>(st.st_size);
  }
  void Close(int fd) override { close(fd); }
};

}  // namespace

FileOps& FileOps::Real() {
  static RealFileOps real;
  return real;
}

Status WriteAll(FileOps& ops, int fd, const void* data, size_t n) {
  const auto* p = static_cast<const char*>(data);
  for (size_t done = 0; done < n;) {
    HEAT_ASSIGN(size_t w, ops.Write(fd, p + done, n - done));
    // write(2) returning 0 for a nonzero count means no progress: treat it
    // as the disk being full rather than spinning.
    if (w == 0) return Status::Failure("write (fd " + std::to_string(fd) + "): no progress");
    done += w;
  }
  return Status::Ok();
}

}  // namespace heat
