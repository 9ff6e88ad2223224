// sim/commands.cc — heatsim's table: options of each subcommand and the
// one-line report it prints.
#include "heat/sim/commands.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ctime>
#include <memory>

#include "heat/core/text.h"
#include "heat/sim/coap_load.h"
#include "heat/sim/history.h"
#include "heat/sim/history_cmd.h"
#include "heat/sim/load.h"
#include "heat/sim/meter_frames.h"
#include "heat/sim/plc.h"
#include "heat/sim/run.h"

namespace heat::sim {
namespace {

cli::Runner BuildLoad(CLI::App& app) {
  auto o = std::make_shared<LoadOptions>();
  auto stations = std::make_shared<std::string>();
  app.add_option("--mqtt", o->mqtt_uri, "broker")->capture_default_str();
  app.add_option("--prefix", o->prefix, "topic prefix")->capture_default_str();
  app.add_option("--stations", *stations, "comma-separated codes (default: every station in the database)");
  app.add_option("--period-ms", o->period_ms, "one message per station this often")->capture_default_str()
      ->check(CLI::Range(1, 3600000));
  app.add_option("--count", o->count, "messages per station, 0 = until SIGTERM")->capture_default_str();
  app.add_option("--first-seq", o->first_seq, "number of the first message")->capture_default_str();
  app.add_option("--spike-every", o->spike_every,
                 "t2s 40 K high in one message of every N per station (the i-th station when (seq + i) % N == 0)")
      ->capture_default_str()->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  app.add_flag("-q,--quiet", o->quiet, "no progress lines");
  return [o, stations](cli::Context& ctx) -> Status {
    if (!stations->empty()) o->stations = Split(*stations, ',');
    HEAT_ASSIGN(LoadReport r, RunLoad(*o));
    ctx.out() << "sent=" << r.sent << " acked=" << r.acked << "\n";
    return r.sent == r.acked ? Status::Ok() : Status::Failure("not every message was acknowledged");
  };
}

cli::Runner BuildPlc(CLI::App& app) {
  auto o = std::make_shared<PlcOptions>();
  auto sets = std::make_shared<std::vector<std::string>>();
  app.add_option("--map", o->map_code, "register map code")->required();
  app.add_option("--bind", o->bind, "address")->capture_default_str();
  app.add_option("--port", o->port, "TCP port")->capture_default_str()->check(CLI::Range(1, 65535));
  app.add_option("--set", *sets, "TAG=VALUE: a fixed value (repeatable)");
  return [o, sets](cli::Context&) -> Status {
    for (const auto& s : *sets) {
      auto eq = s.find('=');
      char* end = nullptr;
      double v = eq == std::string::npos ? 0 : std::strtod(s.c_str() + eq + 1, &end);
      if (eq == std::string::npos || end == s.c_str() + eq + 1 || *end != '\0')
        return Status::Usage("--set wants TAG=VALUE, got '" + s + "'");
      o->fixed[s.substr(0, eq)] = v;
    }
    return RunPlc(*o);
  };
}

cli::Runner BuildCoap(CLI::App& c) {
  auto o = std::make_shared<CoapLoadOptions>();
  c.add_option("--host", o->host, "server, IPv4")->capture_default_str();
  c.add_option("--port", o->port, "server UDP port")->capture_default_str()->check(CLI::Range(1, 65535));
  c.add_option("--sensors", o->sensors, "room sensors to play, -1 = all in the database")->capture_default_str()
      ->check(CLI::Range(-1, 10000000));
  c.add_option("--meters", o->meters, "heat meters to play, -1 = all")->capture_default_str()
      ->check(CLI::Range(-1, 10000000));
  c.add_option("--uploads", o->uploads, "uploads per device")->capture_default_str()->check(CLI::Range(1, 1000000));
  c.add_option("--readings", o->readings, "readings per sensor upload")->capture_default_str()
      ->check(CLI::Range(1, 1000));
  c.add_option("--sample-s", o->sample_s, "seconds between a sensor's readings")->capture_default_str()
      ->check(CLI::Range(1, 86400));
  c.add_option("--frames", o->frames, "frames per meter upload")->capture_default_str()->check(CLI::Range(1, 20));
  c.add_option("--sessions", o->sessions, "requests in flight (one per client session)")->capture_default_str()
      ->check(CLI::Range(1, 1000));
  c.add_option("--period-ms", o->period_ms, "a round of uploads at most this often, 0 = as fast as answered")
      ->capture_default_str()->check(CLI::Range(0, 86400000));
  c.add_option("--first-seq", o->first_seq, "seq of the first upload")->capture_default_str();
  c.add_flag("--cbor", o->cbor, "sensor uploads in CBOR (content-format 60) rather than JSON (50)");
  c.add_flag("-q,--quiet", o->quiet, "no progress lines");
  return [o](cli::Context& ctx) -> Status {
    HEAT_ASSIGN(CoapLoadReport r, RunCoapLoad(*o));
    ctx.out() << "sent=" << r.sent << " acked=" << r.acked << " refused=" << r.refused << " retries=" << r.retries
              << " failed=" << r.failed << " readings=" << r.readings << " sensor_readings=" << r.sensor_readings
              << " meter_readings=" << r.meter_readings << "\n";
    return r.sent == r.acked ? Status::Ok() : Status::Failure("not every upload was acknowledged");
  };
}

struct FrameOptions {
  std::string protocol, address;
  int index = 0;
  int64_t time = 0;  // 0 = now
  bool values = false;
};

Status WriteFrame(cli::Context& ctx, const FrameOptions& o) {
  MeterValues v = MeterValuesAt(o.index, o.time ? o.time : std::time(nullptr));
  if (o.values) {
    ctx.out() << nlohmann::json{{"t", v.t_s}, {"heat_kwh", v.heat_kwh}, {"heat_gj", v.heat_kwh * 0.0036},
                                {"settlement_kwh", v.settlement_kwh}, {"volume", v.volume_m3},
                                {"power", v.power_kw}, {"flow", v.flow_m3h}, {"t_sup", v.supply_c},
                                {"t_ret", v.return_c}, {"hours", v.hours}}.dump() << "\n";
    return Status::Ok();
  }
  HEAT_ASSIGN(std::vector<uint8_t> f, EncodeMeterFrame(o.protocol, o.address, v));
  ctx.out().write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size()));
  return ctx.out().flush() ? Status::Ok() : Status::Failure("cannot write the frame");
}

