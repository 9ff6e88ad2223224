// sim/run_mqtt.h — heatsim run's station control boxes over MQTT (DEV-4,
// CTL-1, DEV-3; heat-protocols(7)): one connection per box, as a real box
// has, so that each has its own Last Will.
//
// A box connects with the will "offline" (retained, QoS 1) on
// PREFIX/STATION/status, publishes "online" there (retained), subscribes
// PREFIX/STATION/cmd at QoS 1, and then, each time it is asked, publishes
// its loop's values on PREFIX/STATION/telemetry and answers commands on
// PREFIX/STATION/cmd/ack (QoS 1) through a CommandDesk (sim/run_cmd.h).
// A cmd is acknowledged to the broker (PUBACK) after its answer is
// published. A lost broker is reconnected every few seconds; commands the
// broker kept meanwhile arrive then (expires decides). Stop() publishes
// "offline" itself. Not thread-safe: the run loop's thread calls it all.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "heat/core/status.h"
#include "heat/ingest/mqtt_client.h"
#include "heat/sim/run_cmd.h"
#include "heat/sim/run_plant.h"

namespace heat::sim {

// The telemetry payload of a box: {"ts", "seq", "v": {tag: value}} with
// every tag of Station::Tags() plus manual; temperatures to 0.01 °C, flows
// to 0.001 m³/h, pressures to 0.0001 MPa, so that the heat computed from
// them matches pw1 well within 0.1 %.
std::string BoxTelemetryJson(const physics::Station& st, int64_t ts_ms, int64_t seq);

// Decimals a box sends of a station tag: what its instruments resolve,
// and fine enough that heat computed from flow and temperatures matches
// pw1 (heatsim history rounds its samples the same way).
int BoxDecimals(const std::string& tag);

class Box {
 public:
  Box(std::string host, int port, std::string prefix, Loop* loop);

  Status Start();
  // Takes the commands that arrived and answers them, answers a stroke
  // check that ended; reconnects a lost connection (at most every 5 s).
  // now_ms: wall-clock epoch ms, for expires.
  void Poll(int64_t now_ms);
  void PublishTelemetry(int64_t now_ms, int64_t seq);
  // At the end: "offline", retained; then, once every box has published
  // it and its PUBACKs are in (or the caller stops waiting), Close.
  void PublishOffline();
  bool Settled() const { return !up_ || mqtt_.acked() >= mqtt_.published(); }
  void Close();

  int64_t commands() const { return commands_; }
  uint64_t published() const { return mqtt_.published(); }
  uint64_t acked() const { return mqtt_.acked(); }

 private:
  std::string Topic(const char* leaf) const { return prefix_ + "/" + loop_->station + "/" + leaf; }
  void Answer(const CmdAck& a);
  void Reconnect();

  std::string prefix_;
  Loop* loop_;
  ingest::MqttClient mqtt_;
  CommandDesk desk_;
  bool up_ = false;
  std::chrono::steady_clock::time_point retry_at_{};
  int64_t commands_ = 0;
};

}  // namespace heat::sim
