// libFuzzer target: M-Bus long frames from heat meters (DEV-2). Whatever a
// meter or the network sends must decode or be a Status, never a crash or
// an out-of-bounds read; and a sniff must agree with what it promises.
#include <cstddef>
#include <cstdint>
#include <span>

#include "heat/proto/mbus.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  (void)heat::proto::LooksLikeMbus(bytes);
  auto frames = heat::proto::DecodeMbus(bytes);
  if (frames.ok()) {
    for (const auto& f : *frames) {
      if (f.offset >= size) __builtin_trap();
      for (const auto& r : f.records)
        if (r.offset >= size || r.data.size() > size) __builtin_trap();
    }
  }
  return 0;
}
