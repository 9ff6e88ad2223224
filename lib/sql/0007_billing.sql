-- 0007_billing.sql — billing base information (issue 4): communities,
-- buildings, units, houses, customers, related houses (BIL-4), cards
-- (BIL-8), blacklist (BIL-2), documents by content hash (BIL-1),
-- dictionaries (BIL-25), channels and methods (BIL-27), parameters
-- (BIL-29), seasons and tariffs. The ledger is 0008_ledger.sql.
--
-- Rights (DESIGN §6): every billing role reads everything here; cashiers
-- keep customers, cards and documents; supervisors the blacklist;
-- bill_admin houses, seasons, tariffs, parameters and dictionaries.
-- Every change is in heat.op_log through the audit trigger.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SCHEMA bill;
REVOKE ALL ON SCHEMA bill FROM PUBLIC;
GRANT USAGE ON SCHEMA bill TO bill_cashier, bill_deputy, bill_production, heat_service;

-- Dictionaries (BIL-25): house types, surcharge types, blacklist kinds,
-- document categories, reduction reasons, customer types.
CREATE TABLE bill.dict (
  kind text NOT NULL CHECK (kind IN ('house_type', 'customer_type', 'control_type', 'reduction_reason',
                                     'surcharge_type', 'refund_reason', 'blacklist_kind', 'doc_category',
                                     'suspension_reason', 'forced_stop_reason', 'area_change_reason',
                                     'disconnection_reason', 'heat_source_type')),
  code text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
  label text NOT NULL CHECK (label <> ''),
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (kind, code)
);
INSERT INTO bill.dict (kind, code, label) VALUES
  ('house_type', 'residential', '住宅'), ('house_type', 'commercial', '商业'),
  ('house_type', 'public', '公建'), ('house_type', 'low_income', '低保'),
  ('surcharge_type', 'reconnection', '复网费'), ('surcharge_type', 'valve', '阀门费'),
  ('blacklist_kind', 'arrears', '长期欠费'), ('blacklist_kind', 'theft', '偷热'),
  ('blacklist_kind', 'dispute', '纠纷'),
  ('doc_category', 'deed', '房产证'), ('doc_category', 'id_card', '身份证'),
  ('doc_category', 'contract', '供热合同'), ('doc_category', 'stop_form', '报停申请'),
  ('reduction_reason', 'hardship', '困难户'), ('reduction_reason', 'complaint', '温度不达标'),
  ('customer_type', 'resident', '居民'), ('customer_type', 'company', '单位'),
  ('control_type', 'valve', '户控阀'), ('control_type', 'none', '无户控'),
  ('refund_reason', 'overpaid', '多缴'), ('refund_reason', 'suspended', '报停退费'),
  ('suspension_reason', 'vacant', '空置'), ('suspension_reason', 'renovation', '装修'),
  ('forced_stop_reason', 'arrears', '欠费停供'), ('forced_stop_reason', 'safety', '安全隐患'),
  ('area_change_reason', 'survey', '重新测量'), ('area_change_reason', 'deed', '房产证更正'),
  ('disconnection_reason', 'own_heating', '自采暖'), ('disconnection_reason', 'demolition', '拆迁'),
  ('heat_source_type', 'chp', '热电联产'), ('heat_source_type', 'boiler', '区域锅炉房');

