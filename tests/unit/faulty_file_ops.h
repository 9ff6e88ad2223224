// A file-operations seam for tests (core/file_ops.h): the real calls, with
// the faults of a full or failing disk injected on request. The one
// recorded exception to "fakes only for the clock and vendors" (heat(7)).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <limits>

#include "heat/core/file_ops.h"

namespace heat {

// Injects the faults of a full or failing disk into the real calls. The
// knobs are atomic: a test sets them while a daemon thread writes.
class FaultyOps : public FileOpsWrapper {
 public:
  static constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();
  std::atomic<uint64_t> space{kUnlimited};  // bytes writable, then full_errno
  std::atomic<int> full_errno{ENOSPC};
  std::atomic<int> sync_errno{0};           // the next fdatasync fails with this
  std::atomic<bool> truncate_fails{false};
  std::atomic<bool> crash_on_sync{false};   // the next sync "crashes": see Sync
  std::atomic<int> writes{0}, opens{0};

  Result<int> Open(const std::string& path, int flags, mode_t mode) override {
    opens++;
    return Dead() ? Fail("open") : FileOpsWrapper::Open(path, flags, mode);
  }
  Result<size_t> Write(int fd, const void* data, size_t n) override {
    writes++;
    if (Dead()) return Fail("write");
    if (space == 0) return Fail("write", full_errno);
    auto w = FileOpsWrapper::Write(fd, data, std::min<uint64_t>(n, space.load()));
    if (w.ok() && space != kUnlimited) space -= *w;
    return w;
  }
  // A crash between write and sync: only part of what was written since
  // the last sync reached the disk, and the process is gone (every later
  // call fails).
  Status Sync(int fd) override {
    if (crash_on_sync) {
      uint64_t size = *FileOpsWrapper::Size(fd);
      EXPECT_TRUE(FileOpsWrapper::Truncate(fd, synced_ + (size - synced_) / 2).ok());
      dead_ = true;
    }
    if (int e = sync_errno.exchange(0); e != 0 || Dead()) return Fail("fdatasync", e ? e : EIO);
    Status st = FileOpsWrapper::Sync(fd);
    if (st.ok()) synced_ = *FileOpsWrapper::Size(fd);
    return st;
  }
  Status Truncate(int fd, uint64_t size) override {
    if (truncate_fails || Dead()) return Fail("ftruncate", EIO);
    return FileOpsWrapper::Truncate(fd, size);
  }

 private:
  bool Dead() const { return dead_; }
  static Status Fail(const char* what, int e = EIO) {
    return Status::Failure(std::string(what) + ": " + std::strerror(e));
  }
  uint64_t synced_ = 0;
  std::atomic<bool> dead_{false};
};

}  // namespace heat
