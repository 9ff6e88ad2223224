-- 0008_ledger.sql — the billing ledger (issue 4, BIL-9..BIL-13, BIL-24).
--
-- A yearly account per house and season; its balance is the sum of its
-- immutable entries (billing/ledger.h gives the rules and signs). Nobody
-- inserts, updates or deletes entries directly: bill.post() is the one
-- door, and it enforces what must hold whatever tool is used:
--   * who: payments, refunds, reversals, late fees, discounts and status
--     adjustments need bill_cashier; an assessed fee or a free adjustment
--     needs bill_admin; a reduction only comes from an approved request
--     (bill.decide), never from bill.post;
--   * no doubling: the caller names the entry number it expects to write
--     (the account as it saw it); a concurrent terminal that wrote first
--     makes the second fail with SQLSTATE 40001 and nothing is written;
--   * closed seasons, closed channels and methods are refused;
--   * receipt numbers come from a per-cashier (or per-hall, setting
--     heat.receipt_prefix) sequence row updated in the same transaction,
--     so a rolled-back payment leaves no gap; a reversed payment's receipt
--     is marked voided with the reason (BIL-12).
-- The fee arithmetic (what to assess, late fees, discounts) is C++
-- (billing/fee.h); the database keeps the money safe.

CREATE TABLE bill.account (
  id bigserial PRIMARY KEY,
  house_id int NOT NULL REFERENCES bill.house,
  season_id int NOT NULL REFERENCES bill.season,
  opened_at timestamptz NOT NULL DEFAULT now(),
  opened_by name NOT NULL DEFAULT session_user,
  -- the house's heating status when the account was opened (the fee
  -- engine's starting point; later changes are bill.status_event rows)
  initial_status text NOT NULL DEFAULT 'heating'
    CHECK (initial_status IN ('heating', 'suspended', 'disconnected')),
  UNIQUE (house_id, season_id)
);

CREATE TABLE bill.entry (
  id bigserial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES bill.account,
  seq int NOT NULL CHECK (seq > 0),           -- 1, 2, 3 … per account
  kind text NOT NULL CHECK (kind IN ('assessed', 'discount', 'reduction', 'late_fee', 'payment',
                                     'refund', 'adjustment', 'reversal')),
  amount_fen bigint NOT NULL CHECK (amount_fen BETWEEN -900000000000000 AND 900000000000000),
  entry_date date NOT NULL,                   -- business day, company time zone
  reverses bigint REFERENCES bill.entry UNIQUE,  -- a reversal: the entry it reverses, once
  channel text REFERENCES bill.channel,
  method text REFERENCES bill.channel,
  receipt_no text,
  invoice_no text,
  request_id bigint,
  note text NOT NULL DEFAULT '',
  by_login name NOT NULL DEFAULT session_user,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (account_id, seq),
  CHECK ((kind = 'reversal') = (reverses IS NOT NULL)),
  CHECK (CASE kind WHEN 'assessed' THEN amount_fen >= 0 WHEN 'late_fee' THEN amount_fen > 0
                   WHEN 'refund' THEN amount_fen > 0 WHEN 'payment' THEN amount_fen < 0
                   WHEN 'discount' THEN amount_fen < 0 WHEN 'reduction' THEN amount_fen < 0
                   ELSE amount_fen <> 0 END)
);
CREATE INDEX ON bill.entry (receipt_no) WHERE receipt_no IS NOT NULL;
CREATE INDEX ON bill.entry (at);

-- Entries are immutable, for the owner too.
CREATE FUNCTION bill.entry_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are never changed or deleted; reverse the entry instead (billctl reverse)'
    USING ERRCODE = '42501';
END $$;
CREATE TRIGGER immutable BEFORE UPDATE OR DELETE ON bill.entry
  FOR EACH ROW EXECUTE FUNCTION bill.entry_immutable();
CREATE TRIGGER immutable_truncate BEFORE TRUNCATE ON bill.entry
  FOR EACH STATEMENT EXECUTE FUNCTION bill.entry_immutable();

-- Receipts (BIL-12): gapless per prefix.
CREATE TABLE bill.receipt_seq (
  prefix text PRIMARY KEY CHECK (prefix ~ '^[A-Za-z0-9_]{1,32}$'),
  last_no bigint NOT NULL
);
CREATE TABLE bill.receipt (
  receipt_no text PRIMARY KEY,
  prefix text NOT NULL,
  n bigint NOT NULL,
  entry_id bigint NOT NULL REFERENCES bill.entry,
  status text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'voided')),
  void_reason text,
  voided_by name,
  voided_at timestamptz,
  prints int NOT NULL DEFAULT 1,
  UNIQUE (prefix, n)
);

-- Heating status changes (BIL-10) by account, for the fee engine.
CREATE TABLE bill.status_event (
  id bigserial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES bill.account,
  event_date date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('suspend', 'resume', 'disconnect', 'reconnect')),
  entry_id bigint REFERENCES bill.entry,      -- the adjustment it caused
  by_login name NOT NULL DEFAULT session_user,
  at timestamptz NOT NULL DEFAULT now()
);

-- Approval requests (BIL-13); routing mirrors billing/approval.h.
CREATE TABLE bill.request (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('area', 'reduction', 'late_fee')),
  account_id bigint NOT NULL REFERENCES bill.account,
  amount_fen bigint NOT NULL CHECK (amount_fen <> 0),  -- signed effect on what is owed
  new_area numeric(10,2) CHECK (new_area > 0),
  reason text NOT NULL CHECK (reason <> ''),
  requester name NOT NULL DEFAULT session_user,
  route text NOT NULL CHECK (route IN ('immediate', 'supervisor', 'joint')),
  outcome text NOT NULL DEFAULT 'pending'
    CHECK (outcome IN ('pending', 'applied', 'rejected', 'withdrawn')),
  supervisor name, deputy name, production name, ended_by name,
  created_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  entry_id bigint REFERENCES bill.entry,
  CHECK ((kind = 'area') = (new_area IS NOT NULL)),
  CHECK (kind = 'area' OR amount_fen < 0)
);
CREATE INDEX ON bill.request (outcome) WHERE outcome = 'pending';

REVOKE ALL ON bill.entry, bill.receipt, bill.receipt_seq, bill.request, bill.status_event,
              bill.account FROM PUBLIC;
GRANT SELECT ON bill.account, bill.entry, bill.receipt, bill.request, bill.status_event
  TO bill_cashier, bill_deputy, bill_production;
GRANT UPDATE (prints) ON bill.receipt TO bill_cashier;   -- billctl reprint counts copies
