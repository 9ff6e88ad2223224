// The role × object × operation matrix (SYS-1, BIL-28): every group role,
// as a real login, against every table, view and function of schemas heat,
// bill and api, reading, inserting, updating, deleting and executing, in
// its data scope (branch BR1) and outside it (BR2). Generated from ONE
// table of expectations below; every cell is asserted, and an object the
// table does not name fails the test (a new table or function needs its
// row, so every grant stays deliberate). One connection per login, each
// cell under a savepoint that is rolled back.
#include <set>

#include "world.h"

namespace heat::test {
namespace {

// One character per role, in kRoles order (heat_admin heat_engineer
// heat_operator heat_service heat_pay bill_admin bill_supervisor
// bill_cashier bill_deputy bill_production):
//   A allowed: the row is read or changed (for a write, a foreign-key
//     refusal also counts: rights and scope let it through);
//   H hidden: allowed, but the row is outside the login's scope (0 rows);
//   D denied: permission error (grant, row-level security, view).
struct Object {
  const char* name;
  const char* in_key;   // the in-scope row; "" = the table as a whole (no scope probe)
  const char* out_key;  // the out-of-scope row; nullptr = no scope probe
  const char* column;   // column the UPDATE probe sets to itself
  const char* ins_in;   // INSERT in scope; nullptr = a privilege probe (no row)
  const char* ins_out;  // INSERT out of scope; nullptr = none
  const char* read_in, *read_out, *insert_in, *insert_out, *update_in, *update_out, *delete_in, *delete_out;
};

constexpr const char* N = nullptr;
constexpr const char* kNone = "DDDDDDDDDD";

// clang-format off
const Object kObjects[] = {
  // name                     in_key                           out_key                          column
  //   ins_in / ins_out
  //   read in       read out      insert in     insert out    update in     update out    delete in     delete out
  {"heat.group_role",         "", N, "description", N, N,
     "AAAADDDDDD", N,            kNone,        N,            kNone,        N,            kNone,        N},
  {"heat.org_unit",           "code = 'BR1'", "code = 'BR2'", "name", N, N,
     "AAAADDDDDD", "AHHADDDDDD", "ADDDDDDDDD", N,            "ADDDDDDDDD", "ADDDDDDDDD", "ADDDDDDDDD", "ADDDDDDDDD"},
  {"heat.user_scope",         "", N, "login", N, N,
     "AAADDDDDDD", N,            "ADDDDDDDDD", N,            "ADDDDDDDDD", N,            "ADDDDDDDDD", N},
  {"heat.heat_source",        "", N, "name", N, N,
     "AAAADDDDDD", N,            "AADDDDDDDD", N,            "AADDDDDDDD", N,            "AADDDDDDDD", N},
  {"heat.network",            "", N, "name", N, N,
     "AAAADDDDDD", N,            "AADDDDDDDD", N,            "AADDDDDDDD", N,            "AADDDDDDDD", N},
  {"heat.station",            "code = 'S1'", "code = 'S2'", "name",
     "INSERT INTO heat.station (code, name, org_id) VALUES ('SX', 'x', {O1})",
     "INSERT INTO heat.station (code, name, org_id) VALUES ('SX', 'x', {O2})",
     "AAAADDDDDD", "AHHADDDDDD", "AADDDDDDDD", "ADDDDDDDDD", "AADDDDDDDD", "AHDDDDDDDD", "AADDDDDDDD", "AHDDDDDDDD"},
  {"heat.building",           "code = 'B1'", "code = 'B2'", "name",
     "INSERT INTO heat.building (code, name, station_id) VALUES ('BX', 'x', {S1})",
     "INSERT INTO heat.building (code, name, station_id) VALUES ('BX', 'x', {S2})",
     "AAAADDDDDD", "AHHADDDDDD", "AADDDDDDDD", "ADDDDDDDDD", "AADDDDDDDD", "AHDDDDDDDD", "AADDDDDDDD", "AHDDDDDDDD"},
  {"heat.register_map",       "", N, "name", N, N,
     "AAAADDDDDD", N,            "AADDDDDDDD", N,            "AADDDDDDDD", N,            "AADDDDDDDD", N},
  // Out of scope: a BR1 station with a BR2 building (both must be in scope).
  {"heat.device",             "code = 'D1'", "code = 'D2'", "name",
     "INSERT INTO heat.device (code, name, kind, protocol, station_id, building_id)"
     " VALUES ('DX', 'x', 'room_sensor', 'coap', {S1}, {B1})",
     "INSERT INTO heat.device (code, name, kind, protocol, station_id, building_id)"
     " VALUES ('DX', 'x', 'room_sensor', 'coap', {S1}, {B2})",
     "AAAADDDDDD", "AHHADDDDDD", "AADDDDDDDD", "ADDDDDDDDD", "AADDDDDDDD", "AHDDDDDDDD", "AADDDDDDDD", "AHDDDDDDDD"},
  {"heat.point",              "code = 'S1.t2s'", "code = 'S2.t2s'", "name",
     "INSERT INTO heat.point (code, device_id, tag) VALUES ('D1.x', {D1}, 'x')",
     "INSERT INTO heat.point (code, device_id, tag) VALUES ('D2.x', {D2}, 'x')",
     "AAAADDDDDD", "AHHADDDDDD", "AADDDDDDDD", "ADDDDDDDDD", "AADDDDDDDD", "AHDDDDDDDD", "AADDDDDDDD", "AHDDDDDDDD"},
  {"heat.op_log",             "object_kind = 'station' AND object_code = 'S1'",
                              "object_kind = 'station' AND object_code = 'S2'", "message", N, N,
     "AAAADDDDDD", "AHHADDDDDD", kNone,        N,            "ADDDDDDDDD", "ADDDDDDDDD", "ADDDDDDDDD", "ADDDDDDDDD"},
  {"heat.reading",            "point_id = {P1}", "point_id = {P2}", "value", N, N,
     "AAAADDDDDD", "AHHADDDDDD", "DDDADDDDDD", N,            "DDDADDDDDD", "DDDADDDDDD", kNone,        kNone},
  {"heat.latest",             "point_id = {P1}", "point_id = {P2}", "value", N, N,
     "AAAADDDDDD", "AHHADDDDDD", "DDDADDDDDD", N,            "DDDADDDDDD", "DDDADDDDDD", kNone,        kNone},
  {"heat.reading_hourly",     "", N, "n", N, N,
     "AAAADDDDDD", N,            "DDDADDDDDD", N,            "DDDADDDDDD", N,            kNone,        N},
  {"heat.reading_daily",      "", N, "n", N, N,
     "AAAADDDDDD", N,            "DDDADDDDDD", N,            "DDDADDDDDD", N,            kNone,        N},
  // Archived readings (0032): written only by heat.archive_readings.
  {"heat.reading_archive",    "", N, "n", N, N,
     "AAAADDDDDD", N,            kNone,        N,            kNone,        N,            kNone,        N},
  {"heat.archive_log",        "", N, "points", N, N,
     "AAAADDDDDD", N,            kNone,        N,            kNone,        N,            kNone,        N},
  {"heat.device_status",      "", N, "detail", N, N,
     "AAAADDDDDD", N,            "DDDADDDDDD", N,            "DDDADDDDDD", N,            kNone,        N},
  {"heat.ingest_unknown",     "", N, "count", N, N,
     "AAAADDDDDD", N,            "DDDADDDDDD", N,            "DDDADDDDDD", N,            kNone,        N},
  {"heat.ingest_stats",       "", N, "stats", N, N,
     "AAAADDDDDD", N,            "DDDADDDDDD", N,            "DDDADDDDDD", N,            kNone,        N},
  // Scoped by the station its key names (0025); unknown senders: admins only.
  {"heat.ingest_rejected",    "key = 'S1/event'", "key = 'S2/event'", "reason", N, N,
     "AAAADDDDDD", "AHHADDDDDD", "DDDADDDDDD", N,            kNone,        kNone,        kNone,        kNone},
  {"heat.meter_month",        "", N, "readings", N, N,
     "AAAADDDDDD", N,            kNone,        N,            kNone,        N,            kNone,        N},
  // Remote control (0026): people write through functions only.
  {"heat.control_config",     "station_id = {S1}", "station_id = {S2}", "period_s", N, N,
     "AAAADDDDDD", "AHHADDDDDD", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"heat.control_hold",       "station_id = {S1}", "station_id = {S2}", "value", N, N,
     "AAAADDDDDD", "AHHADDDDDD", kNone,        N,            kNone,        kNone,        "DDDADDDDDD", "DDDADDDDDD"},
  {"heat.command",            "station_id = {S1}", "station_id = {S2}", "state", N, N,
     "AAAADDDDDD", "AHHADDDDDD", "DDDADDDDDD", N,            "DDDADDDDDD", "DDDADDDDDD", kNone,        kNone},
  // Alarms (0028): rules written through functions; alarms by the station's
  // scope; transitions never changed, not even by the service.
  {"heat.alarm_rule",         "", N, "priority", N, N,
     "AAAADDDDDD", N,            kNone,        N,            kNone,        N,            kNone,        N},
  {"heat.alarm",              "id = {AL1}", "id = {AL2}", "message", N, N,
     "AAAADDDDDD", "AHHADDDDDD", "DDDADDDDDD", N,            "DDDADDDDDD", "DDDADDDDDD", kNone,        kNone},
  {"heat.alarm_event",        "alarm_id = {AL1}", "alarm_id = {AL2}", "comment", N, N,
     "AAAADDDDDD", "AHHADDDDDD", "DDDADDDDDD", N,            kNone,        kNone,        kNone,        kNone},
  {"heat.alarm_state",        "", N, "state", N, N,
     "DDDADDDDDD", N,            "DDDADDDDDD", N,            "DDDADDDDDD", N,            "DDDADDDDDD", N},
  {"heat.alarm_consumer",     "", N, "since", N, N,
     "DDDADDDDDD", N,            "DDDADDDDDD", N,            "DDDADDDDDD", N,            "DDDADDDDDD", N},
  {"heat.reading_feed",       "", N, "at", N, N,
     "DDDADDDDDD", N,            kNone,        N,            "DDDADDDDDD", N,            "DDDADDDDDD", N},
  {"heat.alarm_suppress",     "station_id = {S1}", "station_id = {S2}", "reason", N, N,
     "AAAADDDDDD", "AHHADDDDDD", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  // Health-check findings (0040): by the station's scope; stored by
  // engineers and the service, never deleted.
  {"heat.analysis_finding",   "id = {AF1}", "id = {AF2}", "advice",
     "INSERT INTO heat.analysis_finding (rule, object_kind, object_code, station_id, window_from, window_to,"
     " severity, title, fault, advice, evidence) VALUES ('x', 'station', 'SX', {S1}, now(), now(), 3, 't', 'f', 'a', '{}')",
     "INSERT INTO heat.analysis_finding (rule, object_kind, object_code, station_id, window_from, window_to,"
     " severity, title, fault, advice, evidence) VALUES ('x', 'station', 'SX', {S2}, now(), now(), 3, 't', 'f', 'a', '{}')",
     "AAAADDDDDD", "AHHADDDDDD", "AADADDDDDD", "ADDADDDDDD", "AADADDDDDD", "AHDADDDDDD", kNone,        kNone},
  // Hydraulic models (0039): scoped by their network's org unit; written
  // by engineers as other base information.
  {"heat.pipe_node",          "network_id = {N1} AND code = 'A'", "network_id = {N2} AND code = 'A'", "elevation_m",
     "INSERT INTO heat.pipe_node (network_id, code) VALUES ({N1}, 'X')",
     "INSERT INTO heat.pipe_node (network_id, code) VALUES ({N2}, 'X')",
     "AAAADDDDDD", "AHHADDDDDD", "AADDDDDDDD", "ADDDDDDDDD", "AADDDDDDDD", "AHDDDDDDDD", "AADDDDDDDD", "AHDDDDDDDD"},
  {"heat.pipe_link",          "network_id = {N1} AND code = 'L'", "network_id = {N2} AND code = 'L'", "length_m",
     "INSERT INTO heat.pipe_link (network_id, code, from_node_id, to_node_id, length_m, diameter_mm, roughness)"
     " VALUES ({N1}, 'X', {NB1}, {NA1}, 1, 100, 0.5)",
     "INSERT INTO heat.pipe_link (network_id, code, from_node_id, to_node_id, length_m, diameter_mm, roughness)"
     " VALUES ({N2}, 'X', {NB2}, {NA2}, 1, 100, 0.5)",
     "AAAADDDDDD", "AHHADDDDDD", "AADDDDDDDD", "ADDDDDDDDD", "AADDDDDDDD", "AHDDDDDDDD", "AADDDDDDDD", "AHDDDDDDDD"},
  // Forecasts (0030): weather read by all who read forecasts and imported
  // by engineers and the service; issues and their values by the scope of
  // the org unit, written and thinned by heatd-forecast only.
  {"heat.weather_forecast",   "site = 'W1'", N, "temp_c", N, N,
     "AAAADDDDDD", N,            "AADADDDDDD", N,            "AADADDDDDD", N,            "DDDADDDDDD", N},
  {"heat.forecast_issue",     "id = {FI1}", "id = {FI2}", "weather",
     "INSERT INTO heat.forecast_issue (kind, object_id, code, org_id, origin, horizon_h, weather, supply_from,"
     " history_h) VALUES ('station', {S1}, 'S1', {O1}, date_trunc('hour', now()) + interval '1 hour', 24, 'none',"
     " 'none', 0)",
     "INSERT INTO heat.forecast_issue (kind, object_id, code, org_id, origin, horizon_h, weather, supply_from,"
     " history_h) VALUES ('station', {S2}, 'S2', {O2}, date_trunc('hour', now()) + interval '1 hour', 24, 'none',"
     " 'none', 0)",
     "AAAADDDDDD", "AHHADDDDDD", "DDDADDDDDD", "DDDADDDDDD", kNone,        kNone,        "DDDADDDDDD", "DDDADDDDDD"},
  {"heat.forecast_value",     "issue_id = {FI1}", "issue_id = {FI2}", "load_kw",
     "INSERT INTO heat.forecast_value (issue_id, valid_time, load_kw, load_lo, load_hi) VALUES ({FI1}, now(), 1, 0, 2)",
     "INSERT INTO heat.forecast_value (issue_id, valid_time, load_kw, load_lo, load_hi) VALUES ({FI2}, now(), 1, 0, 2)",
     "AAAADDDDDD", "AHHADDDDDD", "DDDADDDDDD", "DDDADDDDDD", kNone,        kNone,        "DDDADDDDDD", "DDDADDDDDD"},
  // Reports (0033): the monthly production plan, entered by engineers.
  {"heat.production_plan",    "", N, "heat_gj", N, N,
     "AAAADDDDDD", N,            "AADDDDDDDD", N,            "AADDDDDDDD", N,            "AADDDDDDDD", N},
  {"api.report_house",        "house = 'H1'", "house = 'H2'", "room", N, N,
     "DDDDDAAAAA", "DDDDDAHHHH", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  // Internal to the report functions (0033): no role reads it directly.
  {"bill.house_place",        "", N, "room", N, N,
     kNone,        N,            kNone,        N,            kNone,        N,            kNone,        N},
  {"api.report_label",        "", N, "label", N, N,
     "DDDDDAAAAA", N,            kNone,        N,            kNone,        N,            kNone,        N},
  {"heat.login_creator",      "", N, "created_by", N, N,
     "ADDDDADDDD", N,            kNone,        N,            kNone,        N,            kNone,        N},
  // Restore check results (0034): written by heatctl db backup check as
  // the superuser, read by the administrators of both modules.
  {"heat.backup_check",       "", N, "ok", N, N,
     "ADDDDADDDD", N,            kNone,        N,            kNone,        N,            kNone,        N},
  {"heat.point_place",        "code = 'S1.t2s'", "code = 'S2.t2s'", "name", N, N,
     "AAAADDDDDD", "AHHADDDDDD", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"api.org_unit",            "code = 'BR1'", "code = 'BR2'", "name", N, N,
     "AAAADDDDDD", "AHHADDDDDD", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"api.station",             "code = 'S1'", "code = 'S2'", "name", N, N,
     "AAAADDDDDD", "AHHADDDDDD", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"api.building",            "code = 'B1'", "code = 'B2'", "name", N, N,
     "AAAADDDDDD", "AHHADDDDDD", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"api.point",               "code = 'S1.t2s'", "code = 'S2.t2s'", "name", N, N,
     "AAAADDDDDD", "AHHADDDDDD", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"api.latest",              "point = 'S1.t2s'", "point = 'S2.t2s'", "value", N, N,
     "AAAADDDDDD", "AHHADDDDDD", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"api.station_latest",      "station = 'S1'", "station = 'S2'", "name", N, N,
     "AAAADDDDDD", "AHHADDDDDD", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"api.house_status",        "house = 'H1'", "house = 'H2'", "room", N, N,
     "AAAADAAAAA", "AHHADAHHHH", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  // A meter is seen by whoever sees its station, billing roles included (0025).
  {"api.meter_month",         "meter = 'M1'", "meter = 'M2'", "readings", N, N,
     "AAAADAAADD", "AHHADAHHDD", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"bill.dict",               "", N, "label", N, N,
     "DDDDDAAAAA", N,            "DDDDDADDDD", N,            "DDDDDADDDD", N,            kNone,        N},
  {"bill.channel",            "", N, "label", N, N,
     "DDDDDAAAAA", N,            "DDDDDADDDD", N,            "DDDDDADDDD", N,            kNone,        N},
  {"bill.payment_closure",    "", N, "channel", N, N,
     "DDDDDAAAAA", N,            "DDDDDADDDD", N,            kNone,        N,            "DDDDDADDDD", N},
  {"bill.param",              "", N, "value", N, N,
     "DDDDDAAAAA", N,            "DDDDDADDDD", N,            "DDDDDADDDD", N,            "DDDDDADDDD", N},
  {"bill.season",             "", N, "name", N, N,
     "DDDDDAAAAA", N,            "DDDDDADDDD", N,            "DDDDDADDDD", N,            kNone,        N},
  {"bill.tariff",             "", N, "fen_per_m2", N, N,
     "DDDDDAAAAA", N,            "DDDDDADDDD", N,            "DDDDDADDDD", N,            "DDDDDADDDD", N},
  {"bill.community",          "", N, "name", N, N,
     "DDDADAAAAA", N,            "DDDDDADDDD", N,            "DDDDDADDDD", N,            kNone,        N},
  {"bill.building",           "", N, "name", N, N,
     "DDDADAAAAA", N,            "DDDDDADDDD", N,            "DDDDDADDDD", N,            kNone,        N},
  {"bill.unit",               "", N, "name", N, N,
     "DDDADAAAAA", N,            "DDDDDADDDD", N,            "DDDDDADDDD", N,            kNone,        N},
  {"bill.house",              "code = 'H1'", "code = 'H2'", "customer_id", N, N,
     "DDDADAAAAA", "DDDADAHHHH", "DDDDDADDDD", N,            "DDDDDAAADD", "DDDDDAHHDD", kNone,        kNone},
  {"bill.customer",           "id = {C1}", "id = {C2}", "name", N, N,
     "DDDDDAAAAA", "DDDDDAHHHH", "DDDDDAAADD", N,            "DDDDDAAADD", "DDDDDAHHDD", kNone,        kNone},
  {"bill.house_relation",     "main_id = {H1}", "main_id = {H2}", "main_id", N, N,
     "DDDDDAAAAA", "DDDDDAHHHH", "DDDDDAAADD", N,            "DDDDDAAADD", "DDDDDAHHDD", "DDDDDAAADD", "DDDDDAHHDD"},
  {"bill.card",               "card_no = 'CARD1'", "card_no = 'CARD2'", "status",
     "INSERT INTO bill.card (card_no, house_id, status) VALUES ('CARDX', {H1}, 'cancelled')",
     "INSERT INTO bill.card (card_no, house_id, status) VALUES ('CARDX', {H2}, 'cancelled')",
     "DDDDDAAAAA", "DDDDDAHHHH", "DDDDDAAADD", "DDDDDADDDD", "DDDDDAAADD", "DDDDDAHHDD", kNone,        kNone},
  {"bill.blacklist",          "house_id = {H1}", "house_id = {H2}", "reason",
     "INSERT INTO bill.blacklist (house_id, kind, reason) VALUES ({H1}, 'theft', 'x')",
     "INSERT INTO bill.blacklist (house_id, kind, reason) VALUES ({H2}, 'theft', 'x')",
     "DDDDDAAAAA", "DDDDDAHHHH", "DDDDDAADDD", "DDDDDADDDD", "DDDDDAADDD", "DDDDDAHDDD", kNone,        kNone},
  {"bill.document",           "", N, "media_type", N, N,
     "DDDDDAAAAA", N,            "DDDDDAAADD", N,            "DDDDDAAADD", N,            kNone,        N},
  {"bill.house_document",     "", N, "file_name", N, N,
     "DDDDDAAAAA", N,            "DDDDDAAADD", N,            "DDDDDAAADD", N,            kNone,        N},
  {"bill.account",            "id = {A1}", "id = {A2}", "opened_by", N, N,
     "DDDDDAAAAA", "DDDDDAHHHH", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"bill.entry",              "account_id = {A1}", "account_id = {A2}", "note", N, N,
     "DDDDDAAAAA", "DDDDDAHHHH", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"bill.receipt_seq",        "", N, "last_no", N, N,
     kNone,        N,            kNone,        N,            kNone,        N,            kNone,        N},
  {"bill.receipt",            "receipt_no = '{R1}'", "receipt_no = '{R2}'", "prints", N, N,
     "DDDDDAAAAA", "DDDDDAHHHH", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"bill.status_event",       "account_id = {A1}", "account_id = {A2}", "kind", N, N,
     "DDDDDAAAAA", "DDDDDAHHHH", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"bill.request",            "id = {Q1}", "id = {Q2}", "outcome", N, N,
     "DDDDDAAAAA", "DDDDDAHHHH", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"bill.request_step",       "request_id = {Q1}", "request_id = {Q2}", "login", N, N,
     "DDDDDAAAAA", "DDDDDAHHHH", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  // Cash-up sheets (0035): written through bill.day_submit/close/reopen only.
  {"bill.day_sheet",          "", N, "cash_counted_fen", N, N,
     "DDDDDAAAAA", N,            kNone,        N,            kNone,        N,            kNone,        N},
  // Online payments (0036): written through the page's doors only.
  {"bill.online_order",       "", N, "description", N, N,
     "DDDDDAAAAA", N,            kNone,        N,            kNone,        N,            kNone,        N},
  {"bill.online_event",       "", N, "reason", N, N,
     "DDDDDADDDD", N,            kNone,        N,            kNone,        N,            kNone,        N},
  {"bill.pay_attempt",        "", N, "n", N, N,
     kNone,        N,            kNone,        N,            kNone,        N,            kNone,        N},
  {"bill.pay_session",        "", N, "expires_at", N, N,
     kNone,        N,            kNone,        N,            kNone,        N,            kNone,        N},
  // E-invoices (0037): written through the request doors and the worker's only.
  {"bill.invoice",            "receipt_no = '{R1}'", "receipt_no = '{R2}'", "buyer_name", N, N,
     "DDDDDAAAAA", "DDDDDAHHHH", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  // The service hall (0038): requests through bill.hall_file and the steps only;
  // its information written by bill_admin.
  {"bill.hall_request",       "house_id = {H1}", "house_id = {H2}", "answer", N, N,
     "DDDDDAAADD", "DDDDDAHHDD", kNone,        N,            kNone,        kNone,        kNone,        kNone},
  {"bill.hall_info",          "", N, "title", N, N,
     "DDDDDAAADD", N,            "DDDDDADDDD", N,            "DDDDDADDDD", N,            "DDDDDADDDD", N},
};

// Functions some role may execute; every other function of heat, bill and
// api is executable by no group role (kNone).
const std::pair<const char*, const char*> kFunctions[] = {
  {"heat.is_admin",                  "AAAADAAAAA"},
  {"heat.visible_orgs",              "AAAADAAAAA"},
  {"heat.object_exists",             "AAAADDDDDD"},
  {"heat.device_settings",           "AAAADDDDDD"},
  {"heat.ensure_reading_partitions", "DDDADDDDDD"},
  {"heat.refresh_meter_months",      "DDDADDDDDD"},
  {"heat.archive_readings",          "ADDDDDDDDD"},
  {"heat.log_event",                 "DDDADDDDDD"},
  {"heat.user_add",                  "ADDDDADDDD"},
  {"heat.user_grant",                "ADDDDADDDD"},
  {"heat.user_revoke",               "ADDDDADDDD"},
  {"heat.user_rm",                   "ADDDDADDDD"},
  {"heat.users",                     "ADDDDADDDD"},
  {"heat.who",                       "ADDDDADDDD"},
  {"heat.require_user_admin",        "ADDDDADDDD"},
  {"heat.org_ids",                   "ADDDDADDDD"},
  {"bill.in_dict",                   "DDDADAAAAA"},
  {"bill.has_role",                  "DDDADAAAAA"},
  {"bill.param_fen",                 "DDDADAAAAA"},
  {"bill.route_for",                 "DDDADAAAAA"},
  {"bill.account_sums",              "DDDADAAAAA"},
  {"bill.scope_orgs",                "DDDADAAAAA"},
  {"bill.house_cols_in",             "DDDADAAAAA"},
  {"bill.house_in",                  "DDDADAAAAA"},
  {"bill.account_in",                "DDDADAAAAA"},
  {"bill.entry_in",                  "DDDADAAAAA"},
  {"bill.request_in",                "DDDADAAAAA"},
  {"bill.customer_in",               "DDDADAAAAA"},
  {"bill.org_in",                    "DDDADAAAAA"},
  {"bill.find_customer_houses",      "DDDDDAAAAA"},
  {"bill.open_account",              "DDDDDAAADD"},
  {"bill.post",                      "DDDDDAAADD"},
  {"bill.charge",                    "DDDDDAAADD"},
  {"bill.change_status",             "DDDDDAAADD"},
  {"bill.request_open",              "DDDDDAAADD"},
  {"bill.reprint",                   "DDDDDAAADD"},
  {"bill.station_id",                "DDDDDAAADD"},
  {"bill.decide",                    "DDDDDAAAAA"},
  {"bill.house_marks",               "DDDDDAAAAA"},
  {"bill.late_fee_due",              "DDDDDAAAAA"},
  {"bill.today",                     "DDDDDAAAAA"},
  {"bill.carryover",                 "DDDDDADDDD"},
  {"bill.cashier_in",                "DDDDDAAAAA"},
  {"bill.day_submit",                "DDDDDAAADD"},
  {"bill.day_close",                 "DDDDDAAADD"},
  {"bill.day_reopen",                "DDDDDAAADD"},
  {"bill.day_overview",              "DDDDDAAAAA"},
  {"bill.pay_login",                 "DDDDADDDDD"},
  {"bill.pay_bill",                  "DDDDADDDDD"},
  {"bill.pay_order_new",             "DDDDADDDDD"},
  {"bill.pay_order_opened",          "DDDDADDDDD"},
  {"bill.pay_notified",              "DDDDAADDDD"},
  {"bill.pay_pending",               "DDDDAADDDD"},
  {"bill.pay_order_closed",          "DDDDAADDDD"},
  {"bill.pay_ledger_day",            "DDDDAADDDD"},
  {"api.report_day_state",           "DDDDDAAAAA"},
  {"bill.receipt_in",                "DDDADAAAAA"},
  {"bill.invoice_request",           "DDDDDAAADD"},
  {"bill.pay_invoices",              "DDDDADDDDD"},
  {"bill.pay_invoice_request",       "DDDDADDDDD"},
  {"bill.invoice_claim",             "DDDADADDDD"},
  {"bill.invoice_record",            "DDDADADDDD"},
  {"bill.invoice_log",               "DDDDDDDDDD"},
  {"bill.invoice_queue",             "DDDDDDDDDD"},
  {"bill.invoice_on_void",           "DDDDDDDDDD"},
  {"bill.invoice_settle_void",       "DDDDDDDDDD"},
  {"bill.invoice_require_worker",    "DDDDDDDDDD"},
  {"bill.invoice_after_record",      "DDDDDDDDDD"},
  {"bill.hall_text_ok",              "DDDDDAAADD"},
  {"bill.hall_file",                 "DDDDADDDDD"},
  {"bill.hall_requests_of",          "DDDDADDDDD"},
  {"bill.hall_info",                 "DDDDADDDDD"},
  {"bill.hall_take",                 "DDDDDAAADD"},
  {"bill.hall_done",                 "DDDDDAAADD"},
  {"bill.hall_reject",               "DDDDDAAADD"},
  {"api.house_status_rows",          "AAAADAAAAA"},
  {"api.meter_month_rows",           "AAAADAAADD"},
  {"api.org_subtree",                "AAAADAAAAA"},
  {"api.report_house_rows",          "DDDDDAAAAA"},
  {"api.report_account",             "DDDDDAAAAA"},
  {"api.report_entry",               "DDDDDAAAAA"},
  {"api.report_status_event",        "DDDDDAAAAA"},
  {"api.report_season",              "DDDDDAAAAA"},
  {"api.report_station_day",         "AAAADDDDDD"},
  {"api.analysis_station_hour",      "AAAADDDDDD"},
  {"api.analysis_room_hour",         "AAAADDDDDD"},
  {"api.analysis_station_day",       "AAAADDDDDD"},
  {"heat.control_station",           "DDDDDDDDDD"},
  {"heat.control_require",           "DDDDDDDDDD"},
  {"heat.control_queue",             "DDDDDDDDDD"},
  {"heat.control_hold_set",          "AAADDDDDDD"},
  {"heat.control_release",           "AAADDDDDDD"},
  {"heat.control_set",               "AAADDDDDDD"},
  {"heat.control_stroke_check",      "AAADDDDDDD"},
  {"heat.rejected_station",          "DDDDDDDDDD"},
  {"heat.rejected_set_station",      "DDDDDDDDDD"},
  {"heat.prune_rejected",            "DDDADDDDDD"},
  {"heat.alarm_rule_set",            "AAADDDDDDD"},
  {"heat.alarm_rule_rm",             "AAADDDDDDD"},
  {"heat.alarm_ack",                 "AAADDDDDDD"},
  {"heat.alarm_shelve",              "AAADDDDDDD"},
  {"heat.alarm_suppress_set",        "AAADDDDDDD"},
  {"heat.alarm_family",              "DDDADDDDDD"},
  {"heat.alarm_family_clear",        "DDDADDDDDD"},
  {"heat.analysis_finding_alarms",   "DDDADDDDDD"},
  {"heat.analysis_theft_houses",     "AAAADDDDDD"},
  {"heat.analysis_theft_buildings",  "AAAADDDDDD"},
  {"heat.system_node",               "AADADDDDDD"},
  {"heat.system_alarms",             "DDDADDDDDD"},
  {"heat.pipe_node_station_check",   "DDDDDDDDDD"},
  {"heat.forecast_history",          "AAAADDDDDD"},
  {"heat.forecast_accuracy",         "AAAADDDDDD"},
};
// clang-format on

class SecurityMatrix : public SecurityWorld {
 protected:
  static void SetUpTestSuite() {
    SecurityWorld::SetUpTestSuite();
    for (const auto& role : kRoles) {
      auto c = db::Conn::Open(Conninfo(Login(role)));
      ASSERT_TRUE(c.ok()) << c.status().message();
      ASSERT_TRUE(c->Exec("BEGIN").ok());
      ASSERT_TRUE(c->Exec("SET LOCAL statement_timeout = '5s'").ok());
      conns_->emplace(role, std::move(c).value());
    }
  }
  static void TearDownTestSuite() {
    conns_->clear();
    SecurityWorld::TearDownTestSuite();
  }

  // One cell: the statement as `role` under a savepoint, rolled back.
  // A/H/D as above; anything else is 'E' with the error in `why`. A keyed
  // read counts the rows it sees; a write counts the rows it changed; a
  // probe of the whole table (WHERE false, or a read without a key) only
  // asks whether it is allowed.
  static char Cell(const std::string& role, const std::string& sql, bool keyed_read, std::string& why) {
    db::Conn& c = conns_->at(role);
    EXPECT_TRUE(c.Exec("SAVEPOINT cell").ok());
    auto r = c.Query(Fill(sql));
    EXPECT_TRUE(c.Exec("ROLLBACK TO SAVEPOINT cell").ok());
    if (!r.ok()) {
      why = r.status().message();
      if (r.status().code() == Code::kPermission || why.starts_with("cannot insert into view") ||
          why.starts_with("cannot update view") || why.starts_with("cannot delete from view"))
        return 'D';
      return why.find("foreign key") != std::string::npos ? 'A' : 'E';
    }
    if (keyed_read) return r->get_int(0, 0) > 0 ? 'A' : 'H';
    if (sql.starts_with("SELECT") || sql.find("WHERE false") != std::string::npos) return 'A';
    return r->affected() > 0 ? 'A' : 'H';
  }

  static std::map<std::string, db::Conn>* conns_;
};
std::map<std::string, db::Conn>* SecurityMatrix::conns_ = new std::map<std::string, db::Conn>;

// The statement probing one operation on one object.
std::string Probe(const Object& o, const std::string& op, bool in) {
  std::string key = in ? o.in_key : (o.out_key ? o.out_key : "");
  std::string where = key.empty() ? " WHERE false" : " WHERE " + key;
  std::string t = o.name;
  if (op == "read") return "SELECT count(*) FROM " + t + (key.empty() ? "" : " WHERE " + key);
  if (op == "update") return "UPDATE " + t + " SET " + o.column + " = " + o.column + where;
  if (op == "delete") return "DELETE FROM " + t + where;
  const char* ins = in ? o.ins_in : o.ins_out;
  if (ins) return ins;
  return "INSERT INTO " + t + " (" + o.column + ") SELECT " + o.column + " FROM " + t + " WHERE false";
}

TEST_F(SecurityMatrix, EveryRoleOnEveryTableAndViewInAndOutOfScope) {
  std::set<std::string> named;
  int cells = 0;
  for (const auto& o : kObjects) {
    named.insert(o.name);
    const std::pair<std::string, const char*> ops[] = {
        {"read", o.read_in}, {"insert", o.insert_in}, {"update", o.update_in}, {"delete", o.delete_in}};
    const char* outs[] = {o.read_out, o.insert_out, o.update_out, o.delete_out};
    for (int k = 0; k < 4; ++k) {
      for (bool in : {true, false}) {
        const char* want = in ? ops[k].second : outs[k];
        if (!want) continue;
        bool has_probe = in || (ops[k].first == "insert" ? o.ins_out != nullptr : o.out_key != nullptr);
        ASSERT_TRUE(has_probe) << o.name << " " << ops[k].first << ": an expectation without a probe";
        std::string sql = Probe(o, ops[k].first, in);
        for (size_t i = 0; i < kRoles.size(); ++i) {
          std::string why;
          char got = Cell(kRoles[i], sql, ops[k].first == "read" && !std::string(in ? o.in_key : o.out_key).empty(),
                          why);
          ++cells;
          EXPECT_EQ(got, want[i]) << kRoles[i] << " " << ops[k].first << " " << o.name
                                  << (in ? " in scope" : " out of scope") << ": " << Fill(sql) << "\n  " << why;
        }
      }
    }
  }
  auto all = Super().Query(
      "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      " WHERE n.nspname IN ('heat', 'bill', 'api') AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition");
  ASSERT_OK(all);
  for (int i = 0; i < all->size(); ++i)
    EXPECT_TRUE(named.count(all->get(i, 0))) << all->get(i, 0) << " has no row in the expectations";
  EXPECT_GT(cells, 1500);
}

TEST_F(SecurityMatrix, EveryRoleOnEveryFunction) {
  std::map<std::string, std::string> want;
  for (const auto& [f, roles] : kFunctions) want[f] = roles;
  auto fns = Super().Query(
      "SELECT n.nspname || '.' || p.proname AS name, p.oid::regprocedure::text AS sig,"
      " coalesce((SELECT string_agg('NULL::' || format_type(t, NULL), ', ' ORDER BY o)"
      "           FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, o)), '') AS args"
      " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
      " WHERE n.nspname IN ('heat', 'bill', 'api') ORDER BY 1");
  ASSERT_OK(fns);
  std::set<std::string> seen;
  for (int i = 0; i < fns->size(); ++i) {
    std::string name = fns->get(i, "name");
    seen.insert(name);
    std::string expect = want.count(name) ? want[name] : kNone;
    std::string sql = "SELECT " + name + "(" + fns->get(i, "args") + ")";
    for (size_t r = 0; r < kRoles.size(); ++r) {
      std::string why;
      (void)Cell(kRoles[r], sql, false, why);
      // Refused before it runs: no EXECUTE, or no USAGE on its schema.
      char got = why.starts_with("permission denied for function") || why.starts_with("permission denied for schema")
                     ? 'D' : 'A';
      EXPECT_EQ(got, expect[r]) << kRoles[r] << " execute " << fns->get(i, "sig") << "\n  " << why;
    }
  }
  for (const auto& [f, roles] : want) EXPECT_TRUE(seen.count(f)) << f << " is in the expectations but not in the database";
}

}  // namespace
}  // namespace heat::test
