// alarmd/system_watch.cc — the system checks' thread.
#include "heat/alarmd/system_watch.h"

#include <chrono>

#include "heat/core/log.h"
#include "heat/monitor/system.h"

namespace heat::alarmd {

void SystemWatch::SetConfig(const Config& cfg) {
  std::lock_guard<std::mutex> lock(mu_);
  cfg_ = cfg;
  changed_ = true;
  wake_.notify_all();
}

void SystemWatch::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stop_ = true;
  wake_.notify_all();
}

// Probes first, then connects: the probe may take seconds, a connection
// kept idle across the interval costs nothing.
Status SystemWatch::CheckOnce(const Config& cfg) {
  HEAT_ASSIGN(monitor::Snapshot s, monitor::Probe(cfg, {"heatd-alarm"}));
  std::string host = monitor::ThisHost();
  std::vector<monitor::Check> checks = monitor::Checks(s, monitor::LimitsFrom(cfg), host);
  monitor::HoldBackFirstFailures(checks, failing_);
  std::string json = monitor::ChecksJson(checks);
  if (!db_) {
    HEAT_ASSIGN(db::Conn c, db::Conn::Open(cfg.str("db.conninfo"), "heatd-alarm-system"));
    db_ = std::make_unique<db::Conn>(std::move(c));
  }
  auto raised = db_->Query("SELECT * FROM heat.system_alarms($1::jsonb, $2)", {json, host});
  if (!raised.ok()) {
    db_.reset();  // the server may have gone: a new connection next time
    return raised.status();
  }
  if (!raised->empty()) log::Notice("heatd-alarm: " + std::to_string(raised->size()) + " system alarm(s) raised");
  return Status::Ok();
}

void SystemWatch::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    Config cfg = cfg_;
    changed_ = false;
    int64_t interval = cfg.seconds("alarm.system_interval");
    if (interval > 0) {
      lock.unlock();
      Status st = CheckOnce(cfg);
      if (!st.ok()) log::Limited(log::Level::kWarning, "alarm-system", "heatd-alarm: system checks: " + st.message());
      lock.lock();
    }
    auto wait = interval > 0 ? std::chrono::seconds(interval) : std::chrono::hours(24);
    wake_.wait_for(lock, wait, [this] { return stop_ || changed_; });
  }
}

}  // namespace heat::alarmd
