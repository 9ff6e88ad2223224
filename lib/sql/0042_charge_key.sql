-- 0042_charge_key.sql — a payment's request key (BIL-11, BIL-12, OPS-1):
-- the key the client chose for one charge (billctl charge --key, or a
-- random one per call; the counter's one per charge form). When the
-- connection breaks around the COMMIT the client cannot know whether the
-- payment was stored; it connects again (to the other node after a
-- failover) and looks the key up: there, the receipt is the one it
-- wanted; absent, it charges again. One key names at most one entry, so
-- a charge sent twice is stored once.
--
-- Who may do what: nothing new. The key is a column of bill.entry, read
-- with the entry (row-level security and grants of 0008 and 0020) and
-- written only through bill.charge (bill_cashier), like the entry itself.

ALTER TABLE bill.entry ADD COLUMN request_key text
  CHECK (request_key ~ '^[A-Za-z0-9._:-]{8,64}$');
CREATE UNIQUE INDEX entry_request_key_idx ON bill.entry (request_key) WHERE request_key IS NOT NULL;

-- bill.write_entry with the key of the entry written (NULL: none).
DROP FUNCTION bill.write_entry(bigint, int, text, bigint, date, bigint, text, text, text);
CREATE FUNCTION bill.write_entry(p_account bigint, p_seq int, p_kind text, p_amount bigint, p_date date,
                                 p_reverses bigint, p_channel text, p_method text, p_note text,
                                 p_request_key text DEFAULT NULL,
                                 OUT entry_id bigint, OUT receipt_no text)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE sums record;
BEGIN
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, reverses, channel, method, note,
                          request_key)
  VALUES (p_account, p_seq, p_kind, p_amount, p_date, p_reverses,
          CASE WHEN p_kind IN ('payment', 'refund') THEN coalesce(p_channel, 'counter') END,
          p_method, coalesce(p_note, ''), p_request_key)
  RETURNING id INTO entry_id;
  IF p_kind IN ('payment', 'refund') THEN
    receipt_no := bill.next_receipt(entry_id);
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
END $$;

-- bill.charge (0019) with the request key of the payment. A key used
-- before is refused with the receipt it names (the client looks it up
-- before charging, so this is a key given to another charge); two
-- charges with one key at the same moment meet at the unique index.
DROP FUNCTION bill.charge(bigint, int, bigint, date, text, text, text, bigint, bigint);
CREATE FUNCTION bill.charge(p_account bigint, p_expected_seq int, p_amount bigint, p_date date,
                            p_channel text, p_method text, p_note text, p_late_fee bigint DEFAULT 0,
                            p_discount bigint DEFAULT 0, p_request_key text DEFAULT NULL)
RETURNS TABLE (entry_id bigint, seq int, receipt_no text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE s int; w record; prior text;
BEGIN
  PERFORM bill.require_role('bill_cashier', 'a payment');
  IF p_amount <= 0 OR p_late_fee < 0 OR p_discount < 0 THEN
    RAISE EXCEPTION 'a payment, its late fee and its discount are more than 0 fen' USING ERRCODE = '22023';
  END IF;
  IF p_request_key IS NOT NULL AND p_request_key !~ '^[A-Za-z0-9._:-]{8,64}$' THEN
    RAISE EXCEPTION 'a request key is 8 to 64 letters, digits, ".", "_", ":" or "-"' USING ERRCODE = '22023';
  END IF;
  s := bill.lock_account(p_account, p_expected_seq);
  SELECT e.receipt_no INTO prior FROM bill.entry e WHERE e.request_key = p_request_key;
  IF FOUND THEN
    RAISE EXCEPTION 'request key % was used already, for receipt %', p_request_key, prior USING ERRCODE = '23505';
  END IF;
  PERFORM bill.check_payment_way(coalesce(p_channel, 'counter'), p_method, p_account);
  IF p_late_fee > 0 THEN
    PERFORM bill.write_entry(p_account, s, 'late_fee', p_late_fee, p_date, NULL, NULL, NULL,
                             'late fee to ' || p_date);
    s := s + 1;
  END IF;
  IF p_discount > 0 THEN
    PERFORM bill.check_discount(p_account, p_discount, p_date);
    PERFORM bill.write_entry(p_account, s, 'discount', -p_discount, p_date, NULL, NULL, NULL,
                             'early-payment discount');
    s := s + 1;
  END IF;
  SELECT * INTO w FROM bill.write_entry(p_account, s, 'payment', -p_amount, p_date, NULL, p_channel,
                                        p_method, p_note, p_request_key);
  IF p_discount > 0 AND (SELECT balance FROM bill.account_sums(p_account)) > 0 THEN
    RAISE EXCEPTION 'the early-payment discount needs the whole fee paid' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY SELECT w.entry_id, s, w.receipt_no;
END $$;

REVOKE ALL ON FUNCTION bill.write_entry, bill.charge FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.charge TO bill_cashier;
