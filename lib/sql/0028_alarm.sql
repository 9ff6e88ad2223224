-- 0028_alarm.sql — alarms (ALM-1..4, MON-3), managed after ISA-18.2:
-- rules engineers define, each alarm's life from raise to close, every
-- transition kept and never edited, and the feed by which heatd-alarm
-- sees readings as they are committed.
--
-- Who may do what, enforced here whatever the client:
--   heat_operator  sees the alarms of the stations in scope; acknowledges
--                  and shelves them;
--   heat_engineer  also defines rules: one attached to a station or a point
--                  of its scope, and wider ones (all stations, a network, a
--                  process type, a device kind) only when its scope is the
--                  whole company;
--   heat_service   (heatd-alarm) reads rules and the feed, writes alarms,
--                  their transitions and its own evaluation state.

-- A rule: what is watched (kind, tag), where (attach/attach_to) and how it
-- is announced. One code may be attached at several levels; for a point,
-- the most specific level wins (point > station > device_kind >
-- process_type > network > all), so a station overrides the network's
-- rule, or switches it off with enabled = false.
CREATE TABLE heat.alarm_rule (
  id serial PRIMARY KEY,
  code heat.code NOT NULL,
  attach text NOT NULL DEFAULT 'all'
    CHECK (attach IN ('all', 'network', 'process_type', 'device_kind', 'station', 'point')),
  attach_to text NOT NULL DEFAULT '' CHECK ((attach = 'all') = (attach_to = '') AND length(attach_to) <= 96),
  kind text NOT NULL CHECK (kind IN ('high', 'low', 'deviation', 'rate', 'difference', 'state', 'frozen',
                                     'out_of_range', 'not_following', 'comm_loss')),
  tag text NOT NULL DEFAULT '' CHECK (tag = '' OR tag ~ '^[a-z][a-z0-9_]{0,31}$'),
  ref_tag text CHECK (ref_tag ~ '^[a-z][a-z0-9_]{0,31}$'),   -- deviation: setpoint; difference: minus this
  limit_value double precision CHECK (limit_value = limit_value),  -- not NaN
  deadband double precision NOT NULL DEFAULT 0 CHECK (deadband >= 0 AND deadband < 1e9),
  on_delay_s int NOT NULL DEFAULT 0 CHECK (on_delay_s BETWEEN 0 AND 86400),
  off_delay_s int NOT NULL DEFAULT 0 CHECK (off_delay_s BETWEEN 0 AND 86400),
  count int CHECK (count BETWEEN 1 AND 100000),  -- frozen: equal readings; comm_loss: upload periods
  priority smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
  message_zh text CHECK (length(message_zh) <= 500),
  message_en text CHECK (length(message_en) <= 500),
  notify text[] NOT NULL DEFAULT '{}' CHECK (cardinality(notify) <= 50),
  enabled boolean NOT NULL DEFAULT true,
  updated_by name NOT NULL DEFAULT session_user,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (code, attach, attach_to),
  CHECK ((kind IN ('comm_loss', 'not_following')) = (tag = '')),
  CHECK ((kind IN ('deviation', 'difference')) = (ref_tag IS NOT NULL)),
  CHECK (kind NOT IN ('high', 'low', 'deviation', 'rate', 'difference', 'state') OR limit_value IS NOT NULL),
  CHECK (kind <> 'frozen' OR count IS NOT NULL)
);

