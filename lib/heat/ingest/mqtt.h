// ingest/mqtt.h — station control boxes over MQTT (DEV-4, DESIGN §5).
//
// Topics under <prefix>/<station>/ (prefix default heat/v1):
//   telemetry  {"ts": ms, "seq": N, "v": {"t2s": 55.2, ...}}  -> readings
//              of points <station>.<tag>
//   event      {"ts": ms, "kind": "...", "msg": "...", ...}    -> the
//              operation log, origin device (SYS-2)
//   status     retained "online" / "offline" (the box's Last Will)
//              -> device_status of the station's control box
//   cmd/ack    {"id": "...", "ok": true, "code": 0, "msg": ""} -> the
//              operation log, for heatd-control
// Subscriptions are QoS 1 on persistent sessions (clean session off), so
// the broker keeps what arrives while heatd-ingest is down. A message is
// acknowledged (PUBACK) only after its readings are durable: each session's
// worker takes what has arrived, submits the readings of all of it as one
// batch, and acknowledges in arrival order once Pipeline::Submit returned
// (see mqtt_client.h for why this is not Paho). Malformed
// payloads and unknown stations or tags are counted and logged at most
// once a minute per station, then acknowledged (redelivering them would
// not make them valid). A message that cannot be stored for a reason in
// itself — malformed, a time outside ingest.max_age_control_box or more
// than 5 minutes ahead, or refused by the database for its data (an
// event with \u0000) — is acknowledged, counted as bad_payload and
// quarantined (heat.ingest_rejected, heatctl ingest rejected). Only a
// database that cannot be reached leaves an event or status
// unacknowledged, so that the broker delivers it again.
// With shared=true, `clients` sessions share the load through
// $share/ingest/... subscriptions (several instances may join too).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>
#include <string>
#include <unordered_map>
#include <vector>

#include "heat/core/status.h"
#include "heat/ingest/pipeline.h"
#include "heat/ingest/plausible.h"
#include "heat/telemetry/writer.h"

namespace heat::ingest {

struct MqttOptions {
  std::string uri = "tcp://127.0.0.1:1883";
  std::string client_id = "heatd-ingest";
  std::string prefix = "heat/v1";
  int clients = 1;
  bool shared = false;
  std::string conninfo;  // for events and status (low volume)
  std::string username, password;  // broker login; empty: none
  TimeWindow window;               // telemetry times taken (ingest.max_age_control_box)
};

struct MqttStats {
  std::atomic<uint64_t> messages{0}, readings{0}, bad_payload{0}, unknown{0}, events{0},
      reconnects{0};
};

// Station code -> (tag -> point id), built from the point index.
using StationPoints = std::unordered_map<std::string, std::unordered_map<std::string, int32_t>>;
StationPoints IndexStationPoints(const std::unordered_map<std::string, telemetry::PointInfo>& points);

inline constexpr size_t kMaxTelemetryBytes = 64 * 1024, kMaxEventBytes = 8 * 1024;

// Parses a telemetry payload into readings; unknown tags are returned in
// `unknown`. kUsage on malformed JSON (over kMaxTelemetryBytes, nested
// deeper than 4), a missing or invalid ts or v, or a ts outside `window`
// around now_s.
Result<telemetry::Batch> ParseTelemetry(std::string_view payload,
                                        const std::unordered_map<std::string, int32_t>& tags,
                                        std::vector<std::string>* unknown, int64_t now_s,
                                        const TimeWindow& window = {});

// An event or cmd/ack payload for the operation log: its "msg" (when a
// string) and the whole object as JSON text. kUsage when it is not a JSON
// object of at most kMaxEventBytes, or its msg holds NUL.
struct DeviceEvent {
  std::string msg, json;
};
Result<DeviceEvent> ParseDeviceEvent(std::string_view payload);

class MqttTransport {
 public:
  static Result<std::unique_ptr<MqttTransport>> Start(const MqttOptions& opt, Pipeline& pipeline,
                                                      StationPoints points);
  ~MqttTransport();
  void Stop();
  // Swaps in a new point map (after SIGHUP or a base-information change).
  void SetPoints(StationPoints points);
  const MqttStats& stats() const { return stats_; }

  struct Client;  // one MQTT session and its worker thread

 private:
  MqttTransport(MqttOptions o, Pipeline& p);
  void Work(Client& c);
  void Serve(Client& c);
  // Adds a telemetry message's readings to batch (bad ones are counted).
  void CollectTelemetry(const std::string& station, std::string_view payload, telemetry::Batch& batch);
  // Stores an event, command ack or status; false when the database failed.
  bool HandleDeviceMessage(Client& c, const std::string& station, const std::string& what,
                           std::string_view payload);
  void Reject(const std::string& station, const std::string& what, const std::string& reason,
              std::string_view payload);
  std::atomic<bool> stop_{false};

  MqttOptions opt_;
  Pipeline& pipeline_;
  MqttStats stats_;
  std::vector<std::unique_ptr<Client>> clients_;
  std::shared_ptr<const StationPoints> points_;
  std::mutex points_mu_;
};

}  // namespace heat::ingest
