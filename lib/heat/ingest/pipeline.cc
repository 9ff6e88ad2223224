#include "heat/ingest/pipeline.h"

#include <algorithm>
#include <chrono>

#include "heat/core/log.h"
#include "heat/db/conn.h"
#include "heat/telemetry/writer.h"

namespace heat::ingest {

// The writer thread's connection; absent while the database is away.
struct Pipeline::Db {
  std::unique_ptr<db::Conn> conn;
  std::unique_ptr<telemetry::Writer> writer;
  std::chrono::steady_clock::time_point next_try{};
  std::chrono::steady_clock::time_point next_marks{};
  int backoff_ms = 200;
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
  // Whatever was spooled while the database was away goes in first.
  std::lock_guard<std::mutex> spool_lock(spool_mu_);
  auto spooled = spool_.ReadAll();
  if (spooled.ok() && !spooled->empty()) {
    if (!WriteDb(db, *spooled).ok()) return false;
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
  log::Limited(log::Level::kWarning, "ingest-write", "write failed: " + r.status().message());
  db.writer.reset();
  db.conn.reset();  // reconnect before the next try: the session may be gone
  std::lock_guard<std::mutex> lock(mu_);
  stats_.db_errors++;
  stats_.db_up = false;
  return r.status();
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
}

// Stores one group of jobs: in the database when possible, else spooled.
Status Pipeline::Flush(Db& db, std::deque<std::shared_ptr<Job>>& jobs) {
  telemetry::Batch all;
  for (auto& j : jobs) all.insert(all.end(), j->batch.begin(), j->batch.end());
  if (Reconnect(db) && WriteDb(db, all).ok()) return Status::Ok();
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
        if (!stop) Reconnect(db);  // replays the spool as soon as the database is back
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
