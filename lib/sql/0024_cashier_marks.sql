-- 0024_cashier_marks.sql — what cashiers see (BIL-3, BIL-5).
--
-- The arrears mark (BIL-5) counted the balance of every account, those of
-- a season not yet started included: right after the carry-over opened
-- next season's accounts, every house "owed" its next year's fee and was
-- marked in arrears. Now only seasons that have started (on or before
-- today in the session's time zone, the company's) count.
CREATE OR REPLACE FUNCTION bill.house_marks(p_house int, OUT arrears_fen bigint, OUT blacklist text,
                                            OUT valve double precision)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT coalesce((SELECT sum(greatest(x.balance, 0)) FROM bill.account a
                     JOIN bill.season s ON s.id = a.season_id, LATERAL bill.account_sums(a.id) x
                   WHERE a.house_id = p_house
                     AND s.start_date <= (now() AT TIME ZONE current_setting('TimeZone'))::date), 0)::bigint,
         (SELECT string_agg(kind, ',' ORDER BY kind) FROM bill.blacklist WHERE house_id = p_house AND removed_at IS NULL),
         (SELECT l.value FROM bill.house h JOIN heat.latest l ON l.point_id = h.valve_point_id WHERE h.id = p_house)
$$;
REVOKE ALL ON FUNCTION bill.house_marks FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.house_marks TO bill_cashier, bill_deputy, bill_production;

-- Addresses in natural order (BIL-3): 2号楼 before 10号楼, room 902 before
-- 1001. ICU's numeric ordering compares the digits inside a name as
-- numbers; billctl find sorts building, unit and room names with it.
CREATE COLLATION bill.natural (provider = icu, locale = 'und-u-kn-true');
