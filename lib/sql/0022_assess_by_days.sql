-- 0022_assess_by_days.sql — an account opened after a mid-season price
-- change is assessed with the split by days (BIL-17), as the accounts that
-- existed when the change was made were adjusted to.
--
-- Found by an outside audit: bill.open_account (0009) and
-- bill.assess_new_accounts (0012, 0014) priced a new account with the
-- tariff that starts the season only, so a house imported (or first shown
-- or charged) after `billctl adjust-price` was assessed 2200.00 while the
-- fee engine (billing/fee.h), and so `billctl show`, said 2363.93.
--
-- Now both go through bill.assess, which is the fee engine's rule for an
-- account without status changes: each price k of the season's tariff rows
-- for the house type covers n_k of the N days (from its from_date to the
-- next one, the last to the season's end);
--   heating:      round(Σ F_k × n_k / N),  F_k = round(area × price_k)
--   suspended:    round(Σ B_k × n_k / N),  B_k = round(F_k × ratio)
--   disconnected: 0 (no entry),
-- each round half away from zero (numeric round), the ratio being the
-- season's own (the first tariff's base_ratio_ppm) or suspended.base_ratio.
-- The status is the house's now, which is the account's initial status,
-- or, for a house the carry-over resets, heating from the first day (see
-- 0023). A brand-new account has no payment, so a change reaches it
-- whatever price_change.reaches_paid says. One statement for any number of
-- accounts, so the carry-over of a million houses stays set-based.

CREATE FUNCTION bill.assess(p_accounts bigint[]) RETURNS void
LANGUAGE sql SET search_path = pg_catalog AS $$
  WITH acc AS (
    SELECT a.id, h.heating_status AS status, h.charged_area, h.house_type, se.id AS season_id, se.start_date,
           se.end_date - se.start_date AS n
    FROM unnest(p_accounts) x(id) JOIN bill.account a ON a.id = x.id
    JOIN bill.house h ON h.id = a.house_id JOIN bill.season se ON se.id = a.season_id
    WHERE NOT EXISTS (SELECT 1 FROM bill.entry e WHERE e.account_id = a.id)),
  periods AS (
    SELECT tr.season_id, tr.house_type, tr.fen_per_m2, tr.from_date,
           coalesce(lead(tr.from_date) OVER w, se.end_date) - tr.from_date AS days,
           coalesce(first_value(tr.base_ratio_ppm) OVER w,
                    bill.param_ppm('suspended.base_ratio', 300000)) AS ratio
    FROM bill.tariff tr JOIN bill.season se ON se.id = tr.season_id
    WHERE tr.season_id IN (SELECT DISTINCT season_id FROM acc)
      AND tr.from_date >= se.start_date AND tr.from_date < se.end_date
    WINDOW w AS (PARTITION BY tr.season_id, tr.house_type ORDER BY tr.from_date)),
  fee AS (
    SELECT acc.id, acc.start_date, acc.status, acc.charged_area, acc.n, count(*) AS prices,
           CASE acc.status
             WHEN 'heating' THEN round(sum(round(acc.charged_area * p.fen_per_m2) * p.days) / acc.n)
             WHEN 'suspended' THEN round(sum(round(round(acc.charged_area * p.fen_per_m2) * p.ratio / 1000000.0)
                                             * p.days) / acc.n)
             ELSE 0 END::bigint AS fee,
           string_agg(to_char(p.fen_per_m2 / 100.0, 'FM999999990.00') || ' yuan/m2 x ' || p.days || ' days',
                      ' + ' ORDER BY p.from_date) AS terms,
           min(to_char(p.fen_per_m2 / 100.0, 'FM999999990.00')) AS price
    FROM acc JOIN periods p ON p.season_id = acc.season_id AND p.house_type = acc.house_type
    GROUP BY acc.id, acc.start_date, acc.status, acc.charged_area, acc.n)
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, note)
  SELECT id, 1, 'assessed', fee, start_date,
         charged_area || ' m2 x ' || CASE WHEN prices = 1 THEN price || ' yuan/m2'
                                          ELSE '(' || terms || ') / ' || n || ' days' END
         || CASE status WHEN 'heating' THEN '' ELSE ' (' || status || ')' END
  FROM fee WHERE fee > 0
$$;
REVOKE ALL ON FUNCTION bill.assess(bigint[]) FROM PUBLIC;
-- No grants: only the SECURITY DEFINER functions below (their owner) call it.

-- As in 0009, with the fee from bill.assess, and refused for a house
-- outside the caller's data scope (SYS-1, BIL-28), as every other door to
-- the ledger is (bill.lock_account, 0020): the assessed fee is an entry too.
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

-- As in 0014: the accounts to assess are collected first (see there why).
CREATE OR REPLACE FUNCTION bill.assess_new_accounts(p_season int) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  PERFORM bill.assess(ARRAY(SELECT a.id FROM bill.account a WHERE a.season_id = p_season
                              AND NOT EXISTS (SELECT 1 FROM bill.entry e WHERE e.account_id = a.id)));
END $$;
REVOKE ALL ON FUNCTION bill.open_account, bill.assess_new_accounts FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.open_account TO bill_cashier;
-- bill.assess_new_accounts: no grants, only bill.carryover calls it.
