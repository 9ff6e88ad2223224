// telemetry/copy_binary.h — readings in PostgreSQL's binary COPY form, for
// the writer's direct path into heat.reading. Text COPY made the server
// parse every timestamp, double and integer again (DecodeDateTime, strtod
// and strtoll were ~2.5 % of the whole machine's CPU in bench-ingest);
// binary fields are taken as they are.
//
// The layout (PostgreSQL documentation, "COPY", binary format): the
// signature "PGCOPY\n\377\r\n\0", a flags word and a header-extension
// length (both 0); per row a 16-bit field count and, per field, a 32-bit
// length and the value in network byte order; a 16-bit -1 at the end. The
// columns must be exactly (point_id int4, ts timestamptz, value float8,
// quality int2), as heat.reading has them.
#pragma once

#include <string>

#include "heat/telemetry/reading.h"

namespace heat::telemetry {

// Microseconds since 2000-01-01 00:00:00 UTC (PostgreSQL's timestamptz)
// of a time in milliseconds since 1970.
int64_t PgMicros(int64_t epoch_ms);

std::string ReadingsCopyBinary(const Batch& batch);

}  // namespace heat::telemetry
