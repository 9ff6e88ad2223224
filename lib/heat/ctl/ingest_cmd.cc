// heatctl ingest stats|unknown|rejected (SYS-1): what
// heatd-ingest reports, and what it refused and quarantined.
#include "heat/core/escape.h"
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
      " stats->'pipeline'->>'unknown' AS unknown, stats->'pipeline'->>'rejected' AS rejected,"
      " stats->'mqtt'->>'messages' AS mqtt_messages,"
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

// The raw bytes as text a terminal shows but does not obey.
std::string RawText(const std::string& hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string raw;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) raw += static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1]));
  return EscapeControl(raw);
}

Status Rejected(cli::Context& ctx, int limit) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS') AS at, source, key, reason, encode(raw, 'hex') AS raw"
      " FROM heat.ingest_rejected ORDER BY id DESC LIMIT $1", {std::to_string(limit)}));
  cli::Table t{{"at", "source", "key", "reason", "raw"}, {}};
  for (int i = 0; i < r.size(); ++i)
    t.Add({{r.get(i, 0)}, {r.get(i, 1)}, {r.get(i, 2)}, {r.get(i, 3)}, {RawText(r.get(i, 4))}});
  cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> IngestCommands() {
  return {
      {"ingest stats", "what each heatd-ingest reports: rates, queue, spool, errors", "MON-1",
       [](CLI::App&) -> cli::Runner { return Stats; }},
      {"ingest unknown", "readings that named no known point, by source and key", "DEV-1 DEV-2 DEV-4",
       [](CLI::App&) -> cli::Runner { return Unknown; }},
      {"ingest rejected", "what heatd-ingest refused and quarantined, newest first, with reason and raw bytes",
       "SYS-1 DEV-1 DEV-4",
       [](CLI::App& app) -> cli::Runner {
         auto limit = std::make_shared<int>(100);
         app.add_option("--limit", *limit, "at most this many (default 100)")->check(CLI::Range(1, 100000));
         return [limit](cli::Context& ctx) { return Rejected(ctx, *limit); };
       }},
  };
}

}  // namespace heat::ctl