-- Whether a code is in a dictionary. Used in CHECK constraints: entries
-- are deactivated, never deleted, so a code once valid stays valid.
CREATE FUNCTION bill.in_dict(p_kind text, p_code text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT EXISTS (SELECT 1 FROM bill.dict WHERE kind = p_kind AND code = p_code)
$$;

-- Channels (where money comes in) and methods (how), each closable wholly
-- (open = false) or in part (BIL-27): a payment_closure row closes what
-- it names, a NULL column meaning "any" - a channel for one customer
-- type, one method inside one channel, or a method for a customer type.
CREATE TABLE bill.channel (
  code text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
  kind text NOT NULL CHECK (kind IN ('channel', 'method')),
  label text NOT NULL,
  open boolean NOT NULL DEFAULT true
);
INSERT INTO bill.channel VALUES
  ('counter', 'channel', '营业厅柜台', true), ('mobile', 'channel', '手机缴费', true),
  ('bank', 'channel', '银行代收', true),
  ('cash', 'method', '现金', true), ('card', 'method', '银行卡', true),
  ('wechat', 'method', '微信', true), ('alipay', 'method', '支付宝', true),
  ('transfer', 'method', '转账', true);
CREATE TABLE bill.payment_closure (
  id serial PRIMARY KEY,
  channel text REFERENCES bill.channel,
  method text REFERENCES bill.channel,
  customer_type text CHECK (customer_type IS NULL OR bill.in_dict('customer_type', customer_type)),
  CHECK (channel IS NOT NULL OR method IS NOT NULL),
  UNIQUE NULLS NOT DISTINCT (channel, method, customer_type)
);

-- Parameters (BIL-29): name -> text; the table of names, types and
-- defaults is billing/params.h (billctl param list). A missing row is the
-- default.
CREATE TABLE bill.param (
  name text PRIMARY KEY CHECK (name ~ '^[a-z_]+\.[a-z_]+$'),
  value text NOT NULL
);

CREATE TABLE bill.season (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[0-9]{4}-[0-9]{4}$'),
  start_date date NOT NULL,
  end_date date NOT NULL,         -- first day without heating
  closed_at timestamptz,
  CHECK (end_date > start_date AND end_date <= start_date + 366),
  CHECK (split_part(name, '-', 1)::int = extract(year FROM start_date)
         AND split_part(name, '-', 2)::int = split_part(name, '-', 1)::int + 1)
);

-- Price per m² per house type and season; a row with a from_date after
-- the season start is a mid-season price change (BIL-17).
CREATE TABLE bill.tariff (
  season_id int NOT NULL REFERENCES bill.season,
  house_type text NOT NULL CHECK (bill.in_dict('house_type', house_type)),
  from_date date NOT NULL,
  fen_per_m2 bigint NOT NULL CHECK (fen_per_m2 >= 0),
  base_ratio_ppm int CHECK (base_ratio_ppm BETWEEN 0 AND 1000000),  -- NULL: the parameter
  reaches_paid boolean NOT NULL DEFAULT false,
  set_by name NOT NULL DEFAULT session_user,
  set_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (season_id, house_type, from_date)
);

-- ---------------------------------------------------------------------------
-- Where houses are. pinyin_keys is written by the tools (billing/pinyin.h):
-- full pinyin and initials of every polyphone reading, for BIL-3 search.
CREATE TABLE bill.community (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name <> ''),
  pinyin_keys text NOT NULL DEFAULT '',
  org_id int REFERENCES heat.org_unit,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE bill.building (
  id serial PRIMARY KEY,
  community_id int NOT NULL REFERENCES bill.community,
  name text NOT NULL CHECK (name <> ''),
  station_id int REFERENCES heat.station,   -- the substation that heats it
  UNIQUE (community_id, name)
);
CREATE TABLE bill.unit (
  id serial PRIMARY KEY,
  building_id int NOT NULL REFERENCES bill.building,
  name text NOT NULL,                       -- '' for a building without units
  UNIQUE (building_id, name)
);

CREATE TABLE bill.customer (
  id serial PRIMARY KEY,
  name text NOT NULL CHECK (name <> ''),
  pinyin_keys text NOT NULL DEFAULT '',
  phone text CHECK (phone ~ '^[0-9+ -]{3,20}$'),
  id_number text CHECK (id_number ~ '^[0-9]{17}[0-9Xx]$'),
  customer_type text NOT NULL DEFAULT 'resident' CHECK (bill.in_dict('customer_type', customer_type)),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON bill.customer USING gin (name gin_trgm_ops);
CREATE INDEX ON bill.customer (name text_pattern_ops);
CREATE INDEX ON bill.customer USING gin (pinyin_keys gin_trgm_ops);
CREATE INDEX ON bill.customer (phone text_pattern_ops);

CREATE TABLE bill.house (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$'),
  unit_id int NOT NULL REFERENCES bill.unit,
  room text NOT NULL CHECK (room <> ''),
  charged_area numeric(10,2) NOT NULL CHECK (charged_area > 0),
  building_area numeric(10,2) CHECK (building_area > 0),
  usable_area numeric(10,2) CHECK (usable_area > 0),
  house_type text NOT NULL CHECK (bill.in_dict('house_type', house_type)),
  customer_id int REFERENCES bill.customer,
  station_id int REFERENCES heat.station,       -- SCADA link (ARC-4)
  valve_point_id int REFERENCES heat.point,     -- household valve
  heating_status text NOT NULL DEFAULT 'heating'
    CHECK (heating_status IN ('heating', 'suspended', 'disconnected')),
  deleted_at timestamptz,                       -- recycle bin (BIL-7)
  deleted_by name,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (unit_id, room)
);
CREATE INDEX ON bill.house (customer_id);
CREATE INDEX ON bill.house USING gin (code gin_trgm_ops);

-- Related houses (BIL-4): a subsidiary is paid up before its main house.
CREATE TABLE bill.house_relation (
  main_id int NOT NULL REFERENCES bill.house,
  sub_id int NOT NULL REFERENCES bill.house UNIQUE,   -- one main per subsidiary
  PRIMARY KEY (main_id, sub_id),
  CHECK (main_id <> sub_id)
);

-- Cards (BIL-8): what a barcode scanner types at the counter.
CREATE TABLE bill.card (
  card_no text PRIMARY KEY CHECK (card_no ~ '^[0-9A-Za-z]{4,32}$'),
  house_id int NOT NULL REFERENCES bill.house,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled', 'replaced')),
  issued_by name NOT NULL DEFAULT session_user,
  issued_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz
);
CREATE UNIQUE INDEX card_one_active ON bill.card (house_id) WHERE status = 'active';

-- Blacklist (BIL-2): an entry is ended, never deleted.
CREATE TABLE bill.blacklist (
  id serial PRIMARY KEY,
  house_id int NOT NULL REFERENCES bill.house,
  kind text NOT NULL CHECK (bill.in_dict('blacklist_kind', kind)),
  reason text NOT NULL CHECK (reason <> ''),
  added_by name NOT NULL DEFAULT session_user,
  added_at timestamptz NOT NULL DEFAULT now(),
  removed_by name,
  removed_at timestamptz
);
CREATE UNIQUE INDEX blacklist_one_open ON bill.blacklist (house_id, kind) WHERE removed_at IS NULL;

-- Documents (BIL-1): the bytes once per content hash, linked per house.
CREATE TABLE bill.document (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_type text NOT NULL,
  bytes bytea NOT NULL,
  CHECK (encode(sha256(bytes), 'hex') = sha256)
);
CREATE TABLE bill.house_document (
  house_id int NOT NULL REFERENCES bill.house,
  category text NOT NULL CHECK (bill.in_dict('doc_category', category)),
  sha256 text NOT NULL REFERENCES bill.document,
  file_name text NOT NULL,
  added_by name NOT NULL DEFAULT session_user,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (house_id, category, sha256)
);

-- ---------------------------------------------------------------------------
-- Rights.
GRANT SELECT ON ALL TABLES IN SCHEMA bill TO bill_cashier, bill_deputy, bill_production;
GRANT SELECT ON bill.house, bill.community, bill.building, bill.unit TO heat_service;
GRANT INSERT, UPDATE ON bill.customer, bill.card, bill.document, bill.house_document,
                        bill.house_relation TO bill_cashier;
GRANT DELETE ON bill.house_relation TO bill_cashier;
GRANT UPDATE (customer_id) ON bill.house TO bill_cashier;
GRANT INSERT, UPDATE ON bill.blacklist TO bill_supervisor;
GRANT INSERT, UPDATE ON bill.dict, bill.channel, bill.param, bill.season, bill.tariff,
                        bill.community, bill.building, bill.unit, bill.house TO bill_admin;
GRANT INSERT, DELETE ON bill.payment_closure TO bill_admin;
GRANT USAGE ON SEQUENCE bill.payment_closure_id_seq TO bill_admin;
GRANT DELETE ON bill.param, bill.tariff TO bill_admin;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA bill TO bill_cashier;

-- Audit (SYS-2, BIL-24): every change to billing base information.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['dict', 'channel', 'payment_closure', 'param', 'season', 'tariff',
                           'community', 'building', 'unit', 'customer', 'house',
                           'house_relation', 'card', 'blacklist', 'house_document'] LOOP
    EXECUTE format('CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON bill.%I '
                   'FOR EACH ROW EXECUTE FUNCTION heat.audit_row()', t);
  END LOOP;
END $$;
