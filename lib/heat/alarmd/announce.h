// alarmd/announce.h — alarms made visible and audible beyond the terminal
// (ALM-4): each alarm's state published retained on MQTT for wall
// displays, and new alarms handed to a notification command (an SMS or
// WeChat gateway plugs in there), rate-limited per recipient.
//
// MQTT: topic <prefix>/alarm/<station or ->/<id>, QoS 1, retained, the
// alarm as JSON (AlarmJson); a closed alarm (cleared and acknowledged)
// publishes an empty retained message, which removes it from the broker.
//
// The command: run as `COMMAND RECIPIENT` (no shell) for each recipient of
// the alarm's rule, the alarm's JSON on its standard input, at most
// per_hour times an hour per recipient (a sliding hour); what the limit
// held back is counted in the next message to that recipient
// ("held_back": N). Commands run on their own thread, one at a time, each
// killed after 30 s, so a slow gateway never delays an alarm.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "heat/db/conn.h"
#include "heat/ingest/mqtt_client.h"

namespace heat::alarmd {

struct AlarmView {
  int64_t id = 0;
  std::string station;  // "" when not placed at a station
  bool closed = false;
  std::vector<std::string> notify;  // the rule's recipients
  nlohmann::json json;
};

// The alarms `ids` as the announcements show them.
Result<std::vector<AlarmView>> LoadAlarmViews(db::Conn& conn, const std::set<int64_t>& ids);

class Publisher {
 public:
  Publisher(ingest::MqttClient& mqtt, std::string prefix) : mqtt_(mqtt), prefix_(std::move(prefix)) {}
  Status Publish(const AlarmView& a);

 private:
  ingest::MqttClient& mqtt_;
  std::string prefix_;
};

class Notifier {
 public:
  Notifier(std::string command, int per_hour);
  ~Notifier();
  // Queues the alarm for each of its recipients (rate limits apply here).
  void Notify(const AlarmView& a, int64_t now_ms);
  uint64_t sent() const { return sent_; }
  uint64_t held_back() const { return held_total_; }

 private:
  struct Job {
    std::string recipient, payload;
  };
  void Loop();
  void Run(const Job& job);

  std::string command_;
  int per_hour_;
  std::map<std::string, std::deque<int64_t>> recent_;  // recipient -> send times in the last hour
  std::map<std::string, int> held_;                    // recipient -> held back since the last send
  std::deque<Job> jobs_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<uint64_t> sent_{0}, held_total_{0};
  std::thread thread_;
};

}  // namespace heat::alarmd
