// controld/book.h — the pure rules of heatd-control's commands (CTL-1,
// DEV-3, SYS-2): what to send after a strategy step, when to resend an
// unanswered command, when a valve that acknowledged is not following.
// No I/O; heatd-control applies them to heat.command.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "heat/control/types.h"

namespace heat::controld {

// What was last sent to a station (NaN / -1: nothing yet).
struct LastSent {
  double valve_pct = control::kUnknown;
  double pump_hz = control::kUnknown;
  int pump_run = -1;
};

struct NewCommand {
  std::string op;       // set_valve, set_pump
  nlohmann::json args;  // {"v1": 45.0} ...
};

struct Deadbands {
  double valve_pct = 0.5;  // a smaller change is not sent
  double pump_hz = 0.5;
};

// The commands one step's output calls for, holds applied over it: a
// valve setpoint when it moved by a deadband or more from the last one
// sent, a pump command when the frequency moved or run changed; nothing
// when the output says not to send (local manual). holds: valve_pct,
// pump_hz, pump_run. valve_key/pump_key name the tags (v1, pump1).
std::vector<NewCommand> Decide(const control::Commands& out, const std::map<std::string, double>& holds,
                               const LastSent& last, const Deadbands& db, const std::string& valve_key,
                               const std::string& pump_key);

// An unanswered command, since_s after it was last sent.
enum class Silence { kWait, kResend, kGiveUp };
// The n-th attempt waits ack_timeout_s × 2^(n−1); after `retries` resends
// the command is given up.
Silence AfterSilence(int attempts, double since_s, double ack_timeout_s, int retries);

// Whether a valve given `set` (applied) and reporting `feedback` since_s
// ago has had time enough to get there (running_time_s × the distance
// from where it was + margin_s) and has not, by more than tolerance.
bool NotFollowing(double from, double set, double feedback, double since_s, double running_time_s,
                  double tolerance, double margin_s);

}  // namespace heat::controld
