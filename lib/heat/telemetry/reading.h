// telemetry/reading.h — one reading of one point, as it travels from a
// transport through the queue, the spool and COPY into heat.reading.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace heat::telemetry {

struct Reading {
  int32_t point_id = 0;
  int64_t ts_ms = 0;      // when it was measured, epoch milliseconds (UTC)
  double value = 0;
  int16_t quality = 0;    // 0 good; bits: 1 out of range, 2 substituted, 4 device fault
  bool operator==(const Reading&) const = default;
};

using Batch = std::vector<Reading>;

}  // namespace heat::telemetry
