// core/bytes.h — integers appended in network byte order (big-endian), for
// the wire formats the platform writes itself: MQTT packets
// (ingest/mqtt_client.cc) and PostgreSQL's binary COPY
// (telemetry/copy_binary.cc).
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>

namespace heat {

// Appends v's sizeof(T) bytes, most significant first; a negative value as
// its two's complement.
template <typename T>
void AppendBigEndian(std::string& out, T v) {
  static_assert(std::is_integral_v<T>);
  const auto u = static_cast<std::make_unsigned_t<T>>(v);
  char buf[sizeof(T)];
  for (size_t i = 0; i < sizeof(T); ++i) buf[i] = static_cast<char>(u >> (8 * (sizeof(T) - 1 - i)));
  out.append(buf, sizeof(T));
}

}  // namespace heat
