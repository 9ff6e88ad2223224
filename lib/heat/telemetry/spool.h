// telemetry/spool.h — the local spool that makes "nothing acknowledged is
// ever lost" true while PostgreSQL is away (issue 3 §4).
//
// An append-only file of records [u32 length][u32 crc32][payload], the
// payload a packed batch of readings. Append() returns only after the
// record is on disk (fdatasync), so a transport may acknowledge the
// readings once it returns. After a crash, ReadAll() returns every complete
// record; a torn record at the tail (the crash hit mid-write, so it was
// never acknowledged) and anything after it are dropped. Once everything
// read has been committed to PostgreSQL, Clear() empties the spool.
// One writer at a time: the daemon's writer thread owns its spool.
#pragma once

#include <cstdint>
#include <string>

#include "heat/core/status.h"
#include "heat/telemetry/reading.h"

namespace heat::telemetry {

class Spool {
 public:
  // Opens (creating if needed) DIR/spool.log. kFailure if DIR is unusable.
  static Result<Spool> Open(const std::string& dir);
  Spool(Spool&& o) noexcept;
  Spool& operator=(Spool&& o) noexcept;
  ~Spool();

  Status Append(const Batch& batch);   // durable when it returns ok
  Result<Batch> ReadAll() const;       // complete records, in order
  Status Clear();                      // durable truncate
  uint64_t bytes() const { return bytes_; }
  const std::string& path() const { return path_; }

 private:
  Spool(int fd, std::string path, uint64_t bytes) : fd_(fd), path_(std::move(path)), bytes_(bytes) {}
  int fd_ = -1;
  std::string path_;
  uint64_t bytes_ = 0;
};

uint32_t Crc32(const void* data, size_t n);

}  // namespace heat::telemetry
