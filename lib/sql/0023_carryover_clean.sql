-- 0023_carryover_clean.sql — the annual carry-over leaves nothing for
-- `billctl check` to find (BIL-16, BIL-18).
--
-- Found by an outside audit: a suspended house reset to heating by the
-- carry-over (carry_over.heating_status = reset) had no status event, so
-- its heating status disagreed with its last status change (suspend, in
-- the old season) and `check` reported records_vs_accounts for every such
-- house. Now the reset is recorded as what it is: the new season's
-- account starts suspended (the status carried in) and a resumption (复热)
-- dated the season's first day, with the reason "carry-over", makes it
-- heating for the whole season; bill.assess (0022) prices it by the
-- house's status, heating, which is what the fee engine computes for that
-- timeline (the suspended span is empty).

ALTER TABLE bill.status_event ADD COLUMN reason text NOT NULL DEFAULT '';

-- As in 0012, with the reset recorded.
CREATE OR REPLACE FUNCTION bill.carryover(p_from int, p_to int, p_carry_arrears boolean, p_carry_status boolean)
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
  CREATE TEMP TABLE carry_reset (house_id int PRIMARY KEY) ON COMMIT DROP;
  IF NOT p_carry_status THEN
    WITH r AS (UPDATE bill.house SET heating_status = 'heating' WHERE heating_status = 'suspended'
                 AND deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM bill.account a
                   WHERE a.house_id = bill.house.id AND a.season_id = p_to) RETURNING id)
    INSERT INTO carry_reset SELECT id FROM r;
    GET DIAGNOSTICS n_reset = ROW_COUNT;
  END IF;
  INSERT INTO bill.account (house_id, season_id, initial_status)
  SELECT h.id, p_to, CASE WHEN r.house_id IS NULL THEN h.heating_status ELSE 'suspended' END
    FROM bill.house h LEFT JOIN carry_reset r ON r.house_id = h.id WHERE h.deleted_at IS NULL
  ON CONFLICT (house_id, season_id) DO NOTHING;
  GET DIAGNOSTICS n_acc = ROW_COUNT;
  INSERT INTO bill.status_event (account_id, event_date, kind, reason)
  SELECT a.id, t.start_date, 'resume', 'carry-over' FROM carry_reset r
    JOIN bill.account a ON a.house_id = r.house_id AND a.season_id = p_to;
  DROP TABLE carry_reset;
  PERFORM bill.assess_new_accounts(p_to);
  IF p_carry_arrears THEN
    SELECT m.n, m.fen INTO n_mov, fen FROM bill.move_balances(f, t) m;
  END IF;
  PERFORM heat.log_event('carryover', 'season', t.name,
    format('carry-over %s -> %s: %s accounts opened, %s suspended reset, %s balances moved (%s fen)',
           f.name, t.name, n_acc, n_reset, n_mov, fen));
  RETURN QUERY SELECT n_acc, n_reset, n_mov, fen;
END $$;
REVOKE ALL ON FUNCTION bill.carryover FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.carryover TO bill_admin;
