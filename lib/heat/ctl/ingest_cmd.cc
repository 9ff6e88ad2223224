// heatctl ingest stats|unknown (issue 3 §3, §5): what heatd-ingest reports.
#include "heat/ctl/commands.h"

namespace heat::ctl {
namespace {

Status Stats(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT instance, to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS') AS updated,"
      " extract(epoch FROM now() - updated_at)::bigint AS age_s,"
      " (stats->'pipeline'->>'stored_per_s')::numeric(12,1)::text AS stored_per_s,"
      " stats->'pipeline'->>'stored' AS stored, stats->'pipeline'->>'duplicates' AS duplicates,"
      " stats->'pipeline'->>'queued' AS queued, stats->'pipeline'->>'spooled' AS spooled,"
      " stats->'pipeline'->>'spool_bytes' AS spool_bytes, stats->'pipeline'->>'db_errors' AS db_errors,"
      " stats->'pipeline'->>'spool_errors' AS spool_errors,"
      " stats->'pipeline'->>'unknown' AS unknown, stats->'mqtt'->>'messages' AS mqtt_messages,"
      " stats->'mqtt'->>'bad_payload' AS mqtt_bad, stats->'mqtt'->>'reconnects' AS mqtt_reconnects,"
      " stats->'coap'->>'requests' AS coap_requests, stats->'coap'->>'bad' AS coap_bad,"
      // Words, not numbers: what stops acknowledging, what waits for a restart.
      " coalesce(stats->'pipeline'->>'spool_state', 'ok') AS spool_state,"
      " coalesce(stats->'pipeline'->>'spool_error', '') AS spool_error,"
      " coalesce(stats->>'restart_pending', '') AS restart_pending"
      " FROM heat.ingest_stats ORDER BY instance"));
  std::map<std::string, cli::Cell::Kind> kinds;
  for (int c = 2; c < r.columns() - 3; ++c) kinds[r.column_name(c)] = cli::Cell::kNumber;
  cli::Print(RowsTable(r, kinds), ctx.format, ctx.out());
  return Status::Ok();
}

Status Unknown(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT source, key, count, to_char(first_seen, 'YYYY-MM-DD HH24:MI:SS') AS first_seen,"
      " to_char(last_seen, 'YYYY-MM-DD HH24:MI:SS') AS last_seen FROM heat.ingest_unknown"
      " ORDER BY last_seen DESC"));
  cli::Print(RowsTable(r, {{"count", cli::Cell::kInt}}), ctx.format, ctx.out());
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> IngestCommands() {
  return {
      {"ingest stats", "what each heatd-ingest reports: rates, queue, spool, errors", "MON-1",
       [](CLI::App&) -> cli::Runner { return Stats; }},
      {"ingest unknown", "readings that named no known point, by source and key", "DEV-1 DEV-2 DEV-4",
       [](CLI::App&) -> cli::Runner { return Unknown; }},
  };
}

}  // namespace heat::ctl
