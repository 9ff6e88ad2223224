#include "heat/db/reconnect.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include "heat/core/log.h"

namespace heat::db {
namespace {
std::atomic<uint64_t> g_reconnects{0};
}  // namespace

uint64_t TotalReconnects() { return g_reconnects.load(); }

void Reconnector::Failed(const Status& why, Clock::time_point now) {
  if (!down_) {
    down_ = true;
    down_since_ = now;
    attempts_ = 0;
    delay_ = backoff_.first;
    log::Warning(who_ + ": database unavailable, retrying every " + std::to_string(backoff_.first.count()) +
                 " ms to " + std::to_string(backoff_.max.count() / 1000) + " s: " + why.message());
  } else {
    delay_ = std::min(delay_ * 2, backoff_.max);
  }
  ++attempts_;
  next_try_ = now + delay_;
}

void Reconnector::Connected(Clock::time_point now) {
  bool after_loss = down_ && ever_up_;
  if (down_) {
    double s = std::chrono::duration<double>(now - down_since_).count();
    char away[32];
    std::snprintf(away, sizeof away, "%.1f", s);
    log::Notice(who_ + ": database " + (ever_up_ ? "back" : "reached") + " after " + away + " s (" +
                std::to_string(attempts_) + " failed attempts)");
  }
  if (after_loss) {
    ++reconnects_;
    g_reconnects++;
  }
  down_ = false;
  ever_up_ = true;
  delay_ = std::chrono::milliseconds{0};
}

void WaitUntil(Reconnector::Clock::time_point t, const std::atomic<bool>& stop) {
  while (!stop && Reconnector::Clock::now() < t)
    std::this_thread::sleep_for(std::min<Reconnector::Clock::duration>(t - Reconnector::Clock::now(),
                                                                      std::chrono::milliseconds(100)));
}

Status ReconnectWithin(Conn& conn, Reconnector& rc, const Status& lost, std::chrono::milliseconds budget) {
  const auto deadline = Reconnector::Clock::now() + budget;
  rc.Failed(lost, Reconnector::Clock::now());
  for (;;) {  // at once first: after a terminated backend the server is there
    Status st = conn.Reset();
    auto now = Reconnector::Clock::now();
    if (st.ok()) {
      rc.Connected(now);
      return st;
    }
    rc.Failed(st, now);
    if (rc.next_try() >= deadline) return st;
    std::this_thread::sleep_until(rc.next_try());
  }
}

}  // namespace heat::db
