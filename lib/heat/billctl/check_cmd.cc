// billctl check (BIL-18): finds what is wrong in the billing data —
// duplicate or incomplete addresses, suspicious codes, areas that do not
// match what was assessed, yearly accounts that do not balance, business
// records that disagree with the accounts — and lists it, or writes it to
// a CSV or XLSX file (--output).
#include "heat/billctl/commands.h"
#include "heat/billing/audit.h"
#include "heat/core/sheet.h"
#include "heat/ctl/commands.h"

namespace heat::billctl {
namespace {

// One check: a name and a query returning (house, detail).
struct Check {
  const char* name;
  const char* sql;
};

const std::vector<Check>& Checks() {
  static const std::vector<Check> checks = {
      {"duplicate_address",
       "SELECT h.code, 'same address as ' || string_agg(o.code, ', ') FROM bill.house h"
       " JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b ON b.id = u.building_id"
       " JOIN bill.house o ON o.id <> h.id AND o.deleted_at IS NULL"
       " JOIN bill.unit ou ON ou.id = o.unit_id JOIN bill.building ob ON ob.id = ou.building_id"
       " AND ob.community_id = b.community_id"
       " WHERE h.deleted_at IS NULL AND regexp_replace(lower(b.name || '/' || u.name || '/' || h.room), '[\\s号楼单元室-]', '', 'g')"
       "   = regexp_replace(lower(ob.name || '/' || ou.name || '/' || o.room), '[\\s号楼单元室-]', '', 'g')"
       " GROUP BY h.code"},
      {"incomplete_address",
       "SELECT h.code, 'no unit, room ' || h.room || ' in ' || b.name FROM bill.house h"
       " JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b ON b.id = u.building_id"
       " WHERE h.deleted_at IS NULL AND u.name = '' AND EXISTS (SELECT 1 FROM bill.unit u2"
       "   WHERE u2.building_id = b.id AND u2.name <> '')"},
      {"suspicious_code",
       "WITH l AS (SELECT b.community_id, length(h.code) AS len, count(*) AS n FROM bill.house h"
       "  JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b ON b.id = u.building_id GROUP BY 1, 2),"
       " m AS (SELECT DISTINCT ON (community_id) community_id, len FROM l ORDER BY community_id, n DESC)"
       " SELECT h.code, 'code length ' || length(h.code) || ', most codes of its community have ' || m.len"
       " FROM bill.house h JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b ON b.id = u.building_id"
       " JOIN m ON m.community_id = b.community_id WHERE h.deleted_at IS NULL AND length(h.code) <> m.len"},
      {"area_vs_receivable",
       "SELECT h.code, s.name || ': assessed ' || e.amount_fen || ' fen, area x price = '"
       " || round(h.charged_area * t.fen_per_m2) || ' fen' FROM bill.account a"
       " JOIN bill.house h ON h.id = a.house_id JOIN bill.season s ON s.id = a.season_id AND s.closed_at IS NULL"
       " JOIN bill.entry e ON e.account_id = a.id AND e.seq = 1 AND e.kind = 'assessed'"
       " JOIN bill.tariff t ON t.season_id = s.id AND t.house_type = h.house_type AND t.from_date = s.start_date"
       " WHERE a.initial_status = 'heating'"
       " AND NOT EXISTS (SELECT 1 FROM bill.tariff c WHERE c.season_id = s.id AND c.house_type = h.house_type"
       "   AND c.from_date > s.start_date) AND NOT EXISTS (SELECT 1 FROM bill.entry x WHERE x.account_id = a.id"
       "   AND (x.kind = 'adjustment' OR (x.kind = 'reversal' AND x.reverses = e.id)))"
       " AND e.amount_fen <> round(h.charged_area * t.fen_per_m2)"},
      {"unbalanced_account",
       "SELECT h.code, s.name || ': ' || CASE WHEN x.bad_seq THEN 'entry numbers have gaps'"
       " ELSE 'a reversal does not negate its entry' END FROM (SELECT e.account_id,"
       "   max(e.seq) <> count(*) AS bad_seq, bool_or(e.kind = 'reversal' AND (r.account_id <> e.account_id"
       "   OR r.amount_fen <> -e.amount_fen)) AS bad_rev FROM bill.entry e LEFT JOIN bill.entry r ON r.id = e.reverses"
       "   GROUP BY e.account_id) x JOIN bill.account a ON a.id = x.account_id"
       " JOIN bill.house h ON h.id = a.house_id JOIN bill.season s ON s.id = a.season_id WHERE x.bad_seq OR x.bad_rev"},
      {"records_vs_accounts",
       "SELECT h.code, 'receipt ' || rc.receipt_no || CASE WHEN rc.status = 'voided' THEN ' is voided but its entry stands'"
       " ELSE ' stands but its entry was reversed' END FROM bill.receipt rc JOIN bill.entry e ON e.id = rc.entry_id"
       " JOIN bill.account a ON a.id = e.account_id JOIN bill.house h ON h.id = a.house_id"
       " WHERE (rc.status = 'voided') <> EXISTS (SELECT 1 FROM bill.entry r WHERE r.reverses = e.id)"
       " UNION ALL SELECT h.code, 'heating status ' || h.heating_status || ' but the last change was ' || ev.kind"
       " FROM bill.house h JOIN LATERAL (SELECT se.kind FROM bill.status_event se JOIN bill.account a"
       "   ON a.id = se.account_id WHERE a.house_id = h.id ORDER BY se.event_date DESC, se.id DESC LIMIT 1) ev ON true"
       " WHERE h.heating_status <> CASE ev.kind WHEN 'suspend' THEN 'suspended' WHEN 'disconnect' THEN 'disconnected'"
       "   ELSE 'heating' END"},
  };
  return checks;
}

struct CheckArgs {
  std::string output;
};

Status RunChecks(cli::Context& ctx, const CheckArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  Sheet found{{"check", "house", "detail"}, {}, {}};
  for (const auto& c : Checks()) {
    HEAT_ASSIGN(db::Rows r, db->Query(c.sql));
    for (int i = 0; i < r.size(); ++i) found.rows.push_back({c.name, r.get(i, 0), r.get(i, 1)});
  }
  HEAT_ASSIGN(Date today, billing::Today(*db));
  HEAT_ASSIGN(auto fees, billing::LedgerVsEngine(*db, today));
  for (const auto& f : fees) found.rows.push_back({"fee_vs_engine", f.house, f.detail});
  if (!a.output.empty()) {
    HEAT_TRY(WriteSheet(a.output, found));
    ctx.out() << found.rows.size() << " findings written to " << a.output << "\n";
  } else {
    cli::Table t{found.header, {}};
    for (const auto& row : found.rows) t.Add({TextCell(row[0]), TextCell(row[1]), TextCell(row[2])});
    cli::Print(t, ctx.format, ctx.out());
  }
  if (!found.rows.empty()) return Status::Failure(std::to_string(found.rows.size()) + " findings");
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> CheckCommands() {
  return {{"check", "find bad addresses, codes, areas, unbalanced accounts, records vs accounts", "BIL-18",
           [](CLI::App& app) -> cli::Runner {
             auto a = std::make_shared<CheckArgs>();
             app.add_option("--output", a->output, "write the findings to FILE.csv or FILE.xlsx");
             return [a](cli::Context& ctx) { return RunChecks(ctx, *a); };
           }}};
}

}  // namespace heat::billctl
