// heatsim — plays field devices for demos, tests and benchmarks. See heatsim(1).
#include <CLI/CLI.hpp>

#include <iostream>

#include "heat/core/text.h"
#include "heat/sim/load.h"

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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
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
