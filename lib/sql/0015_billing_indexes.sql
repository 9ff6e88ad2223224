-- 0015_billing_indexes.sql — found by scripts/bench-billing over
-- 1,000,000 houses: every charge read the account's receipts by entry and
-- its status events by account without an index (a scan of all receipts,
-- 100+ ms a charge). The lookups every account view makes get indexes.
CREATE INDEX IF NOT EXISTS receipt_entry_id_idx ON bill.receipt (entry_id);
CREATE INDEX IF NOT EXISTS status_event_account_id_idx ON bill.status_event (account_id);
CREATE INDEX IF NOT EXISTS request_account_id_idx ON bill.request (account_id);
CREATE INDEX IF NOT EXISTS entry_reverses_idx ON bill.entry (reverses) WHERE reverses IS NOT NULL;
