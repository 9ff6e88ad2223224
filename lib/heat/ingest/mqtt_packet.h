// ingest/mqtt_packet.h — MQTT 3.1.1 framing as heatd-ingest reads it from
// the broker (DEV-4, SYS-1): a fixed header with the remaining length, a
// body bounded before anything is allocated, and a PUBLISH taken apart.
// Apart from the socket so that the fuzz target (mqtt_packet_fuzz) runs
// exactly the code that reads the broker's bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "heat/core/status.h"

namespace heat::ingest {

struct MqttMessage {
  std::string topic;
  std::string payload;
  uint16_t packet_id = 0;  // 0 for QoS 0
  bool retained = false;
  bool oversized = false;  // the payload was over kMaxMqttBody and was dropped
};

// The largest packet body held in memory (a station's message is a few KiB).
inline constexpr size_t kMaxMqttBody = 1 << 20;

// Reads exactly n bytes into buf, or fails (the connection is gone).
using ReadExactly = std::function<Status(char* buf, size_t n)>;

struct MqttPacket {
  uint8_t type = 0;       // the first byte: packet type << 4 | flags
  std::string body;       // at most kMaxMqttBody bytes
  bool oversized = false; // a PUBLISH over the bound: topic and id kept, payload read away
};

// One packet. A body over kMaxMqttBody is never held: a PUBLISH keeps its
// topic and packet id (so it can be refused and acknowledged in order),
// anything else is kFailure, as is a bad remaining length or header.
Status ReadMqttPacket(const ReadExactly& read, MqttPacket& out);

// The message of a PUBLISH packet; kFailure when its header does not fit
// the body (the caller drops the connection).
Result<MqttMessage> ParsePublish(const MqttPacket& p);

}  // namespace heat::ingest
