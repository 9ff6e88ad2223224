// heatctl scan STATION [--watch S [--count N]]: read a station's Modbus
// PLCs now and print the values; with --watch, again every S seconds
// (MON-2 fixed-station watch from a shell; DEV-4). Nothing is stored.
#include <chrono>
#include <ctime>
#include <thread>

#include "heat/ctl/commands.h"
#include "heat/ingest/modbus.h"
#include "heat/network/store.h"

namespace heat::ctl {
namespace {

struct ScanArgs {
  std::string station;
  int timeout_ms = 1000;
  int watch_s = 0;
  int count = 0;  // with --watch: rounds, 0 = until interrupted
};

Status ScanOnce(cli::Context& ctx, const ScanArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_TRY(network::LoadOne(*db, *network::FindKind("station"), a.station).status());
  HEAT_ASSIGN(db::Rows devs, db->Query(
      "SELECT d.code, d.address, m.code AS map, m.body::text AS body FROM heat.device d"
      " JOIN heat.register_map m ON m.id = d.register_map_id"
      " LEFT JOIN heat.building b ON b.id = d.building_id"
      " JOIN heat.station s ON s.id = coalesce(d.station_id, b.station_id)"
      " WHERE s.code = $1 AND d.protocol = 'modbus_tcp' AND d.address IS NOT NULL ORDER BY d.code",
      {a.station}));
  if (devs.empty()) return Status::NotFound("station " + a.station + " has no Modbus device with a register map");
  cli::Table t;
  t.columns = {"device", "tag", "value", "unit"};
  Status worst;
  for (int i = 0; i < devs.size(); ++i) {
    auto map = proto::ParseRegisterMap(nlohmann::json::parse(devs.get(i, "body")), devs.get(i, "map"));
    auto addr = ingest::ParseModbusAddress(devs.get(i, "address"));
    Result<std::vector<ingest::TagValue>> vals =
        !map.ok() ? Result<std::vector<ingest::TagValue>>(map.status())
        : !addr.ok() ? Result<std::vector<ingest::TagValue>>(addr.status())
                     : ingest::ReadTags(*addr, *map, {}, a.timeout_ms);
    if (!vals.ok()) {
      worst = vals.status().With(devs.get(i, "code"));
      ctx.err() << "heatctl: " << worst.message() << "\n";
      continue;
    }
    for (const auto& v : *vals) {
      char num[32];
      std::snprintf(num, sizeof num, "%.10g", v.value);
      t.Add({{devs.get(i, "code")}, {v.tag}, {num, cli::Cell::kNumber}, {v.unit}});
    }
  }
  cli::Print(t, ctx.format, ctx.out());
  return worst;
}

Status Scan(cli::Context& ctx, const ScanArgs& a) {
  if (a.watch_s == 0) return ScanOnce(ctx, a);
  Status last;
  for (int round = 0; a.count == 0 || round < a.count; ++round) {
    if (round > 0) std::this_thread::sleep_for(std::chrono::seconds(a.watch_s));
    if (ctx.format == cli::Format::kTable) {
      std::time_t now = std::time(nullptr);
      char ts[32];
      std::strftime(ts, sizeof ts, "%H:%M:%S", std::localtime(&now));
      ctx.out() << (round ? "\n" : "") << "# " << a.station << " " << ts << "\n";
    }
    last = ScanOnce(ctx, a);  // a PLC that stops answering is reported, the watch goes on
    ctx.out().flush();
  }
  return last;
}

}  // namespace

std::vector<cli::Command> ScanCommands() {
  return {{"scan", "read a station's Modbus PLCs now and print their values", "MON-2 DEV-4",
           [](CLI::App& app) -> cli::Runner {
             auto a = std::make_shared<ScanArgs>();
             app.add_option("station", a->station, "station code")->required();
             app.add_option("--timeout-ms", a->timeout_ms, "per request")->check(CLI::Range(50, 60000));
             app.add_option("--watch", a->watch_s, "read again every this many seconds")->check(CLI::Range(1, 3600));
             app.add_option("--count", a->count, "with --watch: this many rounds (default: until interrupted)")
                 ->check(CLI::Range(1, 1000000));
             return [a](cli::Context& ctx) { return Scan(ctx, *a); };
           }}};
}

}  // namespace heat::ctl
