// libFuzzer target: the bytes heatd-ingest reads from the MQTT broker
// (DEV-4, SYS-1), framed and taken apart by the same code the client
// runs (ingest/mqtt_packet.h), packet after packet until the stream ends
// or is refused. Whatever the bytes: no body over the bound is held, an
// oversized PUBLISH has no payload, a message lies within its packet, and
// nothing throws.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "heat/ingest/mqtt_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  size_t at = 0;
  // The remaining length claims up to 256 MiB; reading that many bytes of
  // nothing must fail at the end of the input, not allocate it.
  heat::ingest::ReadExactly read = [&](char* buf, size_t n) {
    if (n > size - at) return heat::Status::Failure("end of input");
    std::memcpy(buf, data + at, n);
    at += n;
    return heat::Status::Ok();
  };
  for (int packets = 0; packets < 64; ++packets) {
    heat::ingest::MqttPacket p;
    if (!heat::ingest::ReadMqttPacket(read, p).ok()) break;
    if (p.body.size() > heat::ingest::kMaxMqttBody) std::abort();
    if ((p.type >> 4) != 3) continue;
    auto m = heat::ingest::ParsePublish(p);
    if (!m.ok()) {
      if (m.status().code() != heat::Code::kFailure) std::abort();
      break;
    }
    if (m->topic.size() + m->payload.size() + 2 > p.body.size()) std::abort();
    if (m->oversized && !m->payload.empty()) std::abort();
  }
  return 0;
}
