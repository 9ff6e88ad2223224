-- 0003_security.sql — who may do what (SYS-1, BIL-28), enforced here, not
-- in the tools: rights by group role (module), data scope by org unit with
-- row-level security, and the SECURITY DEFINER functions that manage users.

-- Rights by module.
GRANT SELECT ON heat.group_role, heat.org_unit, heat.heat_source, heat.network, heat.station,
  heat.building, heat.register_map, heat.device, heat.point TO heat_operator, heat_service;
GRANT INSERT, UPDATE, DELETE ON heat.heat_source, heat.network, heat.station, heat.building,
  heat.register_map, heat.device, heat.point TO heat_engineer;
GRANT INSERT, UPDATE, DELETE ON heat.org_unit TO heat_admin;
GRANT SELECT ON heat.user_scope TO heat_operator;
GRANT INSERT, UPDATE, DELETE ON heat.user_scope TO heat_admin;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA heat TO heat_engineer;
GRANT SELECT ON heat.op_log TO heat_operator;
GRANT UPDATE, DELETE ON heat.op_log TO heat_admin;
GRANT EXECUTE ON FUNCTION heat.log_event TO heat_operator, heat_service, bill_cashier,
  bill_deputy, bill_production;

-- Data scope by org unit. The table owner (the migrating superuser) is not
-- subject to these; every person and daemon is.
-- Admins see and shape the whole tree (a new unit is not yet among the
-- visible ids, so the scope test alone would refuse every insert).
ALTER TABLE heat.org_unit ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.org_unit
  USING ((SELECT heat.is_admin(current_user))
         OR id = ANY ((SELECT heat.visible_orgs(current_user))::int[]));

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['heat_source', 'network', 'station'] LOOP
    EXECUTE format('ALTER TABLE heat.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY scope ON heat.%I '
                   'USING (org_id = ANY ((SELECT heat.visible_orgs(current_user))::int[]))', t);
  END LOOP;
END $$;

-- Buildings, devices and points inherit the scope of their station: the
-- sub-selects below are themselves filtered by the station's policy.
ALTER TABLE heat.building ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.building
  USING (station_id IN (SELECT id FROM heat.station));

ALTER TABLE heat.device ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.device
  USING (station_id IN (SELECT id FROM heat.station)
         OR building_id IN (SELECT id FROM heat.building));

ALTER TABLE heat.point ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.point
  USING ((SELECT heat.is_admin(current_user)) OR device_id IN (SELECT id FROM heat.device));

ALTER TABLE heat.user_scope ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON heat.user_scope
  USING (login = current_user OR (SELECT heat.is_admin(current_user)));

ALTER TABLE heat.op_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.op_log FOR SELECT
  USING ((SELECT heat.is_admin(current_user))
         OR org_id = ANY ((SELECT heat.visible_orgs(current_user))::int[])
         OR login = current_user);
CREATE POLICY admin_change ON heat.op_log FOR UPDATE
  USING (pg_has_role(current_user, 'heat_admin', 'MEMBER'));
CREATE POLICY admin_delete ON heat.op_log FOR DELETE
  USING (pg_has_role(current_user, 'heat_admin', 'MEMBER'));

-- Whether an object exists at all, whatever the caller's scope; lets tools
-- tell "not found" (exit 3) from "outside your scope" (exit 4).
CREATE FUNCTION heat.object_exists(kind text, obj_code text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE found boolean;
BEGIN
  IF kind NOT IN ('org_unit', 'heat_source', 'network', 'station', 'building', 'register_map',
                  'device', 'point') THEN
    RAISE EXCEPTION 'unknown object kind %', kind USING ERRCODE = 'invalid_parameter_value';
  END IF;
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM heat.%I WHERE code = $1)', kind)
    INTO found USING obj_code;
  RETURN found;
END $$;
GRANT EXECUTE ON FUNCTION heat.object_exists TO heat_operator, heat_service;

-- ---------------------------------------------------------------------------
-- Users. A person is a login role in one or more group roles, with a data
-- scope of org units. heat_admin manages SCADA roles, bill_admin billing
-- roles; nobody grants a role they could not grant by hand.

CREATE FUNCTION heat.require_user_admin(p_roles text[]) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE r text; m text;
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN RETURN; END IF;
  FOREACH r IN ARRAY coalesce(p_roles, '{}') LOOP
    SELECT module INTO m FROM heat.group_role WHERE name = r;
    IF m IS NULL THEN
      RAISE EXCEPTION 'unknown role %', r USING ERRCODE = 'invalid_parameter_value',
        HINT = 'roles are: ' || (SELECT string_agg(name, ', ' ORDER BY name) FROM heat.group_role);
    END IF;
    IF NOT pg_has_role(session_user, CASE m WHEN 'billing' THEN 'bill_admin' ELSE 'heat_admin' END,
                       'MEMBER') THEN
      RAISE EXCEPTION 'permission denied: % may not grant role %', session_user, r
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END LOOP;
  IF NOT (pg_has_role(session_user, 'heat_admin', 'MEMBER')
          OR pg_has_role(session_user, 'bill_admin', 'MEMBER')) THEN
    RAISE EXCEPTION 'permission denied: only heat_admin or bill_admin manage users'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
