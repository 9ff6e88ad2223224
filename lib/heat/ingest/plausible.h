// ingest/plausible.h — which reading times heatd-ingest believes (SYS-1,
// DEV-1, DEV-4; heatd-ingest(8) PLAUSIBILITY).
//
// A reading is stamped by the device. Its time must lie in
// [now - max_age, now + 5 min]: max_age per device kind
// (ingest.max_age_room_sensor, ingest.max_age_control_box), as deep as the
// device's own storage; 5 minutes ahead covers clock drift, not more. A
// reading outside is refused (CoAP 4.00, MQTT acknowledged and counted)
// and quarantined, so no month outside the window gets a partition and no
// future reading can hold heat.latest.
#pragma once

#include <cstdint>
#include <string>

namespace heat::ingest {

inline constexpr int64_t kMaxAheadS = 300;

struct TimeWindow {
  int64_t max_age_s = 7 * 86400;
  // Empty when ts_s lies in the window around now_s; else the reason.
  std::string Check(int64_t ts_s, int64_t now_s) const {
    if (ts_s > now_s + kMaxAheadS)
      return "reading time " + std::to_string(ts_s) + " is more than 5 minutes ahead of the server clock";
    if (ts_s < now_s - max_age_s)
      return "reading time " + std::to_string(ts_s) + " is older than " + std::to_string(max_age_s) + " s";
    return {};
  }
};

}  // namespace heat::ingest
