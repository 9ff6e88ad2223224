// sim/run.cc — heatsim run: the model stepped with the wall clock and
// served over MQTT, Modbus TCP and CoAP.
#include "heat/sim/run.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <iostream>
#include <memory>
#include <thread>

#include "heat/sim/physics/weather.h"
#include "heat/sim/run_coap.h"
#include "heat/sim/run_modbus.h"
#include "heat/sim/run_mqtt.h"
#include "heat/sim/run_plant.h"

namespace heat::sim {
namespace {

using Steady = std::chrono::steady_clock;

volatile std::sig_atomic_t g_stop = 0;

constexpr double kWarmupS = 86400, kWarmupStepS = 60;
constexpr double kMaxStepS = 10, kMinStepS = 1;
constexpr int kPollMs = 20;  // the loop's tick: commands and requests wait at most this

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

double LocalTimeOfDay() {
  std::time_t now = std::time(nullptr);
  std::tm t{};
  localtime_r(&now, &t);
  return t.tm_hour * 3600.0 + t.tm_min * 60.0 + t.tm_sec;
}

Result<physics::Weather> LoadWeather(const RunOptions& opt) {
  if (!opt.weather_csv.empty()) return physics::Weather::LoadCsv(opt.weather_csv);
  return physics::Weather::UrumqiDesignWinter(opt.day + 60);  // the model may run for weeks
}

// --fault LOOP:KIND and --manual LOOP[=PCT], on the named loops.
Status ApplyConditions(Plant& p, const RunOptions& opt) {
  for (const auto& f : opt.faults) {
    auto colon = f.find(':');
    Loop* l = colon == std::string::npos ? nullptr : p.Find(f.substr(0, colon));
    if (!l) return Status::Usage("--fault " + f + ": wants LOOP:KIND with LOOP a station or PLC played");
    HEAT_TRY(ApplyFault(l->model, f.substr(colon + 1)).With("--fault " + f));
  }
  for (const auto& m : opt.manual) {
    auto eq = m.find('=');
    Loop* l = p.Find(m.substr(0, eq));
    if (!l) return Status::Usage("--manual " + m + ": no station or PLC of that name is played");
    double pct = l->model.valve().setpoint_pct();
    if (eq != std::string::npos) {
      char* end = nullptr;
      pct = std::strtod(m.c_str() + eq + 1, &end);
      if (*end != '\0' || end == m.c_str() + eq + 1) return Status::Usage("--manual " + m + ": PCT is not a number");
    }
    l->model.valve().SetForcedManual(true, pct);
  }
  return Status::Ok();
}

// Every loop from model time `from` to `to`, in steps of at most max_step.
void StepAll(Plant& p, const physics::Weather& w, double from, double to, double max_step) {
  for (double t = from; t < to;) {
    double dt = std::min(max_step, to - t);
    t += dt;
    physics::WeatherSample ws = w.At(t);
    for (auto& l : p.loops) l.model.Step(dt, t, ws);
  }
}

Result<std::vector<std::unique_ptr<Box>>> StartBoxes(Plant& p, const RunOptions& opt) {
  std::string host;
  int port = 0;
  HEAT_TRY(ingest::ParseMqttUri(opt.mqtt_uri, &host, &port));
  std::vector<std::unique_ptr<Box>> boxes;
  for (auto& l : p.loops) {
    if (!l.box) continue;
    boxes.push_back(std::make_unique<Box>(host, port, opt.prefix, &l));
    HEAT_TRY(boxes.back()->Start());
  }
  return boxes;
}

// What runs once the model is warm: its parts and their clocks.
struct Live {
  Plant* plant;
  const physics::Weather* weather;
  std::vector<std::unique_ptr<Box>> boxes;
  PlcServers plcs;
  SensorUplink sensors;
  double t0 = 0, t = 0;  // model time at the start, now
  Steady::time_point start = Steady::now();
};

// One tick: the model up to the wall clock, commands, requests, uploads.
void Tick(Live& live, const RunOptions& opt) {
  double want = live.t0 + opt.speed * std::chrono::duration<double>(Steady::now() - live.start).count();
  if (want - live.t >= kMinStepS) {
    StepAll(*live.plant, *live.weather, live.t, want, kMaxStepS);
    live.t = want;
  }
  int64_t now = NowMs();
  for (auto& b : live.boxes) b->Poll(now);
  live.sensors.Step(live.t, now / 1000);
  live.sensors.Poll();
  live.plcs.Poll(kPollMs);  // also the tick's wait
}

void Play(Live& live, const RunOptions& opt, RunReport& rep) {
  int64_t seq = 0;
  auto next = Steady::now(), progress = Steady::now() + std::chrono::minutes(1);
  auto end = live.start + std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(opt.duration_s));
  while (!g_stop && (opt.duration_s <= 0 || Steady::now() < end)) {
    Tick(live, opt);
    if (Steady::now() >= next) {
      for (auto& b : live.boxes) b->PublishTelemetry(NowMs(), seq);
      rep.telemetry += static_cast<int64_t>(live.boxes.size());
      seq++;
      next += std::chrono::milliseconds(opt.period_ms);
    }
    if (!opt.quiet && Steady::now() >= progress) {
      progress += std::chrono::minutes(1);
      std::cerr << "heatsim: model +" << static_cast<int64_t>(live.t - live.t0) << " s, " << rep.telemetry
                << " telemetry, " << live.plcs.writes() << " writes, " << live.sensors.acked() << " uploads\n";
    }
  }
}

// Every box says "offline" at once, then all wait together (at most a
// second: the broker may be stopping too) for the broker to take it.
void StopBoxes(std::vector<std::unique_ptr<Box>>& boxes, RunReport& rep) {
  for (auto& b : boxes) b->PublishOffline();
  auto until = Steady::now() + std::chrono::seconds(1);
  auto settled = [&] { return std::all_of(boxes.begin(), boxes.end(), [](const auto& b) { return b->Settled(); }); };
  while (!settled() && Steady::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (auto& b : boxes) {
    rep.commands += b->commands();
    b->Close();
  }
}

}  // namespace

Result<RunReport> RunSim(const RunOptions& opt) {
  if (!(opt.speed > 0 && opt.speed <= 100000)) return Status::Usage("--speed must be in (0, 100000]");
  HEAT_ASSIGN(Plant plant, LoadPlant(opt.stations, opt.seed));
  HEAT_ASSIGN(physics::Weather weather, LoadWeather(opt));
  Live live{&plant, &weather, {}, {}, {}};
  live.t0 = live.t = opt.day * 86400.0 + LocalTimeOfDay();
  StepAll(plant, weather, live.t0 - kWarmupS, live.t0, kWarmupStepS);
  HEAT_TRY(ApplyConditions(plant, opt));  // after the warm-up: a stuck valve sticks where it is now
  HEAT_ASSIGN(live.boxes, StartBoxes(plant, opt));
  HEAT_TRY(live.plcs.Start(plant));
  if (opt.coap_port > 0) HEAT_TRY(live.sensors.Start(opt.coap_host, opt.coap_port, plant, live.t0));
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGINT, [](int) { g_stop = 1; });
  if (!opt.quiet)
    std::cerr << "heatsim: playing " << plant.loops.size() << " loops: " << live.boxes.size() << " boxes, "
              << plant.plcs.size() << " PLCs, " << plant.sensors.size() << " room sensors, at speed " << opt.speed
              << "\n";
  RunReport rep;
  live.start = Steady::now();
  Play(live, opt, rep);
  StopBoxes(live.boxes, rep);
  live.sensors.Drain(2000);
  rep.writes = static_cast<int64_t>(live.plcs.writes());
  rep.uploads = live.sensors.sent();
  rep.uploads_acked = live.sensors.acked();
  rep.model_s = live.t - live.t0;
  return rep;
}

}  // namespace heat::sim
