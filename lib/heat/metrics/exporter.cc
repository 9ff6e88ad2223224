#include "heat/metrics/exporter.h"

#include <ctime>

#include "heat/core/address.h"
#include "heat/core/log.h"
#include "heat/core/version.h"
#include "heat/db/reconnect.h"

namespace heat::metrics {

namespace {
constexpr std::string_view kErrorsHelp = "Failures by kind (see the daemon's man page, METRICS).";
}  // namespace

std::unique_ptr<Exporter> Exporter::Start(std::string_view program, const std::string& listen, DaemonProbes probes) {
  std::unique_ptr<Exporter> e(new Exporter());
  Registry& r = e->registry_;
  r.AddGauge("heat_build_info", "The program and its version; always 1.",
             {{"program", std::string(program)}, {"version", Version()}})
      .Set(1);
  r.AddGauge("heat_start_time_seconds", "When the daemon started, in seconds since the Unix epoch.")
      .Set(static_cast<double>(std::time(nullptr)));
  auto ready = probes.ready ? probes.ready : [] { return false; };
  e->handles_.push_back(r.ReadGauge("heat_ready", "1 when connected to the database and serving, else 0.", {},
                                    [ready] { return ready() ? 1.0 : 0.0; }));
  auto reconnects = probes.reconnects ? probes.reconnects : [] { return db::TotalReconnects(); };
  e->handles_.push_back(r.ReadCounter("heat_db_reconnects_total",
                                      "Database connections made again after one was lost.", {}, reconnects));
  if (listen.empty()) return e;
  auto hp = ParseHostPort(listen);
  Result<std::unique_ptr<Server>> server =
      hp.ok() ? Server::Start({hp->host, hp->port}, {[reg = &e->registry_] { return reg->Render(); }, ready})
              : Result<std::unique_ptr<Server>>(hp.status());
  if (!server.ok()) {
    log::Error(std::string(program) + ": " + server.status().message() + "; running without metrics");
    return e;
  }
  e->server_ = std::move(server).value();
  log::Info(std::string(program) + ": metrics at http://" + listen + "/metrics");
  return e;
}

Exporter::~Exporter() { server_.reset(); }

Counter& Exporter::Errors(std::string_view kind) {
  return registry_.AddCounter("heat_errors_total", kErrorsHelp, {{"kind", std::string(kind)}});
}

Handle Exporter::ReadErrors(std::string_view kind, std::function<uint64_t()> read) {
  return registry_.ReadCounter("heat_errors_total", kErrorsHelp, {{"kind", std::string(kind)}}, std::move(read));
}

}  // namespace heat::metrics
