// libFuzzer target: the network import file parser (heatctl import). Any
// bytes must give a Document or a usage error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "heat/network/yaml_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  (void)heat::network::ParseNetworkYaml(s, "fuzz.yaml");
  return 0;
}
