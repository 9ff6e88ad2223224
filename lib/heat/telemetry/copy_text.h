// telemetry/copy_text.h — readings in PostgreSQL's COPY text form, made
// without printf: the writer formats hundreds of thousands of numbers a
// second, and "%.17g" with a vector of strings per row was a third of
// heatd-ingest's CPU under load (perf, bench-ingest).
#pragma once

#include <cstdint>
#include <string>

#include "heat/telemetry/reading.h"

namespace heat::telemetry {

void AppendInt(std::string& out, int64_t v);
// The shortest text that reads back as exactly v (std::to_chars); NaN and
// infinities in words PostgreSQL's float8 accepts.
void AppendDouble(std::string& out, double v);

// One line per reading: point_id, ts_ms (epoch milliseconds), value,
// quality, tab separated — the writer's staging table. Straight into
// heat.reading the writer copies binary (telemetry/copy_binary.h).
std::string ReadingsCopyText(const Batch& batch);

}  // namespace heat::telemetry
