// heatsim — plays field devices for demos, tests and benchmarks. See heatsim(1).
#include <CLI/CLI.hpp>

#include <iostream>

#include "heat/core/text.h"
#include "heat/sim/load.h"
#include "heat/sim/plc.h"

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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (plc->parsed()) {
    for (const auto& s : sets) {
      auto eq = s.find('=');
      if (eq == std::string::npos) { std::cerr << "heatsim: --set wants TAG=VALUE\n"; return 2; }
      po.fixed[s.substr(0, eq)] = std::stod(s.substr(eq + 1));
    }
    auto st = heat::sim::RunPlc(po);
    if (!st.ok()) std::cerr << "heatsim: " << st.message() << "\n";
    return st.exit_code();
  }
  if (!stations.empty()) o.stations = heat::Split(stations, ',');
  auto r = heat::sim::RunLoad(o);
  if (!r.ok()) {
    std::cerr << "heatsim: " << r.status().message() << "\n";
    return r.status().exit_code();
  }
  std::cout << "sent=" << r->sent << " acked=" << r->acked << "\n";
  return r->sent == r->acked ? 0 : 1;
}
