// libFuzzer target: CoAP POST /rt bodies from room sensors (DEV-1, SYS-1),
// JSON (first byte even) or CBOR (odd). Whatever the bytes, the parser
// returns a valid upload or a usage error: it never throws (a CBOR header
// claiming 2^63 entries once aborted heatd-ingest), never wraps an integer
// and never takes a time outside the window.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "heat/ingest/coap.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  constexpr int64_t kNow = 1764547200;
  const heat::ingest::TimeWindow window{86400};
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto u = heat::ingest::ParseRtUpload(body, data[0] & 1, kNow, window);
  if (!u.ok()) {
    if (u.status().code() != heat::Code::kUsage) std::abort();
    return 0;
  }
  if (u->id.empty() || u->readings.empty() || u->readings.size() > heat::ingest::kMaxRtReadings) std::abort();
  for (const auto& [ts, dc] : u->readings)
    if (ts < kNow - 86400 || ts > kNow + 300 || dc < -500 || dc > 1000) std::abort();
  return 0;
}
