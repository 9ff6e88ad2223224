// ingest/metrics.h — heatd-ingest's metrics (OPS-1, heatd-ingest(8)
// METRICS): the names every daemon has (metrics/exporter.h) and
//   heat_ingest_readings_total{protocol}  readings taken by each transport
//   heat_ingest_stored_total              readings stored (new rows)
//   heat_ingest_duplicates_total          readings that were stored already
//   heat_ingest_spooled_total, heat_ingest_replayed_total
//   heat_ingest_queue_readings            readings queued for the writers
//   heat_ingest_spool_bytes               size of the spool
//   heat_ingest_rejected_total{reason}    quarantined | unknown | forbidden
//   heat_ingest_out_of_range_total        stored outside their point's range
// all read when scraped from the statistics the pipeline and transports
// keep anyway: nothing is added per reading. heat_ready is 1 once the
// transports run and while the writers reach the database.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "heat/ingest/coap.h"
#include "heat/ingest/modbus_poll.h"
#include "heat/ingest/mqtt.h"
#include "heat/ingest/pipeline.h"
#include "heat/metrics/exporter.h"

namespace heat::ingest {

class IngestMetrics {
 public:
  // Serves at `listen` ("" none); heat_ready is 0 until Attach.
  explicit IngestMetrics(const std::string& listen);
  ~IngestMetrics();  // the series first, then the server
  // The running parts, once started; they must outlive this object (which
  // a daemon declares after them). mqtt and coap may be null (off).
  void Attach(const Pipeline& pipeline, const MqttTransport* mqtt, const CoapTransport* coap);
  // On the daemon's main thread, which owns the Modbus poller (SIGHUP may
  // replace it): its count is taken over here, so the total goes on.
  void Tick(const ModbusPoller* modbus);
  int port() const { return exporter_->port(); }

 private:
  std::unique_ptr<metrics::Exporter> exporter_;
  std::atomic<const Pipeline*> pipeline_{nullptr};
  PipelineStats snap_;  // taken once per scrape, under the registry's lock
  std::atomic<uint64_t> modbus_readings_{0};
  uint64_t modbus_before_ = 0, modbus_last_ = 0;  // main thread only
  const ModbusPoller* modbus_seen_ = nullptr;
  std::vector<metrics::Handle> handles_;
};

}  // namespace heat::ingest
