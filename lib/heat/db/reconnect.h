// db/reconnect.h — when to try PostgreSQL again after it went away, and
// how loudly to say so (OPS-1: a restart, a terminated backend, or a
// failover that moves the primary to the other host of a multi-host
// conninfo).
//
// Contract:
//  * A Reconnector is one connection owner's state: the backoff between
//    attempts (first 0.5 s, doubling, at most 5 s by default) and whether
//    an outage is going on. It is told the time, so it is pure and
//    testable; one thread uses it (not thread-safe).
//  * Log lines: one warning when an outage starts (the first failure
//    after being connected, or at start), one notice when the connection
//    is back with how long it was away. Nothing for the attempts between.
//  * Counting: each return after a loss counts one reconnect, in the
//    Reconnector and in the process-wide TotalReconnects() (atomic; what
//    the heat_db_reconnects_total metric reports). The first connection
//    at start is not a reconnect.
//  * ReconnectWithin blocks, for tools that must reach the database again
//    to finish what they started (billctl charge after a lost COMMIT).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "heat/core/status.h"
#include "heat/db/conn.h"

namespace heat::db {

struct Backoff {
  std::chrono::milliseconds first{500};
  std::chrono::milliseconds max{5000};
};

class Reconnector {
 public:
  using Clock = std::chrono::steady_clock;
  explicit Reconnector(std::string who, Backoff backoff = {}) : who_(std::move(who)), backoff_(backoff) {}

  // Whether an attempt may start at `now` (always, unless one failed and
  // its backoff has not passed).
  bool Due(Clock::time_point now) const { return !down_ || now >= next_try_; }
  // An attempt failed, or the connection was found lost: the next attempt
  // waits the current delay, which then doubles up to the maximum.
  void Failed(const Status& why, Clock::time_point now);
  // Connected (again): resets the backoff; after a loss, logs and counts.
  void Connected(Clock::time_point now);

  bool down() const { return down_; }
  // How long the next attempt waits after the last failure.
  std::chrono::milliseconds delay() const { return delay_; }
  Clock::time_point next_try() const { return next_try_; }
  uint64_t reconnects() const { return reconnects_; }

 private:
  std::string who_;
  Backoff backoff_;
  bool down_ = false, ever_up_ = false;
  std::chrono::milliseconds delay_{0};
  Clock::time_point next_try_{}, down_since_{};
  int attempts_ = 0;
  uint64_t reconnects_ = 0;
};

// Reconnects counted by every Reconnector of this process.
uint64_t TotalReconnects();

// Sleeps until `t`, or less once `stop` is set (a daemon's worker thread
// between attempts: a stop request is not kept waiting for the backoff).
void WaitUntil(Reconnector::Clock::time_point t, const std::atomic<bool>& stop);

// After `lost` (the error that showed the session gone): resets `conn`
// at once, then as `rc` says, until it is back or `budget` has passed;
// the last failure when time runs out.
Status ReconnectWithin(Conn& conn, Reconnector& rc, const Status& lost, std::chrono::milliseconds budget);

}  // namespace heat::db
