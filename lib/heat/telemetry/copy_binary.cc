#include "heat/telemetry/copy_binary.h"

#include <bit>
#include <cstdint>
#include <type_traits>

namespace heat::telemetry {
namespace {

// 946684800000 ms: 2000-01-01 00:00:00 UTC after 1970-01-01.
constexpr int64_t kPgEpochMs = 946684800000;

template <typename T>
void Put(std::string& out, T v) {
  static_assert(std::is_integral_v<T>);
  using U = std::make_unsigned_t<T>;
  U u = static_cast<U>(v);
  char buf[sizeof(T)];
  for (size_t i = 0; i < sizeof(T); ++i) buf[i] = static_cast<char>(u >> (8 * (sizeof(T) - 1 - i)));
  out.append(buf, sizeof(T));
}

// One field: its length, then its bytes.
template <typename T>
void Field(std::string& out, T v) {
  Put<int32_t>(out, sizeof(T));
  Put(out, v);
}

}  // namespace

int64_t PgMicros(int64_t epoch_ms) { return (epoch_ms - kPgEpochMs) * 1000; }

std::string ReadingsCopyBinary(const Batch& batch) {
  static constexpr char kSignature[] = "PGCOPY\n\377\r\n";  // and the array's own NUL: 11 bytes
  std::string out(kSignature, sizeof kSignature);
  out.reserve(19 + batch.size() * 42 + 2);
  Put<int32_t>(out, 0);  // flags: no OIDs
  Put<int32_t>(out, 0);  // no header extension
  for (const auto& r : batch) {
    Put<int16_t>(out, 4);
    Field<int32_t>(out, r.point_id);
    Field<int64_t>(out, PgMicros(r.ts_ms));
    Field<uint64_t>(out, std::bit_cast<uint64_t>(r.value));  // float8: the IEEE 754 bits
    Field<int16_t>(out, r.quality);
  }
  Put<int16_t>(out, -1);
  return out;
}

}  // namespace heat::telemetry
