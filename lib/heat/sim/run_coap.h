// sim/run_coap.h — heatsim run's room sensors over CoAP (DEV-1,
// heat-protocols(7)): each sensor reads the air temperature of its flat in
// the model (sim/run_plant.h places it) every sample_s of model time, with
// the sensor's ±0.2 °C noise at 0.1 °C, and POSTs /rt (JSON, confirmable)
// every upload_s of model time with the readings since the last upload,
// each stamped with the wall-clock second it was taken (at most one a
// second per sensor: a sample in the same second is skipped). The first
// upload goes at the start with one reading, so values show at once.
//
// Uploads go one at a time over one client session, in order: 2.04 is
// done; 5.03 or no answer is tried again up to 5 times; any other answer
// is refused (the first few printed). An upload holds at most 60 readings
// (one datagram); a sensor with more waiting uploads early.
// Not thread-safe: the run loop's thread calls it.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "heat/core/status.h"
#include "heat/sim/run_plant.h"

namespace heat::sim {

// The /rt body of one upload: {"id", "seq", "rssi", "r": [[epoch_s, deci_C], ...]}.
std::string SensorUploadJson(const std::string& imei, int64_t seq,
                             const std::vector<std::pair<int64_t, int>>& readings);

class SensorUplink {
 public:
  SensorUplink();
  ~SensorUplink();
  Status Start(const std::string& host, int port, Plant& plant, double model_t);
  // Samples and queues uploads due at model time model_t (wall clock now_s).
  void Step(double model_t, int64_t now_s);
  // Sends and receives without waiting.
  void Poll();
  // Waits up to wait_ms for the uploads queued or in flight.
  void Drain(int wait_ms);

  int64_t sent() const { return sent_; }
  int64_t acked() const { return acked_; }
  int64_t refused() const { return refused_; }

 private:
  struct State;
  struct Upload {
    std::string body;
    int tries = 0;
  };
  struct Session;
  void Queue(size_t i);
  void Send();
  void Answered(int code, const std::string& text);

  Plant* plant_ = nullptr;
  std::vector<State> states_;
  std::deque<Upload> queue_;
  std::unique_ptr<Session> session_;
  bool in_flight_ = false;
  int64_t sent_ = 0, acked_ = 0, refused_ = 0;
};

}  // namespace heat::sim