END $$;

CREATE FUNCTION heat.org_ids(p_orgs text[]) RETURNS int[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE c text; ids int[] := '{}'; i int;
BEGIN
  FOREACH c IN ARRAY coalesce(p_orgs, '{}') LOOP
    SELECT id INTO i FROM heat.org_unit WHERE code = c;
    IF i IS NULL THEN
      RAISE EXCEPTION 'org unit % not found', c USING ERRCODE = 'no_data_found';
    END IF;
    ids := ids || i;
  END LOOP;
  RETURN ids;
END $$;

CREATE FUNCTION heat.user_grant(p_login text, p_roles text[], p_orgs text[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE r text; ids int[];
BEGIN
  PERFORM heat.require_user_admin(p_roles);
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login AND rolcanlogin) THEN
    RAISE EXCEPTION 'user % not found', p_login USING ERRCODE = 'no_data_found';
  END IF;
  ids := heat.org_ids(p_orgs);
  FOREACH r IN ARRAY coalesce(p_roles, '{}') LOOP
    EXECUTE format('GRANT %I TO %I', r, p_login);
  END LOOP;
  INSERT INTO heat.user_scope (login, org_id) SELECT p_login, unnest(ids) ON CONFLICT DO NOTHING;
  INSERT INTO heat.op_log (action, object_kind, object_code, new)
  VALUES ('grant', 'user', p_login, jsonb_build_object('roles', p_roles, 'orgs', p_orgs));
END $$;

CREATE FUNCTION heat.user_add(p_login text, p_roles text[], p_orgs text[])
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
  INSERT INTO heat.op_log (action, object_kind, object_code, new)
  VALUES ('user_add', 'user', p_login, jsonb_build_object('roles', p_roles, 'orgs', p_orgs));
  PERFORM heat.user_grant(p_login, p_roles, p_orgs);
END $$;

CREATE FUNCTION heat.user_revoke(p_login text, p_roles text[], p_orgs text[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE r text; ids int[];
BEGIN
  PERFORM heat.require_user_admin(p_roles);
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login AND rolcanlogin) THEN
    RAISE EXCEPTION 'user % not found', p_login USING ERRCODE = 'no_data_found';
  END IF;
  ids := heat.org_ids(p_orgs);
  FOREACH r IN ARRAY coalesce(p_roles, '{}') LOOP
    EXECUTE format('REVOKE %I FROM %I', r, p_login);
  END LOOP;
  DELETE FROM heat.user_scope WHERE login = p_login AND org_id = ANY (ids);
  INSERT INTO heat.op_log (action, object_kind, object_code, old)
  VALUES ('revoke', 'user', p_login, jsonb_build_object('roles', p_roles, 'orgs', p_orgs));
END $$;

CREATE FUNCTION heat.user_rm(p_login text)
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
  DELETE FROM heat.user_scope WHERE login = p_login;
  EXECUTE format('DROP ROLE %I', p_login);
  INSERT INTO heat.op_log (action, object_kind, object_code) VALUES ('user_rm', 'user', p_login);
END $$;

-- Every login role that belongs to a platform group, with roles and scope.
CREATE FUNCTION heat.users() RETURNS TABLE (login name, roles text[], orgs text[], can_login boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT u.rolname,
         array(SELECT g.name FROM heat.group_role g
                WHERE pg_has_role(u.rolname, g.name, 'MEMBER')
                  AND EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles gr ON gr.oid = m.roleid
                              WHERE m.member = u.oid AND gr.rolname = g.name)
                ORDER BY g.name),
         array(SELECT o.code FROM heat.user_scope s JOIN heat.org_unit o ON o.id = s.org_id
                WHERE s.login = u.rolname ORDER BY o.code),
         u.rolcanlogin
  FROM pg_roles u
  WHERE u.rolcanlogin AND EXISTS (
    SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
    WHERE m.member = u.oid AND g.rolname IN (SELECT name FROM heat.group_role))
  ORDER BY 1
$$;

-- Who is connected now, since when, from where (SYS-1); administrators only.
CREATE FUNCTION heat.who() RETURNS TABLE (login name, application text, client_addr inet,
                                          since timestamptz, state text, pid int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  PERFORM heat.require_user_admin('{}');
  RETURN QUERY
    SELECT a.usename, a.application_name, a.client_addr, a.backend_start, a.state, a.pid
    FROM pg_stat_activity a
    WHERE a.backend_type = 'client backend' AND a.datname = current_database()
    ORDER BY a.backend_start;
END $$;

REVOKE ALL ON FUNCTION heat.user_add, heat.user_grant, heat.user_revoke, heat.user_rm,
  heat.users, heat.who, heat.require_user_admin, heat.org_ids FROM PUBLIC;
GRANT EXECUTE ON FUNCTION heat.user_add, heat.user_grant, heat.user_revoke, heat.user_rm,
  heat.users, heat.who, heat.require_user_admin, heat.org_ids TO heat_admin, bill_admin;
