#include "heat/telemetry/copy_binary.h"

#include <bit>
#include <cstdint>

#include "heat/core/bytes.h"

namespace heat::telemetry {
namespace {

// 946684800000 ms: 2000-01-01 00:00:00 UTC after 1970-01-01.
constexpr int64_t kPgEpochMs = 946684800000;

// One field: its length, then its bytes.
template <typename T>
void Field(std::string& out, T v) {
  AppendBigEndian<int32_t>(out, sizeof(T));
  AppendBigEndian(out, v);
}

}  // namespace

int64_t PgMicros(int64_t epoch_ms) { return (epoch_ms - kPgEpochMs) * 1000; }

std::string ReadingsCopyBinary(const Batch& batch) {
  static constexpr char kSignature[] = "PGCOPY\n\377\r\n";  // and the array's own NUL: 11 bytes
  std::string out(kSignature, sizeof kSignature);
  out.reserve(19 + batch.size() * 42 + 2);
  AppendBigEndian<int32_t>(out, 0);  // flags: no OIDs
  AppendBigEndian<int32_t>(out, 0);  // no header extension
  for (const auto& r : batch) {
    AppendBigEndian<int16_t>(out, 4);
    Field<int32_t>(out, r.point_id);
    Field<int64_t>(out, PgMicros(r.ts_ms));
    Field<uint64_t>(out, std::bit_cast<uint64_t>(r.value));  // float8: the IEEE 754 bits
    Field<int16_t>(out, r.quality);
  }
  AppendBigEndian<int16_t>(out, -1);
  return out;
}

}  // namespace heat::telemetry
