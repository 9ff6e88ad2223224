// libFuzzer target: MQTT telemetry payloads (garbage JSON from a control
// box must be a counted error, never a crash).
#include <cstddef>
#include <cstdint>
#include <string>

#include "heat/ingest/mqtt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unordered_map<std::string, int32_t> tags = {{"t2s", 1}, {"t2r", 2}};
  std::string s(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> unknown;
  (void)heat::ingest::ParseTelemetry(s, tags, &unknown, 1764547200);
  return 0;
}
