// libFuzzer target: the JSON of `pgbackrest info --output=json` (BIL-30),
// read by heatctl db backup. Whatever the bytes, the parser returns a
// stanza or an error; it never throws or crashes, and the sets it returns
// are ordered by their end, as restores and exports rely on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "heat/backup/info.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto info = heat::backup::ParseInfo(text, "heat");
  if (!info.ok()) return 0;
  for (size_t i = 1; i < info->sets.size(); ++i)
    if (info->sets[i - 1].stop > info->sets[i].stop) std::abort();
  for (const auto& s : info->sets) (void)heat::backup::SetChain(s);
  auto set = heat::backup::SetForTime(*info, 1796611947, [](int64_t t) { return std::to_string(t); });
  if (set.ok() && set->stop > 1796611947) std::abort();
  return 0;
}
