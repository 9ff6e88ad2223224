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
// A timestamptz in UTC to the millisecond: "2026-03-01 00:00:00.123+00".
void AppendUtc(std::string& out, int64_t ms);

// One line per reading: point_id, ts, value, quality, tab separated. ts is
// AppendUtc text (COPY into heat.reading) or, with utc_ts false, epoch
// milliseconds (the staging table's ts_ms).
std::string ReadingsCopyText(const Batch& batch, bool utc_ts);

}  // namespace heat::telemetry
