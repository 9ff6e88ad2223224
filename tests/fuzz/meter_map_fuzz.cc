// libFuzzer target: the mapping step of heat meters (DEV-2), decoded frame
// -> stored values (ingest/meter_map.h). Whatever a meter sends, a frame
// that decodes maps without a crash to at most one finite value per tag,
// each with a quality the contract names, in any unit a point may declare.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "heat/ingest/meter.h"
#include "heat/ingest/meter_map.h"

namespace {

void Check(const std::vector<heat::ingest::MeterValue>& values) {
  std::set<std::string> tags;
  for (const auto& v : values) {
    if (!tags.insert(v.tag).second || !std::isfinite(v.value)) std::abort();
    if (v.quality & ~(heat::ingest::kQualityFault | heat::ingest::kQualityWarning)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto frames = heat::ingest::DecodeMeterFrames(std::span<const uint8_t>(data, size));
  if (!frames.ok()) {
    if (frames.status().code() != heat::Code::kUsage) std::abort();
    return 0;
  }
  for (const char* unit : {"", "kWh", "MJ", "MWh", "Wh", "m³"}) {
    heat::ingest::TagUnits units = {{"heat", unit}, {"cooling", unit}};
    for (const auto& f : frames->mbus) Check(heat::ingest::MapMbusFrame(f, units));
    for (const auto& r : frames->cjt188) Check(heat::ingest::MapCjt188(r, units));
  }
  return 0;
}
