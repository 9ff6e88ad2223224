// metrics/exporter.h — what every daemon exports and where (OPS-1): its
// registry served at its *.metrics_listen address (metrics/http.h), with
// the names all daemons share:
//   heat_build_info{program,version} 1
//   heat_start_time_seconds          when the daemon started (Unix time)
//   heat_ready                       1 when connected to the database and
//                                    serving, else 0 (also GET /ready)
//   heat_db_reconnects_total         database connections made again after
//                                    one was lost (db/reconnect.h)
//   heat_errors_total{kind}          failures by kind (Errors, ReadErrors)
// The daemon adds its own names to registry(). An address that cannot be
// listened on (in use) is logged as an error and the daemon runs on
// without metrics; an empty address serves nothing (the registry still
// counts). Destroying the exporter stops the server first.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "heat/metrics/http.h"
#include "heat/metrics/registry.h"

namespace heat::metrics {

struct DaemonProbes {
  std::function<bool()> ready;            // null: never ready
  std::function<uint64_t()> reconnects;   // null: db::TotalReconnects()
};

class Exporter {
 public:
  // listen: "host:port" (core/config.h ParseHostPort) or "" for none.
  static std::unique_ptr<Exporter> Start(std::string_view program, const std::string& listen, DaemonProbes probes);
  ~Exporter();

  Registry& registry() { return registry_; }
  // heat_errors_total{kind}: counted here, or read from the daemon's own count.
  Counter& Errors(std::string_view kind);
  Handle ReadErrors(std::string_view kind, std::function<uint64_t()> read);
  // Keeps a registration as long as the exporter (its series go before
  // the registry, after the server stopped).
  void Keep(Handle h) { handles_.push_back(std::move(h)); }
  bool serving() const { return server_ != nullptr; }
  int port() const { return server_ ? server_->port() : 0; }

 private:
  Exporter() = default;
  Registry registry_;
  std::vector<Handle> handles_;
  std::unique_ptr<Server> server_;  // last: stopped before what it reads goes
};

}  // namespace heat::metrics
