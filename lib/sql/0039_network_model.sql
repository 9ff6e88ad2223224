-- 0039_network_model.sql — the hydraulic model of a network as base
-- information (ANA-3, ARC-1, SYS-3, SYS-4): its nodes (junctions, and the
-- fixed heads of reservoirs and tanks) and its links (pipes, pumps,
-- valves), each with its place on the map. lib/heat/analysis solves it;
-- heatctl imports and exports it (network YAML, EPANET .inp, GeoJSON).
--
-- Units are those engineers use: metres, millimetres of diameter, m³/h.
-- Codes are unique within a network (an EPANET file's IDs), so two
-- networks may both have a node J1. A link joins two nodes of its own
-- network (composite foreign keys), and a node names only a station of
-- its network.
--
-- Who may do what, as for heat.network: people who see the network's org
-- unit read its model; engineers write it (a node that names a station
-- also needs that station in scope); daemons read. Every change goes to
-- the operation log like other base information.

-- How pipe friction is computed for the network's model; roughness values
-- mean what the formula takes (D-W: absolute roughness in mm; H-W: C;
-- C-M: Manning's n).
ALTER TABLE heat.network ADD COLUMN headloss_formula text NOT NULL DEFAULT 'darcy_weisbach'
  CHECK (headloss_formula IN ('darcy_weisbach', 'hazen_williams', 'chezy_manning'));

CREATE TABLE heat.pipe_node (
  id serial PRIMARY KEY,
  network_id int NOT NULL REFERENCES heat.network ON DELETE CASCADE,
  code heat.code NOT NULL,
  kind text NOT NULL DEFAULT 'junction' CHECK (kind IN ('junction', 'reservoir', 'tank')),
  elevation_m double precision NOT NULL DEFAULT 0 CHECK (elevation_m BETWEEN -500 AND 9000),
  -- Junctions: the flow taken out of the network there (negative: put in).
  demand_m3h double precision NOT NULL DEFAULT 0 CHECK (abs(demand_m3h) <= 1e6),
  -- Reservoirs: the total head held; tanks: elevation plus water level.
  head_m double precision CHECK (head_m BETWEEN -500 AND 10000),
  -- Tanks: the levels above the elevation it may move between, and its
  -- diameter (a link that would overfill or drain it is closed).
  min_level_m double precision CHECK (min_level_m >= 0 AND min_level_m <= 1000),
  max_level_m double precision CHECK (max_level_m >= 0 AND max_level_m <= 1000),
  tank_diameter_m double precision CHECK (tank_diameter_m >= 0 AND tank_diameter_m <= 1000),
  station_id int REFERENCES heat.station ON DELETE SET NULL,  -- whose load this node is
  location geometry(Point, 4326),
  UNIQUE (network_id, code),
  UNIQUE (network_id, id),          -- the target of the links' composite keys
  CHECK ((kind = 'junction') = (head_m IS NULL)),
  CHECK (kind = 'junction' OR demand_m3h = 0),
  CHECK (kind = 'tank' OR (min_level_m IS NULL AND max_level_m IS NULL AND tank_diameter_m IS NULL)),
  CHECK (kind <> 'tank' OR (min_level_m IS NOT NULL AND max_level_m IS NOT NULL AND min_level_m <= max_level_m
                            AND tank_diameter_m IS NOT NULL))
);
CREATE INDEX ON heat.pipe_node (station_id);
CREATE INDEX ON heat.pipe_node USING gist (location);

CREATE TABLE heat.pipe_link (
  id serial PRIMARY KEY,
  network_id int NOT NULL REFERENCES heat.network ON DELETE CASCADE,
  code heat.code NOT NULL,
  kind text NOT NULL DEFAULT 'pipe' CHECK (kind IN ('pipe', 'pump', 'valve')),
  from_node_id int NOT NULL,
  to_node_id int NOT NULL,
  -- NULL: the link's usual state: open, and a valve's setting governs
  -- (active), as in EPANET's [VALVES]; 'open'/'closed' fix it as [STATUS].
  status text CHECK (status IN ('open', 'closed', 'active')),
  length_m double precision CHECK (length_m > 0 AND length_m <= 1e6),
  diameter_mm double precision CHECK (diameter_mm > 0 AND diameter_mm <= 10000),
  roughness double precision CHECK (roughness > 0 AND roughness <= 1e4),
  minor_loss double precision NOT NULL DEFAULT 0 CHECK (minor_loss >= 0 AND minor_loss <= 1e6),
  check_valve boolean NOT NULL DEFAULT false,
  -- Pumps: head curve [[m³/h, m], ...] or a constant power; GPVs: headloss
  -- curve [[m³/h, m], ...]. Flows ascending (checked before solving).
  curve jsonb CHECK (jsonb_typeof(curve) = 'array' AND jsonb_array_length(curve) BETWEEN 1 AND 100
                     AND NOT jsonb_path_exists(curve, 'strict $[*] ? (@.type() != "array" || @.size() != 2)')
                     AND NOT jsonb_path_exists(curve, 'strict $[*][*] ? (@.type() != "number")')),
  power_kw double precision CHECK (power_kw > 0 AND power_kw <= 1e6),
  speed double precision NOT NULL DEFAULT 1 CHECK (speed >= 0 AND speed <= 10),
  -- Valves: setting in m of pressure (prv psv pbv), m³/h (fcv), or the
  -- loss coefficient K on v²/2g (tcv); gpv uses curve.
  valve_type text CHECK (valve_type IN ('prv', 'psv', 'pbv', 'fcv', 'tcv', 'gpv')),
  setting double precision CHECK (setting >= 0 AND setting <= 1e6),
  path geometry(LineString, 4326),  -- the route as drawn; NULL: straight between the nodes
  UNIQUE (network_id, code),
  FOREIGN KEY (network_id, from_node_id) REFERENCES heat.pipe_node (network_id, id),
  FOREIGN KEY (network_id, to_node_id) REFERENCES heat.pipe_node (network_id, id),
  CHECK (from_node_id <> to_node_id),
  CHECK (kind <> 'pipe' OR (length_m IS NOT NULL AND diameter_mm IS NOT NULL AND roughness IS NOT NULL
                            AND valve_type IS NULL AND curve IS NULL AND power_kw IS NULL)),
  CHECK (kind <> 'pump' OR ((curve IS NULL) <> (power_kw IS NULL) AND valve_type IS NULL AND NOT check_valve)),
  CHECK (kind <> 'valve' OR (valve_type IS NOT NULL AND diameter_mm IS NOT NULL AND power_kw IS NULL
                             AND NOT check_valve AND (valve_type = 'gpv') = (curve IS NOT NULL)
                             AND (valve_type = 'gpv' OR setting IS NOT NULL))),
  CHECK (kind = 'valve' OR (setting IS NULL AND status IS DISTINCT FROM 'active'))
);
CREATE INDEX ON heat.pipe_link (from_node_id);
CREATE INDEX ON heat.pipe_link (to_node_id);
CREATE INDEX ON heat.pipe_link USING gist (path);

-- A node's station must be on the node's network: the load of a station on
-- another network is a modelling mistake the database refuses.
CREATE FUNCTION heat.pipe_node_station_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE s record;
BEGIN
  IF NEW.station_id IS NULL THEN RETURN NEW; END IF;
  SELECT code, network_id INTO s FROM heat.station WHERE id = NEW.station_id;
  IF s.network_id IS DISTINCT FROM NEW.network_id THEN
    RAISE EXCEPTION 'pipe node %: station % is not on this network', NEW.code, s.code
      USING ERRCODE = 'check_violation',
            HINT = 'set the station''s network first, or name a station of this network';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER station_check BEFORE INSERT OR UPDATE OF station_id, network_id ON heat.pipe_node
  FOR EACH ROW EXECUTE FUNCTION heat.pipe_node_station_check();

-- The operation log: the model's rows take the org unit of their network,
-- and a link's path is logged as WKT like locations.
-- heat.org_of keeps its body under a new name and answers for the model's
-- kinds first.
ALTER FUNCTION heat.org_of(text, jsonb) RENAME TO org_of_object;
CREATE FUNCTION heat.org_of(kind text, r jsonb) RETURNS int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF kind IN ('pipe_node', 'pipe_link') THEN
    RETURN (SELECT org_id FROM heat.network WHERE id = (r->>'network_id')::int);
  END IF;
  RETURN heat.org_of_object(kind, r);
END $$;

CREATE OR REPLACE FUNCTION heat.readable_row(r jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public AS $$
DECLARE k text;
BEGIN
  FOREACH k IN ARRAY ARRAY['location', 'path'] LOOP
    IF r ? k AND r->>k IS NOT NULL THEN
      r := jsonb_set(r, ARRAY[k], to_jsonb(ST_AsText((r->>k)::geometry)));
    END IF;
  END LOOP;
  RETURN r;
END $$;

CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON heat.pipe_node
  FOR EACH ROW EXECUTE FUNCTION heat.audit_row();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON heat.pipe_link
  FOR EACH ROW EXECUTE FUNCTION heat.audit_row();

-- Scope: the network's (its policy filters the sub-select). Writing a node
-- that names a station needs the station in scope too (0018: conditions
-- AND-ed), but reading does not: a model missing a node would solve wrong.
ALTER TABLE heat.pipe_node ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.pipe_node
  USING (network_id IN (SELECT id FROM heat.network))
  WITH CHECK (network_id IN (SELECT id FROM heat.network)
              AND (station_id IS NULL OR station_id IN (SELECT id FROM heat.station)));
ALTER TABLE heat.pipe_link ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.pipe_link USING (network_id IN (SELECT id FROM heat.network));

REVOKE ALL ON heat.pipe_node, heat.pipe_link FROM PUBLIC;
REVOKE ALL ON FUNCTION heat.pipe_node_station_check, heat.org_of FROM PUBLIC;
GRANT SELECT ON heat.pipe_node, heat.pipe_link TO heat_operator, heat_service;
GRANT INSERT, UPDATE, DELETE ON heat.pipe_node, heat.pipe_link TO heat_engineer;
GRANT USAGE ON SEQUENCE heat.pipe_node_id_seq, heat.pipe_link_id_seq TO heat_engineer;
