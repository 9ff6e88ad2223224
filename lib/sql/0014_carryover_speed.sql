-- 0014_carryover_speed.sql — found by scripts/bench-billing: opening the
-- accounts of 100,000 houses took 6 minutes. bill.assess_new_accounts
-- inserted into bill.entry while its own NOT EXISTS looked into
-- bill.entry; planned while the table was small, that anti-join scanned
-- the whole table for every account, rows inserted by the same statement
-- included: quadratic. Now the accounts to assess are collected first, by
-- a statement of their own, and the insert reads only that list. The same
-- for the balances moved by the carry-over.

CREATE OR REPLACE FUNCTION bill.assess_new_accounts(p_season int) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS assess_todo (id bigint PRIMARY KEY) ON COMMIT DROP;
  TRUNCATE assess_todo;
  INSERT INTO assess_todo SELECT a.id FROM bill.account a
    WHERE a.season_id = p_season AND NOT EXISTS (SELECT 1 FROM bill.entry e WHERE e.account_id = a.id);
  ANALYZE assess_todo;
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
    FROM assess_todo t JOIN bill.account a ON a.id = t.id JOIN bill.house h ON h.id = a.house_id
    JOIN bill.season se ON se.id = a.season_id
    JOIN bill.tariff tr ON tr.season_id = se.id AND tr.house_type = h.house_type AND tr.from_date = se.start_date) x
  WHERE fee > 0;
END $$;

CREATE OR REPLACE FUNCTION bill.move_balances(f bill.season, t bill.season, OUT n bigint, OUT fen bigint)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  CREATE TEMP TABLE carry ON COMMIT DROP AS
  SELECT a.id AS old_id, a.house_id, sum(e.amount_fen) AS balance, max(e.seq) AS old_seq,
         (SELECT na.id FROM bill.account na WHERE na.house_id = a.house_id AND na.season_id = t.id) AS new_id
  FROM bill.account a JOIN bill.entry e ON e.account_id = a.id
  WHERE a.season_id = f.id GROUP BY a.id HAVING sum(e.amount_fen) <> 0;
  DELETE FROM carry WHERE new_id IS NULL;  -- houses in the recycle bin keep their balance
  ALTER TABLE carry ADD COLUMN new_seq int;
  UPDATE carry c SET new_seq = coalesce((SELECT max(seq) FROM bill.entry e WHERE e.account_id = c.new_id), 0);
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, note)
  SELECT old_id, old_seq + 1, 'adjustment', -balance, t.start_date, 'carried to ' || t.name FROM carry;
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, note)
  SELECT new_id, new_seq + 1, 'adjustment', balance, t.start_date, 'carried from ' || f.name FROM carry;
  SELECT count(*), coalesce(sum(balance), 0) INTO n, fen FROM carry;
  DROP TABLE carry;
END $$;
