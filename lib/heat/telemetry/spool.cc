#include "heat/telemetry/spool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace heat::telemetry {
namespace {

constexpr size_t kReadingBytes = 4 + 8 + 8 + 2;  // point, ts, value, quality
constexpr uint32_t kMaxRecord = 64u << 20;        // 64 MiB: a sane batch bound

Status Errno(const std::string& what) {
  return Status::Failure(what + ": " + std::strerror(errno));
}

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

Status WriteAll(int fd, const std::string& data) {
  for (size_t done = 0; done < data.size();) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("spool write");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
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

Result<Spool> Spool::Open(const std::string& dir) {
  if (mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) return Errno("spool directory " + dir);
  std::string path = dir + "/spool.log";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return Errno("spool " + path);
  struct stat st {};
  fstat(fd, &st);
  return Spool(fd, path, static_cast<uint64_t>(st.st_size));
}

Spool::Spool(Spool&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)), bytes_(o.bytes_) { o.fd_ = -1; }

Spool& Spool::operator=(Spool&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) close(fd_);
    fd_ = o.fd_;
    path_ = std::move(o.path_);
    bytes_ = o.bytes_;
    o.fd_ = -1;
  }
  return *this;
}

Spool::~Spool() {
  if (fd_ >= 0) close(fd_);
}

Status Spool::Append(const Batch& batch) {
  if (batch.empty()) return Status::Ok();
  std::string payload = Encode(batch);
  if (payload.size() > kMaxRecord) return Status::Usage("batch too large for one spool record");
  uint32_t len = static_cast<uint32_t>(payload.size());
  uint32_t crc = Crc32(payload.data(), payload.size());
  std::string rec;
  Put(rec, &len, 4);
  Put(rec, &crc, 4);
  rec += payload;
  HEAT_TRY(WriteAll(fd_, rec));
  if (fdatasync(fd_) != 0) return Errno("spool fdatasync");
  bytes_ += rec.size();
  return Status::Ok();
}

Result<Batch> Spool::ReadAll() const {
  Batch out;
  std::string buf(1 << 16, '\0');
  std::string data;
  for (off_t off = 0;;) {
    ssize_t n = pread(fd_, buf.data(), buf.size(), off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("spool read");
    if (n == 0) break;
    data.append(buf.data(), static_cast<size_t>(n));
    off += n;
  }
  for (size_t pos = 0; pos + 8 <= data.size();) {
    uint32_t len, crc;
    std::memcpy(&len, data.data() + pos, 4);
    std::memcpy(&crc, data.data() + pos + 4, 4);
    // A torn or corrupt record can only be the unacknowledged tail: stop.
    if (len > kMaxRecord || pos + 8 + len > data.size()) break;
    if (Crc32(data.data() + pos + 8, len) != crc) break;
    Decode(data.data() + pos + 8, len, out);
    pos += 8 + len;
  }
  return out;
}

Status Spool::Clear() {
  if (ftruncate(fd_, 0) != 0) return Errno("spool truncate");
  if (fdatasync(fd_) != 0) return Errno("spool fdatasync");
  bytes_ = 0;
  return Status::Ok();
}

}  // namespace heat::telemetry
