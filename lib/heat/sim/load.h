// sim/load.h — heatsim load: plays station control boxes over MQTT
// (the first face of the simulator). Every message is
// numbered (seq) and its values follow a plausible day: supply and return
// temperatures from a heating curve of the outdoor temperature, pressures,
// flow, valve, heat. Room sensors and heat meters over CoAP are
// sim/coap_load.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "heat/core/status.h"

namespace heat::sim {

struct LoadOptions {
  std::string mqtt_uri = "tcp://127.0.0.1:1883";
  std::string prefix = "heat/v1";
  std::vector<std::string> stations;  // empty: every station in the database
  int period_ms = 5000;               // one message per station per period
  int64_t count = 0;                  // messages per station; 0 = until stopped
  int64_t first_seq = 0;
  // An excursion for alarms to catch: t2s 40 K above its curve in the
  // message seq of the station at position i (in the order given) when
  // (seq + i) % spike_every == 0, back the next message. 0: none.
  int64_t spike_every = 0;
  bool quiet = false;
};

struct LoadReport {
  int64_t sent = 0, acked = 0;
};

// Runs until count messages per station were sent (and acked) or SIGTERM.
Result<LoadReport> RunLoad(const LoadOptions& opt);

// The values a station's box reports at time t_ms (deterministic); spike:
// t2s 40 K higher.
std::string TelemetryJson(const std::string& station, int64_t t_ms, int64_t seq, bool spike = false);

}  // namespace heat::sim
