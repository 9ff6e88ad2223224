// libFuzzer target: CJ/T 188 heat-meter payloads from CoAP /hm (DEV-2).
// Whatever the bytes, the decoder returns readings or a usage error; it
// never reads out of bounds, throws or crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "heat/proto/cjt188.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  (void)heat::proto::LooksLikeCjt188(bytes);
  auto r = heat::proto::DecodeCjt188(bytes);
  // An accepted payload has at least one reading, each a whole frame.
  if (r.ok() && (r->empty() || r->back().offset + 59 > size)) std::abort();
  if (!r.ok() && r.status().code() != heat::Code::kUsage) std::abort();
  return 0;
}
