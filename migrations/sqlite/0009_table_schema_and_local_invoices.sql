-- The test-mode provider's paid checkouts are its invoices (/account): the moment each was
-- paid and its place among the customer's payments, so two paid in the same second still
-- list in the order they were paid. (On PostgreSQL this migration also makes the change
-- notifications name the changed table's schema; SQLite has one schema per file.)
ALTER TABLE local_billing_checkouts ADD COLUMN paid_at INTEGER;
ALTER TABLE local_billing_checkouts ADD COLUMN invoice_number INTEGER;
