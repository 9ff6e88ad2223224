// proto/payload.h — JSON and CBOR bodies from outside (CoAP /rt, MQTT
// telemetry, event, cmd/ack), parsed so that nothing throws past the
// parser and nothing is allocated for sizes the bytes cannot hold.
//
// Contract (SYS-1): before nlohmann::json sees a body it is checked for
// its size (max_bytes) and nesting depth (max_depth); CBOR is walked
// item by item first and every declared length or count must fit in the
// bytes that remain (a 9-byte packet claiming a map of 2^63 entries is
// refused here, not met by an exception in the middle of a request);
// indefinite lengths are refused. Whatever is wrong comes back as kUsage
// with the reason. Safe to call from any thread.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "heat/core/status.h"

namespace heat::proto {

struct PayloadLimits {
  size_t max_bytes = 64 * 1024;
  int max_depth = 8;
};

Result<nlohmann::json> ParseJsonPayload(std::string_view text, const PayloadLimits& limits = {});
Result<nlohmann::json> ParseCborPayload(std::string_view bytes, const PayloadLimits& limits = {});

// The value as a signed 64-bit integer; nullopt when it is not an integer
// or does not fit (18446744073709551416 is not -200).
std::optional<int64_t> AsInt64(const nlohmann::json& v);

}  // namespace heat::proto
