-- 0037_invoice.sql — electronic invoices of payments (BIL-21, BIL-24,
-- BIL-28; billctl(1) E-INVOICES).
--
-- A resident who paid (at the counter or on the page) may ask for an
-- electronic invoice (电子发票). The invoicing vendor's open API issues it
-- (einvoice/client.h); here every request to the vendor is one row of
-- bill.invoice, and the rules hold whatever tool asks:
--   * a blue invoice (蓝票) per payment receipt, at most one; its order
--     number, 'INV' || receipt number, is the idempotency key sent to the
--     vendor: sent twice, the vendor issues one invoice;
--   * the request is queued (bill.invoice_request for cashiers, in their
--     data scope; bill.pay_invoice_request for the page, for a receipt of
--     the session's house); the worker (billctl invoice run, as
--     bill_admin or a heat_service login) claims due rows FOR UPDATE SKIP
--     LOCKED and records what the vendor answered. While the vendor is
--     away a row stays queued, its next try later and later;
--   * amounts are integer fen: the receipt's amount, and the tax in it at
--     invoice.tax_rate (heat.yaml), split by the worker before the first
--     send (einvoice/tax.h) and kept, so every retry sends the same;
--   * a receipt voided (its payment reversed, 红冲): an issued blue invoice
--     gets a red-letter invoice (红字发票, order 'RED' || receipt number)
--     queued, and is 'voided' once the red one is issued; a blue one not
--     yet at the vendor is 'cancelled'; one the vendor is still working on
--     is settled by the worker when the answer comes;
--   * the invoice number and PDF link go onto the receipt when issued;
--   * requests, issues, failures and reversals are operation-log lines.

ALTER TABLE bill.receipt ADD COLUMN invoice_no text, ADD COLUMN invoice_url text;

CREATE TABLE bill.invoice (
  id bigserial PRIMARY KEY,
  receipt_no text NOT NULL REFERENCES bill.receipt,
  kind text NOT NULL CHECK (kind IN ('blue', 'red')),
  order_no text NOT NULL UNIQUE CHECK (order_no ~ '^[A-Za-z0-9_-]{1,64}$'),
  reverses bigint UNIQUE REFERENCES bill.invoice,     -- red: the blue invoice it reverses
  state text NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'sending', 'issued', 'failed', 'voided', 'cancelled')),
  buyer_name text NOT NULL CHECK (buyer_name <> '' AND length(buyer_name) <= 100),
  buyer_tax_id text CHECK (buyer_tax_id ~ '^[0-9A-Z]{15,20}$'),
  amount_fen bigint NOT NULL CHECK (amount_fen <> 0),  -- tax included; red: negative
  tax_rate_pct int CHECK (tax_rate_pct BETWEEN 0 AND 100),
  tax_fen bigint,
  invoice_date timestamptz NOT NULL DEFAULT clock_timestamp(),
  attempts int NOT NULL DEFAULT 0,
  next_try_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  last_error text,
  serial text,                                         -- the vendor's invoiceSerialNum
  invoice_no text, invoice_code text, pdf_url text,
  requested_by name NOT NULL DEFAULT session_user,
  requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  issued_at timestamptz,
  CHECK ((kind = 'red') = (reverses IS NOT NULL)),
  CHECK ((kind = 'blue') = (amount_fen > 0)),
  CHECK ((tax_fen IS NULL) = (tax_rate_pct IS NULL)),
  CHECK (tax_fen IS NULL OR (abs(tax_fen) <= abs(amount_fen) AND (tax_fen = 0 OR sign(tax_fen) = sign(amount_fen)))),
  CHECK (state NOT IN ('issued', 'voided') OR invoice_no IS NOT NULL)
);
CREATE UNIQUE INDEX invoice_blue_once ON bill.invoice (receipt_no) WHERE kind = 'blue';
CREATE INDEX invoice_due ON bill.invoice (next_try_at) WHERE state IN ('queued', 'sending');

