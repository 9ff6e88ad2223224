-- 0025_open_account_scope.sql — opening a season's account is refused for
-- a house outside the caller's data scope (SYS-1, BIL-28), as every other
-- door to the ledger is (bill.lock_account, 0020): the assessed fee is a
-- ledger entry too. As in 0022, with the scope checked first.
CREATE OR REPLACE FUNCTION bill.open_account(p_house int, p_season int) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE a bigint; h record; t record;
BEGIN
  PERFORM bill.require_role('bill_cashier', 'opening an account');
  IF NOT bill.house_in(p_house, bill.scope_orgs(session_user)) THEN
    RAISE EXCEPTION 'house % is outside your data scope', p_house USING ERRCODE = '42501';
  END IF;
  SELECT id INTO a FROM bill.account WHERE house_id = p_house AND season_id = p_season;
  IF a IS NOT NULL THEN RETURN a; END IF;
  SELECT * INTO h FROM bill.house WHERE id = p_house AND deleted_at IS NULL;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no house % (or it is in the recycle bin)', p_house USING ERRCODE = 'P0002';
  END IF;
  SELECT tr.fen_per_m2, se.name INTO t FROM bill.season se LEFT JOIN bill.tariff tr
      ON tr.season_id = se.id AND tr.house_type = h.house_type AND tr.from_date = se.start_date
    WHERE se.id = p_season;
  IF t.fen_per_m2 IS NULL THEN
    RAISE EXCEPTION 'season % has no price for house type % (billctl tariff set)', t.name, h.house_type
      USING ERRCODE = '55000';
  END IF;
  INSERT INTO bill.account (house_id, season_id, initial_status)
  VALUES (p_house, p_season, h.heating_status)
    ON CONFLICT (house_id, season_id) DO NOTHING RETURNING id INTO a;
  IF a IS NULL THEN  -- another session opened it just now
    RETURN (SELECT id FROM bill.account WHERE house_id = p_house AND season_id = p_season);
  END IF;
  PERFORM bill.assess(ARRAY[a]);
  RETURN a;
END $$;
