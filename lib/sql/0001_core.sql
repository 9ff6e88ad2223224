-- 0001_core.sql — roles, the org tree, base information (SYS-3, ARC-3),
-- row-level security by org unit (SYS-1) and the operation log (SYS-2).
-- Applied by heatctl db migrate as the database owner. See heat(7).

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA heat;
CREATE SCHEMA api;
REVOKE ALL ON SCHEMA heat, api FROM PUBLIC;

-- Group roles (DESIGN §6). Persons are login roles that are members of
-- these; nothing is granted to a person directly. Roles are cluster-wide,
-- so they are created only when missing.
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['heat_admin', 'heat_engineer', 'heat_operator', 'heat_service',
                           'bill_admin', 'bill_supervisor', 'bill_deputy', 'bill_production',
                           'bill_cashier', 'heat_pay'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END $$;
-- Rights accumulate upwards: an admin can do what an engineer can, and so on.
GRANT heat_operator TO heat_engineer;
GRANT heat_engineer TO heat_admin;
GRANT bill_cashier TO bill_supervisor;
GRANT bill_supervisor TO bill_admin;

GRANT USAGE ON SCHEMA heat, api TO heat_operator, heat_service, bill_cashier, bill_deputy, bill_production;

-- Which role names are the platform's own groups (used by heatctl user).
CREATE TABLE heat.group_role (
  name text PRIMARY KEY,
  module text NOT NULL CHECK (module IN ('scada', 'billing', 'service')),
  description text NOT NULL
);
INSERT INTO heat.group_role VALUES
  ('heat_admin', 'scada', 'administrator: users, org tree, log, everything in scope'),
  ('heat_engineer', 'scada', 'engineer: maintains base information, control and alarm settings'),
  ('heat_operator', 'scada', 'operator: monitors, acknowledges alarms, sends commands'),
  ('heat_service', 'service', 'daemons (heatd-*): see all stations'),
  ('bill_admin', 'billing', 'billing administrator: seasons, tariffs, parameters'),
  ('bill_supervisor', 'billing', 'hall supervisor: approves 50-200 yuan requests'),
  ('bill_deputy', 'billing', 'deputy leader: co-approves requests over 200 yuan'),
  ('bill_production', 'billing', 'production department: co-approves requests over 200 yuan'),
  ('bill_cashier', 'billing', 'cashier: charges, refunds, receipts'),
  ('heat_pay', 'service', 'the residents'' payment page (heatpay.cgi)');

-- ---------------------------------------------------------------------------
-- The org tree. Data scopes are subtrees of it.
CREATE TABLE heat.org_unit (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$'),
  name text NOT NULL CHECK (name <> ''),
  parent_id int REFERENCES heat.org_unit ON DELETE RESTRICT,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Refuses a parent that would make the tree a cycle.
CREATE FUNCTION heat.org_unit_no_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.parent_id IS NOT NULL AND EXISTS (
      WITH RECURSIVE up(id, parent_id) AS (
        SELECT id, parent_id FROM heat.org_unit WHERE id = NEW.parent_id
        UNION ALL
        SELECT o.id, o.parent_id FROM heat.org_unit o JOIN up ON o.id = up.parent_id)
      SELECT 1 FROM up WHERE id = NEW.id) THEN
    RAISE EXCEPTION 'org unit % cannot be placed under its own descendant', NEW.code
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER org_unit_no_cycle BEFORE UPDATE OF parent_id ON heat.org_unit
  FOR EACH ROW EXECUTE FUNCTION heat.org_unit_no_cycle();

-- Data scope of each login role: the org units (with their subtrees) it sees.
CREATE TABLE heat.user_scope (
  login name NOT NULL,
  org_id int NOT NULL REFERENCES heat.org_unit ON DELETE CASCADE,
  PRIMARY KEY (login, org_id)
);

CREATE FUNCTION heat.is_admin(who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT pg_has_role(who, 'heat_admin', 'MEMBER') OR pg_has_role(who, 'heat_service', 'MEMBER')
      OR (SELECT rolsuper FROM pg_roles WHERE rolname = who)
$$;

-- The org unit ids a role sees: every unit for admins and daemons, else the
-- subtrees of its scope. Policies call it as
-- org_id = ANY ((SELECT heat.visible_orgs(current_user))::int[]) so that it runs
-- once per statement, not once per row.
CREATE FUNCTION heat.visible_orgs(who name) RETURNS int[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT CASE WHEN heat.is_admin(who) THEN (SELECT coalesce(array_agg(id), '{}') FROM heat.org_unit)
  ELSE (
    WITH RECURSIVE down(id) AS (
      SELECT org_id FROM heat.user_scope WHERE login = who
      UNION
      SELECT o.id FROM heat.org_unit o JOIN down ON o.parent_id = down.id)
    SELECT coalesce(array_agg(id), '{}') FROM down)
  END
$$;

-- ---------------------------------------------------------------------------
-- Base information (SYS-3). Codes are the stable keys people and files use.
CREATE DOMAIN heat.code AS text CHECK (VALUE ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$');

CREATE TABLE heat.heat_source (
  id serial PRIMARY KEY,
  code heat.code NOT NULL UNIQUE,
  name text NOT NULL CHECK (name <> ''),
  kind text NOT NULL DEFAULT 'boiler'
    CHECK (kind IN ('chp', 'boiler', 'heat_pump', 'industrial', 'other')),
  org_id int NOT NULL REFERENCES heat.org_unit,
  capacity_mw numeric(10, 2) CHECK (capacity_mw >= 0),
  location geometry(Point, 4326),
  address text
);

CREATE TABLE heat.network (
  id serial PRIMARY KEY,
  code heat.code NOT NULL UNIQUE,
  name text NOT NULL CHECK (name <> ''),
  kind text NOT NULL CHECK (kind IN ('primary', 'secondary')),
  org_id int NOT NULL REFERENCES heat.org_unit,
  source_id int REFERENCES heat.heat_source
);

CREATE TABLE heat.station (
  id serial PRIMARY KEY,
  code heat.code NOT NULL UNIQUE,
  name text NOT NULL CHECK (name <> ''),
  org_id int NOT NULL REFERENCES heat.org_unit,
  network_id int REFERENCES heat.network,
  process_type text NOT NULL DEFAULT 'plate_hx'
    CHECK (process_type IN ('plate_hx', 'mixing', 'direct', 'unit_hx', 'boiler')),
  heating_area_m2 numeric(12, 2) NOT NULL DEFAULT 0 CHECK (heating_area_m2 >= 0),
  design_supply_c numeric(5, 1) CHECK (design_supply_c BETWEEN 0 AND 200),
  design_return_c numeric(5, 1) CHECK (design_return_c BETWEEN 0 AND 200),
  design_flow_m3h numeric(10, 2) CHECK (design_flow_m3h >= 0),
  location geometry(Point, 4326),
  address text,
  CHECK (design_return_c IS NULL OR design_supply_c IS NULL OR design_return_c < design_supply_c)
);
CREATE INDEX ON heat.station (org_id);
CREATE INDEX ON heat.station USING gist (location);

CREATE TABLE heat.building (
  id serial PRIMARY KEY,
  code heat.code NOT NULL UNIQUE,
  name text NOT NULL CHECK (name <> ''),
  station_id int NOT NULL REFERENCES heat.station,
  area_m2 numeric(12, 2) NOT NULL DEFAULT 0 CHECK (area_m2 >= 0),
  floors int CHECK (floors BETWEEN 1 AND 200),
  year_built int CHECK (year_built BETWEEN 1900 AND 2100),
  location geometry(Point, 4326),
  address text
);
CREATE INDEX ON heat.building (station_id);

-- Register maps for Modbus devices (the YAML of DESIGN §5, kept as JSON).
CREATE TABLE heat.register_map (
  id serial PRIMARY KEY,
  code heat.code NOT NULL UNIQUE,
  name text NOT NULL CHECK (name <> ''),
  vendor text,
  model text,
  body jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE heat.device (
  id serial PRIMARY KEY,
  code heat.code NOT NULL UNIQUE,
  name text NOT NULL CHECK (name <> ''),
  kind text NOT NULL CHECK (kind IN ('control_box', 'plc', 'room_sensor', 'heat_meter', 'valve',
                                     'pump', 'electricity_meter', 'water_meter')),
  protocol text NOT NULL CHECK (protocol IN ('coap', 'mqtt', 'modbus_tcp', 'mbus', 'cjt188', 'manual')),
  address text,                 -- IMEI, host:port/unit, meter address: per protocol
  station_id int REFERENCES heat.station,
  building_id int REFERENCES heat.building,
  register_map_id int REFERENCES heat.register_map,
  vendor text,
  model text,
  settings jsonb NOT NULL DEFAULT '{}',  -- per-device settings (upload period, ...)
  CHECK (station_id IS NOT NULL OR building_id IS NOT NULL)
);
CREATE INDEX ON heat.device (station_id);
CREATE INDEX ON heat.device (building_id);
CREATE UNIQUE INDEX ON heat.device (protocol, address) WHERE address IS NOT NULL;

CREATE TABLE heat.point (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$'),
  device_id int NOT NULL REFERENCES heat.device ON DELETE CASCADE,
  tag text NOT NULL CHECK (tag ~ '^[a-z][a-z0-9_]{0,31}$'),
  name text,
  unit text,
  kind text NOT NULL DEFAULT 'analog'
    CHECK (kind IN ('analog', 'digital', 'counter', 'setpoint', 'status')),
  range_lo double precision,
  range_hi double precision,
  scale double precision NOT NULL DEFAULT 1,
  value_offset double precision NOT NULL DEFAULT 0,
  UNIQUE (device_id, tag),
  CHECK (range_lo IS NULL OR range_hi IS NULL OR range_lo < range_hi)
);
