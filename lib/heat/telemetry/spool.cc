#include "heat/telemetry/spool.h"

#include <fcntl.h>

#include <array>
#include <cstring>

namespace heat::telemetry {
namespace {

constexpr size_t kReadingBytes = 4 + 8 + 8 + 2;  // point, ts, value, quality
constexpr uint32_t kMaxRecord = 64u << 20;        // 64 MiB: a sane batch bound

void Put(std::string& out, const void* p, size_t n) { out.append(static_cast<const char*>(p), n); }

std::string Encode(const Batch& batch) {
  std::string payload;
  payload.reserve(batch.size() * kReadingBytes);
  for (const auto& r : batch) {
    Put(payload, &r.point_id, 4);
    Put(payload, &r.ts_ms, 8);
    Put(payload, &r.value, 8);
    Put(payload, &r.quality, 2);
  }
  return payload;
}

void Decode(const char* p, size_t n, Batch& out) {
  for (size_t off = 0; off + kReadingBytes <= n; off += kReadingBytes) {
    Reading r;
    std::memcpy(&r.point_id, p + off, 4);
    std::memcpy(&r.ts_ms, p + off + 4, 8);
    std::memcpy(&r.value, p + off + 12, 8);
    std::memcpy(&r.quality, p + off + 20, 2);
    out.push_back(r);
  }
}

// Walks the complete records of `data`: calls fn(payload, len) for each and
// returns the offset just past the last one. A torn or corrupt record can
// only be the unacknowledged tail (see Open): the walk stops there.
template <typename Fn>
uint64_t WalkRecords(const std::string& data, Fn fn) {
  size_t pos = 0;
  while (pos + 8 <= data.size()) {
    uint32_t len, crc;
    std::memcpy(&len, data.data() + pos, 4);
    std::memcpy(&crc, data.data() + pos + 4, 4);
    if (len > kMaxRecord || pos + 8 + len > data.size()) break;
    if (Crc32(data.data() + pos + 8, len) != crc) break;
    fn(data.data() + pos + 8, len);
    pos += 8 + len;
  }
  return pos;
}

}  // namespace

uint32_t Crc32(const void* data, size_t n) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

Result<Spool> Spool::Open(const std::string& dir, FileOps& ops) {
  HEAT_TRY(ops.MakeDir(dir, 0750).With("spool directory"));
  Spool s(&ops, dir + "/spool.log");
  HEAT_TRY(s.Recover());
  return s;
}

Spool::Spool(Spool&& o) noexcept
    : ops_(o.ops_), fd_(o.fd_), path_(std::move(o.path_)), bytes_(o.bytes_), usable_(o.usable_),
      last_error_(std::move(o.last_error_)) {
  o.fd_ = -1;
}

Spool& Spool::operator=(Spool&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ops_->Close(fd_);
    ops_ = o.ops_;
    fd_ = o.fd_;
    path_ = std::move(o.path_);
    bytes_ = o.bytes_;
    usable_ = o.usable_;
    last_error_ = std::move(o.last_error_);
    o.fd_ = -1;
  }
  return *this;
}

Spool::~Spool() {
  if (fd_ >= 0) ops_->Close(fd_);
}

Status Spool::Recover() {
  if (fd_ >= 0) ops_->Close(fd_);
  fd_ = -1;
  auto fd = ops_->Open(path_, O_RDWR | O_CREAT | O_APPEND, 0640);
  if (!fd.ok()) return Fail(fd.status().With("spool"), true);
  fd_ = *fd;
  auto data = ReadFile();
  if (!data.ok()) return Fail(data.status(), true);
  uint64_t good = WalkRecords(*data, [](const char*, size_t) {});
  if (good < data->size()) {
    Status cut = ops_->Truncate(fd_, good);
    if (cut.ok()) cut = ops_->Sync(fd_);
    if (!cut.ok()) return Fail(cut.With("spool " + path_ + ": cutting the torn tail"), true);
  }
  bytes_ = good;
  usable_ = true;
  last_error_.clear();
  return Status::Ok();
}

