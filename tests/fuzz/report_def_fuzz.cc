// libFuzzer target: the report definition parser (reportgen, report/def.h).
// Any bytes must give a Def or a usage error naming file:line, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "heat/report/def.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  (void)heat::report::ParseDef(s, "fuzz.yaml");
  return 0;
}