-- One alarm: raised when its rule's condition held for the on-delay,
-- cleared when it ended for the off-delay; acknowledged by a person. It is
-- open until it is both cleared and acknowledged; a condition that comes
-- back after clearing raises a new alarm (prev_id links them).
CREATE TABLE heat.alarm (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule_id int REFERENCES heat.alarm_rule ON DELETE SET NULL,
  rule_code text NOT NULL,
  kind text NOT NULL,
  source text NOT NULL,                     -- the point's or the device's code
  station_id int REFERENCES heat.station ON DELETE CASCADE,
  point_id int REFERENCES heat.point ON DELETE SET NULL,
  device_id int REFERENCES heat.device ON DELETE SET NULL,
  priority smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),
  active boolean NOT NULL DEFAULT true,
  acked boolean NOT NULL DEFAULT false,
  raised_at timestamptz NOT NULL,
  cleared_at timestamptz,
  acked_at timestamptz,
  acked_by name,
  value double precision,                   -- at the raise
  message text NOT NULL CHECK (length(message) <= 1000),
  prev_id bigint REFERENCES heat.alarm ON DELETE SET NULL,
  parent_id bigint REFERENCES heat.alarm ON DELETE SET NULL,  -- a flood's or a station's loss
  raises int NOT NULL DEFAULT 1,            -- raises folded into this one while chattering
  chattering boolean NOT NULL DEFAULT false,
  shelved_until timestamptz,
  shelved_by name
);
-- One active alarm per rule and source: a second raise is no alarm.
CREATE UNIQUE INDEX alarm_active ON heat.alarm (rule_code, source) WHERE active;
CREATE INDEX alarm_open ON heat.alarm (station_id, raised_at) WHERE active OR NOT acked;
CREATE INDEX alarm_raised ON heat.alarm (raised_at);
CREATE INDEX alarm_station ON heat.alarm (station_id, raised_at);
CREATE INDEX alarm_source ON heat.alarm (source, rule_code, raised_at);

-- Every change of an alarm is announced at its commit (heatd-alarm
-- publishes the alarm's state for wall displays, whoever changed it).
CREATE FUNCTION heat.alarm_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('heat_alarm', NEW.id::text);
  RETURN NULL;
END $$;
CREATE TRIGGER changed AFTER INSERT OR UPDATE ON heat.alarm FOR EACH ROW EXECUTE FUNCTION heat.alarm_changed();

-- A valve command that heatd-control found not followed (and one applied
-- after it) is announced, so that heatd-alarm re-evaluates the station's
-- not_following rule (ALM-1).
CREATE FUNCTION heat.command_followed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.op IN ('set_valve', 'stroke_check') AND NEW.state IN ('applied', 'not_following') THEN
    PERFORM pg_notify('heat_command', NEW.station_id::text);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER followed AFTER UPDATE OF state ON heat.command FOR EACH ROW
  WHEN (NEW.state IS DISTINCT FROM OLD.state) EXECUTE FUNCTION heat.command_followed();

-- Every transition, with who and when; never changed afterwards.
CREATE TABLE heat.alarm_event (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alarm_id bigint NOT NULL REFERENCES heat.alarm ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  what text NOT NULL CHECK (what IN ('raise', 'clear', 'ack', 'shelve', 'unshelve', 'chatter', 'fold')),
  login name NOT NULL DEFAULT session_user,
  value double precision,
  comment text CHECK (length(comment) <= 1000)
);
CREATE INDEX alarm_event_alarm ON heat.alarm_event (alarm_id, id);

CREATE FUNCTION heat.alarm_event_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'alarm transitions are never changed' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER frozen BEFORE UPDATE OR DELETE ON heat.alarm_event
  FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION heat.alarm_event_frozen();
CREATE TRIGGER frozen_truncate BEFORE TRUNCATE ON heat.alarm_event
  FOR EACH STATEMENT EXECUTE FUNCTION heat.alarm_event_frozen();

-- heatd-alarm's evaluation state per rule and source (on-delay timers,
-- counts, the last value seen), so that a restart resumes it.
CREATE TABLE heat.alarm_state (
  rule_id int NOT NULL REFERENCES heat.alarm_rule ON DELETE CASCADE,
  source text NOT NULL,
  state jsonb NOT NULL CHECK (octet_length(state::text) <= 4096),
  PRIMARY KEY (rule_id, source)
);

-- The feed: every statement that stores readings adds one row with them,
-- in its own transaction, and notifies heat_reading at its commit.
-- heatd-alarm takes rows in id order and deletes them in the transaction
-- that writes what they raised: a reading is evaluated once, and a row
-- committed late (a lower id after a higher one) is taken the next time.
-- Nothing is fed while no consumer has registered (heat.alarm_consumer).
CREATE TABLE heat.reading_feed (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  point_id int[] NOT NULL,
  ts timestamptz[] NOT NULL,
  value double precision[] NOT NULL,
  quality smallint[] NOT NULL
);
CREATE TABLE heat.alarm_consumer (
  name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_-]{0,31}$'),
  since timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION heat.feed_readings() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM heat.alarm_consumer) THEN
    INSERT INTO heat.reading_feed (point_id, ts, value, quality)
    SELECT array_agg(point_id), array_agg(ts), array_agg(value), array_agg(quality) FROM fed HAVING count(*) > 0;
    PERFORM pg_notify('heat_reading', '');
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER feed AFTER INSERT ON heat.reading REFERENCING NEW TABLE AS fed
  FOR EACH STATEMENT EXECUTE FUNCTION heat.feed_readings();

