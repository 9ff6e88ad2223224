// ingest/coap.h — NB-IoT room sensors over CoAP (DEV-1, DESIGN §5).
//
// POST /rt with a JSON (content-format 50) or CBOR (60) body
//   {"id": "<IMEI>", "seq": N, "rssi": -85, "r": [[epoch_s, deci_C], ...]}
// stores every reading of the batch for the point "temp" of the room
// sensor whose address is the IMEI, and answers 2.04 Changed with
//   {"up": upload period s, "iv": sample interval s, "t": server clock s}
// taken from the device's settings (upload_s, sample_s; defaults 1800 and
// 600), and only once the readings are durable (Pipeline::Submit). A
// replayed upload is stored once. An unknown IMEI gets 4.04 and is counted
// (heatctl ingest unknown); a malformed body gets 4.00 with the reason
// (and goes to the quarantine); a body over 32 KiB or more than 1000
// readings 4.13; a CBOR/JSON mismatch 4.15. Bodies may come in Block1
// blocks (RFC 7959, coap_block.h). While the
// pipeline cannot make readings durable the answer is 5.03, so the sensor
// keeps them and tries again.
//
// POST /hm (DEV-2), content-format 42 (octet-stream): heat-meter frames,
// ingest/meter.h. 2.04 once durable; 4.00 with the decoder's reason for a
// malformed payload; 4.04 when no frame names a known meter (the
// addresses are counted); over 32 KiB 4.13.
//
// DTLS-PSK (ingest.coap_dtls_port, usually 5684): the same resources over
// DTLS with a pre-shared key per device. The PSK identity is the device's
// address (IMEI, meter address) and the key its setting "psk"; an unknown
// identity or a wrong key fails the handshake (counted as dtls_refused).
// Over DTLS a device may only post its own data: an /rt upload whose id,
// or an /hm frame whose address, is not the session's identity gets 4.03.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "heat/core/status.h"
#include "heat/db/conn.h"
#include "heat/ingest/coap_block.h"
#include "heat/ingest/meter.h"
#include "heat/ingest/pipeline.h"
#include "heat/ingest/plausible.h"

namespace heat::ingest {

struct SensorInfo {
  int32_t point_id = 0;
  int32_t device_id = 0;
  int upload_s = 1800;
  int sample_s = 600;
};
using SensorIndex = std::unordered_map<std::string, SensorInfo>;  // IMEI -> sensor

Result<SensorIndex> LoadSensorIndex(db::Conn& conn);

using PskIndex = std::unordered_map<std::string, std::string>;  // identity (address) -> key
// Every device with an address and a setting "psk" (coap_dtls.cc).
Result<PskIndex> LoadPskIndex(db::Conn& conn);

struct RtUpload {
  std::string id;
  int64_t seq = 0;
  std::vector<std::pair<int64_t, int>> readings;  // (epoch s, deci °C)
};
// The most readings one /rt upload may carry (over it: 4.13), and the
// largest body of any request, in one block or many (RFC 7959; 4.13).
inline constexpr size_t kMaxRtReadings = 1000;
inline constexpr size_t kMaxCoapBody = 32 * 1024;
inline constexpr const char* kTooManyReadings = "more than 1000 readings in one upload";
// Parses and validates a /rt body (proto/payload.h bounds it first): every
// reading's time inside `window` around now_s (ingest/plausible.h), whole
// numbers that fit before they are converted. kUsage with the reason
// otherwise; nothing of a refused upload is taken.
Result<RtUpload> ParseRtUpload(std::string_view body, bool cbor, int64_t now_s, const TimeWindow& window = {});

struct CoapOptions {
  std::string bind = "0.0.0.0";
  int port = 5683;
  int dtls_port = 0;  // 0: no DTLS endpoint
  // libcoap contexts, each with its own thread and UDP socket on the same
  // port (SO_REUSEPORT; the kernel keeps a device on one socket). A request
  // waits for its readings to be durable before its piggybacked 2.04, so
  // one context means one commit per request; N contexts let N requests
  // share a commit. The DTLS endpoint lives in the first context only.
  int threads = 64;
  TimeWindow window;  // reading times taken (ingest.max_age_room_sensor)
};

// Plain CoAP on an address other than loopback lets anyone post readings
// for any IMEI: refused (kUsage) unless a DTLS port is set or `insecure`
// (ingest.coap_insecure) says it is meant.
Status CheckCoapExposure(const CoapOptions& opt, bool insecure);

// The most contexts a transport runs; ingest.coap_threads allows exactly
// this many (core/config_options.cc; CoapTest checks the two agree).
inline constexpr int kMaxCoapThreads = 256;
struct CoapStats {
  std::atomic<uint64_t> requests{0}, readings{0}, bad{0}, unknown{0}, unavailable{0};
  std::atomic<uint64_t> meter_frames{0}, dtls_refused{0}, forbidden{0};
  std::array<std::atomic<uint64_t>, kMaxCoapThreads> by_socket{};  // requests per context
};

class CoapTransport {
 public:
  static Result<std::unique_ptr<CoapTransport>> Start(const CoapOptions& opt, Pipeline& pipeline,
                                                      SensorIndex sensors, MeterIndex meters = {},
                                                      PskIndex psks = {});
  ~CoapTransport();
  void Stop();
  void SetSensors(SensorIndex sensors);
  void SetMeters(MeterIndex meters);
  void SetPsks(PskIndex psks);
  // The key for a DTLS identity, or nullopt (counted as refused).
  std::optional<std::string> KeyFor(const std::string& identity);
  const CoapStats& stats() const { return stats_; }
  BlockAssembler& blocks() { return blocks_; }
  int threads() const { return static_cast<int>(ctxs_.size()); }
  void CountSocket(int i) { stats_.by_socket[static_cast<size_t>(i)]++; }

  // The handler's work, outside libcoap: returns the response code (as
  // class*100+detail, e.g. 204) and body.
  // identity: the DTLS PSK identity of the session; nullopt over plain UDP.
  std::pair<int, std::string> HandleRt(std::string_view body, bool cbor,
                                       const std::optional<std::string>& identity = std::nullopt);
  std::pair<int, std::string> HandleHm(std::span<const uint8_t> body,
                                       const std::optional<std::string>& identity = std::nullopt);

 private:
  explicit CoapTransport(Pipeline& p) : pipeline_(p) {}
  Status AddContext(const CoapOptions& opt, bool first);
  Pipeline& pipeline_;
  CoapStats stats_;
  std::mutex mu_;
  std::shared_ptr<const SensorIndex> sensors_;
  std::shared_ptr<const MeterIndex> meters_;
  std::shared_ptr<const PskIndex> psks_;
  TimeWindow window_;
  BlockAssembler blocks_{kMaxCoapBody, 4096};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> loops_;
  std::vector<void*> ctxs_;  // coap_context_t*, one per loop
};

// Listens on bind:port of a coap_context_t, plain UDP or DTLS. With
// reuse_port several contexts may listen on the same UDP port.
Status AddEndpoint(void* context, const std::string& bind, int port, bool dtls, bool reuse_port = false);
// Adds the DTLS endpoint on opt.dtls_port to a coap_context_t (coap_dtls.cc).
Status AddDtlsEndpoint(void* context, CoapTransport* t, const CoapOptions& opt);

}  // namespace heat::ingest
