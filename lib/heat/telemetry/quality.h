// telemetry/quality.h — the quality bits of a reading (heat.reading.quality).
#pragma once

#include <cstdint>

namespace heat::telemetry {

// Bit 1: outside the point's physical range (range_lo, range_hi; SYS-1).
// Such a reading is stored but left out of the rollups and heat.latest.
inline constexpr int16_t kOutOfRange = 1;

}  // namespace heat::telemetry