-- Out of service: no alarm is raised for a station or device until then.
CREATE TABLE heat.alarm_suppress (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  station_id int REFERENCES heat.station ON DELETE CASCADE,
  device_id int REFERENCES heat.device ON DELETE CASCADE,
  until timestamptz NOT NULL,
  reason text NOT NULL CHECK (reason <> '' AND length(reason) <= 500),
  login name NOT NULL DEFAULT session_user,
  at timestamptz NOT NULL DEFAULT now(),
  CHECK ((station_id IS NULL) <> (device_id IS NULL))
);

ALTER TABLE heat.alarm ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.alarm USING ((SELECT heat.is_admin(current_user))
  OR station_id IN (SELECT id FROM heat.station));
ALTER TABLE heat.alarm_event ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.alarm_event USING ((SELECT heat.is_admin(current_user))
  OR alarm_id IN (SELECT id FROM heat.alarm));
ALTER TABLE heat.alarm_suppress ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.alarm_suppress USING ((SELECT heat.is_admin(current_user))
  OR station_id IN (SELECT id FROM heat.station) OR device_id IN (SELECT id FROM heat.device));

GRANT SELECT ON heat.alarm_rule, heat.alarm, heat.alarm_event, heat.alarm_suppress TO heat_operator, heat_service;
GRANT INSERT, UPDATE ON heat.alarm TO heat_service;
GRANT INSERT ON heat.alarm_event TO heat_service;
GRANT SELECT, INSERT, UPDATE, DELETE ON heat.alarm_state, heat.alarm_consumer TO heat_service;
GRANT SELECT, UPDATE, DELETE ON heat.reading_feed TO heat_service;  -- UPDATE: FOR UPDATE

