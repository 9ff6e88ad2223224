#include "heat/ingest/mqtt_packet.h"

#include <algorithm>

namespace heat::ingest {
namespace {

uint16_t GetU16(const std::string& s, size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(s[at]) << 8) | static_cast<uint8_t>(s[at + 1]));
}

int Qos(uint8_t type) { return (type >> 1) & 3; }

// Keeps the topic and packet id of a PUBLISH too large to hold and reads
// the rest away in small pieces.
Status ReadOversizedPublish(const ReadExactly& read, uint8_t type, size_t len, std::string& body) {
  size_t head = 2;
  body.resize(head);
  HEAT_TRY(read(body.data(), head));
  head += GetU16(body, 0) + (Qos(type) ? 2 : 0);
  if (head > len) return Status::Failure("mqtt: bad PUBLISH header");
  body.resize(head);
  HEAT_TRY(read(body.data() + 2, head - 2));
  char sink[4096];
  for (size_t left = len - head; left > 0;) {
    size_t n = std::min(left, sizeof sink);
    HEAT_TRY(read(sink, n));
    left -= n;
  }
  return Status::Ok();
}

}  // namespace

Status ReadMqttPacket(const ReadExactly& read, MqttPacket& out) {
  char b;
  HEAT_TRY(read(&b, 1));
  out.type = static_cast<uint8_t>(b);
  size_t len = 0, mult = 1;
  for (int i = 0;; ++i) {
    char c;
    HEAT_TRY(read(&c, 1));
    len += (static_cast<uint8_t>(c) & 0x7F) * mult;
    if (!(c & 0x80)) break;
    if (i == 3) return Status::Failure("mqtt: bad remaining length");
    mult *= 128;
  }
  out.oversized = len > kMaxMqttBody;
  out.body.clear();
  if (out.oversized && (out.type >> 4) == 3) return ReadOversizedPublish(read, out.type, len, out.body);
  if (out.oversized) return Status::Failure("mqtt: packet of " + std::to_string(len) + " bytes");
  out.body.resize(len);
  return len ? read(out.body.data(), len) : Status::Ok();
}

Result<MqttMessage> ParsePublish(const MqttPacket& p) {
  const std::string& body = p.body;
  if (body.size() < 2) return Status::Failure("mqtt: PUBLISH without a topic");
  uint16_t tlen = GetU16(body, 0);
  int qos = Qos(p.type);
  size_t at = 2 + size_t{tlen} + (qos ? 2 : 0);
  if (at > body.size()) return Status::Failure("mqtt: PUBLISH header longer than the packet");
  return MqttMessage{body.substr(2, tlen), body.substr(at), qos ? GetU16(body, 2 + tlen) : uint16_t(0),
                     (p.type & 1) != 0, p.oversized};
}

}  // namespace heat::ingest
