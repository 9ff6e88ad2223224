// telemetry/writer.h — batches of readings into PostgreSQL, exactly once.
//
// Write() copies a batch into a session-temporary staging table (COPY is the
// fastest way in), then in the same transaction moves it into heat.reading
// with ON CONFLICT DO NOTHING, so a reading of a point at an instant is
// stored once however often it is replayed (spool replays, CoAP
// retransmissions, MQTT redeliveries). Only the rows actually inserted
// update heat.latest (when newer) and the hourly and daily rollups, so the
// rollups stay exact under replays. Monthly partitions missing for the
// batch's time range are created first. Resolve codes with LoadPointIndex
// first; readings of points deleted since are counted as orphaned.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "heat/db/conn.h"
#include "heat/telemetry/reading.h"

namespace heat::telemetry {

struct WriteResult {
  int64_t inserted = 0;
  int64_t duplicates = 0;  // already stored, or repeated within the batch
  // For points deleted since the caller resolved them: not stored, but
  // counted, so that one deleted point cannot wedge a batch (or a spool
  // replay) forever.
  int64_t orphaned = 0;
};

class Writer {
 public:
  // timezone: the company zone; daily rollups are its calendar days.
  Writer(db::Conn& conn, std::string timezone) : conn_(conn), tz_(std::move(timezone)) {}
  Result<WriteResult> Write(const Batch& batch);
  // Counts readings that named something unknown (heatctl ingest unknown).
  Status NoteUnknown(const std::string& source, const std::string& key, int64_t count);
  // Devices heard from now: online, last_seen = now (since = now if they
  // were offline).
  Status NoteSeen(const std::vector<int32_t>& device_ids);

 private:
  Status EnsurePartitions(const Batch& batch);
  db::Conn& conn_;
  std::string tz_;
  bool staged_ = false;
  int64_t known_from_ms_ = 0, known_to_ms_ = 0;  // partitions known to exist
};

struct PointInfo {
  int32_t id;
  double scale, offset;
};
// Every point's code -> id and raw-value scaling (value = raw*scale+offset).
Result<std::unordered_map<std::string, PointInfo>> LoadPointIndex(db::Conn& conn);

}  // namespace heat::telemetry
