// libFuzzer target: the configuration parser and the small text parsers
// people type into (money, times, UTF-8 width). None may crash or read out
// of bounds, whatever the input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "heat/core/config.h"
#include "heat/core/money.h"
#include "heat/core/text.h"
#include "heat/core/time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  (void)heat::Config::Parse(s, "fuzz.yaml");
  (void)heat::ParseYuan(s);
  (void)heat::ParseArea(s);
  (void)heat::ParseRatio(s);
  static const auto tz = heat::TimeZone::Load("Asia/Shanghai");
  (void)heat::ParseTime(s, *tz, 1760034600);
  (void)heat::DisplayWidth(s);
  (void)heat::IsValidUtf8(s);
  if (size < 64) (void)heat::Suggest(s, {"station", "source", "network"});
  return 0;
}
