// core/file_ops.h — the file operations under every file a daemon writes
// (the spool first), behind one small interface: leveldb's Env idea
// (DEV-1, OPS-1).
//
// FileOps::Real() is the process-wide default: the plain system calls.
// Tests wrap it (FileOpsWrapper forwards everything; override what should
// fail) to inject short writes, ENOSPC, EIO on write or on fdatasync, and a
// crash between write and sync. This seam is the one recorded exception to
// "fakes only for the clock and outside vendors" (heat(7), DESIGN §7).
//
// Errors come back as a Status whose message names the operation, the file
// and strerror(errno). Write() may be short, as write(2) may; WriteAll()
// loops and fails on the first error. Implementations must be safe to call
// from several threads on different descriptors; Real() keeps no state.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "heat/core/status.h"

namespace heat {

class FileOps {
 public:
  virtual ~FileOps() = default;
  static FileOps& Real();

  // mkdir(2); an existing directory is fine.
  virtual Status MakeDir(const std::string& path, mode_t mode) = 0;
  // open(2) with O_CLOEXEC added; returns the descriptor.
  virtual Result<int> Open(const std::string& path, int flags, mode_t mode) = 0;
  // One write(2), retried on EINTR: the bytes written, possibly fewer than n.
  virtual Result<size_t> Write(int fd, const void* data, size_t n) = 0;
  // One pread(2), retried on EINTR: 0 at the end of the file.
  virtual Result<size_t> ReadAt(int fd, void* data, size_t n, uint64_t offset) = 0;
  // fdatasync(2). After a failure the written data is NOT known to be on
  // disk, and retrying does not make it so (PostgreSQL's "fsyncgate").
  virtual Status Sync(int fd) = 0;
  virtual Status Truncate(int fd, uint64_t size) = 0;
  virtual Result<uint64_t> Size(int fd) = 0;
  virtual void Close(int fd) = 0;
};

// Forwards every call to `target`; tests derive from it and override the
// calls they make fail.
class FileOpsWrapper : public FileOps {
 public:
  explicit FileOpsWrapper(FileOps& target = FileOps::Real()) : target_(target) {}
  Status MakeDir(const std::string& path, mode_t mode) override { return target_.MakeDir(path, mode); }
  Result<int> Open(const std::string& path, int flags, mode_t mode) override {
    return target_.Open(path, flags, mode);
  }
  Result<size_t> Write(int fd, const void* data, size_t n) override { return target_.Write(fd, data, n); }
  Result<size_t> ReadAt(int fd, void* data, size_t n, uint64_t offset) override {
    return target_.ReadAt(fd, data, n, offset);
  }
  Status Sync(int fd) override { return target_.Sync(fd); }
  Status Truncate(int fd, uint64_t size) override { return target_.Truncate(fd, size); }
  Result<uint64_t> Size(int fd) override { return target_.Size(fd); }
  void Close(int fd) override { target_.Close(fd); }

 private:
  FileOps& target_;
};

// Writes all n bytes, looping over short writes; fails on the first error
// (then some prefix may have been written: the caller rolls back).
Status WriteAll(FileOps& ops, int fd, const void* data, size_t n);

}  // namespace heat
