// heatsim — plays field devices for demos, tests and benchmarks. See heatsim(1).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ctime>
#include <iostream>

#include "heat/core/text.h"
#include "heat/sim/coap_load.h"
#include "heat/sim/load.h"
#include "heat/sim/meter_frames.h"
#include "heat/sim/plc.h"

namespace {

struct FrameOptions {
  std::string protocol, address;
  int index = 0;
  int64_t time = 0;  // 0 = now
  bool values = false;
};

void AddCoap(CLI::App& app, heat::sim::CoapLoadOptions& o, CLI::App** sub) {
  auto* c = *sub = app.add_subcommand("coap", "room sensors and heat meters posting to heatd-ingest over CoAP");
  c->add_option("--host", o.host, "server, IPv4")->capture_default_str();
  c->add_option("--port", o.port, "server UDP port")->capture_default_str()->check(CLI::Range(1, 65535));
  c->add_option("--sensors", o.sensors, "room sensors to play, -1 = all in the database")->capture_default_str()
      ->check(CLI::Range(-1, 10000000));
  c->add_option("--meters", o.meters, "heat meters to play, -1 = all")->capture_default_str()
      ->check(CLI::Range(-1, 10000000));
  c->add_option("--uploads", o.uploads, "uploads per device")->capture_default_str()->check(CLI::Range(1, 1000000));
  c->add_option("--readings", o.readings, "readings per sensor upload")->capture_default_str()
      ->check(CLI::Range(1, 1000));
  c->add_option("--sample-s", o.sample_s, "seconds between a sensor's readings")->capture_default_str()
      ->check(CLI::Range(1, 86400));
  c->add_option("--frames", o.frames, "frames per meter upload")->capture_default_str()->check(CLI::Range(1, 20));
  c->add_option("--sessions", o.sessions, "requests in flight (one per client session)")->capture_default_str()
      ->check(CLI::Range(1, 1000));
  c->add_option("--period-ms", o.period_ms, "a round of uploads at most this often, 0 = as fast as answered")
      ->capture_default_str()->check(CLI::Range(0, 86400000));
  c->add_option("--first-seq", o.first_seq, "seq of the first upload")->capture_default_str();
  c->add_flag("--cbor", o.cbor, "sensor uploads in CBOR (content-format 60) rather than JSON (50)");
  c->add_flag("-q,--quiet", o.quiet, "no progress lines");
}

void AddFrame(CLI::App& app, FrameOptions& o, CLI::App** sub) {
  auto* f = *sub = app.add_subcommand("frame", "one heat-meter frame, raw bytes to stdout");
  f->add_option("protocol", o.protocol, "cjt188 or mbus")->required()->check(CLI::IsMember({"cjt188", "mbus"}));
  f->add_option("address", o.address, "14 digits (cjt188) or 8 digits (mbus)")->required();
  f->add_option("--index", o.index, "meter number: its values follow it")->capture_default_str()
      ->check(CLI::Range(0, 10000000));
  f->add_option("--time", o.time, "the meter's clock, epoch s (default now)");
  f->add_flag("--values", o.values, "print the values the frame carries as JSON instead");
}

int RunFrame(const FrameOptions& o) {
  heat::sim::MeterValues v = heat::sim::MeterValuesAt(o.index, o.time ? o.time : std::time(nullptr));
  if (o.values) {
    std::cout << nlohmann::json{{"t", v.t_s}, {"heat_kwh", v.heat_kwh}, {"heat_gj", v.heat_kwh * 0.0036},
                                {"settlement_kwh", v.settlement_kwh}, {"volume", v.volume_m3},
                                {"power", v.power_kw}, {"flow", v.flow_m3h}, {"t_sup", v.supply_c},
                                {"t_ret", v.return_c}, {"hours", v.hours}}.dump() << "\n";
    return 0;
  }
  auto f = heat::sim::EncodeMeterFrame(o.protocol, o.address, v);
  if (!f.ok()) {
    std::cerr << "heatsim: " << f.status().message() << "\n";
    return f.status().exit_code();
  }
  std::cout.write(reinterpret_cast<const char*>(f->data()), static_cast<std::streamsize>(f->size()));
  return std::cout.flush() ? 0 : 1;
}

int RunCoap(const heat::sim::CoapLoadOptions& o) {
  auto r = heat::sim::RunCoapLoad(o);
  if (!r.ok()) {
    std::cerr << "heatsim: " << r.status().message() << "\n";
    return r.status().exit_code();
  }
  std::cout << "sent=" << r->sent << " acked=" << r->acked << " refused=" << r->refused << " retries=" << r->retries
            << " failed=" << r->failed << " readings=" << r->readings << " sensor_readings=" << r->sensor_readings
            << " meter_readings=" << r->meter_readings << "\n";
  return r->sent == r->acked ? 0 : 1;
}

int RunPlc(heat::sim::PlcOptions& po, const std::vector<std::string>& sets) {
  for (const auto& s : sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos) { std::cerr << "heatsim: --set wants TAG=VALUE\n"; return 2; }
    po.fixed[s.substr(0, eq)] = std::stod(s.substr(eq + 1));
  }
  auto st = heat::sim::RunPlc(po);
  if (!st.ok()) std::cerr << "heatsim: " << st.message() << "\n";
  return st.exit_code();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("heatsim: plays field devices over their real protocols (heatsim(1))", "heatsim");
  app.require_subcommand(1);
  heat::sim::LoadOptions o;
  std::string stations;
  auto* load = app.add_subcommand("load", "station control boxes publishing numbered telemetry over MQTT");
  load->add_option("--mqtt", o.mqtt_uri, "broker")->capture_default_str();
  load->add_option("--prefix", o.prefix, "topic prefix")->capture_default_str();
  load->add_option("--stations", stations, "comma-separated codes (default: every station in the database)");
  load->add_option("--period-ms", o.period_ms, "one message per station this often")->capture_default_str()
      ->check(CLI::Range(1, 3600000));
  load->add_option("--count", o.count, "messages per station, 0 = until SIGTERM")->capture_default_str();
  load->add_option("--first-seq", o.first_seq, "number of the first message")->capture_default_str();
  load->add_flag("-q,--quiet", o.quiet, "no progress lines");
  heat::sim::PlcOptions po;
  std::vector<std::string> sets;
  auto* plc = app.add_subcommand("plc", "a Modbus TCP PLC serving a register map from the database");
  plc->add_option("--map", po.map_code, "register map code")->required();
  plc->add_option("--bind", po.bind, "address")->capture_default_str();
  plc->add_option("--port", po.port, "TCP port")->capture_default_str()->check(CLI::Range(1, 65535));
  plc->add_option("--set", sets, "TAG=VALUE: a fixed value (repeatable)");
  heat::sim::CoapLoadOptions co;
  CLI::App* coap = nullptr;
  AddCoap(app, co, &coap);
  FrameOptions fo;
  CLI::App* frame = nullptr;
  AddFrame(app, fo, &frame);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (plc->parsed()) return RunPlc(po, sets);
  if (coap->parsed()) return RunCoap(co);
  if (frame->parsed()) return RunFrame(fo);
  if (!stations.empty()) o.stations = heat::Split(stations, ',');
  auto r = heat::sim::RunLoad(o);
  if (!r.ok()) {
    std::cerr << "heatsim: " << r.status().message() << "\n";
    return r.status().exit_code();
  }
  std::cout << "sent=" << r->sent << " acked=" << r->acked << "\n";
  return r->sent == r->acked ? 0 : 1;
}
