-- 0002_oplog.sql — the operation log (SYS-2, BIL-24): every change by a
-- person or a device, with who, when, from where, old and new values.
-- Rows are written by triggers and SECURITY DEFINER functions only; nobody
-- but heat_admin may change or delete them, and such a change is itself
-- logged.

CREATE TABLE heat.op_log (
  id bigserial PRIMARY KEY,
  ts timestamptz NOT NULL DEFAULT clock_timestamp(),
  login name NOT NULL DEFAULT session_user,         -- the login role, never a group
  client_addr inet DEFAULT inet_client_addr(),      -- NULL: local Unix socket
  application text DEFAULT current_setting('application_name', true),
  origin text NOT NULL DEFAULT 'person' CHECK (origin IN ('person', 'device', 'system')),
  action text NOT NULL,        -- insert, update, delete, user_add, grant, command, event, ...
  object_kind text NOT NULL,   -- station, building, ..., user, op_log
  object_code text,
  org_id int,                  -- scope of the entry; no FK, the log outlives its objects
  old jsonb,
  new jsonb,
  message text
);
CREATE INDEX ON heat.op_log (ts);
CREATE INDEX ON heat.op_log (object_kind, object_code, ts);
CREATE INDEX ON heat.op_log (login, ts);

-- The org unit a row of a base-information table belongs to, for scoping.
CREATE FUNCTION heat.org_of(kind text, r jsonb) RETURNS int
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT CASE kind
    WHEN 'org_unit' THEN (r->>'id')::int
    WHEN 'building' THEN (SELECT org_id FROM heat.station WHERE id = (r->>'station_id')::int)
    WHEN 'device' THEN coalesce(
        (SELECT org_id FROM heat.station WHERE id = (r->>'station_id')::int),
        (SELECT s.org_id FROM heat.building b JOIN heat.station s ON s.id = b.station_id
          WHERE b.id = (r->>'building_id')::int))
    WHEN 'point' THEN (SELECT coalesce(s.org_id, bs.org_id) FROM heat.device d
          LEFT JOIN heat.station s ON s.id = d.station_id
          LEFT JOIN heat.building b ON b.id = d.building_id
          LEFT JOIN heat.station bs ON bs.id = b.station_id
          WHERE d.id = (r->>'device_id')::int)
    ELSE (r->>'org_id')::int
  END
$$;

-- Geometry columns are logged as WKT, not hex EWKB, so people can read them.
CREATE FUNCTION heat.readable_row(r jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
  SELECT CASE WHEN r ? 'location' AND r->>'location' IS NOT NULL
    THEN jsonb_set(r, '{location}', to_jsonb(ST_AsText((r->>'location')::geometry)))
    ELSE r END
$$;

-- Row trigger for base-information tables: logs inserts and deletes whole,
-- updates as just the changed columns (plus the code), and nothing at all
-- for an update that changed nothing (so a re-import logs no noise).
CREATE FUNCTION heat.audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  o jsonb := CASE WHEN TG_OP <> 'INSERT' THEN heat.readable_row(to_jsonb(OLD)) END;
  n jsonb := CASE WHEN TG_OP <> 'DELETE' THEN heat.readable_row(to_jsonb(NEW)) END;
  code text := coalesce(n->>'code', o->>'code', n->>'login', o->>'login');
  kind text := TG_TABLE_NAME;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT jsonb_object_agg(key, value) INTO o FROM jsonb_each(heat.readable_row(to_jsonb(OLD)))
      WHERE n->key IS DISTINCT FROM value;
    IF o IS NULL THEN RETURN NULL; END IF;
    SELECT jsonb_object_agg(key, value) INTO n FROM jsonb_each(heat.readable_row(to_jsonb(NEW)))
      WHERE o ? key;
  END IF;
  INSERT INTO heat.op_log (action, object_kind, object_code, org_id, old, new)
  VALUES (lower(TG_OP), kind, code, heat.org_of(kind, coalesce(to_jsonb(NEW), to_jsonb(OLD))), o, n);
  RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['org_unit', 'heat_source', 'network', 'station', 'building',
                           'register_map', 'device', 'point', 'user_scope'] LOOP
    EXECUTE format('CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON heat.%I '
                   'FOR EACH ROW EXECUTE FUNCTION heat.audit_row()', t);
  END LOOP;
END $$;

-- A change to the log itself (possible for heat_admin only) is logged too.
CREATE FUNCTION heat.audit_log_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  INSERT INTO heat.op_log (action, object_kind, object_code, org_id, old, new)
  VALUES ('log_' || lower(TG_OP), 'op_log', OLD.id::text, OLD.org_id, to_jsonb(OLD),
          CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(NEW) END);
  RETURN NULL;
END $$;
CREATE TRIGGER audit_log_change AFTER UPDATE OR DELETE ON heat.op_log
  FOR EACH ROW EXECUTE FUNCTION heat.audit_log_change();

-- Explicit entries: commands sent, device events, user administration.
-- Callable by every platform role; the login, time and address are taken
-- from the session, never from the caller.
CREATE FUNCTION heat.log_event(p_action text, p_kind text, p_code text, p_message text,
                               p_new jsonb DEFAULT NULL, p_origin text DEFAULT 'person',
                               p_org_id int DEFAULT NULL)
RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
  INSERT INTO heat.op_log (origin, action, object_kind, object_code, org_id, new, message)
  VALUES (p_origin, p_action, p_kind, p_code, p_org_id, p_new, p_message)
  RETURNING id
$$;
REVOKE ALL ON FUNCTION heat.log_event FROM PUBLIC;