// Records why an operation failed; `unusable` stops all appends until
// Recover() succeeds. Returns the cause, for the caller to pass on.
Status Spool::Fail(const Status& cause, bool unusable) {
  last_error_ = cause.message();
  if (unusable) usable_ = false;
  return cause;
}

Status Spool::Rollback(const Status& cause) {
  Status st = ops_->Truncate(fd_, bytes_);
  if (st.ok()) st = ops_->Sync(fd_);
  if (!st.ok()) return Fail(Status::Failure(cause.message() + "; rollback failed: " + st.message()), true);
  return Fail(cause, false);
}

// fsyncgate: after a failed fdatasync the kernel may have dropped the dirty
// pages and will not report the error again, so a retry proves nothing.
// Drop the record (it is not acknowledged), reopen, cut back to the last
// good size and check that what is left reads back complete.
Status Spool::AfterFailedSync(const Status& cause) {
  uint64_t good = bytes_;
  ops_->Close(fd_);
  fd_ = -1;
  auto fd = ops_->Open(path_, O_RDWR | O_APPEND, 0640);
  if (!fd.ok()) return Fail(Status::Failure(cause.message() + "; reopen failed: " + fd.status().message()), true);
  fd_ = *fd;
  Status st = ops_->Truncate(fd_, good);
  if (st.ok()) st = ops_->Sync(fd_);
  auto data = st.ok() ? ReadFile() : Result<std::string>(st);
  if (!data.ok()) return Fail(Status::Failure(cause.message() + "; recheck failed: " + data.status().message()), true);
  if (data->size() != good || WalkRecords(*data, [](const char*, size_t) {}) != good)
    return Fail(Status::Failure(cause.message() + "; recheck found " + std::to_string(data->size()) +
                                " bytes, not " + std::to_string(good)), true);
  return Fail(cause, false);
}

Status Spool::Append(const Batch& batch) {
  if (batch.empty()) return Status::Ok();
  if (!usable_) return Status::Failure("spool " + path_ + " unusable: " + last_error_);
  std::string payload = Encode(batch);
  if (payload.size() > kMaxRecord) return Status::Usage("batch too large for one spool record");
  uint32_t len = static_cast<uint32_t>(payload.size());
  uint32_t crc = Crc32(payload.data(), payload.size());
  std::string rec;
  Put(rec, &len, 4);
  Put(rec, &crc, 4);
  rec += payload;
  Status st = WriteAll(*ops_, fd_, rec.data(), rec.size());
  if (!st.ok()) return Rollback(st.With("spool " + path_));
  st = ops_->Sync(fd_);
  if (!st.ok()) return AfterFailedSync(st.With("spool " + path_));
  bytes_ += rec.size();
  last_error_.clear();
  return Status::Ok();
}

Result<std::string> Spool::ReadFile() const {
  std::string data, buf(1 << 16, '\0');
  for (;;) {
    HEAT_ASSIGN(size_t n, ops_->ReadAt(fd_, buf.data(), buf.size(), data.size()));
    if (n == 0) return data;
    data.append(buf.data(), n);
  }
}

Result<Batch> Spool::ReadAll() const {
  HEAT_ASSIGN(std::string data, ReadFile());
  Batch out;
  WalkRecords(data, [&](const char* p, size_t n) { Decode(p, n, out); });
  return out;
}

Status Spool::Clear() {
  Status st = ops_->Truncate(fd_, 0);
  if (st.ok()) st = ops_->Sync(fd_);
  // Not known to be empty on disk: a replay may come again (harmless,
  // the writer stores each reading once), but appends wait for Recover().
  if (!st.ok()) return Fail(st.With("spool " + path_ + ": clearing"), true);
  bytes_ = 0;
  usable_ = true;  // empty and synced: a known good state
  last_error_.clear();
  return Status::Ok();
}

}  // namespace heat::telemetry
