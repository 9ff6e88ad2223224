// libFuzzer target: MQTT event and cmd/ack payloads from station control
// boxes (DEV-4, SYS-1). Whatever the bytes, the parser returns what the
// operation log can hold or a usage error; it never throws (a non-string
// "msg" once ended the session's worker thread).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "heat/ingest/mqtt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  auto e = heat::ingest::ParseDeviceEvent(payload);
  if (!e.ok()) {
    if (e.status().code() != heat::Code::kUsage) std::abort();
    return 0;
  }
  if (e->msg.find('\0') != std::string::npos) std::abort();
  auto again = nlohmann::json::parse(e->json, nullptr, false);
  if (again.is_discarded() || !again.is_object()) std::abort();
  return 0;
}
