// alarm/condition.h — one binding's alarm condition over time, as
// ISA-18.2 asks: a limit with a deadband (hysteresis), an on-delay (the
// condition must hold that long before the alarm is raised) and an
// off-delay (it must be gone that long before the alarm clears), and
// chattering (three raises within 60 s) folded into one alarm that stays
// raised until the condition has kept away for 60 s.
//
// Pure: the state is given and returned in place; times are the caller's
// (the reading's own time on a reading, the clock on a tick), in ms since
// the epoch. Readings older than the last one evaluated for the same
// point change nothing (a late batch cannot turn back the condition).
#pragma once

#include <array>
#include <cstdint>
#include <limits>

#include "heat/alarm/rule.h"

namespace heat::alarm {

constexpr int64_t kChatterWindowMs = 60'000;
constexpr int kChatterRaises = 3;

struct CondState {
  bool raised = false;         // an alarm is raised for this binding
  bool chattering = false;     // the raised alarm is chattering (folded)
  bool cond = false;           // the raw condition, with its deadband
  int64_t cond_since_ms = -1;  // when cond last changed
  double value = std::numeric_limits<double>::quiet_NaN();  // last value of the point
  int64_t value_ms = -1;
  double ref = std::numeric_limits<double>::quiet_NaN();    // last value of the reference point
  int64_t ref_ms = -1;
  int equal = 0;               // frozen: readings in a row equal to value
  int64_t seen_ms = -1;        // comm_loss: the device was last heard from
  std::array<int64_t, kChatterRaises> raises{{-1, -1, -1}};  // latest raise times, newest first
};

enum class Change {
  kNone,
  kRaise,  // raise a new alarm
  kFold,   // the condition came back while chattering: count it on the raised alarm
  kClear,  // clear the raised alarm
};

struct Outcome {
  Change change = Change::kNone;
  bool chattering = false;  // with kRaise or kFold: the alarm is (now) chattering
  double value = std::numeric_limits<double>::quiet_NaN();  // the value that decided it
};

// A reading of the binding's point (is_ref false) or reference point.
// quality: telemetry/quality.h bits (1: out of range).
Outcome OnReading(const Binding& b, CondState& s, bool is_ref, double value, int quality, int64_t ts_ms);

// The device was heard from at ts_ms (any reading of it): comm_loss only.
Outcome OnSeen(const Binding& b, CondState& s, int64_t ts_ms);

// Time passes without readings: delays that elapsed, a communication loss
// that began. Call at least once a second.
Outcome OnTick(const Binding& b, CondState& s, int64_t now_ms);

// The comm_loss timeout: count (default 3) × the device's period.
int64_t CommLossTimeoutMs(const Binding& b);

}  // namespace heat::alarm
