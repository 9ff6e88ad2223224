-- 0026_control.sql — remote control (CTL-1..4, DEV-3, DEV-4, SYS-2):
-- each station's control configuration, people's manual holds, and every
-- command sent to a station with its answer.
--
-- Who may do what (DEV-4's three levels), enforced here whatever the client:
--   heat_operator  hold and release setpoints of stations in scope;
--   heat_engineer  also change strategies, curves and schedules, switch a
--                  station's closed loop on or off, start a stroke check;
--   heat_admin     also the hard safety limits;
--   heat_service   (heatd-control) reads everything, writes commands and
--                  their states.
-- People write only through the SECURITY DEFINER functions below, which
-- check the role and the caller's scope (a station they can see) and log
-- what they did; the tables are read-only to them and row-level security
-- shows each login the stations of its scope.

CREATE TABLE heat.control_config (
  station_id int PRIMARY KEY REFERENCES heat.station ON DELETE CASCADE,
  enabled boolean NOT NULL DEFAULT false,     -- heatd-control commands this station
  period_s int NOT NULL DEFAULT 60 CHECK (period_s BETWEEN 5 AND 3600),
  config jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object' AND octet_length(config::text) <= 16384),
  limits jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(limits) = 'object' AND octet_length(limits::text) <= 4096),
  updated_by name NOT NULL DEFAULT session_user,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A person's manual value for one command target, until it expires.
CREATE TABLE heat.control_hold (
  station_id int NOT NULL REFERENCES heat.station ON DELETE CASCADE,
  target text NOT NULL CHECK (target IN ('valve_pct', 'pump_hz', 'pump_run')),
  value double precision NOT NULL CHECK (value = value AND value BETWEEN 0 AND 100),  -- not NaN
  until timestamptz NOT NULL,
  login name NOT NULL DEFAULT session_user,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (station_id, target)
);

-- Every command to a station; on the wire its id is "c<id>".
CREATE TABLE heat.command (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  station_id int NOT NULL REFERENCES heat.station ON DELETE CASCADE,
  op text NOT NULL CHECK (op IN ('set_valve', 'set_pump', 'stroke_check')),
  args jsonb NOT NULL CHECK (jsonb_typeof(args) = 'object' AND octet_length(args::text) <= 1024),
  old jsonb,                                  -- the values before, as last known
  origin text NOT NULL CHECK (origin IN ('control', 'person')),
  login name NOT NULL DEFAULT session_user,
  created_at timestamptz NOT NULL DEFAULT now(),
  state text NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'sent', 'applied', 'refused', 'timeout', 'failed', 'not_following')),
  attempts int NOT NULL DEFAULT 0,
  sent_at timestamptz,
  answered_at timestamptz,
  code int,
  applied jsonb,
  msg text CHECK (length(msg) <= 1000)
);
CREATE INDEX command_station ON heat.command (station_id, id);
CREATE INDEX command_open ON heat.command (state) WHERE state IN ('queued', 'sent');

ALTER TABLE heat.control_config ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.control_config USING (station_id IN (SELECT id FROM heat.station));
ALTER TABLE heat.control_hold ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.control_hold USING (station_id IN (SELECT id FROM heat.station));
ALTER TABLE heat.command ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.command USING (station_id IN (SELECT id FROM heat.station));

GRANT SELECT ON heat.control_config, heat.control_hold, heat.command TO heat_operator, heat_service;
GRANT INSERT, UPDATE ON heat.command TO heat_service;
GRANT DELETE ON heat.control_hold TO heat_service;  -- expired holds

