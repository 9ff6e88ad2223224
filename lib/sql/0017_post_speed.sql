-- 0017_post_speed.sql — a payment's time in the server, cut (issue 4 §9).
--
-- Found by scripts/bench-billing with log_min_duration_statement = 0: of
-- a 10 ms charge, bill.post took 2.5 ms. bill.account_sums and
-- bill.has_role were SQL functions with SET clauses, so they are never
-- inlined and each call from PL/pgSQL, or from a one-row query, was parsed
-- and planned anew (the lesson of 0013); bill.post called account_sums up
-- to four times. PL/pgSQL keeps its plans for the session. Same logic,
-- same signatures, so grants and callers are unchanged.

CREATE OR REPLACE FUNCTION bill.has_role(p_role text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  RETURN pg_has_role(session_user, p_role, 'MEMBER')
      OR coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false);
END $$;

CREATE OR REPLACE FUNCTION bill.account_sums(p_account bigint, OUT charges bigint, OUT paid bigint,
                                             OUT balance bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
  SELECT coalesce(sum(e.amount_fen) FILTER (WHERE coalesce(r.kind, e.kind) NOT IN ('payment', 'refund')), 0),
         -coalesce(sum(e.amount_fen) FILTER (WHERE coalesce(r.kind, e.kind) IN ('payment', 'refund')), 0),
         coalesce(sum(e.amount_fen), 0)
    INTO charges, paid, balance
    FROM bill.entry e LEFT JOIN bill.entry r ON r.id = e.reverses
   WHERE e.account_id = p_account;
END $$;

-- As in 0009, with the account's sums taken once after the insert.
CREATE OR REPLACE FUNCTION bill.post(p_account bigint, p_expected_seq int, p_kind text, p_amount bigint,
                                     p_date date, p_reverses bigint DEFAULT NULL, p_channel text DEFAULT NULL,
                                     p_method text DEFAULT NULL, p_note text DEFAULT '')
RETURNS TABLE (entry_id bigint, seq int, receipt_no text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE s int; e bigint; r text; sums record;
BEGIN
  PERFORM bill.check_post_right(p_kind);
  s := bill.lock_account(p_account, p_expected_seq);
  IF p_kind = 'payment' THEN
    PERFORM bill.check_payment_way(coalesce(p_channel, 'counter'), p_method, p_account);
  END IF;
  IF p_kind = 'reversal' THEN
    PERFORM bill.check_reversal(p_account, p_reverses, p_amount, p_note);
  END IF;
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, reverses, channel, method, note)
  VALUES (p_account, s, p_kind, p_amount, p_date, p_reverses,
          CASE WHEN p_kind IN ('payment', 'refund') THEN coalesce(p_channel, 'counter') END,
          p_method, coalesce(p_note, ''))
  RETURNING id INTO e;
  IF p_kind IN ('payment', 'refund') THEN
    r := bill.next_receipt(e);
  END IF;
  SELECT * INTO sums FROM bill.account_sums(p_account);
  IF sums.charges < 0 OR sums.paid < 0 THEN
    RAISE EXCEPTION 'this would make the account''s charges or payments negative' USING ERRCODE = '22023';
  END IF;
  IF p_kind = 'payment' AND sums.balance < 0
     AND coalesce((SELECT value FROM bill.param WHERE name = 'ledger.allow_prepayment'), 'false') <> 'true' THEN
    RAISE EXCEPTION 'this pays % fen more than is owed; prepayment is off (ledger.allow_prepayment)',
      -sums.balance USING ERRCODE = '22023';
  END IF;
  RETURN QUERY SELECT e, s, r;
END $$;