-- Whether a receipt lies in `orgs` (NULL: everything), past the policies
-- like bill.entry_in.
CREATE FUNCTION bill.receipt_in(p_receipt text, orgs int[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF orgs IS NULL THEN RETURN true; END IF;
  RETURN bill.entry_in((SELECT entry_id FROM bill.receipt WHERE receipt_no = p_receipt), orgs);
END $$;

ALTER TABLE bill.invoice ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON bill.invoice USING (bill.receipt_in(receipt_no, (SELECT bill.scope_orgs(current_user))));

-- The operation log's line of an invoice step (BIL-24); the worker's
-- steps (issued, failed) are the system's, the rest a person's.
CREATE FUNCTION bill.invoice_log(p_action text, i bill.invoice, p_message text) RETURNS void
LANGUAGE sql SET search_path = pg_catalog AS $$
  SELECT heat.log_event(p_action, 'invoice', i.order_no, p_message,
    jsonb_build_object('receipt_no', i.receipt_no, 'kind', i.kind, 'state', i.state, 'amount_fen', i.amount_fen,
                       'tax_fen', i.tax_fen, 'buyer_tax_id', i.buyer_tax_id, 'invoice_no', i.invoice_no,
                       'serial', i.serial),
    CASE WHEN p_action IN ('invoice_issue', 'invoice_fail') THEN 'system' ELSE 'person' END)
$$;

-- Queues the blue invoice of a payment's receipt (checked by the doors
-- below for who may ask). Asking again is idempotent: an invoice queued,
-- being issued or issued is returned as it is (a queued one not yet at
-- the vendor takes the new buyer); a failed one is queued again.
CREATE FUNCTION bill.invoice_queue(p_receipt text, p_buyer text, p_tax_id text, p_origin text)
RETURNS bill.invoice LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE rc record; i bill.invoice; buyer text := nullif(btrim(p_buyer), ''); tax text := nullif(btrim(p_tax_id), '');
BEGIN
  IF tax IS NOT NULL AND tax !~ '^[0-9A-Z]{15,20}$' THEN
    RAISE EXCEPTION 'the buyer''s tax id (纳税人识别号) is 15 to 20 digits and capital letters; % is not', tax
      USING ERRCODE = '22023';
  END IF;
  IF length(buyer) > 100 THEN
    RAISE EXCEPTION 'the buyer''s name is at most 100 characters' USING ERRCODE = '22023';
  END IF;
  SELECT r.receipt_no, r.status, e.kind, e.amount_fen, c.name AS customer INTO rc
    FROM bill.receipt r JOIN bill.entry e ON e.id = r.entry_id JOIN bill.account a ON a.id = e.account_id
    JOIN bill.house h ON h.id = a.house_id LEFT JOIN bill.customer c ON c.id = h.customer_id
    WHERE r.receipt_no = p_receipt;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no receipt %', p_receipt USING ERRCODE = 'P0002';
  ELSIF rc.kind <> 'payment' THEN
    RAISE EXCEPTION 'receipt % is not a payment''s; only payments get an invoice', p_receipt USING ERRCODE = '22023';
  ELSIF rc.status = 'voided' THEN
    RAISE EXCEPTION 'receipt % is voided (its payment was reversed); it gets no invoice', p_receipt
      USING ERRCODE = '55000';
  END IF;
  buyer := coalesce(buyer, nullif(btrim(rc.customer), ''), '个人');
  SELECT * INTO i FROM bill.invoice WHERE receipt_no = p_receipt AND kind = 'blue' FOR UPDATE;
  IF FOUND AND (i.state IN ('sending', 'issued') OR i.serial IS NOT NULL) THEN
    RETURN i;
  ELSIF FOUND THEN
    UPDATE bill.invoice SET buyer_name = buyer, buyer_tax_id = tax, state = 'queued', next_try_at = clock_timestamp(),
           last_error = CASE WHEN state = 'failed' THEN NULL ELSE last_error END
      WHERE id = i.id RETURNING * INTO i;
  ELSE
    INSERT INTO bill.invoice (receipt_no, kind, order_no, buyer_name, buyer_tax_id, amount_fen)
    VALUES (p_receipt, 'blue', 'INV' || p_receipt, buyer, tax, -rc.amount_fen) RETURNING * INTO i;
  END IF;
  PERFORM bill.invoice_log('invoice_request', i, 'asked for by ' || p_origin);
  RETURN i;
END $$;

-- A cashier asks for the invoice of a receipt of their scope.
CREATE FUNCTION bill.invoice_request(p_receipt text, p_buyer text, p_tax_id text) RETURNS bill.invoice
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  PERFORM bill.require_role('bill_cashier', 'an invoice request');
  IF EXISTS (SELECT 1 FROM bill.receipt WHERE receipt_no = p_receipt)
     AND NOT bill.receipt_in(p_receipt, bill.scope_orgs(session_user)) THEN
    RAISE EXCEPTION 'receipt % is outside your data scope', p_receipt USING ERRCODE = '42501';
  END IF;
  RETURN bill.invoice_queue(p_receipt, p_buyer, p_tax_id, 'the counter');
END $$;

-- The page (heatpay.cgi): the session's house's payment receipts and
-- their invoices ('none' when not asked for); NULL session: no rows.
CREATE FUNCTION bill.pay_invoices(p_token text)
RETURNS TABLE (receipt_no text, state text, invoice_no text, pdf_url text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE h int := bill.pay_session_house(p_token);
BEGIN
  IF h IS NULL THEN RETURN; END IF;
  RETURN QUERY
    SELECT r.receipt_no, CASE WHEN r.status = 'voided' AND i.state IS NULL THEN 'voided'
                              ELSE coalesce(i.state, 'none') END, i.invoice_no, i.pdf_url
    FROM bill.receipt r JOIN bill.entry e ON e.id = r.entry_id JOIN bill.account a ON a.id = e.account_id
    LEFT JOIN bill.invoice i ON i.receipt_no = r.receipt_no AND i.kind = 'blue'
    WHERE a.house_id = h AND e.kind = 'payment'
    ORDER BY e.at DESC, r.receipt_no DESC;
END $$;

-- The page asks for the invoice of one of the session's house's
-- receipts; returns its state, NULL when the session is gone. A receipt
-- of another house reads as unknown.
CREATE FUNCTION bill.pay_invoice_request(p_token text, p_receipt text, p_buyer text, p_tax_id text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE h int := bill.pay_session_house(p_token);
BEGIN
  IF h IS NULL THEN RETURN NULL; END IF;
  IF NOT EXISTS (SELECT 1 FROM bill.receipt r JOIN bill.entry e ON e.id = r.entry_id
                 JOIN bill.account a ON a.id = e.account_id WHERE r.receipt_no = p_receipt AND a.house_id = h) THEN
    RAISE EXCEPTION 'no receipt % for this house', p_receipt USING ERRCODE = 'P0002';
  END IF;
  RETURN (bill.invoice_queue(p_receipt, p_buyer, p_tax_id, 'the resident')).state;
END $$;

-- A receipt voided (see the top): red-letter or cancel its blue invoice.
CREATE FUNCTION bill.invoice_on_void() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE i bill.invoice;
BEGIN
  SELECT * INTO i FROM bill.invoice WHERE receipt_no = NEW.receipt_no AND kind = 'blue' FOR UPDATE;
  IF FOUND THEN
    PERFORM bill.invoice_settle_void(i);
  END IF;
  RETURN NULL;
END $$;

-- What a blue invoice of a voided receipt becomes in its present state:
-- issued → a red-letter invoice queued; not at the vendor → cancelled;
-- at the vendor but unanswered → left to the worker.
CREATE FUNCTION bill.invoice_settle_void(i bill.invoice) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE red bill.invoice;
BEGIN
  IF i.state = 'issued' AND NOT EXISTS (SELECT 1 FROM bill.invoice WHERE reverses = i.id) THEN
    INSERT INTO bill.invoice (receipt_no, kind, order_no, reverses, buyer_name, buyer_tax_id, amount_fen,
                              tax_rate_pct, tax_fen)
    VALUES (i.receipt_no, 'red', 'RED' || i.receipt_no, i.id, i.buyer_name, i.buyer_tax_id, -i.amount_fen,
            i.tax_rate_pct, -i.tax_fen) RETURNING * INTO red;
    PERFORM bill.invoice_log('invoice_reverse', red, 'receipt voided: red-letter invoice of ' || i.invoice_no);
  ELSIF i.state IN ('queued', 'failed') AND i.serial IS NULL THEN
    UPDATE bill.invoice SET state = 'cancelled' WHERE id = i.id RETURNING * INTO i;
    PERFORM bill.invoice_log('invoice_cancel', i, 'receipt voided before the invoice was issued');
  END IF;
END $$;
CREATE TRIGGER invoice_void AFTER UPDATE OF status ON bill.receipt
  FOR EACH ROW WHEN (OLD.status <> 'voided' AND NEW.status = 'voided') EXECUTE FUNCTION bill.invoice_on_void();

-- The worker's doors: bill_admin, or a heat_service login (the timer).
CREATE FUNCTION bill.invoice_require_worker() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
  IF NOT (bill.has_role('bill_admin') OR bill.has_role('heat_service')) THEN
    RAISE EXCEPTION 'sending invoices needs bill_admin or heat_service; % is neither', session_user
      USING ERRCODE = '42501';
  END IF;
END $$;

-- Claims up to p_limit due rows (queued or sending, next_try_at passed),
-- oldest first, skipping rows another worker holds; each is marked
-- sending for p_lease_s seconds (a worker that dies leaves it due again
-- then) and counted as an attempt. With what the vendor needs.
CREATE FUNCTION bill.invoice_claim(p_limit int, p_lease_s int)
RETURNS TABLE (id bigint, kind text, order_no text, receipt_no text, buyer_name text, buyer_tax_id text,
               amount_fen bigint, tax_rate_pct int, tax_fen bigint, invoice_date text, attempts int, serial text,
               orig_invoice_no text, orig_invoice_code text, receipt_status text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  PERFORM bill.invoice_require_worker();
  RETURN QUERY
    WITH due AS (
      SELECT v.id FROM bill.invoice v WHERE v.state IN ('queued', 'sending') AND v.next_try_at <= clock_timestamp()
      ORDER BY v.next_try_at, v.id LIMIT greatest(p_limit, 0) FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE bill.invoice v SET state = 'sending', attempts = v.attempts + 1,
             next_try_at = clock_timestamp() + make_interval(secs => greatest(p_lease_s, 1))
      FROM due WHERE v.id = due.id RETURNING v.*
    )
    SELECT c.id, c.kind, c.order_no, c.receipt_no, c.buyer_name, c.buyer_tax_id, c.amount_fen, c.tax_rate_pct,
           c.tax_fen, to_char(c.invoice_date, 'YYYY-MM-DD HH24:MI:SS'), c.attempts, c.serial, o.invoice_no,
           o.invoice_code, r.status
    FROM claimed c LEFT JOIN bill.invoice o ON o.id = c.reverses JOIN bill.receipt r ON r.receipt_no = c.receipt_no
    ORDER BY c.next_try_at, c.id;
END $$;

-- Records the vendor's answer to a claimed row; returns its new state
-- and when it is due again.
--   issued:  p_serial, p_invoice_no, p_invoice_code, p_pdf_url
--   pending: the vendor took it (p_serial) and is still issuing; asked again in p_retry_s
--   retry:   the vendor was not reached or failed for now (p_error); tried again in p_retry_s
--   failed:  the vendor refused it for good (p_error)
-- p_tax_rate_pct/p_tax_fen: the split sent, kept from the first send on.
CREATE FUNCTION bill.invoice_record(p_id bigint, p_outcome text, p_serial text, p_invoice_no text,
                                    p_invoice_code text, p_pdf_url text, p_error text, p_retry_s int,
                                    p_tax_rate_pct int, p_tax_fen bigint)
RETURNS TABLE (state text, next_try_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE i bill.invoice; st text;
BEGIN
  PERFORM bill.invoice_require_worker();
  SELECT * INTO i FROM bill.invoice v WHERE v.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no invoice %', p_id USING ERRCODE = 'P0002';
  ELSIF i.state <> 'sending' THEN
    RAISE EXCEPTION 'invoice % is % (not claimed by billctl invoice run)', i.order_no, i.state USING ERRCODE = '55000';
  ELSIF p_outcome NOT IN ('issued', 'pending', 'retry', 'failed') THEN
    RAISE EXCEPTION 'unknown outcome %', p_outcome USING ERRCODE = '22023';
  ELSIF p_outcome = 'issued' AND coalesce(p_invoice_no, '') = '' THEN
    RAISE EXCEPTION 'an issued invoice has a number' USING ERRCODE = '22023';
  END IF;
  st := CASE p_outcome WHEN 'issued' THEN 'issued' WHEN 'pending' THEN 'sending' WHEN 'retry' THEN 'queued'
                       ELSE 'failed' END;
  UPDATE bill.invoice v SET state = st, serial = coalesce(left(p_serial, 64), v.serial),
         tax_rate_pct = coalesce(v.tax_rate_pct, p_tax_rate_pct), tax_fen = coalesce(v.tax_fen, p_tax_fen),
         invoice_no = CASE WHEN st = 'issued' THEN left(p_invoice_no, 64) ELSE v.invoice_no END,
         invoice_code = CASE WHEN st = 'issued' THEN left(p_invoice_code, 64) ELSE v.invoice_code END,
         pdf_url = CASE WHEN st = 'issued' THEN left(p_pdf_url, 1000) ELSE v.pdf_url END,
         issued_at = CASE WHEN st = 'issued' THEN clock_timestamp() ELSE v.issued_at END,
         last_error = CASE WHEN st = 'issued' THEN NULL ELSE coalesce(left(p_error, 1000), v.last_error) END,
         next_try_at = clock_timestamp() + make_interval(secs => greatest(coalesce(p_retry_s, 60), 1))
    WHERE v.id = p_id RETURNING v.* INTO i;
  PERFORM bill.invoice_after_record(i);
  RETURN QUERY SELECT v.state, v.next_try_at FROM bill.invoice v WHERE v.id = p_id;
END $$;

-- What an answer recorded brings (see the top): the number onto the
-- receipt, the blue one voided by its red one, a voided receipt's
-- invoice settled, and the log line.
CREATE FUNCTION bill.invoice_after_record(i bill.invoice) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF i.state = 'issued' AND i.kind = 'blue' THEN
    UPDATE bill.receipt SET invoice_no = i.invoice_no, invoice_url = i.pdf_url WHERE receipt_no = i.receipt_no;
    PERFORM bill.invoice_log('invoice_issue', i, NULL);
  ELSIF i.state = 'issued' THEN
    UPDATE bill.invoice SET state = 'voided' WHERE id = i.reverses;
    PERFORM bill.invoice_log('invoice_issue', i, 'red-letter invoice issued; the blue one is voided');
  ELSIF i.state = 'failed' THEN
    PERFORM bill.invoice_log('invoice_fail', i, i.last_error);
  END IF;
  IF i.kind = 'blue' AND (SELECT status FROM bill.receipt WHERE receipt_no = i.receipt_no) = 'voided' THEN
    PERFORM bill.invoice_settle_void(i);
  END IF;
END $$;

REVOKE ALL ON bill.invoice FROM PUBLIC;
GRANT SELECT ON bill.invoice TO bill_cashier, bill_deputy, bill_production;
REVOKE ALL ON FUNCTION bill.receipt_in, bill.invoice_log, bill.invoice_queue, bill.invoice_request, bill.pay_invoices,
  bill.pay_invoice_request, bill.invoice_on_void, bill.invoice_settle_void, bill.invoice_require_worker,
  bill.invoice_claim, bill.invoice_record, bill.invoice_after_record FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.receipt_in TO bill_cashier, bill_deputy, bill_production, heat_service;
GRANT EXECUTE ON FUNCTION bill.invoice_request TO bill_cashier;
GRANT EXECUTE ON FUNCTION bill.pay_invoices, bill.pay_invoice_request TO heat_pay;
GRANT EXECUTE ON FUNCTION bill.invoice_claim, bill.invoice_record TO bill_admin, heat_service;
