// The table of every configuration option (heat.yaml(5) documents it).
#include "heat/core/config.h"

namespace heat {

const std::vector<Option>& Options() {
  using T = OptionType;
  static const std::vector<Option> options = {
      // key               type         default          reload  doc
      {"site.company",     T::kString,   "",              true,  "company name on reports and receipts"},
      {"site.timezone",    T::kTimezone, "Asia/Shanghai", false, "company time zone: display and billing dates"},
      {"db.conninfo",      T::kString,   "",              false, "libpq connection string; empty: PG* environment"},
      {"log.level",        T::kLevel,    "info",          true,  "least severe level logged"},
      // heatd-ingest (heatd-ingest(8))
      {"ingest.instance",       T::kString,   "",                     false, "name in heatctl ingest stats; empty: host name"},
      {"ingest.spool_dir",      T::kString,   "/var/lib/heat/spool",  false, "local spool for readings while PostgreSQL is away"},
      {"ingest.queue_max",      T::kInt,      "200000",               false, "readings queued before transports wait", 1000, 100000000},
      {"ingest.batch_max",      T::kInt,      "50000",                false, "readings per database transaction at most", 100, 10000000},
      {"ingest.writers",        T::kInt,      "2",                    false, "database writer threads, a connection each", 1, 16},
      {"ingest.stats_interval", T::kDuration, "10s",                  true,  "how often statistics are written for heatctl ingest stats"},
      {"ingest.points_refresh", T::kDuration, "60s",                  true,  "how often the point index is reloaded from base information"},
      {"ingest.coap_enabled",   T::kBool,     "true",                 false, "take room sensors over CoAP (POST /rt)"},
      {"ingest.coap_bind",      T::kString,   "127.0.0.1",            false, "CoAP UDP address (IPv4); other than loopback needs coap_dtls_port or coap_insecure"},
      {"ingest.coap_insecure",  T::kBool,     "false",                false, "allow plain CoAP on an address other than loopback without DTLS"},
      {"ingest.coap_port",      T::kInt,      "5683",                 false, "CoAP UDP port", 1, 65535},
      {"ingest.coap_dtls_port", T::kInt,      "0",                    false, "CoAP over DTLS-PSK (a key per device); 0: off, usually 5684", 0, 65535},
      {"ingest.coap_threads",   T::kInt,      "64",                   false, "CoAP UDP sockets on the port, each with its own thread", 1, 256},
      {"ingest.max_age_room_sensor", T::kDuration, "7d",             false, "oldest room-sensor reading taken (the sensor's storage depth)"},
      {"ingest.max_age_control_box", T::kDuration, "7d",             false, "oldest control-box telemetry taken (its buffer while offline)"},
      {"ingest.rejected_keep",  T::kDuration, "30d",                  true,  "how long rejected messages stay in the quarantine (heatctl ingest rejected)", 3600, 31622400},
      {"ingest.modbus_enabled", T::kBool,     "true",                 false, "poll Modbus TCP PLCs by their register maps' scan groups"},
      {"ingest.modbus_timeout_ms", T::kInt,   "1000",                 true,  "per Modbus request", 50, 60000},
      {"ingest.modbus_mode",    T::kEnum,     "patrol",               true,  "scan mode (MON-2): patrol every PLC, area: only modbus_area, watch: modbus_watch fast", 0, 0, "patrol|area|watch"},
      {"ingest.modbus_area",    T::kString,   "",                     true,  "area mode: the org unit (code) whose stations are polled"},
      {"ingest.modbus_watch",   T::kString,   "",                     true,  "watch mode: the station (code) read every modbus_watch_period"},
      {"ingest.modbus_watch_period", T::kDuration, "2s",              true,  "watch mode: how often the watched station is read"},
      {"ingest.mqtt_enabled",   T::kBool,     "true",                 false, "take station control-box data over MQTT"},
      {"ingest.mqtt_uri",       T::kString,   "tcp://127.0.0.1:1883", false, "MQTT broker"},
      {"ingest.mqtt_client_id", T::kString,   "heatd-ingest",         false, "MQTT client id (persistent session); -N appended per client"},
      {"ingest.mqtt_clients",   T::kInt,      "1",                    false, "MQTT sessions in this process", 1, 64},
      {"ingest.mqtt_shared",    T::kBool,     "false",                false, "subscribe as $share/ingest/... so sessions and instances split the load"},
      {"ingest.mqtt_prefix",    T::kString,   "heat/v1",              false, "topic prefix: <prefix>/<station>/telemetry"},
      {"ingest.mqtt_username",  T::kString,   "",                     false, "broker login user; empty: anonymous"},
      {"ingest.mqtt_password_file", T::kString, "",                   false, "file holding the broker password (first line), readable by the daemon only"},
      {"control.mqtt_uri",      T::kString,   "tcp://127.0.0.1:1883", false, "MQTT broker for commands to control boxes; empty: MQTT stations are not commanded"},
      {"control.mqtt_client_id", T::kString,  "heatd-control",        false, "MQTT client id of heatd-control"},
      {"control.mqtt_prefix",   T::kString,   "heat/v1",              false, "topic prefix: <prefix>/<station>/cmd"},
      {"control.refresh",       T::kDuration, "10s",                  true,  "how often stations, configurations and holds are reloaded", 1, 3600},
      {"control.ack_timeout",   T::kDuration, "10s",                  true,  "an unanswered command is sent again after this, doubling", 1, 600},
      {"control.retries",       T::kInt,      "3",                    true,  "resends before a command is given up (state timeout)", 0, 10},
      {"control.max_age",       T::kDuration, "5m",                   true,  "measurements older than this are unknown to the strategies", 10, 86400},
      {"control.follow_margin", T::kDuration, "30s",                  true,  "time beyond the valve's running time before it counts as not following", 0, 3600},
      {"control.follow_tolerance_pct", T::kDouble, "5",             true,  "valve feedback further than this from its setpoint is not following"},
      {"control.valve_deadband_pct", T::kDouble, "0.5",             true,  "a smaller change of a valve setpoint is not sent"},
      {"control.modbus_timeout_ms", T::kInt,  "1000",                 true,  "per Modbus request to a PLC", 50, 60000},
      // heatd-alarm (heatd-alarm(8))
      {"alarm.refresh",         T::kDuration, "10s",                  true,  "how often rules, points, devices and suppressions are reloaded", 1, 3600},
      {"alarm.checkpoint",      T::kDuration, "30s",                  true,  "how often every evaluation state is saved (changed conditions are saved at once)", 1, 3600},
      {"alarm.feed_rows",       T::kInt,      "20",                   true,  "feed rows (committed batches of readings) evaluated per transaction", 1, 10000},
      {"alarm.hold_ms",         T::kInt,      "50",                   true,  "a batch is evaluated this long after it was written, with any older batch that committed after it", 0, 900},
      {"alarm.comm_period_coap", T::kDuration, "30m",                 true,  "upload period of a CoAP device without its own (settings upload_s)", 1, 604800},
      {"alarm.comm_period_mqtt", T::kDuration, "1m",                  true,  "telemetry period of an MQTT control box without its own", 1, 604800},
      {"alarm.mqtt_uri",        T::kString,   "",                     false, "MQTT broker on which every alarm's state is published retained; empty: none"},
      {"alarm.mqtt_client_id",  T::kString,   "heatd-alarm",          false, "MQTT client id of heatd-alarm"},
      {"alarm.mqtt_prefix",     T::kString,   "heat/v1",              false, "topic prefix: <prefix>/alarm/<station>/<id>"},
      {"alarm.notify_command",  T::kString,   "",                     false, "program run as COMMAND RECIPIENT with a new alarm as JSON on stdin; empty: none"},
      {"alarm.notify_per_hour", T::kInt,      "30",                   false, "messages per recipient and hour at most; the rest is counted in the next", 1, 100000},
      {"alarm.comm_period_modbus", T::kDuration, "1m",                true,  "poll period of a Modbus PLC without its own", 1, 604800},
      // heatd-forecast (heatd-forecast(8))
      {"forecast.interval",     T::kDuration, "1h",                   true,  "how often every source and station gets a new forecast", 60, 86400},
      {"forecast.delay",        T::kDuration, "5m",                   true,  "a round runs this long after each interval boundary, when the last hour is in", 0, 3600},
      {"forecast.horizon_h",    T::kInt,      "168",                  true,  "hours forecast ahead", 24, 336},
      {"forecast.history_days", T::kInt,      "400",                  true,  "days of hourly history the model learns from", 7, 3660},
      {"forecast.min_history_h", T::kInt,     "168",                  true,  "good hours of history before a site is forecast", 48, 87600},
      {"forecast.half_life_days", T::kDouble, "0",                    true,  "memory of the regression in days; 0: all history weighs the same"},
      {"forecast.weather_site", T::kString,   "",                     true,  "site of the weather forecasts (heatctl weather import --site); empty: none"},
      {"forecast.holidays",     T::kEnum,     "cn",                   true,  "public holiday calendar of the day types", 0, 0, "cn|de|none"},
      {"forecast.season_start", T::kString,   "",                     true,  "MM-DD the heating season starts every year (a warm-up term); empty: none"},
      {"forecast.keep_all_days", T::kInt,     "30",                   true,  "every issue is kept this long, then one a day per site", 1, 3660},
      {"forecast.keep_weather_days", T::kInt, "400",                  true,  "weather forecasts are kept this long", 1, 3660},
      // reportgen (reportgen(1))
      {"report.dirs",           T::kString,   "/etc/heat/reports:/usr/share/heat/reports", true, "folders of report definitions, ':'-separated; the first holding a name wins"},
      {"report.nightly",        T::kString,   "daily-takings,cashier-reconciliation,finance-reconciliation", true, "reports of reportgen nightly, ','-separated, each NAME or NAME.FORMAT (pdf, xlsx, csv; default pdf)"},
      {"report.out_dir",        T::kString,   "/var/lib/heat/reports", true, "folder reportgen nightly writes DATE-NAME.FORMAT into"},
      {"report.keep_days",      T::kInt,      "90",                   true,  "reportgen nightly removes its dated reports older than this", 0, 36600},
      // the cashier's counter: receipts and forms (billctl(1), BIL-21, BIL-26)
      {"counter.templates",     T::kString,   "/etc/heat/templates:/usr/share/heat/templates", true, "folders of the receipt placement and form templates, ':'-separated; the first holding a name wins"},
      {"counter.printer",       T::kString,   "",                     true,  "CUPS printer of receipts and forms for terminals not in counter.printers; empty: none"},
      {"counter.printers",      T::kString,   "",                     true,  "a printer per terminal, TERMINAL=PRINTER,... (terminal: $HEAT_TERMINAL, else the host name)"},
      {"counter.preprinted",    T::kBool,     "false",                true,  "receipts go on pre-printed stationery: only the values are printed, not the form's own text"},
      {"counter.receipt_key_file", T::kString, "",                    true,  "file whose first line is the key of the receipts' QR codes (HMAC-SHA256); empty: no MAC"},
      // archiving raw readings (heatctl db archive)
      {"archive.raw_keep",      T::kDuration, "400d",                 true,  "raw readings are kept at least this long, then archived a month at a time", 86400, 315360000},
      {"archive.interval",      T::kDuration, "5m",                   true,  "archived readings are kept as min/avg/max buckets of this width (dividing the hour)", 60, 3600},
      // backups (heat-admin(8), BIL-30): read by heatctl db backup at every run
      {"backup.repo",           T::kString,   "/var/lib/heat/backup", true, "pgBackRest repository folder, owned by the cluster's OS user"},
      {"backup.stanza",         T::kString,   "heat",                 true,  "pgBackRest stanza name of the heat cluster"},
      {"backup.full_keep",      T::kInt,      "2",                    true,  "full backups kept (with their differentials and the WAL they need)", 1, 100},
      {"backup.pg_data",        T::kString,   "/var/lib/postgresql/15/main", true, "the heat cluster's data directory"},
      {"backup.pg_port",        T::kInt,      "5432",                 true,  "the heat cluster's port", 1, 65535},
      {"backup.pg_socket",      T::kString,   "/var/run/postgresql",  true,  "the heat cluster's Unix socket folder"},
      {"backup.pg_bin",         T::kString,   "/usr/lib/postgresql/15/bin", true, "PostgreSQL's programs (pg_ctl, pg_controldata)"},
      {"backup.scratch_dir",    T::kString,   "/var/lib/heat/restore-check", true, "where heatctl db backup check restores and runs its copy"},
  };
  return options;
}

}  // namespace heat
