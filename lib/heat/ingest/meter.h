// ingest/meter.h — heat meters over CoAP (DEV-2, DESIGN §5): POST /hm with
// one or more raw frames, CJ/T 188-2004 or EN 13757-3 M-Bus long frames
// (proto/cjt188.h, proto/mbus.h). A meter is a device of kind heat_meter
// whose address is its CJ/T 188 address (14 digits) or M-Bus secondary id
// (8 digits); its points are found by tag, and what each tag holds, with
// which quality, is the mapping step's (ingest/meter_map.h): heat and
// cooling in the unit the point declares, volume, power, flow, t_sup,
// t_ret, hours, error_hours, status, error_flags.
// A tag the meter sends but has no point is skipped; a tag with a point
// the frame lacks is simply not written. Readings are timed by the meter's
// clock when it is valid, not more than a day behind the server's and not
// more than 5 minutes ahead (ingest/plausible.h), else by the server's
// clock — so a replayed frame with a clock is stored once. Only
// current values are taken (M-Bus storage number 0, tariff 0,
// instantaneous); monthly records come from heat.meter_month (0010).
#pragma once

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "heat/core/status.h"
#include "heat/db/conn.h"
#include "heat/proto/cjt188.h"
#include "heat/proto/mbus.h"
#include "heat/telemetry/reading.h"

namespace heat::ingest {

struct MeterInfo {
  int32_t device_id = 0;
  std::unordered_map<std::string, int32_t> points;  // tag -> point id
  std::unordered_map<std::string, std::string> units;  // tag -> the point's unit ("" if none)
};
using MeterIndex = std::unordered_map<std::string, MeterInfo>;  // address -> meter

Result<MeterIndex> LoadMeterIndex(db::Conn& conn);

// The frames of a /hm body (or a capture), of one protocol: M-Bus when it
// sniffs as M-Bus (after any FE preambles and E5 acknowledgements), else
// CJ/T 188. kUsage with the decoder's exact reason (checksum sent and
// computed, length, byte offset) when the bytes are refused.
struct MeterFrames {
  std::vector<proto::MbusFrame> mbus;
  std::vector<proto::Cjt188Reading> cjt188;
};
Result<MeterFrames> DecodeMeterFrames(std::span<const uint8_t> body);

struct MeterPayload {
  telemetry::Batch readings;
  std::vector<int32_t> devices;       // meters seen
  std::vector<std::string> unknown;   // addresses without a meter
  std::vector<std::string> addresses; // of every frame, in order
  int frames = 0;
};
// Decodes a /hm body and maps it to readings. kUsage with the decoder's
// reason for a malformed payload (nothing of it is taken).
Result<MeterPayload> DecodeMeterPayload(std::span<const uint8_t> body, const MeterIndex& meters,
                                        int64_t now_s);

}  // namespace heat::ingest
