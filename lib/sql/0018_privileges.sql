-- 0018_privileges.sql — the database refuses what the role may not do,
-- whatever the client (SYS-1, SYS-2, BIL-24, BIL-28, DEV-1, DEV-4).
--
-- * No function is executable by PUBLIC: PostgreSQL grants EXECUTE on every
--   new function to PUBLIC, and every role with USAGE on a schema could call
--   them (an operator could create reading partitions as their owner). The
--   default is revoked for this database's migrations, every existing grant
--   to PUBLIC is revoked, and each function is granted below by name.
-- * heat.log_event is for the service roles only; a device's entry is
--   written only for a known device and is size-capped.
-- * Row-level security combines scope conditions with AND: a device that
--   names a station and a building needs both in scope.
-- * Heat and billing administrators manage only their own module's users,
--   and a login's creator is recorded (bill.decide refuses approvals
--   between a login and the logins it made, 0019).
-- * Secrets: device PSKs are not readable by operators and never logged;
--   ID numbers (身份证) are readable in full by bill_admin only and never
--   logged or echoed in an error.

ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA heat, bill, api FROM PUBLIC;

-- What policies, CHECK constraints and the tools call, by role. Trigger
-- functions and helpers called only from SECURITY DEFINER functions need
-- no grant (triggers run without an EXECUTE check; definer functions run
-- as the owner).
GRANT EXECUTE ON FUNCTION heat.is_admin, heat.visible_orgs TO heat_operator, heat_service,
  bill_cashier, bill_deputy, bill_production;
GRANT EXECUTE ON FUNCTION heat.object_exists TO heat_operator, heat_service;
GRANT EXECUTE ON FUNCTION heat.ensure_reading_partitions, heat.refresh_meter_months TO heat_service;
REVOKE EXECUTE ON FUNCTION heat.log_event FROM heat_operator, bill_cashier, bill_deputy, bill_production;
GRANT EXECUTE ON FUNCTION heat.log_event TO heat_service;
GRANT EXECUTE ON FUNCTION heat.user_add, heat.user_grant, heat.user_revoke, heat.user_rm, heat.users,
  heat.who, heat.require_user_admin, heat.org_ids TO heat_admin, bill_admin;
GRANT EXECUTE ON FUNCTION bill.in_dict, bill.has_role, bill.param_fen, bill.route_for, bill.account_sums
  TO bill_cashier, bill_deputy, bill_production, heat_service;