cli::Runner BuildFrame(CLI::App& f) {
  auto o = std::make_shared<FrameOptions>();
  f.add_option("protocol", o->protocol, "cjt188 or mbus")->required()->check(CLI::IsMember({"cjt188", "mbus"}));
  f.add_option("address", o->address, "14 digits (cjt188) or 8 digits (mbus)")->required();
  f.add_option("--index", o->index, "meter number: its values follow it")->capture_default_str()
      ->check(CLI::Range(0, 10000000));
  f.add_option("--time", o->time, "the meter's clock, epoch s (default now)");
  f.add_flag("--values", o->values, "print the values the frame carries as JSON instead");
  return [o](cli::Context& ctx) { return WriteFrame(ctx, *o); };
}

cli::Runner BuildRun(CLI::App& app) {
  auto o = std::make_shared<RunOptions>();
  auto stations = std::make_shared<std::string>();
  app.add_option("--mqtt", o->mqtt_uri, "broker")->capture_default_str();
  app.add_option("--prefix", o->prefix, "topic prefix")->capture_default_str();
  app.add_option("--coap-host", o->coap_host, "CoAP server of the room sensors, IPv4")->capture_default_str();
  app.add_option("--coap-port", o->coap_port, "its UDP port, 0 = no room sensors")->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_option("--stations", *stations, "comma-separated codes (default: every station in the database)");
  app.add_option("--period-ms", o->period_ms, "telemetry of each box this often (wall clock)")
      ->capture_default_str()->check(CLI::Range(100, 3600000));
  app.add_option("--speed", o->speed, "model seconds per wall-clock second")->capture_default_str()
      ->check(CLI::Range(0.001, 100000.0));
  app.add_option("--day", o->day, "day of the weather the run starts on")->capture_default_str()
      ->check(CLI::Range(1, 3650));
  app.add_option("--weather", o->weather_csv, "hourly weather CSV (Flensburg format); default: Urumqi winter");
  app.add_option("--seed", o->seed, "seed of the model's spread and noise")->capture_default_str();
  app.add_option("--fault", o->faults, "LOOP:KIND, e.g. S03:valve_stuck (repeatable)");
  app.add_option("--manual", o->manual, "LOOP[=PCT]: local forced manual (repeatable)");
  app.add_option("--duration-s", o->duration_s, "stop after this many wall-clock seconds, 0 = at SIGTERM")
      ->capture_default_str()->check(CLI::Range(0.0, 1e9));
  app.add_flag("-q,--quiet", o->quiet, "no progress lines");
  return [o, stations](cli::Context& ctx) -> Status {
    if (!stations->empty()) o->stations = Split(*stations, ',');
    HEAT_ASSIGN(RunReport r, RunSim(*o));
    ctx.out() << "model_s=" << static_cast<int64_t>(r.model_s) << " telemetry=" << r.telemetry
              << " commands=" << r.commands << " writes=" << r.writes << " uploads=" << r.uploads
              << " uploads_acked=" << r.uploads_acked << "\n";
    return Status::Ok();
  };
}

