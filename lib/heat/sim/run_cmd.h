// sim/run_cmd.h — the device side of the command contract of
// heat-protocols(7) (CTL-1, DEV-3, DEV-4), for heatsim run: a station
// control box's cmd messages parsed, applied to its loop of the physical
// model with the box's own limits, and answered on cmd/ack; and the same
// setpoint rules for a PLC's register writes.
//
// Pure: no I/O and no clock (callers pass the wall-clock time), so unit
// tests drive it directly. Every byte of a cmd payload is hostile: what is
// not a JSON object with a string id, a known op and well-typed arguments
// is answered code 1, never thrown.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "heat/sim/physics/station.h"

namespace heat::sim {

// Answer codes of cmd/ack (heat-protocols(7)).
enum AckCode : int { kAckApplied = 0, kAckBad = 1, kAckExpired = 2, kAckManual = 3, kAckFailed = 4 };

enum class CmdOp { kSetValve, kSetPump, kStrokeCheck };

struct Command {
  std::string id;
  CmdOp op = CmdOp::kSetValve;
  std::optional<double> v1, pump1_hz;
  std::optional<bool> pump1_run;
  std::optional<double> expires_ms;  // epoch ms; absent: never
};

struct CmdAck {
  std::string id;
  int code = kAckApplied;
  std::string msg;
  nlohmann::ordered_json applied = nlohmann::ordered_json::object();  // in the order taken
};

inline constexpr size_t kMaxCmdBytes = 8192;  // a command is a few dozen bytes
inline constexpr size_t kMaxCmdIdBytes = 128;

// The command in a cmd payload, or the code-1 answer to send instead (with
// the id when one could be read). Arguments are strict: set_valve takes
// exactly a number v1; set_pump a number pump1_hz and/or a boolean
// pump1_run; stroke_check nothing (no args, or {}). Unknown keys in args
// are bad arguments; other top-level keys are ignored.
std::variant<Command, CmdAck> ParseCommand(std::string_view payload);

// The cmd/ack payload: {"id","ok","code","msg","applied"}.
std::string AckJson(const CmdAck& a);

// The setpoint rules shared by MQTT commands and Modbus writes. Each
// returns the code and, on 0, the value taken after the limits (valve
// 0..100 %, converter min..nominal Hz). Local forced manual refuses (3); a
// converter fault refuses a pump command (4); a valve running a stroke
// check refuses a setpoint (4, "busy"); a value that is not finite (a
// Modbus f32 NaN, a JSON 1e999) is bad (1). A stuck valve or a tripped pump
// takes the setpoint: only the feedback shows that nothing moves.
struct SetResult {
  int code = kAckApplied;
  double applied = 0;
  std::string msg;
};
SetResult SetValve(physics::Station& st, double pct);
SetResult SetPumpHz(physics::Station& st, double hz);
SetResult SetPumpRun(physics::Station& st, bool run);

// One box's memory of commands: each id is applied at most once and a
// repeated id gets the first answer again. Remembers the last kRemember ids.
// A stroke check is answered when it ends (Poll): code 0 and
// applied {"stroke_s": S} when it passed, code 4 when a leg took too long;
// a repeat of its id while it runs gets no answer until then.
class CommandDesk {
 public:
  static constexpr size_t kRemember = 1024;

  // The answer to one cmd payload received at now_ms, if one is due now.
  std::optional<CmdAck> Handle(std::string_view payload, double now_ms, physics::Station& st);
  // The answer of a stroke check that ended since the last call.
  std::optional<CmdAck> Poll(const physics::Station& st);
  size_t remembered() const { return answers_.size(); }

 private:
  CmdAck Apply(const Command& c, double now_ms, physics::Station& st);
  CmdAck ApplySetPump(const Command& c, physics::Station& st);
  void Remember(const CmdAck& a);

  std::unordered_map<std::string, CmdAck> answers_;
  std::deque<std::string> order_;
  std::string checking_;  // id of the stroke check running, if any
};

}  // namespace heat::sim
