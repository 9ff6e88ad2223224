#include "heat/sim/load.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <csignal>
#include <functional>
#include <iostream>
#include <thread>

#include "heat/db/conn.h"
#include "heat/ingest/mqtt_client.h"

namespace heat::sim {
namespace {

volatile std::sig_atomic_t g_stop = 0;

Result<std::vector<std::string>> StationsFromDb() {
  HEAT_ASSIGN(db::Conn c, db::Conn::Open("", "heatsim"));
  HEAT_ASSIGN(db::Rows r, c.Query("SELECT code FROM heat.station ORDER BY code"));
  std::vector<std::string> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(r.get(i, 0));
  if (out.empty()) return Status::NotFound("no stations in the database; import a network first");
  return out;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string TelemetryJson(const std::string& station, int64_t t_ms, int64_t seq, bool spike) {
  // A station-specific phase so the curves differ; outdoor temperature
  // swings ±5 K a day around -12 °C (a Urumqi winter).
  double phase = static_cast<double>(std::hash<std::string>{}(station) % 1000) / 1000.0;
  double day = static_cast<double>(t_ms % 86400000) / 86400000.0;
  double tout = -12 + 5 * std::sin(2 * M_PI * (day - 0.375)) + phase;
  double t1s = 95 - 1.2 * tout, t2s = 40 - 0.9 * tout + 2 * phase + (spike ? 40 : 0);
  double f1 = 60 + 30 * phase;
  auto r1 = [](double v) { return std::round(v * 10) / 10; };
  nlohmann::json v = {{"t1s", r1(t1s)}, {"t1r", r1(t1s - 45)}, {"t2s", r1(t2s)}, {"t2r", r1(t2s - 10)},
                      {"p1s", 0.85}, {"p1r", 0.45}, {"p2s", 0.42}, {"p2r", 0.28},
                      {"f1", r1(f1)}, {"f2", r1(f1 * 4)}, {"pw1", r1(f1 * 45 * 1.163)},
                      {"v1", r1(40 + 30 * phase)}, {"pump1_hz", 42.5}, {"pump1_run", 1}, {"tout", r1(tout)}};
  return nlohmann::json{{"ts", t_ms}, {"seq", seq}, {"v", v}}.dump();
}

Result<LoadReport> RunLoad(const LoadOptions& opt) {
  std::vector<std::string> stations = opt.stations;
  if (stations.empty()) {
    HEAT_ASSIGN(stations, StationsFromDb());
  }
  std::string host;
  int port = 0;
  HEAT_TRY(ingest::ParseMqttUri(opt.mqtt_uri, &host, &port));
  ingest::MqttClient mqtt(host, port, "heatsim-" + std::to_string(getpid()));
  HEAT_TRY(mqtt.Connect({}));
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGINT, [](int) { g_stop = 1; });
  for (const auto& s : stations) HEAT_TRY(mqtt.Publish(opt.prefix + "/" + s + "/status", "online", true));
  LoadReport rep;
  for (int64_t seq = opt.first_seq; !g_stop && (opt.count == 0 || seq < opt.first_seq + opt.count); ++seq) {
    auto next = std::chrono::steady_clock::now() + std::chrono::milliseconds(opt.period_ms);
    int64_t t = NowMs();
    for (size_t i = 0; i < stations.size(); ++i) {
      bool spike = opt.spike_every > 0 && (seq + static_cast<int64_t>(i)) % opt.spike_every == 0;
      HEAT_TRY(mqtt.Publish(opt.prefix + "/" + stations[i] + "/telemetry", TelemetryJson(stations[i], t, seq, spike)));
      rep.sent++;
    }
    if (!opt.quiet) std::cerr << "heatsim: seq " << seq << ", " << rep.sent << " sent\n";
    std::this_thread::sleep_until(next);
  }
  // Wait for the broker's acknowledgements (status messages count too).
  uint64_t want = static_cast<uint64_t>(rep.sent) + stations.size();
  for (int i = 0; i < 100 && mqtt.acked() < want; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  rep.acked = static_cast<int64_t>(mqtt.acked()) - static_cast<int64_t>(stations.size());
  return rep;
}

}  // namespace heat::sim
