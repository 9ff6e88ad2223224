-- 0043_system.sql — the two servers of OPS-1 watched: what a PostgreSQL
-- node says about itself (`heatctl system status`, heatd-alarm's system
-- checks) and the system alarms heatd-alarm raises and clears (disk,
-- replication lag, a node or a daemon down; heatd-alarm(8)).
--
-- Who may do what:
--   heat_engineer  (and heat_admin) asks a node its role, timeline and
--                  lag: heat.system_node() reads pg_stat_replication and
--                  pg_stat_wal_receiver, whose details only members of
--                  pg_read_all_stats see, so it runs as its owner (the
--                  superuser that migrates) and returns only these figures;
--   heat_service   (heatd-alarm) asks the same, and raises and clears the
--                  system alarms (heat.system_alarms);
--   heat_operator  sees the system alarms (they belong to no station, so
--                  the stations' scope does not apply) and acknowledges
--                  and shelves them like any alarm.

-- This node: primary or standby, its timeline, and a standby's lag: 0
-- while it has replayed all it received from a streaming primary, else
-- the age of the last transaction it replayed. A primary's detail lists
-- its standbys as it sees them (name, state, sync state, replay lag).
CREATE FUNCTION heat.system_node()
RETURNS TABLE (role text, timeline bigint, lag_s double precision, detail text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE rcv record;
BEGIN
  IF pg_is_in_recovery() THEN
    SELECT status, received_tli, sender_host, sender_port INTO rcv FROM pg_stat_wal_receiver LIMIT 1;
    RETURN QUERY SELECT 'standby'::text, coalesce(rcv.received_tli, (pg_control_checkpoint()).timeline_id)::bigint,
      CASE WHEN rcv.status = 'streaming' AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0::float8
           ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END,
      CASE WHEN rcv.status IS NULL THEN 'not receiving WAL'
           ELSE rcv.status || ' from ' || coalesce(rcv.sender_host, '?') || ':' || coalesce(rcv.sender_port::text, '?') END;
    RETURN;
  END IF;
  RETURN QUERY SELECT 'primary'::text,
    ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::bigint,  -- the timeline of the WAL written now
    NULL::float8,
    coalesce((SELECT string_agg(coalesce(nullif(r.application_name, ''), r.client_addr::text, 'standby') || ' ' ||
                                r.state || ' ' || r.sync_state ||
                                coalesce(' replay lag ' || round(extract(epoch FROM r.replay_lag)::numeric, 1) || ' s', ''),
                                ', ' ORDER BY r.application_name)
              FROM pg_stat_replication r), 'no standby connected');
END $$;

-- System alarms can be seen by everyone who may read alarms.
CREATE POLICY system ON heat.alarm FOR SELECT USING (kind = 'system');

-- heatd-alarm, every alarm.system_interval: p_checks is an array of
-- {"rule": disk|lag|node|daemon, "source", "bad": true|false|null,
-- "message", "value"}. A bad check raises alarm system:RULE (kind system,
-- no station; priority 1 for a node down, else 2) unless one is active
-- for the source; an active system alarm clears when its check passed, or
-- when p_host reported and no longer names the source although it is one
-- of p_host's own (a disk "HOST:/path", a daemon "program@HOST:port": a
-- watch removed from the configuration). A check that could not be
-- judged (bad null) leaves its alarm as it is. The ids of the alarms raised.
CREATE FUNCTION heat.system_alarms(p_checks jsonb, p_host text) RETURNS SETOF bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE c record; aid bigint;
BEGIN
  IF jsonb_typeof(p_checks) IS DISTINCT FROM 'array' OR jsonb_array_length(p_checks) > 10000 THEN
    RAISE EXCEPTION 'system checks: a JSON array of at most 10000 checks' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOR c IN SELECT * FROM jsonb_to_recordset(p_checks) AS x(rule text, source text, bad boolean, message text, value float8)
  LOOP
    IF c.rule IS NULL OR c.rule NOT IN ('disk', 'lag', 'node', 'daemon') OR coalesce(c.source, '') = ''
       OR length(c.source) > 300 THEN
      RAISE EXCEPTION 'system check: rule disk, lag, node or daemon and a source of 1..300 characters, not % %',
        c.rule, c.source USING ERRCODE = 'invalid_parameter_value';
    END IF;
    CONTINUE WHEN c.bad IS NOT TRUE;
    INSERT INTO heat.alarm (rule_code, kind, source, priority, raised_at, value, message)
    VALUES ('system:' || c.rule, 'system', c.source, CASE c.rule WHEN 'node' THEN 1 ELSE 2 END, now(),
            CASE WHEN c.value = c.value THEN c.value END, left(coalesce(nullif(c.message, ''), c.rule || ' ' || c.source), 1000))
    ON CONFLICT (rule_code, source) WHERE active DO NOTHING
    RETURNING id INTO aid;
    IF aid IS NOT NULL THEN
      INSERT INTO heat.alarm_event (alarm_id, what, value, comment) VALUES (aid, 'raise', c.value, 'system check');
      RETURN NEXT aid;
    END IF;
  END LOOP;
  WITH checks AS (SELECT * FROM jsonb_to_recordset(p_checks) AS x(rule text, source text, bad boolean)),
  cleared AS (
    UPDATE heat.alarm a SET active = false, cleared_at = now()
    WHERE a.kind = 'system' AND a.active
      AND (EXISTS (SELECT 1 FROM checks k WHERE 'system:' || k.rule = a.rule_code AND k.source = a.source AND k.bad = false)
           OR (NOT EXISTS (SELECT 1 FROM checks k WHERE 'system:' || k.rule = a.rule_code AND k.source = a.source)
               AND coalesce(p_host, '') <> ''
               AND (a.source LIKE p_host || ':/%' OR a.source LIKE '%@' || p_host || ':%')))
    RETURNING a.id, EXISTS (SELECT 1 FROM checks k WHERE 'system:' || k.rule = a.rule_code AND k.source = a.source) AS seen)
  INSERT INTO heat.alarm_event (alarm_id, what, comment)
  SELECT id, 'clear', CASE WHEN seen THEN 'system check passed' ELSE 'no longer watched' END FROM cleared;
  RETURN;
END $$;

-- An operator handles a system alarm as any alarm of its scope (0028's
-- function, with the system alarms added).
CREATE OR REPLACE FUNCTION heat.alarm_for_person(p_id bigint) RETURNS heat.alarm
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE a heat.alarm;
BEGIN
  PERFORM heat.control_require('heat_operator', 'handling an alarm');
  SELECT * INTO a FROM heat.alarm WHERE id = p_id FOR UPDATE;
  IF a.id IS NULL OR NOT (a.kind = 'system' OR heat.is_admin(session_user) OR
      (SELECT org_id FROM heat.station WHERE id = a.station_id) = ANY (heat.visible_orgs(session_user))) THEN
    RAISE EXCEPTION 'no alarm % in your scope', p_id USING ERRCODE = 'no_data_found';
  END IF;
  RETURN a;
END $$;

REVOKE ALL ON FUNCTION heat.system_node, heat.system_alarms FROM PUBLIC;
GRANT EXECUTE ON FUNCTION heat.system_node TO heat_engineer, heat_service;
GRANT EXECUTE ON FUNCTION heat.system_alarms TO heat_service;
