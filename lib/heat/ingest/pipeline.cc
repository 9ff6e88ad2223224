#include "heat/ingest/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

#include "heat/core/escape.h"
#include "heat/core/log.h"
#include "heat/core/text.h"
#include "heat/ingest/plausible.h"
#include "heat/db/conn.h"
#include "heat/telemetry/quality.h"
#include "heat/telemetry/writer.h"

namespace heat::ingest {

// The writer thread's connection; absent while the database is away.
struct Pipeline::Db {
  std::unique_ptr<db::Conn> conn;
  std::unique_ptr<telemetry::Writer> writer;
  std::chrono::steady_clock::time_point next_try{};
  std::chrono::steady_clock::time_point next_marks{};
  std::chrono::steady_clock::time_point next_probe{};
  int backoff_ms = 200;
  bool had_conn = false;  // a connection made now is a reconnect
};

Pipeline::Pipeline(PipelineOptions opt, telemetry::Spool spool) : opt_(std::move(opt)), spool_(std::move(spool)) {}

Result<std::unique_ptr<Pipeline>> Pipeline::Start(const PipelineOptions& opt) {
  HEAT_ASSIGN(telemetry::Spool spool, telemetry::Spool::Open(opt.spool_dir, *opt.file_ops));
  std::unique_ptr<Pipeline> p(new Pipeline(opt, std::move(spool)));
  p->stats_.spool_bytes = p->spool_.bytes();
  for (int i = 0; i < std::max(1, opt.writers); ++i) p->dbs_.push_back(std::make_unique<Db>());
  for (auto& db : p->dbs_) p->threads_.emplace_back([raw = p.get(), d = db.get()] { raw->Run(*d); });
  return p;
}

Pipeline::~Pipeline() { Stop(); }

Status Pipeline::Submit(telemetry::Batch batch) {
  Screen(batch);
  if (batch.empty()) return Status::Ok();
  auto job = std::make_shared<Job>();
  size_t n = batch.size();
  job->batch = std::move(batch);
  std::unique_lock<std::mutex> lock(mu_);
  cv_space_.wait(lock, [&] { return stopping_ || queued_readings_ < opt_.queue_max; });
  if (stopping_) return Status::Failure("ingest is stopping");
  queue_.push_back(job);
  queued_readings_ += n;
  stats_.submitted += n;
  cv_work_.notify_one();
  job->cv.wait(lock, [&] { return job->done; });
  return job->result;
}

void Pipeline::NoteUnknown(const std::string& source, const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  unknown_[{source, key}]++;
  stats_.unknown++;
}

namespace {

// Text as it is when it is printable UTF-8, else escaped (core/escape.h).
std::string Printable(std::string_view s) {
  return IsValidUtf8(s) && FirstControl(s) == std::string_view::npos ? std::string(s) : EscapeControl(s);
}

}  // namespace

void Pipeline::NoteRejected(std::string_view source, std::string_view key, std::string_view reason,
                            std::string_view raw) {
  std::lock_guard<std::mutex> lock(mu_);
  stats_.rejected++;
  if (rejected_.size() >= kMaxRejectedPending) {
    stats_.rejected_unlogged++;
    return;
  }
  // Text columns get printable UTF-8 only; the raw bytes go as they came.
  rejected_.push_back({Printable(source.substr(0, 32)), Printable(key.substr(0, 50)),
                       Printable(reason.substr(0, 240)), std::string(raw.substr(0, 16384))});
}

void Pipeline::SetRanges(PointRanges ranges) {
  auto p = std::make_shared<const PointRanges>(std::move(ranges));
  std::lock_guard<std::mutex> lock(mu_);
  ranges_ = std::move(p);
}

Result<PointRanges> LoadPointRanges(db::Conn& conn) {
  HEAT_ASSIGN(db::Rows r, conn.Query("SELECT id, coalesce(range_lo, 'NaN'), coalesce(range_hi, 'NaN') FROM heat.point"
                                     " WHERE range_lo IS NOT NULL OR range_hi IS NOT NULL"));
  PointRanges out;
  for (int i = 0; i < r.size(); ++i)
    out[static_cast<int32_t>(r.get_int(i, 0))] = {std::stod(r.get(i, 1)), std::stod(r.get(i, 2))};
  return out;
}

namespace {

std::string Describe(const telemetry::Reading& r) {
  return "point " + std::to_string(r.point_id) + " at " + std::to_string(r.ts_ms) + " ms: " + std::to_string(r.value);
}

}  // namespace

// Readings whose time or value no database should see are quarantined;
// values outside their point's physical range get quality bit 1.
void Pipeline::Screen(telemetry::Batch& batch) {
  const int64_t now_s = std::time(nullptr);
  const int64_t lo_ms = opt_.max_age_s > 0 ? (now_s - opt_.max_age_s) * 1000 : 946684800000;  // 2000-01-01
  const int64_t hi_ms = (now_s + kMaxAheadS) * 1000;
  std::shared_ptr<const PointRanges> ranges;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ranges = ranges_;
  }
  uint64_t out_of_range = 0;
  std::erase_if(batch, [&](telemetry::Reading& r) {
    if (r.ts_ms < lo_ms || r.ts_ms > hi_ms || !std::isfinite(r.value)) {
      NoteRejected("pipeline", std::to_string(r.point_id), "reading time or value implausible", Describe(r));
      return true;
    }
    auto it = ranges->find(r.point_id);
    if (it != ranges->end() && (r.value < it->second.first || r.value > it->second.second)) {
      r.quality |= telemetry::kOutOfRange;
      ++out_of_range;
    }
    return false;
  });
  if (out_of_range == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  stats_.out_of_range += out_of_range;
}

void Pipeline::NoteSeen(int32_t device_id) {
  std::lock_guard<std::mutex> lock(mu_);
  seen_.insert(device_id);
}

void Pipeline::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_work_.notify_all();
  cv_space_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

PipelineStats Pipeline::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  PipelineStats s = stats_;
  s.queued = queued_readings_;
  return s;
}

