// controld/commander.h — heatd-control's work on one database connection
// and the stations' transports (CTL-1..4, DEV-3, SYS-2):
//   Control()   each enabled station whose period is due: measurements,
//               one strategy step (control/strategy.h), holds over it,
//               the commands that changed (controld/book.h) queued;
//   Send()      every queued command, the daemon's and people's, over the
//               station's transport — MQTT cmd (answered later on
//               cmd/ack), or a Modbus write read back at once;
//   Answers()   the boxes' cmd/ack entries of the operation log matched to
//               their commands by id (and station: a box cannot answer for
//               another);
//   Watch()     unanswered commands resent with backoff, then given up
//               (state timeout, logged); applied valve setpoints whose
//               feedback does not follow (not_following, logged); expired
//               holds removed.
// Every command and every outcome is in the operation log (SYS-2). Not
// thread-safe: the daemon's main loop calls it.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "heat/control/types.h"
#include "heat/controld/book.h"
#include "heat/controld/plant.h"
#include "heat/db/conn.h"
#include "heat/ingest/modbus.h"
#include "heat/ingest/mqtt_client.h"

namespace heat::controld {

struct CommanderOptions {
  std::string mqtt_prefix = "heat/v1";
  double ack_timeout_s = 10;
  int retries = 3;
  double max_age_s = 300;
  double follow_margin_s = 30;
  double follow_tolerance_pct = 5;
  int modbus_timeout_ms = 1000;
  Deadbands deadbands;
  int utc_offset_s = 8 * 3600;
};

// Counted by the commander (the main loop), read by the metrics server's
// thread too: atomics, kept by the daemon across reconnects.
struct CommanderStats {
  std::atomic<uint64_t> steps{0}, commands{0}, sent{0}, applied{0}, refused{0}, timeouts{0}, not_following{0};
};

class Commander {
 public:
  // mqtt may be null (no broker configured): MQTT stations are not sent to.
  // stats is counted on; it outlives the commander.
  Commander(db::Conn& db, ingest::MqttClient* mqtt, CommanderOptions opt, CommanderStats& stats)
      : db_(db), mqtt_(mqtt), opt_(std::move(opt)), stats_(stats) {}

  void SetTargets(std::vector<Target> targets);
  void SetOptions(CommanderOptions opt) { opt_ = std::move(opt); }
  Status Start();  // where to read answers from
  Status Control(int64_t now_s);
  Status Send();
  Status Answers();
  Status Watch();
  const CommanderStats& stats() const { return stats_; }

 private:
  struct Loop {
    control::ControlState state;
    LastSent last;
    int64_t next_s = 0;
  };
  const Target* Find(int32_t station_id) const;
  Status Queue(const Target& t, const NewCommand& c, const control::Measurements& m);
  Status SendOne(int64_t id, const Target& t, const std::string& op, const nlohmann::json& args);
  Status Outcome(int64_t id, const std::string& state, int code, const std::string& msg, const nlohmann::json& applied);
  Status Log(const Target& t, const std::string& action, const std::string& msg, const nlohmann::json& detail);
  ingest::ModbusLink& Link(const Target& t);

  db::Conn& db_;
  ingest::MqttClient* mqtt_;
  CommanderOptions opt_;
  std::vector<Target> targets_;
  std::map<int32_t, Loop> loops_;
  std::map<int32_t, std::unique_ptr<ingest::ModbusLink>> links_;
  int64_t last_answer_ = 0;
  CommanderStats& stats_;
};

}  // namespace heat::controld
