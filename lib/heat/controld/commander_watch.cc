// Commander::Watch — what happens to commands after they are sent
// (controld/commander.h): silence, valves that do not follow, old holds.
#include <cmath>

#include "heat/controld/commander.h"
#include "heat/core/log.h"

namespace heat::controld {

using nlohmann::json;

Status Commander::Watch() {
  // Unanswered: resend (the same id: a box applies an id once) or give up.
  HEAT_ASSIGN(db::Rows r, db_.Query("SELECT id, station_id, op, args, attempts,"
                                    " extract(epoch FROM now() - sent_at)::float8 FROM heat.command"
                                    " WHERE state = 'sent' ORDER BY id LIMIT 500"));
  for (int i = 0; i < r.size(); ++i) {
    const Target* t = Find(static_cast<int32_t>(r.get_int(i, 1)));
    int attempts = static_cast<int>(r.get_int(i, 4));
    Silence s = AfterSilence(attempts, std::stod(r.get(i, 5)), opt_.ack_timeout_s, opt_.retries);
    if (s == Silence::kWait || t == nullptr) continue;
    int64_t id = r.get_int(i, 0);
    if (s == Silence::kResend) {
      (void)SendOne(id, *t, r.get(i, 2), json::parse(r.get(i, 3)));
      continue;
    }
    stats_.timeouts++;
    std::string msg = "command c" + std::to_string(id) + " not answered after " + std::to_string(attempts) + " attempts";
    HEAT_TRY(Outcome(id, "timeout", -1, msg, json()));
    HEAT_TRY(Log(*t, "command_timeout", msg, {{"command", id}}));
  }
  // Applied valve setpoints whose feedback has not followed in time (DEV-3:
  // a stuck or slow valve acknowledges but does not move).
  HEAT_ASSIGN(db::Rows v, db_.Query(
      "SELECT c.id, c.station_id, (c.applied->>k.key)::float8, (c.old->>k.key)::float8,"
      " extract(epoch FROM now() - c.answered_at)::float8, l.value"
      " FROM heat.command c, jsonb_each(c.applied) k, heat.point p JOIN heat.device d ON d.id = p.device_id"
      " JOIN heat.latest l ON l.point_id = p.id"
      " WHERE c.state = 'applied' AND c.op = 'set_valve' AND c.answered_at > now() - interval '1 hour'"
      " AND NOT EXISTS (SELECT 1 FROM heat.command n WHERE n.station_id = c.station_id"
      "                 AND n.op = 'set_valve' AND n.id > c.id)"
      " AND d.station_id = c.station_id AND p.tag = k.key AND l.ts > c.answered_at"
      " AND jsonb_typeof(k.value) = 'number' ORDER BY c.id"));
  for (int i = 0; i < v.size(); ++i) {
    const Target* t = Find(static_cast<int32_t>(v.get_int(i, 1)));
    if (t == nullptr) continue;
    double from = v.is_null(i, 3) ? control::kUnknown : std::stod(v.get(i, 3));
    double set = std::stod(v.get(i, 2)), fb = std::stod(v.get(i, 5));
    if (!NotFollowing(from, set, fb, std::stod(v.get(i, 4)), t->config.valve_running_time_s,
                      opt_.follow_tolerance_pct, opt_.follow_margin_s))
      continue;
    int64_t id = v.get_int(i, 0);
    stats_.not_following++;
    std::string msg = "valve of " + t->code + " does not follow: set " + std::to_string(std::lround(set)) +
                      " %, at " + std::to_string(std::lround(fb)) + " %";
    HEAT_TRY(db_.Exec("UPDATE heat.command SET state = 'not_following', msg = $2 WHERE id = $1",
                      {std::to_string(id), msg}));
    HEAT_TRY(Log(*t, "valve_not_following", msg, {{"command", id}, {"set", set}, {"feedback", fb}}));
  }
  return db_.Exec("DELETE FROM heat.control_hold WHERE until <= now()");
}

}  // namespace heat::controld
