-- 0006_ingest.sql — what heatd-ingest needs beyond the reading tables:
-- readings for points the base information does not know (never dropped
-- silently: counted per source and key, listed by heatctl ingest unknown).

CREATE TABLE heat.ingest_unknown (
  source text NOT NULL,          -- transport: coap, mqtt, modbus
  key text NOT NULL,             -- what it named: an IMEI, a topic tag, a meter address
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now(),
  count bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (source, key)
);
GRANT SELECT ON heat.ingest_unknown TO heat_operator;
GRANT SELECT, INSERT, UPDATE ON heat.ingest_unknown TO heat_service;

-- What each heatd-ingest instance reports every ingest.stats_interval
-- (heatctl ingest stats): counters and rates per transport, queue depth,
-- spool size.
CREATE TABLE heat.ingest_stats (
  instance text PRIMARY KEY,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  stats jsonb NOT NULL
);
GRANT SELECT ON heat.ingest_stats TO heat_operator;
GRANT SELECT, INSERT, UPDATE ON heat.ingest_stats TO heat_service;
