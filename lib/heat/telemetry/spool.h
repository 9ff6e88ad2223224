// telemetry/spool.h — the local spool that makes "nothing acknowledged is
// ever lost" true while PostgreSQL is away (DEV-1, OPS-1).
//
// An append-only file of records [u32 length][u32 crc32][payload], the
// payload a packed batch of readings. Append() returns ok only after the
// record is on disk (fdatasync), so a transport may acknowledge the
// readings once it returns, and never otherwise.
//
// Faults (every file call goes through core/file_ops.h):
// - Open() and Recover() cut a torn or corrupt tail (a crash mid-write:
//   never acknowledged) back to the last complete record, so that later
//   appends are not hidden behind it.
// - A failed or short write is rolled back — truncated to the last good
//   size, then synced — before the error is returned.
// - A failed fdatasync means the record is not known to be on disk
//   ("fsyncgate"): it is not acknowledged, and the file is reopened, cut
//   back to the last good size and checked; it is never just retried.
// - When a rollback or that check fails, the spool is unusable: Append()
//   refuses at once (the daemon stops acknowledging: back-pressure) until
//   Recover() succeeds, e.g. once the disk has room again.
// Not thread-safe: callers serialise all calls (ingest/pipeline.h holds
// its spool_mu_ around each).
#pragma once

#include <cstdint>
#include <string>

#include "heat/core/file_ops.h"
#include "heat/core/status.h"
#include "heat/telemetry/reading.h"

namespace heat::telemetry {

class Spool {
 public:
  // Opens (creating if needed) DIR/spool.log and cuts a torn tail.
  // kFailure if DIR or the file is unusable. `ops` must outlive the spool.
  static Result<Spool> Open(const std::string& dir, FileOps& ops = FileOps::Real());
  Spool(Spool&& o) noexcept;
  Spool& operator=(Spool&& o) noexcept;
  ~Spool();

  Status Append(const Batch& batch);   // durable when it returns ok
  Result<Batch> ReadAll() const;       // complete records, in order
  Status Clear();                      // durable truncate
  // Reopens the file and cuts it back to its last complete record; an
  // unusable spool is usable again when this succeeds.
  Status Recover();

  bool usable() const { return usable_; }
  // Why the spool is unusable, or the last failed append ("" if none).
  const std::string& last_error() const { return last_error_; }
  uint64_t bytes() const { return bytes_; }
  const std::string& path() const { return path_; }

 private:
  Spool(FileOps* ops, std::string path) : ops_(ops), path_(std::move(path)) {}
  Result<std::string> ReadFile() const;
  Status Rollback(const Status& cause);
  Status AfterFailedSync(const Status& cause);
  Status Fail(const Status& cause, bool unusable);

  FileOps* ops_;
  int fd_ = -1;
  std::string path_;
  uint64_t bytes_ = 0;  // the last good size: complete, synced records
  bool usable_ = true;
  std::string last_error_;
};

uint32_t Crc32(const void* data, size_t n);

}  // namespace heat::telemetry