-- Floods (ISA-18.2, EEMUA 191): a station whose box or PLC has lost
-- communication, or that raised more than 10 alarms within 10 minutes,
-- shows as one parent alarm with the others as its children. Called by
-- heatd-alarm after each raise; the parent's id, or NULL.
CREATE FUNCTION heat.alarm_family(p_id bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE a heat.alarm; parent bigint; recent int;
BEGIN
  SELECT * INTO a FROM heat.alarm WHERE id = p_id;
  IF a.station_id IS NULL OR a.kind = 'flood' THEN RETURN NULL; END IF;
  -- An active parent at the station adopts the newcomer.
  SELECT p.id INTO parent FROM heat.alarm p
  WHERE p.station_id = a.station_id AND p.active AND p.id <> a.id AND p.parent_id IS NULL
    AND (p.kind = 'flood' OR (p.kind = 'comm_loss' AND p.device_id IN
          (SELECT d.id FROM heat.device d WHERE d.station_id = a.station_id AND d.kind IN ('control_box', 'plc'))))
  ORDER BY p.kind = 'flood' DESC, p.id LIMIT 1;
  IF parent IS NULL AND a.kind = 'comm_loss' AND a.device_id IN
      (SELECT d.id FROM heat.device d WHERE d.station_id = a.station_id AND d.kind IN ('control_box', 'plc')) THEN
    parent := a.id;  -- the station is cut off: it adopts what its silence raised
  ELSIF parent IS NULL THEN
    SELECT count(*) INTO recent FROM heat.alarm
    WHERE station_id = a.station_id AND kind <> 'flood' AND parent_id IS NULL AND raised_at > a.raised_at - interval '10 minutes';
    IF recent <= 10 THEN RETURN NULL; END IF;
    INSERT INTO heat.alarm (rule_code, kind, source, station_id, priority, raised_at, message)
    SELECT 'flood', 'flood', s.code, s.id, 1, a.raised_at, s.code || ': ' || recent || ' alarms within 10 minutes (flood)'
    FROM heat.station s WHERE s.id = a.station_id
    ON CONFLICT (rule_code, source) WHERE active DO NOTHING
    RETURNING id INTO parent;
    IF parent IS NULL THEN RETURN NULL; END IF;
    INSERT INTO heat.alarm_event (alarm_id, what, comment) VALUES (parent, 'raise', 'flood');
  END IF;
  UPDATE heat.alarm SET parent_id = parent
  WHERE station_id = a.station_id AND id <> parent AND parent_id IS NULL AND kind <> 'flood'
    AND (id = a.id OR (parent <> a.id OR active) AND raised_at > a.raised_at - interval '10 minutes');
  RETURN parent;
END $$;

-- After a child clears: a flood whose children have all cleared clears.
CREATE FUNCTION heat.alarm_family_clear(p_id bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE parent bigint;
BEGIN
  SELECT parent_id INTO parent FROM heat.alarm WHERE id = p_id;
  IF parent IS NULL OR EXISTS (SELECT 1 FROM heat.alarm WHERE parent_id = parent AND active) THEN RETURN; END IF;
  WITH up AS (UPDATE heat.alarm SET active = false, cleared_at = now() WHERE id = parent AND active AND kind = 'flood'
              RETURNING id)
  INSERT INTO heat.alarm_event (alarm_id, what, comment) SELECT id, 'clear', 'every alarm of the flood cleared' FROM up;
END $$;

-- Whether the caller's scope is the whole company (wide rules need it).
CREATE FUNCTION heat.alarm_sees_all() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT heat.is_admin(session_user)
      OR (SELECT coalesce(array_agg(id), '{}') FROM heat.org_unit) <@ heat.visible_orgs(session_user)
$$;

-- The org unit of what a rule attaches to, when it is one station or
-- point the caller sees; kNotFound otherwise (the same answer either way).
CREATE FUNCTION heat.alarm_rule_org(p_attach text, p_to text) RETURNS int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE o int;
BEGIN
  IF p_attach = 'station' THEN
    SELECT org_id INTO o FROM heat.station WHERE code::text = p_to;
  ELSIF p_attach = 'point' THEN
    SELECT heat.org_of('point', to_jsonb(p)) INTO o FROM heat.point p WHERE code = p_to;
  END IF;
  IF o IS NULL OR NOT (heat.is_admin(session_user) OR o = ANY (heat.visible_orgs(session_user))) THEN
    RAISE EXCEPTION 'no % % in your scope', p_attach, p_to USING ERRCODE = 'no_data_found';
  END IF;
  RETURN o;
END $$;

CREATE FUNCTION heat.alarm_rule_check_target(p_attach text, p_to text) RETURNS int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF p_attach IN ('station', 'point') THEN
    RETURN heat.alarm_rule_org(p_attach, p_to);
  END IF;
  IF NOT heat.alarm_sees_all() THEN
    RAISE EXCEPTION 'a rule for % % serves stations outside your scope: attach it to a station of yours',
      p_attach, nullif(p_to, '') USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_attach = 'network' AND NOT EXISTS (SELECT 1 FROM heat.network WHERE code::text = p_to) THEN
    RAISE EXCEPTION 'no network %', p_to USING ERRCODE = 'no_data_found';
  ELSIF p_attach = 'process_type' AND p_to NOT IN ('plate_hx', 'mixing', 'direct', 'unit_hx', 'boiler') THEN
    RAISE EXCEPTION 'unknown process type %: plate_hx, mixing, direct, unit_hx or boiler', p_to
      USING ERRCODE = 'invalid_parameter_value';
  ELSIF p_attach = 'device_kind' AND p_to NOT IN ('control_box', 'plc', 'room_sensor', 'heat_meter', 'valve',
                                                  'pump', 'electricity_meter', 'water_meter') THEN
    RAISE EXCEPTION 'unknown device kind %', p_to USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN NULL;
END $$;

-- heatctl alarm rule set: adds or replaces the rule (code, attach,
-- attach_to) from a JSON object of its other columns; logs old and new.
CREATE FUNCTION heat.alarm_rule_set(p_code text, p_attach text, p_to text, p_body jsonb) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE org int; old heat.alarm_rule; base heat.alarm_rule; r heat.alarm_rule; unknown text;
BEGIN
  PERFORM heat.control_require('heat_engineer', 'defining an alarm rule');
  org := heat.alarm_rule_check_target(p_attach, coalesce(p_to, ''));
  SELECT string_agg(k, ', ') INTO unknown FROM jsonb_object_keys(p_body) k
  WHERE k NOT IN ('kind', 'tag', 'ref_tag', 'limit_value', 'deadband', 'on_delay_s', 'off_delay_s', 'count',
                  'priority', 'message_zh', 'message_en', 'notify', 'enabled');
  IF unknown IS NOT NULL THEN
    RAISE EXCEPTION 'unknown rule field(s): %', unknown USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT * INTO old FROM heat.alarm_rule WHERE code::text = p_code AND attach = p_attach AND attach_to = coalesce(p_to, '');
  -- A new attachment of an existing code starts from its widest rule: an
  -- override names only what differs (limit=80).
  SELECT * INTO base FROM heat.alarm_rule WHERE code::text = p_code
  ORDER BY array_position(ARRAY['all', 'network', 'process_type', 'device_kind', 'station', 'point'], attach) LIMIT 1;
  r := jsonb_populate_record(CASE WHEN old.id IS NOT NULL THEN old ELSE base END, p_body);
  INSERT INTO heat.alarm_rule AS t (code, attach, attach_to, kind, tag, ref_tag, limit_value, deadband, on_delay_s,
                                    off_delay_s, count, priority, message_zh, message_en, notify, enabled)
  VALUES (p_code, p_attach, coalesce(p_to, ''), r.kind, coalesce(r.tag, ''), r.ref_tag, r.limit_value,
          coalesce(r.deadband, 0), coalesce(r.on_delay_s, 0), coalesce(r.off_delay_s, 0), r.count,
          coalesce(r.priority, 3), r.message_zh, r.message_en, coalesce(r.notify, '{}'), coalesce(r.enabled, true))
  ON CONFLICT (code, attach, attach_to) DO UPDATE SET
    kind = excluded.kind, tag = excluded.tag, ref_tag = excluded.ref_tag, limit_value = excluded.limit_value,
    deadband = excluded.deadband, on_delay_s = excluded.on_delay_s, off_delay_s = excluded.off_delay_s,
    count = excluded.count, priority = excluded.priority, message_zh = excluded.message_zh,
    message_en = excluded.message_en, notify = excluded.notify, enabled = excluded.enabled,
    updated_by = session_user, updated_at = now()
  RETURNING * INTO r;
  INSERT INTO heat.op_log (action, object_kind, object_code, org_id, old, new, message)
  VALUES (CASE WHEN old.id IS NULL THEN 'insert' ELSE 'update' END, 'alarm_rule',
          p_code || CASE WHEN p_attach = 'all' THEN '' ELSE '@' || p_attach || ':' || p_to END, org,
          to_jsonb(old) - 'updated_at', to_jsonb(r) - 'updated_at', 'alarm rule set');
  RETURN r.id;
END $$;

CREATE FUNCTION heat.alarm_rule_rm(p_code text, p_attach text, p_to text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE org int; old heat.alarm_rule;
BEGIN
  PERFORM heat.control_require('heat_engineer', 'removing an alarm rule');
  org := heat.alarm_rule_check_target(p_attach, coalesce(p_to, ''));
  DELETE FROM heat.alarm_rule WHERE code::text = p_code AND attach = p_attach AND attach_to = coalesce(p_to, '')
  RETURNING * INTO old;
  IF old.id IS NULL THEN
    RAISE EXCEPTION 'no alarm rule % attached to % %', p_code, p_attach, coalesce(p_to, '')
      USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO heat.op_log (action, object_kind, object_code, org_id, old, message)
  VALUES ('delete', 'alarm_rule', p_code || CASE WHEN p_attach = 'all' THEN '' ELSE '@' || p_attach || ':' || p_to END,
          org, to_jsonb(old), 'alarm rule removed');
END $$;

-- The alarm `p_id` as the caller sees it, locked; kNotFound otherwise.
CREATE FUNCTION heat.alarm_for_person(p_id bigint) RETURNS heat.alarm
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE a heat.alarm;
BEGIN
  PERFORM heat.control_require('heat_operator', 'handling an alarm');
  SELECT * INTO a FROM heat.alarm WHERE id = p_id FOR UPDATE;
  IF a.id IS NULL OR NOT (heat.is_admin(session_user) OR
      (SELECT org_id FROM heat.station WHERE id = a.station_id) = ANY (heat.visible_orgs(session_user))) THEN
    RAISE EXCEPTION 'no alarm % in your scope', p_id USING ERRCODE = 'no_data_found';
  END IF;
  RETURN a;
END $$;

CREATE FUNCTION heat.alarm_log(a heat.alarm, p_what text, p_comment text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
  INSERT INTO heat.alarm_event (alarm_id, what, comment) VALUES (a.id, p_what, left(p_comment, 1000));
  INSERT INTO heat.op_log (action, object_kind, object_code, org_id, new, message)
  VALUES ('alarm_' || p_what, 'alarm', a.id::text, (SELECT org_id FROM heat.station WHERE id = a.station_id),
          jsonb_build_object('alarm', a.id, 'rule', a.rule_code, 'source', a.source), left(p_comment, 1000));
$$;

-- heatctl alarm ack: acknowledges with a comment; false when it already was.
CREATE FUNCTION heat.alarm_ack(p_id bigint, p_comment text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE a heat.alarm;
BEGIN
  a := heat.alarm_for_person(p_id);
  IF a.acked THEN RETURN false; END IF;
  UPDATE heat.alarm SET acked = true, acked_at = now(), acked_by = session_user WHERE id = a.id;
  PERFORM heat.alarm_log(a, 'ack', p_comment);
  RETURN true;
END $$;

-- heatctl alarm shelve: out of the operators' view until p_until (at most
-- 7 days; shelving ends by itself); NULL unshelves.
CREATE FUNCTION heat.alarm_shelve(p_id bigint, p_until timestamptz, p_comment text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE a heat.alarm;
BEGIN
  a := heat.alarm_for_person(p_id);
  IF p_until IS NOT NULL AND (p_until <= now() OR p_until > now() + interval '7 days') THEN
    RAISE EXCEPTION 'an alarm is shelved from now to at most 7 days ahead, not until %', p_until
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_until IS NOT NULL AND coalesce(p_comment, '') = '' THEN
    RAISE EXCEPTION 'shelving needs a reason (--comment)' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE heat.alarm SET shelved_until = p_until, shelved_by = CASE WHEN p_until IS NULL THEN NULL ELSE session_user END
  WHERE id = a.id;
  PERFORM heat.alarm_log(a, CASE WHEN p_until IS NULL THEN 'unshelve' ELSE 'shelve' END,
                         coalesce(p_comment, '') || CASE WHEN p_until IS NULL THEN '' ELSE ' (until ' || p_until || ')' END);
END $$;

-- heatctl alarm suppress: a station out of service raises no alarms until p_until.
CREATE FUNCTION heat.alarm_suppress_set(p_station text, p_until timestamptz, p_reason text) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE st record; sid int;
BEGIN
  PERFORM heat.control_require('heat_operator', 'taking a station out of service');
  SELECT * INTO st FROM heat.control_station(p_station);
  IF p_until IS NULL OR p_until <= now() OR p_until > now() + interval '90 days' THEN
    RAISE EXCEPTION 'out of service from now to at most 90 days ahead, not until %', p_until
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO heat.alarm_suppress (station_id, until, reason) VALUES (st.id, p_until, p_reason) RETURNING id INTO sid;
  INSERT INTO heat.op_log (action, object_kind, object_code, org_id, new, message)
  VALUES ('alarm_suppress', 'station', p_station, st.org_id, jsonb_build_object('until', p_until), left(p_reason, 500));
  RETURN sid;
END $$;

REVOKE ALL ON FUNCTION heat.alarm_family, heat.alarm_family_clear, heat.alarm_event_frozen, heat.alarm_changed, heat.command_followed, heat.feed_readings, heat.alarm_sees_all, heat.alarm_rule_org,
  heat.alarm_rule_check_target, heat.alarm_rule_set, heat.alarm_rule_rm, heat.alarm_for_person, heat.alarm_log,
  heat.alarm_ack, heat.alarm_shelve, heat.alarm_suppress_set FROM PUBLIC;
GRANT EXECUTE ON FUNCTION heat.alarm_rule_set, heat.alarm_rule_rm, heat.alarm_ack, heat.alarm_shelve,
  heat.alarm_suppress_set TO heat_operator;
GRANT EXECUTE ON FUNCTION heat.alarm_family, heat.alarm_family_clear TO heat_service;
