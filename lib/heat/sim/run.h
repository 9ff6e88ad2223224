// sim/run.h — heatsim run: the physical model (sim/physics) of every
// station in the database played in real time, or --speed times faster,
// over the real protocols, obeying the commands that arrive there (CTL-1,
// DEV-3, DEV-4): MQTT control boxes (sim/run_mqtt.h), Modbus TCP PLCs
// (sim/run_modbus.h), CoAP room sensors (sim/run_coap.h). What it plays is
// sim/run_plant.h. heatsim(1), RUN, documents options and rules.
//
// Time: model time 0 is local midnight of the weather's first day; the run
// starts on day `day` at the wall clock's local time of day, after the
// model has run the 24 h before it in 60 s steps (warm-up, so that
// buildings and loops are settled). Then model time advances speed × the
// wall clock, in steps of at most 10 s of model time (at least 1 s, so a
// slow run does not step needlessly often). Everything sent is stamped
// with the wall clock (ingest refuses readings from the future), and
// periods (--period-ms) are wall-clock periods.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "heat/core/status.h"

namespace heat::sim {

struct RunOptions {
  std::string mqtt_uri = "tcp://127.0.0.1:1883";
  std::string prefix = "heat/v1";
  std::string coap_host = "127.0.0.1";
  int coap_port = 5683;                // 0: no room sensors
  std::vector<std::string> stations;   // empty: every station in the database
  int period_ms = 5000;                // telemetry of each box this often (wall clock)
  double speed = 1;                    // model seconds per wall-clock second
  int day = 1;                         // day of the weather the run starts on
  std::string weather_csv;             // empty: the built-in Urumqi winter
  uint64_t seed = 1;
  std::vector<std::string> faults;     // LOOP:KIND
  std::vector<std::string> manual;     // LOOP or LOOP=PCT: local forced manual
  double duration_s = 0;               // wall-clock seconds, then stop; 0: until SIGTERM
  bool quiet = false;
};

struct RunReport {
  int64_t telemetry = 0;   // telemetry messages published
  int64_t commands = 0;    // cmd messages received
  int64_t writes = 0;      // Modbus writes applied or refused
  int64_t uploads = 0, uploads_acked = 0;  // CoAP
  double model_s = 0;      // model time played (after the warm-up)
};

// Runs until SIGTERM/SIGINT (or duration_s): boxes then publish
// "offline", CoAP uploads in flight are waited for (up to 2 s).
Result<RunReport> RunSim(const RunOptions& opt);

}  // namespace heat::sim
