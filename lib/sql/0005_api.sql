-- 0005_api.sql — the open interface (ARC-4): stable read-only views in
-- schema api, documented in heat-api(7). They run with the rights of the
-- caller (security_invoker), so row-level security scopes them too.

CREATE VIEW api.org_unit WITH (security_invoker = true) AS
  SELECT o.code, o.name, p.code AS parent
  FROM heat.org_unit o LEFT JOIN heat.org_unit p ON p.id = o.parent_id;

CREATE VIEW api.station WITH (security_invoker = true) AS
  SELECT s.code, s.name, o.code AS org, o.name AS org_name, n.code AS network,
         s.process_type, s.heating_area_m2, s.design_supply_c, s.design_return_c,
         s.design_flow_m3h, ST_X(s.location) AS lon, ST_Y(s.location) AS lat, s.address
  FROM heat.station s
  JOIN heat.org_unit o ON o.id = s.org_id
  LEFT JOIN heat.network n ON n.id = s.network_id;

CREATE VIEW api.building WITH (security_invoker = true) AS
  SELECT b.code, b.name, s.code AS station, b.area_m2, b.floors, b.year_built,
         ST_X(b.location) AS lon, ST_Y(b.location) AS lat, b.address
  FROM heat.building b JOIN heat.station s ON s.id = b.station_id;

-- Where each point sits: its device, station (directly or through a
-- building) and building. Internal (keeps ids), the api views below use it.
CREATE VIEW heat.point_place WITH (security_invoker = true) AS
  SELECT p.id, p.code, p.tag, p.name, p.unit, p.kind, d.code AS device, d.kind AS device_kind,
         coalesce(s.code, bs.code) AS station, b.code AS building
  FROM heat.point p
  JOIN heat.device d ON d.id = p.device_id
  LEFT JOIN heat.station s ON s.id = d.station_id
  LEFT JOIN heat.building b ON b.id = d.building_id
  LEFT JOIN heat.station bs ON bs.id = b.station_id;
GRANT SELECT ON heat.point_place TO heat_operator, heat_service;

CREATE VIEW api.point WITH (security_invoker = true) AS
  SELECT code, tag, name, unit, kind, device, device_kind, station, building
  FROM heat.point_place;

CREATE VIEW api.latest WITH (security_invoker = true) AS
  SELECT p.code AS point, p.station, p.building, p.device, p.tag, l.value, p.unit, l.ts,
         l.quality, extract(epoch FROM now() - l.ts)::bigint AS age_s
  FROM heat.latest l JOIN heat.point_place p ON p.id = l.point_id;

-- One row per station with its key latest values (DESIGN §4 station tags).
CREATE VIEW api.station_latest WITH (security_invoker = true) AS
  SELECT s.code AS station, s.name,
         max(l.value) FILTER (WHERE l.tag = 't1s') AS t1s,
         max(l.value) FILTER (WHERE l.tag = 't1r') AS t1r,
         max(l.value) FILTER (WHERE l.tag = 't2s') AS t2s,
         max(l.value) FILTER (WHERE l.tag = 't2r') AS t2r,
         max(l.value) FILTER (WHERE l.tag = 'p2s') AS p2s,
         max(l.value) FILTER (WHERE l.tag = 'p2r') AS p2r,
         max(l.value) FILTER (WHERE l.tag = 'f1') AS f1,
         max(l.value) FILTER (WHERE l.tag = 'pw1') AS pw1,
         max(l.value) FILTER (WHERE l.tag = 'q1') AS q1,
         max(l.value) FILTER (WHERE l.tag = 'v1') AS v1,
         max(l.ts) AS ts
  FROM heat.station s
  LEFT JOIN api.latest l ON l.station = s.code AND l.building IS NULL
  GROUP BY s.code, s.name;

GRANT SELECT ON ALL TABLES IN SCHEMA api TO heat_operator, heat_service;
