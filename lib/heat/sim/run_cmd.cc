// sim/run_cmd.cc — cmd parsing, the box's limits, cmd/ack answers.
#include "heat/sim/run_cmd.h"

#include <cmath>

namespace heat::sim {
namespace {

using nlohmann::json;
using physics::StrokeCheck;

CmdAck Bad(std::string id, std::string msg) {
  CmdAck a;
  a.id = std::move(id);
  a.code = kAckBad;
  a.msg = std::move(msg);
  return a;
}

// args of set_pump: pump1_hz (number) and/or pump1_run (boolean), nothing else.
std::string ReadPumpArgs(const json& args, Command& c) {
  for (const auto& [k, v] : args.items()) {
    if (k == "pump1_hz" && v.is_number()) c.pump1_hz = v.get<double>();
    else if (k == "pump1_run" && v.is_boolean()) c.pump1_run = v.get<bool>();
    else return "set_pump: bad argument '" + k.substr(0, 32) + "'";
  }
  if (!c.pump1_hz && !c.pump1_run) return "set_pump: needs pump1_hz or pump1_run";
  return "";
}

// Reads op and args into c; an error message, or "" when they are good.
std::string ReadOp(const json& j, Command& c) {
  auto op = j.find("op");
  if (op == j.end() || !op->is_string()) return "no op";
  auto a = j.find("args");
  const json none = json::object();
  const json& args = a == j.end() ? none : *a;
  if (!args.is_object()) return "args is not an object";
  const std::string& name = op->get_ref<const std::string&>();
  if (name == "set_valve") {
    c.op = CmdOp::kSetValve;
    auto v = args.find("v1");
    if (args.size() != 1 || v == args.end() || !v->is_number()) return "set_valve: needs exactly a number v1";
    c.v1 = v->get<double>();
    return "";
  }
  if (name == "set_pump") {
    c.op = CmdOp::kSetPump;
    return ReadPumpArgs(args, c);
  }
  if (name == "stroke_check") {
    c.op = CmdOp::kStrokeCheck;
    return args.empty() ? "" : "stroke_check: takes no arguments";
  }
  return "unknown op '" + name.substr(0, 32) + "'";
}

bool Checking(const physics::Valve& v) {
  auto s = v.stroke_check();
  return s == StrokeCheck::kClosing || s == StrokeCheck::kOpening || s == StrokeCheck::kReturning;
}

CmdAck Refused(CmdAck a, const SetResult& r) {
  a.code = r.code;
  a.msg = r.msg;
  a.applied = nlohmann::ordered_json::object();
  return a;
}

// Rounded as a box reports it (0.01), so that the answer reads cleanly.
double Round2(double v) { return std::round(v * 100) / 100; }

}  // namespace

std::variant<Command, CmdAck> ParseCommand(std::string_view payload) {
  if (payload.size() > kMaxCmdBytes) return Bad("", "command over " + std::to_string(kMaxCmdBytes) + " bytes");
  json j = json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Bad("", "not a JSON object");
  auto id = j.find("id");
  if (id == j.end() || !id->is_string() || id->get_ref<const std::string&>().empty() ||
      id->get_ref<const std::string&>().size() > kMaxCmdIdBytes)
    return Bad("", "id must be a string of 1 to " + std::to_string(kMaxCmdIdBytes) + " bytes");
  Command c;
  c.id = id->get<std::string>();
  if (auto e = j.find("expires"); e != j.end()) {
    if (!e->is_number()) return Bad(c.id, "expires is not a number (epoch ms)");
    c.expires_ms = e->get<double>();
  }
  if (std::string err = ReadOp(j, c); !err.empty()) return Bad(c.id, err);
  return c;
}

std::string AckJson(const CmdAck& a) {
  // The id was read from JSON and is valid UTF-8; replace guards the msg,
  // which may quote bytes from outside.
  // In the contract's order (ordered_json), as a box writes it.
  nlohmann::ordered_json j;
  j["id"] = a.id;
  j["ok"] = a.code == kAckApplied;
  j["code"] = a.code;
  j["msg"] = a.msg;
  j["applied"] = a.applied;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

SetResult SetValve(physics::Station& st, double pct) {
  if (!std::isfinite(pct)) return {kAckBad, 0, "v1 is not a finite number"};
  if (st.valve().forced_manual()) return {kAckManual, 0, "local forced manual"};
  if (Checking(st.valve())) return {kAckFailed, 0, "valve busy: stroke check running"};
  physics::ValveAck a = st.valve().Command(pct);
  if (!a.accepted) return {kAckFailed, 0, "valve refused the setpoint"};
  return {kAckApplied, a.applied_pct, ""};
}

SetResult SetPumpHz(physics::Station& st, double hz) {
  if (!std::isfinite(hz)) return {kAckBad, 0, "pump1_hz is not a finite number"};
  if (st.valve().forced_manual()) return {kAckManual, 0, "local forced manual"};
  if (st.pump().fault() == physics::PumpFault::kConverterFault) return {kAckFailed, 0, "converter fault"};
  return {kAckApplied, st.pump().CommandHz(hz), ""};
}

SetResult SetPumpRun(physics::Station& st, bool run) {
  if (st.valve().forced_manual()) return {kAckManual, 0, "local forced manual"};
  if (st.pump().fault() == physics::PumpFault::kConverterFault) return {kAckFailed, 0, "converter fault"};
  st.pump().CommandRun(run);
  return {kAckApplied, run ? 1.0 : 0.0, ""};
}

std::optional<CmdAck> CommandDesk::Handle(std::string_view payload, double now_ms, physics::Station& st) {
  auto parsed = ParseCommand(payload);
  if (auto* bad = std::get_if<CmdAck>(&parsed)) {
    // A bad command with a readable id is still that id's answer.
    if (bad->id.empty()) return *bad;
    if (auto it = answers_.find(bad->id); it != answers_.end()) return it->second;
    Remember(*bad);
    return *bad;
  }
  const Command& c = std::get<Command>(parsed);
  if (auto it = answers_.find(c.id); it != answers_.end()) return it->second;
  if (c.id == checking_) return std::nullopt;  // answered when the check ends
  CmdAck a = Apply(c, now_ms, st);
  if (c.op == CmdOp::kStrokeCheck && a.code == kAckApplied) {
    checking_ = c.id;
    return std::nullopt;
  }
  Remember(a);
  return a;
}

CmdAck CommandDesk::Apply(const Command& c, double now_ms, physics::Station& st) {
  CmdAck a;
  a.id = c.id;
  if (c.expires_ms && now_ms > *c.expires_ms) {
    a.code = kAckExpired;
    a.msg = "expired";
    return a;
  }
  if (st.valve().forced_manual()) {
    a.code = kAckManual;
    a.msg = "local forced manual";
    return a;
  }
  if (c.op == CmdOp::kSetPump) return ApplySetPump(c, st);
  if (c.op == CmdOp::kSetValve) {
    SetResult r = SetValve(st, *c.v1);
    if (r.code != kAckApplied) return Refused(std::move(a), r);
    a.applied["v1"] = Round2(r.applied);
    return a;
  }
  if (!checking_.empty() || Checking(st.valve()) || !st.valve().StartStrokeCheck()) {
    a.code = kAckFailed;
    a.msg = "valve busy: stroke check running";
  }
  return a;
}

// Hz first, then run: a converter fault refuses both, so nothing is half taken.
CmdAck CommandDesk::ApplySetPump(const Command& c, physics::Station& st) {
  CmdAck a;
  a.id = c.id;
  if (c.pump1_hz) {
    SetResult r = SetPumpHz(st, *c.pump1_hz);
    if (r.code != kAckApplied) return Refused(std::move(a), r);
    a.applied["pump1_hz"] = Round2(r.applied);
  }
  if (c.pump1_run) {
    SetResult r = SetPumpRun(st, *c.pump1_run);
    if (r.code != kAckApplied) return Refused(std::move(a), r);
    a.applied["pump1_run"] = *c.pump1_run;
  }
  return a;
}

std::optional<CmdAck> CommandDesk::Poll(const physics::Station& st) {
  if (checking_.empty()) return std::nullopt;
  auto s = st.valve().stroke_check();
  if (s != StrokeCheck::kPassed && s != StrokeCheck::kFailed) return std::nullopt;
  CmdAck a;
  a.id = checking_;
  a.applied["stroke_s"] = std::round(st.valve().stroke_check_s() * 10) / 10;
  if (s == StrokeCheck::kFailed) {
    a.code = kAckFailed;
    a.msg = "stroke check failed: a leg took over 1.5 stroke times, or manual took over";
  }
  checking_.clear();
  Remember(a);
  return a;
}

void CommandDesk::Remember(const CmdAck& a) {
  if (answers_.emplace(a.id, a).second) order_.push_back(a.id);
  while (order_.size() > kRemember) {
    answers_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace heat::sim