bool Pipeline::Reconnect(Db& db) {
  auto now = std::chrono::steady_clock::now();
  if (db.conn) return true;
  if (now < db.next_try) return false;
  auto c = db::Conn::Open(opt_.conninfo, "heatd-ingest");
  if (!c.ok()) {
    log::Limited(log::Level::kWarning, "ingest-db", "database unavailable, spooling: " + c.status().message());
    db.next_try = now + std::chrono::milliseconds(db.backoff_ms);
    db.backoff_ms = std::min(db.backoff_ms * 2, 5000);
    return false;
  }
  db.conn = std::make_unique<db::Conn>(std::move(c).value());
  db.writer = std::make_unique<telemetry::Writer>(*db.conn, opt_.timezone);
  db.backoff_ms = 200;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.db_up = true;
    if (db.had_conn) stats_.reconnects++;
    db.had_conn = true;
  }
  // Whatever was spooled while the database was away goes in first.
  std::lock_guard<std::mutex> spool_lock(spool_mu_);
  auto spooled = spool_.ReadAll();
  if (spooled.ok() && !spooled->empty()) {
    if (!StoreOrSplit(db, *spooled).ok()) return false;
    log::Notice("replayed " + std::to_string(spooled->size()) + " spooled readings");
    std::lock_guard<std::mutex> lock(mu_);
    stats_.replayed += spooled->size();
  }
  // Emptied, or empty already: a spool that failed while the database was
  // away is known good again (an empty, synced file), not "failing".
  if (spooled.ok()) (void)spool_.Clear();
  NoteSpoolState();
  return db.conn != nullptr;
}