-- The station `code` as the caller sees it, with its org unit; kNotFound
-- (P0002) when it does not exist or lies outside the caller's scope — the
-- same answer, so a scope cannot be probed for station codes.
CREATE FUNCTION heat.control_station(p_code text, OUT id int, OUT org_id int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  SELECT s.id, s.org_id INTO id, org_id FROM heat.station s
  WHERE s.code::text = p_code AND (heat.is_admin(session_user) OR s.org_id = ANY (heat.visible_orgs(session_user)));
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no station % in your scope', p_code USING ERRCODE = 'no_data_found';
  END IF;
END $$;

CREATE FUNCTION heat.control_require(p_role text, p_what text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF NOT pg_has_role(session_user, p_role, 'MEMBER') THEN
    RAISE EXCEPTION '% needs the role %', p_what, p_role USING ERRCODE = 'insufficient_privilege';
  END IF;
END $$;

-- Queues a person's command and logs it (SYS-2); the command id.
CREATE FUNCTION heat.control_queue(p_station int, p_org int, p_code text, p_op text, p_args jsonb, p_why text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE cid bigint;
BEGIN
  INSERT INTO heat.command (station_id, op, args, origin) VALUES (p_station, p_op, p_args, 'person')
  RETURNING id INTO cid;
  INSERT INTO heat.op_log (action, object_kind, object_code, org_id, new, message)
  VALUES ('command', 'station', p_code, p_org,
          jsonb_build_object('command', cid, 'op', p_op, 'args', p_args), left(p_why, 1000));
  RETURN cid;
END $$;

-- heatctl control hold / valve / pump: a manual value until p_until, sent
-- at once; heatd-control keeps it over its strategy until it expires.
CREATE FUNCTION heat.control_hold_set(p_code text, p_target text, p_value double precision, p_until timestamptz)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE st record; prev double precision; top double precision;
BEGIN
  PERFORM heat.control_require('heat_operator', 'holding a setpoint');
  SELECT * INTO st FROM heat.control_station(p_code);
  IF p_target NOT IN ('valve_pct', 'pump_hz', 'pump_run') THEN
    RAISE EXCEPTION 'unknown target %: valve_pct, pump_hz or pump_run', p_target USING ERRCODE = 'invalid_parameter_value';
  END IF;
  top := CASE p_target WHEN 'pump_run' THEN 1 ELSE 100 END;
  IF p_value IS NULL OR p_value <> p_value OR p_value < 0 OR p_value > top THEN
    RAISE EXCEPTION 'value % is outside the range of %', p_value, p_target USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_until IS NULL OR p_until <= now() OR p_until > now() + interval '7 days' THEN
    RAISE EXCEPTION 'a hold lasts from now to at most 7 days ahead, not until %', p_until
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT value INTO prev FROM heat.control_hold WHERE station_id = st.id AND target = p_target;
  INSERT INTO heat.control_hold (station_id, target, value, until) VALUES (st.id, p_target, p_value, p_until)
  ON CONFLICT (station_id, target) DO UPDATE SET value = excluded.value, until = excluded.until,
    login = excluded.login, at = excluded.at;
  RETURN heat.control_queue(st.id, st.org_id, p_code,
    CASE p_target WHEN 'valve_pct' THEN 'set_valve' ELSE 'set_pump' END,
    CASE p_target WHEN 'valve_pct' THEN jsonb_build_object('v1', p_value)
                  WHEN 'pump_hz' THEN jsonb_build_object('pump1_hz', p_value)
                  ELSE jsonb_build_object('pump1_run', p_value >= 1) END,
    format('hold %s = %s until %s (was %s)', p_target, p_value, p_until, coalesce(prev::text, 'the strategy''s')));
END $$;

CREATE FUNCTION heat.control_release(p_code text, p_target text DEFAULT NULL) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE st record; n int;
BEGIN
  PERFORM heat.control_require('heat_operator', 'releasing a hold');
  SELECT * INTO st FROM heat.control_station(p_code);
  DELETE FROM heat.control_hold WHERE station_id = st.id AND (p_target IS NULL OR target = p_target);
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    INSERT INTO heat.op_log (action, object_kind, object_code, org_id, new, message)
    VALUES ('release', 'station', p_code, st.org_id, jsonb_build_object('target', p_target),
            format('released %s hold(s): back to the strategy', n));
  END IF;
  RETURN n;
END $$;

-- heatctl control set: engineers change the strategy, period and the
-- closed loop's switch; only admins change the hard limits. NULL keeps.
CREATE FUNCTION heat.control_set(p_code text, p_enabled boolean, p_period_s int, p_config jsonb, p_limits jsonb)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE st record; old heat.control_config;
BEGIN
  PERFORM heat.control_require('heat_engineer', 'changing a control strategy');
  SELECT * INTO st FROM heat.control_station(p_code);
  SELECT * INTO old FROM heat.control_config WHERE station_id = st.id;
  IF p_limits IS NOT NULL AND p_limits IS DISTINCT FROM coalesce(old.limits, '{}') THEN
    PERFORM heat.control_require('heat_admin', 'changing safety limits');
  END IF;
  INSERT INTO heat.control_config AS c (station_id, enabled, period_s, config, limits)
  VALUES (st.id, coalesce(p_enabled, false), coalesce(p_period_s, 60), coalesce(p_config, '{}'), coalesce(p_limits, '{}'))
  ON CONFLICT (station_id) DO UPDATE SET
    enabled = coalesce(p_enabled, c.enabled), period_s = coalesce(p_period_s, c.period_s),
    config = coalesce(p_config, c.config), limits = coalesce(p_limits, c.limits),
    updated_by = session_user, updated_at = now();
  INSERT INTO heat.op_log (action, object_kind, object_code, org_id, old, new, message)
  SELECT 'control_set', 'station', p_code, st.org_id, to_jsonb(old) - 'station_id', to_jsonb(c) - 'station_id',
         'control configuration changed'
  FROM heat.control_config c WHERE c.station_id = st.id;
END $$;

CREATE FUNCTION heat.control_stroke_check(p_code text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE st record;
BEGIN
  PERFORM heat.control_require('heat_engineer', 'a stroke check');
  SELECT * INTO st FROM heat.control_station(p_code);
  RETURN heat.control_queue(st.id, st.org_id, p_code, 'stroke_check', '{}', 'stroke check of the control valve');
END $$;

REVOKE ALL ON FUNCTION heat.control_station, heat.control_require, heat.control_queue, heat.control_hold_set,
  heat.control_release, heat.control_set, heat.control_stroke_check FROM PUBLIC;
GRANT EXECUTE ON FUNCTION heat.control_hold_set, heat.control_release, heat.control_set,
  heat.control_stroke_check TO heat_operator;

-- heatd-control reads the boxes' answers (cmd/ack entries) from the log.
GRANT SELECT ON heat.op_log TO heat_service;