-- ---------------------------------------------------------------------------
-- Explicit log entries. Only daemons write them; a device's entry names a
-- station or device that exists (its org unit is looked up, never taken
-- from the caller), and is capped: 1000 characters of message, 8 KiB of
-- detail. An entry for an unknown device is not written (NULL is
-- returned), so a device cannot fill the log under invented names.
CREATE OR REPLACE FUNCTION heat.log_event(p_action text, p_kind text, p_code text, p_message text,
                                          p_new jsonb DEFAULT NULL, p_origin text DEFAULT 'person',
                                          p_org_id int DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE id bigint; org int := p_org_id;
BEGIN
  IF p_origin = 'device' THEN
    org := CASE p_kind
      WHEN 'station' THEN (SELECT s.org_id FROM heat.station s WHERE s.code = p_code
                             AND EXISTS (SELECT 1 FROM heat.device d WHERE d.station_id = s.id))
      WHEN 'device' THEN heat.org_of('device', (SELECT to_jsonb(d) FROM heat.device d WHERE d.code = p_code))
    END;
    IF org IS NULL THEN RETURN NULL; END IF;
  END IF;
  INSERT INTO heat.op_log (origin, action, object_kind, object_code, org_id, new, message)
  VALUES (p_origin, left(p_action, 64), left(p_kind, 64), left(p_code, 128), org,
          CASE WHEN octet_length(p_new::text) > 8192
               THEN jsonb_build_object('truncated', true, 'bytes', octet_length(p_new::text)) ELSE p_new END,
          left(p_message, 1000))
  RETURNING op_log.id INTO id;
  RETURN id;
END $$;

-- ---------------------------------------------------------------------------
-- Scope conditions AND-ed: a device is in scope only when every place it
-- names is (0003 OR-ed them, so an engineer of one branch could hang a
-- device of theirs on another branch's building).
DROP POLICY scope ON heat.device;
CREATE POLICY scope ON heat.device
  USING ((station_id IS NOT NULL OR building_id IS NOT NULL)
         AND (station_id IS NULL OR station_id IN (SELECT id FROM heat.station))
         AND (building_id IS NULL OR building_id IN (SELECT id FROM heat.building)));

-- ---------------------------------------------------------------------------
-- Device PSKs (heat.device.settings->>'psk'): operators read every column
-- but settings; heat.device_settings gives them the settings without the
-- key. Engineers (who set keys) and daemons read the column.
REVOKE SELECT ON heat.device FROM heat_operator;
GRANT SELECT (id, code, name, kind, protocol, address, station_id, building_id, register_map_id,
              vendor, model) ON heat.device TO heat_operator;
GRANT SELECT ON heat.device TO heat_engineer, heat_service;

CREATE FUNCTION heat.device_settings(p_id int) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE d record;
BEGIN
  SELECT * INTO d FROM heat.device WHERE id = p_id;
  IF NOT FOUND OR NOT coalesce(heat.org_of('device', to_jsonb(d)) = ANY (heat.visible_orgs(session_user)), false) THEN
    RETURN NULL;
  END IF;
  IF pg_has_role(session_user, 'heat_engineer', 'MEMBER') OR heat.is_admin(session_user) THEN
    RETURN d.settings;
  END IF;
  RETURN d.settings - 'psk';
END $$;
GRANT EXECUTE ON FUNCTION heat.device_settings TO heat_operator, heat_service;

-- ---------------------------------------------------------------------------
-- ID numbers: cashiers, deputies and production read the customer without
-- the ID number, and its masked form (first 6 and last 4) instead;
-- bill_admin reads it in full.
ALTER TABLE bill.customer ADD COLUMN id_number_masked text
  GENERATED ALWAYS AS (left(id_number, 6) || repeat('*', 8) || right(id_number, 4)) STORED;
REVOKE SELECT ON bill.customer FROM bill_cashier, bill_deputy, bill_production;
GRANT SELECT (id, name, pinyin_keys, phone, id_number_masked, customer_type, created_at)
  ON bill.customer TO bill_cashier, bill_deputy, bill_production;
GRANT SELECT ON bill.customer TO bill_admin;

-- Checked before the CHECK constraints, so that a refused row is never
-- echoed back ("Failing row contains ...") with its ID number in it.
CREATE FUNCTION bill.customer_valid() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF NEW.name IS NULL OR NEW.name = '' THEN
    RAISE EXCEPTION 'a customer needs a name' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.phone IS NOT NULL AND NEW.phone !~ '^[0-9+ -]{3,20}$' THEN
    RAISE EXCEPTION 'the phone number is not valid (3 to 20 digits, +, - or spaces)'
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.id_number IS NOT NULL AND NEW.id_number !~ '^[0-9]{17}[0-9Xx]$' THEN
    RAISE EXCEPTION 'the ID number is not valid (18 characters: 17 digits, then a digit or X)'
      USING ERRCODE = 'check_violation';
  END IF;
  IF NOT bill.in_dict('customer_type', NEW.customer_type) THEN
    RAISE EXCEPTION 'unknown customer type (billctl dict list customer_type)' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER valid BEFORE INSERT OR UPDATE ON bill.customer
  FOR EACH ROW EXECUTE FUNCTION bill.customer_valid();

-- What the log keeps of a row: PSKs and ID numbers masked, so that the
-- log (readable by operators and auditors) shows that they changed, never
-- what they are.
CREATE FUNCTION heat.mask_secrets(r jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
BEGIN
  IF r IS NULL THEN RETURN NULL; END IF;
  IF jsonb_typeof(r->'settings') = 'object' AND r->'settings' ? 'psk' THEN
    r := jsonb_set(r, '{settings,psk}', '"***"');
  END IF;
  IF r ? 'id_number' AND r->>'id_number' IS NOT NULL THEN
    r := jsonb_set(r, '{id_number}', to_jsonb(left(r->>'id_number', 6) || '********' || right(r->>'id_number', 4)));
  END IF;
  RETURN r - 'id_number_masked';
END $$;

-- As in 0002, with the secrets masked after the changed fields are found
-- (so a new key still shows as a change).
CREATE OR REPLACE FUNCTION heat.audit_row() RETURNS trigger
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
  VALUES (lower(TG_OP), kind, code, heat.org_of(kind, coalesce(to_jsonb(NEW), to_jsonb(OLD))),
          heat.mask_secrets(o), heat.mask_secrets(n));
  RETURN NULL;
END $$;

-- Keys and ID numbers logged before this migration are masked in place;
-- the log's own change trigger is off meanwhile, or it would copy them
-- once more.
ALTER TABLE heat.op_log DISABLE TRIGGER audit_log_change;
UPDATE heat.op_log SET old = heat.mask_secrets(old), new = heat.mask_secrets(new)
  WHERE old IS DISTINCT FROM heat.mask_secrets(old) OR new IS DISTINCT FROM heat.mask_secrets(new);
ALTER TABLE heat.op_log ENABLE TRIGGER audit_log_change;

-- ---------------------------------------------------------------------------
-- Users. Who created each login (user_add); the first logins' creators
-- come from the log.
CREATE TABLE heat.login_creator (
  login name PRIMARY KEY,
  created_by name NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO heat.login_creator (login, created_by, created_at)
  SELECT DISTINCT ON (object_code) object_code, login, ts FROM heat.op_log
  WHERE action = 'user_add' AND object_kind = 'user' ORDER BY object_code, ts DESC;

-- Whether `a` made `b`, or `b` made `a`, directly or through logins made
-- in between: such logins never decide each other's requests.
CREATE FUNCTION heat.logins_related(a name, b name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  WITH RECURSIVE up(who, start) AS (
    SELECT created_by, login FROM heat.login_creator WHERE login IN (a, b)
    UNION
    SELECT c.created_by, up.start FROM heat.login_creator c JOIN up ON c.login = up.who)
  SELECT a = b OR EXISTS (SELECT 1 FROM up WHERE (start = a AND who = b) OR (start = b AND who = a))
$$;

-- The modules (scada, billing, service) a login belongs to by its groups.
CREATE FUNCTION heat.modules_of(p_login text) RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT coalesce(array_agg(DISTINCT g.module), '{}') FROM heat.group_role g
  WHERE pg_has_role(p_login, g.name, 'MEMBER') AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login)
$$;

-- The caller administers every module the login belongs to: a bill_admin
-- does not give a SCADA user a scope or remove a heat_admin, nor the
-- reverse. Superusers pass.
CREATE FUNCTION heat.require_admin_of(p_login text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE m text;
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN RETURN; END IF;
  FOREACH m IN ARRAY heat.modules_of(p_login) LOOP
    IF NOT pg_has_role(session_user, CASE m WHEN 'billing' THEN 'bill_admin' ELSE 'heat_admin' END, 'MEMBER') THEN
      RAISE EXCEPTION 'permission denied: % is a % user; only a % manages it', p_login, m,
        CASE m WHEN 'billing' THEN 'bill_admin' ELSE 'heat_admin' END USING ERRCODE = 'insufficient_privilege';
    END IF;
  END LOOP;
END $$;

-- As in 0003, plus: the caller must administer the user's modules.
CREATE OR REPLACE FUNCTION heat.user_grant(p_login text, p_roles text[], p_orgs text[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE r text; ids int[];
BEGIN
  PERFORM heat.require_user_admin(p_roles);
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login AND rolcanlogin) THEN
    RAISE EXCEPTION 'user % not found', p_login USING ERRCODE = 'no_data_found';
  END IF;
  PERFORM heat.require_admin_of(p_login);
  ids := heat.org_ids(p_orgs);
  FOREACH r IN ARRAY coalesce(p_roles, '{}') LOOP
    EXECUTE format('GRANT %I TO %I', r, p_login);
  END LOOP;
  INSERT INTO heat.user_scope (login, org_id) SELECT p_login, unnest(ids) ON CONFLICT DO NOTHING;
  INSERT INTO heat.op_log (action, object_kind, object_code, new)
  VALUES ('grant', 'user', p_login, jsonb_build_object('roles', p_roles, 'orgs', p_orgs));
END $$;

CREATE OR REPLACE FUNCTION heat.user_revoke(p_login text, p_roles text[], p_orgs text[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE r text; ids int[];
BEGIN
  PERFORM heat.require_user_admin(p_roles);
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login AND rolcanlogin) THEN
    RAISE EXCEPTION 'user % not found', p_login USING ERRCODE = 'no_data_found';
  END IF;
  PERFORM heat.require_admin_of(p_login);
  ids := heat.org_ids(p_orgs);
  FOREACH r IN ARRAY coalesce(p_roles, '{}') LOOP
    EXECUTE format('REVOKE %I FROM %I', r, p_login);
  END LOOP;
  DELETE FROM heat.user_scope WHERE login = p_login AND org_id = ANY (ids);
  INSERT INTO heat.op_log (action, object_kind, object_code, old)
  VALUES ('revoke', 'user', p_login, jsonb_build_object('roles', p_roles, 'orgs', p_orgs));
END $$;

CREATE OR REPLACE FUNCTION heat.user_rm(p_login text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  PERFORM heat.require_user_admin('{}');
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login AND rolcanlogin
                   AND NOT rolsuper) THEN
    RAISE EXCEPTION 'user % not found', p_login USING ERRCODE = 'no_data_found';
  END IF;
  IF p_login = session_user THEN
    RAISE EXCEPTION 'you cannot remove yourself' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM heat.require_admin_of(p_login);
  DELETE FROM heat.user_scope WHERE login = p_login;
  EXECUTE format('DROP ROLE %I', p_login);
  INSERT INTO heat.op_log (action, object_kind, object_code) VALUES ('user_rm', 'user', p_login);
END $$;

-- As in 0003, recording the creator.
CREATE OR REPLACE FUNCTION heat.user_add(p_login text, p_roles text[], p_orgs text[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  PERFORM heat.require_user_admin(p_roles);
  IF p_login !~ '^[a-z_][a-z0-9_]{0,62}$' THEN
    RAISE EXCEPTION 'user name % is not valid', p_login USING ERRCODE = 'invalid_parameter_value',
      HINT = 'use lower-case letters, digits and _ (up to 63), starting with a letter';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
    RAISE EXCEPTION 'user % already exists', p_login USING ERRCODE = 'unique_violation';
  END IF;
  IF coalesce(array_length(p_roles, 1), 0) = 0 THEN
    RAISE EXCEPTION 'a user needs at least one role' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  EXECUTE format('CREATE ROLE %I LOGIN', p_login);
  INSERT INTO heat.login_creator (login, created_by) VALUES (p_login, session_user)
    ON CONFLICT (login) DO UPDATE SET created_by = EXCLUDED.created_by, created_at = now();
  INSERT INTO heat.op_log (action, object_kind, object_code, new)
  VALUES ('user_add', 'user', p_login, jsonb_build_object('roles', p_roles, 'orgs', p_orgs));
  PERFORM heat.user_grant(p_login, p_roles, p_orgs);
END $$;
GRANT SELECT ON heat.login_creator TO heat_admin, bill_admin;
