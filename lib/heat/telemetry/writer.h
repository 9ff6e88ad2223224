// telemetry/writer.h — batches of readings into PostgreSQL, exactly once.
//
// Write() stores a batch in one transaction, by one of two paths:
//  * fast (the common case: every reading new, every point known): COPY
//    straight into heat.reading inside a savepoint, and the rollups
//    computed here from the batch and sent as one row per point and hour;
//  * exact (when the fast COPY meets a reading already stored, or a point
//    deleted meanwhile, or a zone whose offset is not whole hours): the
//    savepoint is rolled back; the batch is copied into a staging table
//    and moved into heat.reading with ON CONFLICT DO NOTHING, and only the
//    rows actually inserted update the rollups.
// Either way a reading of a point at an instant is stored once however
// often it is replayed (spool replays, CoAP retransmissions, MQTT
// redeliveries), heat.latest only moves forward, and the hourly and daily
// rollups stay exact. Monthly partitions missing for the batch's time
// range are created first. Resolve codes with LoadPointIndex first;
// readings of points deleted since are counted as orphaned.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "heat/core/time.h"
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
  // How many batches took each path (for tests and stats).
  int64_t fast_batches() const { return fast_; }
  int64_t exact_batches() const { return exact_; }
  // Fast batches that were COPYed straight into heat.reading (a login
  // that bypasses row-level security) rather than staged first.
  int64_t direct_batches() const { return direct_; }
  // Counts readings that named something unknown (heatctl ingest unknown).
  Status NoteUnknown(const std::string& source, const std::string& key, int64_t count);
  // Devices heard from now: online, last_seen = now (since = now if they
  // were offline).
  Status NoteSeen(const std::vector<int32_t>& device_ids);

 private:
  Status EnsurePartitions(const Batch& batch);
  Status Stage(const Batch& batch);
  // writer_fast.cc. direct: COPY the batch into heat.reading itself;
  // otherwise INSERT from the staged rows.
  Result<bool> TryFast(const Batch& batch, bool direct);
  Result<bool> CanCopyDirect();
  Result<bool> HourDays(const Batch& batch, std::map<int64_t, Date>& days);
  Status CopyReadings(const Batch& batch, bool direct);
  Status Rollups(const Batch& batch, const std::map<int64_t, Date>& days);
  db::Conn& conn_;
  std::string tz_;
  std::optional<TimeZone> zone_;
  // The company day of hours seen lately (nullopt: the hour straddles two
  // days): finding one switches the process's zone under a lock, which
  // every CoAP thread reading a meter's clock waits for.
  std::map<int64_t, std::optional<Date>> hour_days_;
  bool staged_ = false, hours_staged_ = false;
  std::optional<bool> copy_direct_;  // this login bypasses row-level security
  int64_t fast_ = 0, exact_ = 0, direct_ = 0;
  int64_t known_from_ms_ = 0, known_to_ms_ = 0;  // partitions known to exist
};

struct PointInfo {
  int32_t id;
  double scale, offset;
};
// Every point's code -> id and raw-value scaling (value = raw*scale+offset).
Result<std::unordered_map<std::string, PointInfo>> LoadPointIndex(db::Conn& conn);

}  // namespace heat::telemetry
