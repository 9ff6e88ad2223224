// ingest/pipeline.h — from transports to PostgreSQL, never losing an
// acknowledged reading.
//
// Transport threads call Submit(); it returns only when the batch is
// durable — committed to PostgreSQL, or appended and fsync'd to the local
// spool when the database is away — and only then may the transport
// acknowledge (MQTT PUBACK, CoAP 2.04). Writer threads (each with its own
// connection) take what is queued, group-commit it (many submitters, one
// transaction), and while the database is unreachable write to the spool
// and retry the connection with backoff; once it is back, the spool is
// replayed (the writer stores each reading once, so replays are harmless)
// and then cleared. The queue
// is bounded: when it is full, Submit() waits, which slows the transports
// (back-pressure) rather than dropping anything.
//
// When the spool itself fails (a full disk, EIO; telemetry/spool.h) while
// the database is away, Submit() fails and nothing is acknowledged: CoAP
// answers 5.03, MQTT sends no PUBACK. stats() says why (spool_state). An
// unusable spool is recovered at most once a second, so ingest resumes by
// itself once the disk has room again.
//
// Poison (SYS-1): the spool is for database-availability failures only. A
// transaction the database refuses for a reason in the data itself (a
// data exception, kUsage) is split in halves until each poison reading
// stands alone; that one goes to the quarantine (heat.ingest_rejected) and
// the rest is stored, so one reading never holds back the others and a
// spool replay cannot wedge. Before queueing, Submit() takes out readings
// no database should see (a time outside [min_ts, now + 5 min], a value
// that is not finite) into the quarantine as well, and marks a value
// outside its point's physical range (range_lo, range_hi) with quality
// bit 1: stored, but left out of rollups and heat.latest.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "heat/core/file_ops.h"
#include "heat/core/status.h"
#include "heat/telemetry/reading.h"
#include "heat/db/conn.h"
#include "heat/telemetry/spool.h"

namespace heat::ingest {

struct PipelineOptions {
  std::string conninfo;            // libpq; the daemon's service role
  std::string spool_dir;
  std::string timezone = "Asia/Shanghai";
  size_t queue_max = 100000;       // readings queued before Submit waits
  size_t batch_max = 50000;        // readings per transaction at most
  int writers = 2;                 // writer threads, a connection each
  FileOps* file_ops = &FileOps::Real();  // under the spool; tests inject faults
  // The oldest reading time taken, as an age (0: only since 2000); the
  // daemon sets the largest ingest.max_age_* (ingest/plausible.h).
  int64_t max_age_s = 0;
};

// Point id -> physical range [lo, hi]; NaN for an open end.
using PointRanges = std::unordered_map<int32_t, std::pair<double, double>>;
// The ranges of the points that have one (heat.point range_lo, range_hi).
Result<PointRanges> LoadPointRanges(db::Conn& conn);

struct PipelineStats {
  uint64_t submitted = 0, stored = 0, duplicates = 0, spooled = 0, replayed = 0;
  uint64_t db_errors = 0, queued = 0, spool_bytes = 0, unknown = 0;
  uint64_t spool_errors = 0;       // appends that failed (not acknowledged)
  std::string spool_state = "ok";  // ok | failing (last append failed) | unusable
  std::string spool_error;         // why, when not ok
  // Quarantined (rejected) and, past the bound on rows a second, only counted.
  uint64_t rejected = 0, rejected_unlogged = 0, out_of_range = 0;
  // Up after a connection was made or a statement went through, down after
  // one failed; an idle writer asks at most once a second (Probe), so
  // this follows the server within about a second even with no readings.
  bool db_up = false;
  uint64_t reconnects = 0;  // connections made again after one was lost
};

inline constexpr size_t kMaxRejectedPending = 1000;

class Pipeline {
 public:
  static Result<std::unique_ptr<Pipeline>> Start(const PipelineOptions& opt);
  ~Pipeline();

  // Blocks until the readings are durable. Fails only when stopping or when
  // both the database and the spool fail (then nothing may be acknowledged).
  Status Submit(telemetry::Batch batch);
  // Counts a reading that named something the base information does not
  // know (heatctl ingest unknown); written within about a second (by a
  // writer after a batch, on its idle turn, or at Stop).
  void NoteUnknown(const std::string& source, const std::string& key);
  // Marks a device as seen now (device_status: online, last_seen);
  // written like NoteUnknown's counts, within about a second.
  void NoteSeen(int32_t device_id);
  // Puts what came from outside and cannot be stored into the quarantine
  // (heat.ingest_rejected), written like NoteUnknown's counts. At most
  // kMaxRejectedPending wait at once; past that they are only counted.
  void NoteRejected(std::string_view source, std::string_view key, std::string_view reason,
                    std::string_view raw);
  // The physical ranges Submit() checks values against (base information).
  void SetRanges(PointRanges ranges);
  // Finishes everything queued, then stops the writer threads.
  void Stop();
  PipelineStats stats() const;

 private:
  struct Job {
    telemetry::Batch batch;
    Status result;
    bool done = false;
    // Its own, so that a finished transaction wakes its submitters only,
    // not every transport thread waiting on some other batch.
    std::condition_variable cv;
  };
  Pipeline(PipelineOptions opt, telemetry::Spool spool);
  struct Db;
  void Run(Db& db);
  Status Flush(Db& db, std::deque<std::shared_ptr<Job>>& jobs);
  Status WriteDb(Db& db, const telemetry::Batch& all);
  // WriteDb, splitting a batch the database refuses for its data.
  Status StoreOrSplit(Db& db, const telemetry::Batch& all);
  // Takes out and quarantines what must not be queued; marks range.
  void Screen(telemetry::Batch& batch);
  void WriteRejected(Db& db);
  struct Rejected {
    std::string source, key, reason, raw;
  };
  void WriteMarks(Db& db, bool now);
  bool Reconnect(Db& db);
  void Probe(Db& db);
  Status AppendToSpool(const telemetry::Batch& all);
  void RecoverSpool();
  void NoteSpoolState();

  PipelineOptions opt_;
  telemetry::Spool spool_;
  // mu_ guards everything below up to spool_mu_ (the queue, the marks,
  // rejected_, ranges_, stats_); taken after spool_mu_, never before it.
  mutable std::mutex mu_;
  std::condition_variable cv_work_, cv_space_;
  std::deque<std::shared_ptr<Job>> queue_;
  size_t queued_readings_ = 0;
  std::map<std::pair<std::string, std::string>, int64_t> unknown_;
  std::set<int32_t> seen_;
  std::vector<Rejected> rejected_;
  std::shared_ptr<const PointRanges> ranges_ = std::make_shared<const PointRanges>();
  bool stopping_ = false;
  PipelineStats stats_;
  // The spool is shared by the writers: an append and a replay (read,
  // store, clear) must not interleave, or a clear would drop an append.
  // Lock order: spool_mu_ before mu_. spool_mu_ guards spool_ and
  // next_spool_recover_; mu_ guards the rest above.
  std::mutex spool_mu_;
  std::chrono::steady_clock::time_point next_spool_recover_{};
  std::vector<std::unique_ptr<Db>> dbs_;
  std::vector<std::thread> threads_;
};

}  // namespace heat::ingest
