#include "heat/ingest/metrics.h"

#include "heat/db/reconnect.h"

namespace heat::ingest {

IngestMetrics::IngestMetrics(const std::string& listen) {
  metrics::DaemonProbes probes;
  probes.ready = [this] {
    const Pipeline* p = pipeline_.load(std::memory_order_acquire);
    return p && p->stats().db_up;
  };
  // The writers' own reconnects, and any Reconnector's of the process.
  probes.reconnects = [this] { return snap_.reconnects + db::TotalReconnects(); };
  exporter_ = metrics::Exporter::Start("heatd-ingest", listen, std::move(probes));
  // The snapshot every read below uses; before Attach, all zero.
  handles_.push_back(exporter_->registry().OnScrape([this] {
    const Pipeline* p = pipeline_.load(std::memory_order_acquire);
    if (p) snap_ = p->stats();
  }));
  handles_.push_back(exporter_->ReadErrors("db", [this] { return snap_.db_errors; }));
  handles_.push_back(exporter_->ReadErrors("spool", [this] { return snap_.spool_errors; }));
}

IngestMetrics::~IngestMetrics() {
  handles_.clear();
  exporter_.reset();
}

namespace {

using Read = std::function<uint64_t()>;

}  // namespace

void IngestMetrics::Attach(const Pipeline& pipeline, const MqttTransport* mqtt, const CoapTransport* coap) {
  metrics::Registry& r = exporter_->registry();
  auto counter = [&](const char* name, const char* help, metrics::Labels labels, Read read) {
    handles_.push_back(r.ReadCounter(name, help, std::move(labels), std::move(read)));
  };
  const char* taken = "Readings taken by each transport, before storing.";
  counter("heat_ingest_readings_total", taken, {{"protocol", "mqtt"}},
          [mqtt] { return mqtt ? mqtt->stats().readings.load() : 0; });
  counter("heat_ingest_readings_total", taken, {{"protocol", "coap"}},
          [coap] { return coap ? coap->stats().readings.load() : 0; });
  counter("heat_ingest_readings_total", taken, {{"protocol", "modbus"}}, [this] { return modbus_readings_.load(); });
  counter("heat_ingest_stored_total", "Readings stored in PostgreSQL (new rows).", {}, [this] { return snap_.stored; });
  counter("heat_ingest_duplicates_total", "Readings that were stored already (a replay, a resent message).", {},
          [this] { return snap_.duplicates; });
  counter("heat_ingest_spooled_total", "Readings written to the spool while the database was away.", {},
          [this] { return snap_.spooled; });
  counter("heat_ingest_replayed_total", "Spooled readings stored once the database was back.", {},
          [this] { return snap_.replayed; });
  const char* rejected = "What came from outside and was not stored, by reason.";
  counter("heat_ingest_rejected_total", rejected, {{"reason", "quarantined"}}, [this] { return snap_.rejected; });
  counter("heat_ingest_rejected_total", rejected, {{"reason", "unknown"}}, [this] { return snap_.unknown; });
  counter("heat_ingest_rejected_total", rejected, {{"reason", "forbidden"}}, [coap] {
    return coap ? coap->stats().forbidden.load() + coap->stats().dtls_refused.load() : 0;
  });
  counter("heat_ingest_out_of_range_total", "Readings stored outside their point's physical range (quality bit 1).",
          {}, [this] { return snap_.out_of_range; });
  handles_.push_back(r.ReadGauge("heat_ingest_queue_readings", "Readings queued for the database writers.", {},
                                 [this] { return static_cast<double>(snap_.queued); }));
  handles_.push_back(r.ReadGauge("heat_ingest_spool_bytes", "Size of the local spool in bytes.", {},
                                 [this] { return static_cast<double>(snap_.spool_bytes); }));
  pipeline_.store(&pipeline, std::memory_order_release);
}

void IngestMetrics::Tick(const ModbusPoller* modbus) {
  if (modbus != modbus_seen_) {  // a new poller counts from 0
    modbus_before_ += modbus_last_;
    modbus_last_ = 0;
    modbus_seen_ = modbus;
  }
  if (modbus) modbus_last_ = modbus->stats().readings.load();
  modbus_readings_.store(modbus_before_ + modbus_last_);
}

}  // namespace heat::ingest
