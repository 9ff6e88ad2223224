#include "heat/controld/book.h"

#include <cmath>

namespace heat::controld {

using control::Known;

std::vector<NewCommand> Decide(const control::Commands& out, const std::map<std::string, double>& holds,
                               const LastSent& last, const Deadbands& db, const std::string& valve_key,
                               const std::string& pump_key) {
  std::vector<NewCommand> cmds;
  if (!out.send) return cmds;
  auto held = [&](const char* k, double v) {
    auto it = holds.find(k);
    return it == holds.end() ? v : it->second;
  };
  double valve = held("valve_pct", out.valve_pct);
  if (!Known(last.valve_pct) || std::fabs(valve - last.valve_pct) >= db.valve_pct)
    cmds.push_back({"set_valve", {{valve_key, std::round(valve * 10) / 10}}});
  double hz = held("pump_hz", out.pump_hz);
  int run = held("pump_run", out.pump_run ? 1 : 0) >= 0.5 ? 1 : 0;
  nlohmann::json pump = nlohmann::json::object();
  if (!Known(last.pump_hz) || std::fabs(hz - last.pump_hz) >= db.pump_hz) pump[pump_key + "_hz"] = std::round(hz * 10) / 10;
  if (run != last.pump_run) pump[pump_key + "_run"] = run == 1;
  if (!pump.empty()) cmds.push_back({"set_pump", pump});
  return cmds;
}

Silence AfterSilence(int attempts, double since_s, double ack_timeout_s, int retries) {
  double wait = ack_timeout_s * std::pow(2.0, std::max(0, attempts - 1));
  if (since_s < wait) return Silence::kWait;
  return attempts > retries ? Silence::kGiveUp : Silence::kResend;
}

bool NotFollowing(double from, double set, double feedback, double since_s, double running_time_s,
                  double tolerance, double margin_s) {
  if (!Known(set) || !Known(feedback)) return false;
  double distance = Known(from) ? std::fabs(set - from) : 100;
  if (since_s < running_time_s * distance / 100 + margin_s) return false;
  return std::fabs(feedback - set) > tolerance;
}

}  // namespace heat::controld
