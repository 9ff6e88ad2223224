-- 0012_carryover.sql — annual carry-over (结转, BIL-16), set-based so a
-- million houses take minutes, in one transaction. For every house not in
-- the recycle bin: the heating status is carried or reset (suspended ->
-- heating; disconnected always stays), the new season's account is opened
-- at the new season's prices with its assessed fee (the rule of
-- bill.open_account), and, when arrears are carried, each old balance
-- (owed or credit) is moved: an adjustment closes it in the old account
-- and the same amount opens the new one. Nothing is lost: the sum over
-- both seasons is unchanged.

CREATE FUNCTION bill.carryover(p_from int, p_to int, p_carry_arrears boolean, p_carry_status boolean)
RETURNS TABLE (accounts bigint, status_reset bigint, balances_moved bigint, moved_fen bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE f bill.season; t bill.season; missing text; n_acc bigint; n_reset bigint := 0; n_mov bigint := 0; fen bigint := 0;
BEGIN
  PERFORM bill.require_role('bill_admin', 'the annual carry-over');
  SELECT * INTO f FROM bill.season WHERE id = p_from;
  SELECT * INTO t FROM bill.season WHERE id = p_to FOR UPDATE;
  IF f.id IS NULL OR t.id IS NULL OR t.start_date <= f.start_date THEN
    RAISE EXCEPTION 'carry-over goes from a season to a later one' USING ERRCODE = '22023';
  END IF;
  IF t.closed_at IS NOT NULL THEN
    RAISE EXCEPTION 'season % is closed', t.name USING ERRCODE = '55000';
  END IF;
  SELECT string_agg(DISTINCT h.house_type, ', ') INTO missing FROM bill.house h
    WHERE h.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM bill.tariff tr WHERE tr.season_id = p_to
      AND tr.house_type = h.house_type AND tr.from_date = t.start_date);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'season % has no price for house types %; set them first (billctl tariff set)', t.name, missing
      USING ERRCODE = '55000';
  END IF;
  IF NOT p_carry_status THEN
    UPDATE bill.house SET heating_status = 'heating' WHERE heating_status = 'suspended' AND deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM bill.account a WHERE a.house_id = bill.house.id AND a.season_id = p_to);
    GET DIAGNOSTICS n_reset = ROW_COUNT;
  END IF;
  INSERT INTO bill.account (house_id, season_id, initial_status)
  SELECT h.id, p_to, h.heating_status FROM bill.house h WHERE h.deleted_at IS NULL
  ON CONFLICT (house_id, season_id) DO NOTHING;
  GET DIAGNOSTICS n_acc = ROW_COUNT;
  PERFORM bill.assess_new_accounts(p_to);
  IF p_carry_arrears THEN
    SELECT m.n, m.fen INTO n_mov, fen FROM bill.move_balances(f, t) m;
  END IF;
  PERFORM heat.log_event('carryover', 'season', t.name,
    format('carry-over %s -> %s: %s accounts opened, %s suspended reset, %s balances moved (%s fen)',
           f.name, t.name, n_acc, n_reset, n_mov, fen));
  RETURN QUERY SELECT n_acc, n_reset, n_mov, fen;
END $$;

-- The assessed fee of every account of the season that has no entry yet
-- (a fee of 0, e.g. disconnected, is no entry).
CREATE FUNCTION bill.assess_new_accounts(p_season int) RETURNS void
LANGUAGE sql SET search_path = pg_catalog AS $$
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, note)
  SELECT id, 1, 'assessed', fee, start_date, note FROM (
    SELECT a.id, se.start_date, CASE a.initial_status
             WHEN 'heating' THEN round(h.charged_area * tr.fen_per_m2)
             WHEN 'disconnected' THEN 0
             ELSE round(round(h.charged_area * tr.fen_per_m2)
                        * coalesce(tr.base_ratio_ppm, bill.param_ppm('suspended.base_ratio', 300000)) / 1000000.0)
           END AS fee,
           h.charged_area || ' m2 x ' || to_char(tr.fen_per_m2 / 100.0, 'FM999999990.00') || ' yuan/m2'
           || CASE a.initial_status WHEN 'heating' THEN '' ELSE ' (' || a.initial_status || ')' END AS note
    FROM bill.account a JOIN bill.house h ON h.id = a.house_id JOIN bill.season se ON se.id = a.season_id
    JOIN bill.tariff tr ON tr.season_id = se.id AND tr.house_type = h.house_type AND tr.from_date = se.start_date
    WHERE a.season_id = p_season AND NOT EXISTS (SELECT 1 FROM bill.entry e WHERE e.account_id = a.id)) x
  WHERE fee > 0
$$;

-- Moves every non-zero balance of season f to the same house's account in t.
CREATE FUNCTION bill.move_balances(f bill.season, t bill.season, OUT n bigint, OUT fen bigint)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  CREATE TEMP TABLE carry ON COMMIT DROP AS
  SELECT a.id AS old_id, a.house_id, sum(e.amount_fen) AS balance, max(e.seq) AS old_seq,
         (SELECT na.id FROM bill.account na WHERE na.house_id = a.house_id AND na.season_id = t.id) AS new_id
  FROM bill.account a JOIN bill.entry e ON e.account_id = a.id
  WHERE a.season_id = f.id GROUP BY a.id HAVING sum(e.amount_fen) <> 0;
  DELETE FROM carry WHERE new_id IS NULL;  -- houses in the recycle bin keep their balance
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, note)
  SELECT old_id, old_seq + 1, 'adjustment', -balance, t.start_date, 'carried to ' || t.name FROM carry;
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, note)
  SELECT c.new_id, (SELECT max(seq) FROM bill.entry WHERE account_id = c.new_id) + 1, 'adjustment', c.balance,
         t.start_date, 'carried from ' || f.name FROM carry c;
  SELECT count(*), coalesce(sum(balance), 0) INTO n, fen FROM carry;
  DROP TABLE carry;
END $$;

REVOKE ALL ON FUNCTION bill.carryover, bill.assess_new_accounts, bill.move_balances FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.carryover TO bill_admin;
