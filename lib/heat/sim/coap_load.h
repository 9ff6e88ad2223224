// sim/coap_load.h — heatsim coap: plays NB-IoT room sensors (DEV-1) and
// heat meters (DEV-2) against heatd-ingest's CoAP server,
// with libcoap's client API, confirmable POSTs, many at once.
//
// The devices come from the database (libpq environment), in code order:
// room sensors are devices of kind room_sensor, protocol coap, with an
// address (the IMEI) and a point "temp"; heat meters are devices of kind
// heat_meter, protocol cjt188 or mbus (which decides the frame), with an
// address and at least one of the points heat, volume, power, flow, t_sup,
// t_ret, hours. The first `sensors` and `meters` of them are played.
//
// Every device makes `uploads` uploads, numbered from first_seq:
//  - a sensor POSTs /rt {"id","seq","rssi","r":[[epoch_s,deci_C],...]}
//    with `readings` readings, sample_s apart; all uploads of a run
//    together cover the readings × uploads samples before the start, so no
//    two readings of a sensor share a time;
//  - a meter POSTs /hm with `frames` frames (sim/meter_frames.h), each its
//    values at a clock one minute after the last (the whole run within the
//    last day: the server only trusts a meter clock within a day of its own).
// Uploads go round by round (upload 0 of every device, then upload 1, ...);
// with period_ms > 0 round u starts no earlier than u × period_ms after
// the start. `sessions` client sessions (one UDP socket each) keep one
// request in flight each: libcoap sends one confirmable request at a time
// per session (NSTART 1), so sessions are the concurrency.
//
// Answers: 2.04 is acknowledged (the server answers it only once the
// readings are durable), and only then are the upload's readings counted;
// 5.03 is retried after a growing pause (the device keeps its readings);
// a request libcoap gave up on (no answer after its retransmissions) is
// retried too; any other answer is refused (counted, not retried).
// SIGTERM/SIGINT: no new uploads, those in flight are waited for.
#pragma once

#include <cstdint>
#include <string>

#include "heat/core/status.h"

namespace heat::sim {

struct CoapLoadOptions {
  std::string host = "127.0.0.1";  // IPv4
  int port = 5683;
  int sensors = -1;           // room sensors to play; -1 = every one in the database
  int meters = -1;            // heat meters to play; -1 = every one
  int uploads = 1;            // per device
  int readings = 48;          // per sensor upload
  int sample_s = 600;         // between a sensor's readings
  int frames = 1;             // per meter upload
  int sessions = 32;          // requests in flight
  int period_ms = 0;          // between rounds; 0 = as fast as answers come
  int64_t first_seq = 0;
  bool cbor = false;          // sensor bodies in CBOR (60) rather than JSON (50)
  bool quiet = false;
};

struct CoapLoadReport {
  int64_t sent = 0;           // uploads sent (first tries)
  int64_t acked = 0;          // answered 2.04
  int64_t refused = 0;        // answered 4.xx or 5.xx other than 5.03
  int64_t retries = 0;        // sent again after 5.03 or no answer
  int64_t failed = 0;         // given up after too many tries
  int64_t readings = 0;       // readings in acknowledged uploads (sensor readings + meter points)
  int64_t sensor_readings = 0, meter_readings = 0;
};

Result<CoapLoadReport> RunCoapLoad(const CoapLoadOptions& opt);

// A sensor's temperature at t_s, deci-°C (deterministic).
int SensorDeciC(int index, int64_t t_s);

}  // namespace heat::sim
