#include "world.h"

namespace heat::test {

std::map<std::string, std::string> SecurityWorld::logins_;
std::map<std::string, std::string> SecurityWorld::ids_;

namespace {

// Base information of both branches, written as the superuser (who is
// subject to no policy); the ledger rows through the billing functions.
const char* kWorldSql = R"(
INSERT INTO heat.org_unit (code, name) VALUES ('HQ', 'hq');
INSERT INTO heat.org_unit (code, name, parent_id)
  SELECT c, c, (SELECT id FROM heat.org_unit WHERE code = 'HQ') FROM (VALUES ('BR1'), ('BR2')) v(c);
INSERT INTO heat.station (code, name, org_id)
  SELECT 'S' || n, 's', (SELECT id FROM heat.org_unit WHERE code = 'BR' || n) FROM generate_series(1, 2) n;
INSERT INTO heat.building (code, name, station_id)
  SELECT 'B' || n, 'b', (SELECT id FROM heat.station WHERE code = 'S' || n) FROM generate_series(1, 2) n;
INSERT INTO heat.device (code, name, kind, protocol, station_id, settings)
  SELECT 'D' || n, 'd', 'control_box', 'mqtt', (SELECT id FROM heat.station WHERE code = 'S' || n),
         jsonb_build_object('psk', 'key-of-d' || n, 'upload_s', 1800) FROM generate_series(1, 2) n;
INSERT INTO heat.point (code, device_id, tag)
  SELECT 'S' || n || '.t2s', (SELECT id FROM heat.device WHERE code = 'D' || n), 't2s' FROM generate_series(1, 2) n;
INSERT INTO heat.device (code, name, kind, protocol, station_id)
  SELECT 'M' || n, 'm', 'heat_meter', 'coap', (SELECT id FROM heat.station WHERE code = 'S' || n) FROM generate_series(1, 2) n;
INSERT INTO heat.meter_month (device_id, month, heat_start_gj, heat_end_gj, readings)
  SELECT id, date_trunc('month', now())::date, 10, 12, 24 FROM heat.device WHERE kind = 'heat_meter';
INSERT INTO heat.ingest_rejected (source, key, reason, raw)
  SELECT 'mqtt', 'S' || n || '/event', 'bad', '\x00' FROM generate_series(1, 2) n;
INSERT INTO heat.ingest_rejected (source, key, reason, raw) VALUES ('coap-rt', 'NOBODY', 'bad', '\x00');
INSERT INTO heat.control_config (station_id) SELECT id FROM heat.station;
INSERT INTO heat.control_hold (station_id, target, value, until)
  SELECT id, 'valve_pct', 40, now() + interval '1 hour' FROM heat.station;
INSERT INTO heat.command (station_id, op, args, origin) SELECT id, 'set_valve', '{"v1": 40}', 'control' FROM heat.station;
INSERT INTO heat.reading (point_id, ts, value) SELECT id, now(), 50 FROM heat.point;
INSERT INTO heat.alarm_rule (code, kind, tag, limit_value) VALUES ('t2s_high', 'high', 't2s', 90);
INSERT INTO heat.alarm (rule_code, kind, source, station_id, priority, raised_at, message)
  SELECT 't2s_high', 'high', 'S' || n || '.t2s', (SELECT id FROM heat.station WHERE code = 'S' || n), 2, now(), 'm'
  FROM generate_series(1, 2) n;
INSERT INTO heat.alarm_event (alarm_id, what) SELECT id, 'raise' FROM heat.alarm;
INSERT INTO heat.alarm_state (rule_id, source, state) SELECT id, 'S1.t2s', '{}' FROM heat.alarm_rule;
INSERT INTO heat.alarm_suppress (station_id, until, reason) SELECT id, now() + interval '1 day', 'x' FROM heat.station;
INSERT INTO heat.alarm_consumer (name) VALUES ('heatd-alarm');
INSERT INTO heat.analysis_finding (rule, object_kind, object_code, station_id, window_from, window_to, severity,
                                   title, fault, advice, evidence)
  SELECT 'frozen', 'station', code, id, now(), now(), 3, 't', 'f', 'a', '{}' FROM heat.station;
INSERT INTO heat.network (code, name, kind, org_id)
  SELECT 'N' || n, 'n', 'secondary', (SELECT id FROM heat.org_unit WHERE code = 'BR' || n) FROM generate_series(1, 2) n;
INSERT INTO heat.pipe_node (network_id, code, kind, head_m)
  SELECT id, c, CASE c WHEN 'A' THEN 'reservoir' ELSE 'junction' END, CASE c WHEN 'A' THEN 50 END
  FROM heat.network, (VALUES ('A'), ('B')) v(c);
INSERT INTO heat.pipe_link (network_id, code, from_node_id, to_node_id, length_m, diameter_mm, roughness)
  SELECT n.id, 'L', a.id, b.id, 100, 100, 0.5 FROM heat.network n
  JOIN heat.pipe_node a ON a.network_id = n.id AND a.code = 'A' JOIN heat.pipe_node b ON b.network_id = n.id AND b.code = 'B';
INSERT INTO heat.reading_feed (point_id, ts, value, quality) VALUES ('{1}', ARRAY[now()], '{1}', '{0}');
INSERT INTO heat.latest (point_id, ts, value) SELECT id, now(), 50 FROM heat.point;
INSERT INTO heat.weather_forecast (site, issued, valid_time, temp_c, source)
  VALUES ('W1', date_trunc('hour', now()), date_trunc('hour', now()) + interval '1 hour', -5, 'csv');
INSERT INTO heat.forecast_issue (kind, object_id, code, org_id, origin, horizon_h, weather, supply_from, history_h)
  SELECT 'station', id, code, org_id, date_trunc('hour', now()), 24, 'forecast', 'curve', 168 FROM heat.station;
INSERT INTO heat.forecast_value (issue_id, valid_time, load_kw, load_lo, load_hi, supply_c, outdoor_c)
  SELECT id, origin, 100, 90, 110, 60, -5 FROM heat.forecast_issue;

INSERT INTO bill.season (name, start_date, end_date) VALUES ('2025-2026', '2025-10-10', '2026-04-10');
INSERT INTO bill.tariff (season_id, house_type, from_date, fen_per_m2)
  SELECT id, 'residential', start_date, 2200 FROM bill.season;
INSERT INTO bill.community (name, org_id)
  SELECT 'C' || n, (SELECT id FROM heat.org_unit WHERE code = 'BR' || n) FROM generate_series(1, 2) n;
INSERT INTO bill.building (community_id, name, station_id)
  SELECT (SELECT id FROM bill.community WHERE name = 'C' || n), '1', (SELECT id FROM heat.station WHERE code = 'S' || n)
  FROM generate_series(1, 2) n;
INSERT INTO bill.unit (building_id, name) SELECT id, '' FROM bill.building;
INSERT INTO bill.customer (name, id_number)
  SELECT 'cust' || n, '11010119900101' || (1230 + n) FROM generate_series(1, 2) n;
INSERT INTO bill.house (code, unit_id, room, charged_area, house_type, customer_id)
  SELECT 'H' || n || s, (SELECT u.id FROM bill.unit u JOIN bill.building b ON b.id = u.building_id
                         JOIN bill.community c ON c.id = b.community_id WHERE c.name = 'C' || n),
         '10' || n || s, 100, 'residential', CASE s WHEN '' THEN (SELECT id FROM bill.customer WHERE name = 'cust' || n) END
  FROM generate_series(1, 2) n, (VALUES (''), ('b')) v(s);
INSERT INTO bill.house_relation (main_id, sub_id)
  SELECT m.id, s.id FROM bill.house m JOIN bill.house s ON s.code = m.code || 'b';
INSERT INTO bill.card (card_no, house_id) SELECT 'CARD' || substr(code, 2), id FROM bill.house WHERE code IN ('H1', 'H2');
INSERT INTO bill.blacklist (house_id, kind, reason) SELECT id, 'dispute', 'x' FROM bill.house WHERE code IN ('H1', 'H2');
SELECT bill.open_account(h.id, s.id) FROM bill.house h, bill.season s WHERE h.code IN ('H1', 'H2');
SELECT bill.post(a.id, NULL, 'payment', -1000, current_date, NULL, 'counter', 'cash', '') FROM bill.account a;
SELECT bill.request_open('reduction', a.id, -100, NULL, 'test') FROM bill.account a;
SELECT bill.change_status(a.id, NULL, 'suspend', '2025-11-01', -1000, 'test') FROM bill.account a;
SELECT bill.invoice_request(receipt_no, NULL, NULL) FROM bill.receipt;
INSERT INTO bill.hall_request (house_id, kind, detail, phone) SELECT id, 'repair', 'x', '13900000000' FROM bill.house WHERE code IN ('H1', 'H2');
)";

// Placeholder -> the query for its id.
const std::vector<std::pair<std::string, std::string>> kIds = {
    {"O1", "SELECT id FROM heat.org_unit WHERE code = 'BR1'"},
    {"O2", "SELECT id FROM heat.org_unit WHERE code = 'BR2'"},
    {"S1", "SELECT id FROM heat.station WHERE code = 'S1'"},
    {"S2", "SELECT id FROM heat.station WHERE code = 'S2'"},
    {"B1", "SELECT id FROM heat.building WHERE code = 'B1'"},
    {"B2", "SELECT id FROM heat.building WHERE code = 'B2'"},
    {"D1", "SELECT id FROM heat.device WHERE code = 'D1'"},
    {"D2", "SELECT id FROM heat.device WHERE code = 'D2'"},
    {"P1", "SELECT id FROM heat.point WHERE code = 'S1.t2s'"},
    {"P2", "SELECT id FROM heat.point WHERE code = 'S2.t2s'"},
    {"H1", "SELECT id FROM bill.house WHERE code = 'H1'"},
    {"H2", "SELECT id FROM bill.house WHERE code = 'H2'"},
    {"C1", "SELECT customer_id FROM bill.house WHERE code = 'H1'"},
    {"C2", "SELECT customer_id FROM bill.house WHERE code = 'H2'"},
    {"A1", "SELECT a.id FROM bill.account a JOIN bill.house h ON h.id = a.house_id WHERE h.code = 'H1'"},
    {"A2", "SELECT a.id FROM bill.account a JOIN bill.house h ON h.id = a.house_id WHERE h.code = 'H2'"},
    {"R1", "SELECT rc.receipt_no FROM bill.receipt rc JOIN bill.entry e ON e.id = rc.entry_id"
           " JOIN bill.account a ON a.id = e.account_id JOIN bill.house h ON h.id = a.house_id WHERE h.code = 'H1'"},
    {"R2", "SELECT rc.receipt_no FROM bill.receipt rc JOIN bill.entry e ON e.id = rc.entry_id"
           " JOIN bill.account a ON a.id = e.account_id JOIN bill.house h ON h.id = a.house_id WHERE h.code = 'H2'"},
    {"Q1", "SELECT q.id FROM bill.request q JOIN bill.account a ON a.id = q.account_id"
           " JOIN bill.house h ON h.id = a.house_id WHERE h.code = 'H1'"},
    {"Q2", "SELECT q.id FROM bill.request q JOIN bill.account a ON a.id = q.account_id"
           " JOIN bill.house h ON h.id = a.house_id WHERE h.code = 'H2'"},
    {"SEASON", "SELECT id FROM bill.season"},
    {"AL1", "SELECT id FROM heat.alarm WHERE source = 'S1.t2s'"},
    {"AL2", "SELECT id FROM heat.alarm WHERE source = 'S2.t2s'"},
    {"AF1", "SELECT id FROM heat.analysis_finding WHERE object_code = 'S1'"},
    {"AF2", "SELECT id FROM heat.analysis_finding WHERE object_code = 'S2'"},
    {"N1", "SELECT id FROM heat.network WHERE code = 'N1'"},
    {"N2", "SELECT id FROM heat.network WHERE code = 'N2'"},
    {"NA1", "SELECT p.id FROM heat.pipe_node p JOIN heat.network n ON n.id = p.network_id WHERE n.code = 'N1' AND p.code = 'A'"},
    {"NB1", "SELECT p.id FROM heat.pipe_node p JOIN heat.network n ON n.id = p.network_id WHERE n.code = 'N1' AND p.code = 'B'"},
    {"NA2", "SELECT p.id FROM heat.pipe_node p JOIN heat.network n ON n.id = p.network_id WHERE n.code = 'N2' AND p.code = 'A'"},
    {"NB2", "SELECT p.id FROM heat.pipe_node p JOIN heat.network n ON n.id = p.network_id WHERE n.code = 'N2' AND p.code = 'B'"},
    {"FI1", "SELECT id FROM heat.forecast_issue WHERE code = 'S1'"},
    {"FI2", "SELECT id FROM heat.forecast_issue WHERE code = 'S2'"},
};

bool Scoped(const std::string& role) {
  return role != "heat_admin" && role != "heat_service" && role != "bill_admin" && role != "heat_pay";
}

}  // namespace

void SecurityWorld::SetUpTestSuite() {
  PgTest::SetUpTestSuite();
  Sql(kWorldSql);
  for (const auto& [name, sql] : kIds) ids_[name] = Value(sql);
  for (const auto& role : kRoles) {
    std::string base = role.substr(0, 1) + role.substr(role.find('_') + 1, 4);  // hadmi, bcash, ...
    logins_[role] = MakeUser("w" + base, role, Scoped(role) ? "BR1" : "");
  }
}

std::string SecurityWorld::Fill(std::string sql) {
  for (size_t at = sql.find('{'); at != std::string::npos; at = sql.find('{', at)) {
    size_t end = sql.find('}', at);
    auto it = ids_.find(sql.substr(at + 1, end - at - 1));
    if (end == std::string::npos || it == ids_.end()) {
      ++at;
      continue;
    }
    sql.replace(at, end - at + 1, it->second);
  }
  return sql;
}

std::string SecurityWorld::Value(const std::string& sql) {
  auto r = Super().Query(sql);
  EXPECT_TRUE(r.ok()) << r.status().message() << "\nin: " << sql;
  return r.ok() && r->size() > 0 ? r->get(0, 0) : "";
}

}  // namespace heat::test