Status Pipeline::WriteDb(Db& db, const telemetry::Batch& all) {
  auto r = db.writer->Write(all);
  if (r.ok()) {
    WriteMarks(db, false);
    std::lock_guard<std::mutex> lock(mu_);
    stats_.stored += r->inserted;
    stats_.duplicates += r->duplicates;
    stats_.unknown += r->orphaned;
    if (r->orphaned > 0)
      log::Limited(log::Level::kWarning, "ingest-orphaned",
                   std::to_string(r->orphaned) + " readings for points deleted meanwhile were not stored");
    stats_.db_up = true;
    return Status::Ok();
  }
  if (r.status().code() == Code::kUsage) {
    // The data's fault, not the database's: the transaction is rolled
    // back, the session is fine; a new writer forgets its staging state.
    db.writer = std::make_unique<telemetry::Writer>(*db.conn, opt_.timezone);
    return r.status();
  }
  log::Limited(log::Level::kWarning, "ingest-write", "write failed: " + r.status().message());
  db.writer.reset();
  db.conn.reset();  // reconnect before the next try: the session may be gone
  std::lock_guard<std::mutex> lock(mu_);
  stats_.db_errors++;
  stats_.db_up = false;
  return r.status();
}

// Halves a batch the database refuses for its data until each poison
// reading stands alone; that one is quarantined, everything else stored.
Status Pipeline::StoreOrSplit(Db& db, const telemetry::Batch& all) {
  Status st = WriteDb(db, all);
  if (st.code() != Code::kUsage) return st;
  if (all.size() == 1) {
    log::Limited(log::Level::kWarning, "ingest-poison", "reading quarantined: " + st.message());
    NoteRejected("pipeline", std::to_string(all[0].point_id), st.message(), Describe(all[0]));
    return Status::Ok();
  }
  auto mid = all.begin() + static_cast<std::ptrdiff_t>(all.size() / 2);
  HEAT_TRY(StoreOrSplit(db, telemetry::Batch(all.begin(), mid)));
  return StoreOrSplit(db, telemetry::Batch(mid, all.end()));
}

// On an idle turn, at most once a second: is the server still there? A
// writer with nothing to write would otherwise learn of a lost server only
// with the next batch, and stats().db_up (heat_ready) would stay 1.
void Pipeline::Probe(Db& db) {
  auto now = std::chrono::steady_clock::now();
  if (!db.conn || now < db.next_probe) return;
  db.next_probe = now + std::chrono::seconds(1);
  Status st = db.conn->Exec("SELECT 1");
  if (!st.ok()) {
    db.writer.reset();
    db.conn.reset();
  }
  std::lock_guard<std::mutex> lock(mu_);
  stats_.db_up = st.ok();
  if (!st.ok()) stats_.db_errors++;
}

// Devices heard from (last_seen, online) and unknown keys go to the
// database at most once a second per writer unless `now`: a device heard in
// every batch cost an upsert and a commit per batch, for a last_seen that
// only moved by milliseconds. The writer's idle turn and its exit write
// what is left, so nothing waits longer than about a second.
void Pipeline::WriteMarks(Db& db, bool now) {
  auto t = std::chrono::steady_clock::now();
  if (!db.writer || (!now && t < db.next_marks)) return;
  db.next_marks = t + std::chrono::seconds(1);
  std::map<std::pair<std::string, std::string>, int64_t> unknown;
  std::set<int32_t> seen;
  {
    std::lock_guard<std::mutex> lock(mu_);
    unknown.swap(unknown_);
    seen.swap(seen_);
  }
  for (const auto& [k, n] : unknown) (void)db.writer->NoteUnknown(k.first, k.second, n);
  if (!seen.empty()) (void)db.writer->NoteSeen(std::vector<int32_t>(seen.begin(), seen.end()));
  WriteRejected(db);
}

