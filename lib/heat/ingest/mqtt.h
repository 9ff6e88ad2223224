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
// not make them valid); a database error on an event or status leaves the
// message unacknowledged so that the broker delivers it again.
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
};

struct MqttStats {
  std::atomic<uint64_t> messages{0}, readings{0}, bad_payload{0}, unknown{0}, events{0},
      reconnects{0};
};

// Station code -> (tag -> point id), built from the point index.
using StationPoints = std::unordered_map<std::string, std::unordered_map<std::string, int32_t>>;
StationPoints IndexStationPoints(const std::unordered_map<std::string, telemetry::PointInfo>& points);

// Parses a telemetry payload into readings; unknown tags are returned in
// `unknown`. kUsage on malformed JSON or a missing/invalid ts or v.
Result<telemetry::Batch> ParseTelemetry(std::string_view payload,
                                        const std::unordered_map<std::string, int32_t>& tags,
                                        std::vector<std::string>* unknown);

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
  std::atomic<bool> stop_{false};

  MqttOptions opt_;
  Pipeline& pipeline_;
  MqttStats stats_;
  std::vector<std::unique_ptr<Client>> clients_;
  std::shared_ptr<const StationPoints> points_;
  std::mutex points_mu_;
};

}  // namespace heat::ingest
