-- 0021_ingest_rejected.sql — the quarantine of heatd-ingest (SYS-1, DEV-1,
-- DEV-4): what came from outside and cannot be stored for a reason in the
-- message itself (bad encoding, implausible time, a value out of its
-- type's range, a body the parser refuses). Kept with its raw bytes and
-- the reason, never retried; listed by heatctl ingest rejected.
-- heatd-ingest writes at most a bounded number of rows a second (the rest
-- are only counted in heatctl ingest stats), so a flood of garbage cannot
-- fill the disk faster than that; raw is capped at 16 KiB.

CREATE TABLE heat.ingest_rejected (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  source text NOT NULL CHECK (length(source) <= 32),   -- coap-rt, coap-hm, mqtt, pipeline
  key text NOT NULL CHECK (length(key) <= 200),        -- IMEI, <station>/<leaf>, point id
  reason text NOT NULL CHECK (length(reason) <= 1000),
  raw bytea NOT NULL CHECK (octet_length(raw) <= 16384)
);
CREATE INDEX ingest_rejected_at ON heat.ingest_rejected (at);

GRANT SELECT ON heat.ingest_rejected TO heat_operator;
GRANT SELECT, INSERT ON heat.ingest_rejected TO heat_service;