// One INSERT of what waits for the quarantine (not COPY: the table has
// row-level security, 0025); kept for the next turn when the database
// fails (the bound in NoteRejected still holds).
void Pipeline::WriteRejected(Db& db) {
  std::vector<Rejected> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch.swap(rejected_);
  }
  if (batch.empty()) return;
  std::string sql = "INSERT INTO heat.ingest_rejected (source, key, reason, raw) VALUES ";
  db::Params params;
  for (const auto& r : batch) {
    std::string hex = "\\x" + HexLower(r.raw);
    size_t n = params.size();
    sql += (n ? ", ($" : "($") + std::to_string(n + 1) + ", $" + std::to_string(n + 2) + ", $" +
           std::to_string(n + 3) + ", $" + std::to_string(n + 4) + "::bytea)";
    for (auto* v : {&r.source, &r.key, &r.reason}) params.emplace_back(*v);
    params.emplace_back(std::move(hex));
  }
  Status st = db.conn->Exec(sql, params);
  if (st.ok()) return;
  log::Limited(log::Level::kWarning, "ingest-rejected", "quarantine not written: " + st.message());
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& r : batch)
    if (rejected_.size() < kMaxRejectedPending) rejected_.push_back(std::move(r));
}

// Stores one group of jobs: in the database when possible, else spooled.
Status Pipeline::Flush(Db& db, std::deque<std::shared_ptr<Job>>& jobs) {
  telemetry::Batch all;
  for (auto& j : jobs) all.insert(all.end(), j->batch.begin(), j->batch.end());
  if (Reconnect(db) && StoreOrSplit(db, all).ok()) return Status::Ok();
  std::lock_guard<std::mutex> spool_lock(spool_mu_);
  return AppendToSpool(all);
}

// With spool_mu_ held. A failed append was rolled back or made the spool
// unusable (telemetry/spool.h); either way nothing is acknowledged.
Status Pipeline::AppendToSpool(const telemetry::Batch& all) {
  if (!spool_.usable()) RecoverSpool();
  Status st = spool_.Append(all);
  if (!st.ok() && spool_.usable())
    log::Limited(log::Level::kWarning, "ingest-spool", "spool append failed, not acknowledged: " + st.message());
  NoteSpoolState();
  std::lock_guard<std::mutex> lock(mu_);
  if (st.ok()) stats_.spooled += all.size();
  else stats_.spool_errors++;
  return st;
}

// With spool_mu_ held: at most once a second, reopen an unusable spool.
void Pipeline::RecoverSpool() {
  auto now = std::chrono::steady_clock::now();
  if (spool_.usable() || now < next_spool_recover_) return;
  next_spool_recover_ = now + std::chrono::seconds(1);
  if (spool_.Recover().ok()) log::Notice("spool " + spool_.path() + " usable again");
}

// With spool_mu_ held: copies the spool's state into the stats, and logs
// when the spool becomes unusable (once, not per batch).
void Pipeline::NoteSpoolState() {
  std::string state = !spool_.usable() ? "unusable" : spool_.last_error().empty() ? "ok" : "failing";
  std::lock_guard<std::mutex> lock(mu_);
  if (state == "unusable" && stats_.spool_state != "unusable")
    log::Error("spool unusable, acknowledging only what PostgreSQL stores: " + spool_.last_error());
  stats_.spool_state = state;
  stats_.spool_error = spool_.last_error();
  stats_.spool_bytes = spool_.bytes();
}

void Pipeline::Run(Db& db) {
  for (;;) {
    std::deque<std::shared_ptr<Job>> jobs;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_work_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        bool stop = stopping_;
        lock.unlock();
        if (!stop && Reconnect(db)) Probe(db);  // replays the spool as soon as the database is back
        if (!stop) {
          std::lock_guard<std::mutex> spool_lock(spool_mu_);
          RecoverSpool();
          NoteSpoolState();
        }
        WriteMarks(db, true);
        if (stop) return;
        continue;
      }
      size_t n = 0;
      while (!queue_.empty() && (jobs.empty() || n + queue_.front()->batch.size() <= opt_.batch_max)) {
        n += queue_.front()->batch.size();
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Status st = Flush(db, jobs);
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& j : jobs) {
      j->result = st;
      j->done = true;
      queued_readings_ -= j->batch.size();
      j->cv.notify_one();
    }
    cv_space_.notify_all();
  }
}

}  // namespace heat::ingest