cli::Runner BuildHistory(CLI::App& app) {
  auto o = std::make_shared<HistoryOptions>();
  auto stations = std::make_shared<std::string>();
  app.add_option("--days", o->days, "days of history, ending at --end")->required()->check(CLI::Range(1, 3660));
  app.add_option("--end", o->end, "end of the span, rounded down to the hour (default: this hour, UTC)");
  app.add_option("--weather", o->weather_csv, "hourly weather CSV (Flensburg format); default: Urumqi winter");
  app.add_option("--stations", *stations, "comma-separated codes (default: every station with a box or a PLC)");
  app.add_option("--seed", o->seed, "seed of the model's spread and noise")->capture_default_str();
  app.add_option("--step-s", o->step_s, "model step, seconds; divides 3600")->capture_default_str()
      ->check(CLI::Range(1, kMaxStepS));
  auto* fc = app.add_option("--forecast-out", o->forecast_out, "also write the weather after --end to FILE");
  app.add_option("--forecast-hours", o->forecast_hours, "hours of that forecast")->capture_default_str()
      ->check(CLI::Range(1, kMaxForecastHours))->needs(fc);
  return [o, stations](cli::Context& ctx) -> Status {
    if (!stations->empty()) o->stations = Split(*stations, ',');
    HEAT_ASSIGN(HistoryReport r, RunHistory(*o, ctx.out()));
    ctx.err() << "heatsim history: stations=" << r.stations << " loops=" << r.loops << " points=" << r.points
              << " hours=" << r.hours << " rows=" << r.rows << " seconds=" << std::round(r.seconds * 100) / 100 << "\n";
    return Status::Ok();
  };
}

}  // namespace

std::vector<cli::Command> HeatsimCommands() {
  return {
      {"run", "the physical model over MQTT, Modbus TCP and CoAP, obeying commands", "CTL-1 DEV-3 DEV-4", BuildRun,
       false},
      {"load", "station control boxes publishing numbered telemetry over MQTT", "DEV-4", BuildLoad, false},
      {"plc", "a Modbus TCP PLC serving a register map from the database", "DEV-4", BuildPlc, false},
      {"coap", "room sensors and heat meters posting to heatd-ingest over CoAP", "DEV-1 DEV-2", BuildCoap, false},
      {"frame", "one heat-meter frame, raw bytes to stdout", "DEV-2", BuildFrame, false},
      {"history", "hourly history of the model under control, as CSV for heat.reading_hourly", "FC-3 FC-4",
       BuildHistory, false},
  };
}

}  // namespace heat::sim
