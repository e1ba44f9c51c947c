-- Refunds and disputes of credit packs, downgrades held back, and the plan picker after the
-- first sign-in.

-- A refunded or disputed pack takes its credits back (ledger kind 'clawback'); what was spent
-- already is owed, and the next grant pays it first. SQLite cannot change a CHECK in place, so
-- the ledger is rebuilt with the same rows (and ids).
CREATE TABLE usage_ledger_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    feature TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('consume', 'refund', 'grant', 'clawback')),
    window_start INTEGER NOT NULL,
    from_allowance INTEGER NOT NULL,
    from_credits INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO usage_ledger_new
    (id, idempotency_key, subject, feature, kind, window_start, from_allowance, from_credits,
     created_at)
SELECT id, idempotency_key, subject, feature, kind, window_start, from_allowance, from_credits,
       created_at
FROM usage_ledger;
DROP TABLE usage_ledger;
ALTER TABLE usage_ledger_new RENAME TO usage_ledger;
CREATE INDEX usage_ledger_by_subject ON usage_ledger (subject, feature, window_start);

-- Credits taken back that had been spent: paid first from the next grant.
CREATE TABLE credit_debts (
    subject TEXT NOT NULL,
    feature TEXT NOT NULL,
    owed INTEGER NOT NULL CHECK (owed >= 0),
    PRIMARY KEY (subject, feature)
);

-- How many of a purchase's credits were taken back so far (refunds are cumulative).
ALTER TABLE credit_purchases ADD COLUMN clawed_back INTEGER NOT NULL DEFAULT 0;
-- Counts the refund/dispute events acted on, naming each change in the ledger.
ALTER TABLE credit_purchases ADD COLUMN clawback_rev INTEGER NOT NULL DEFAULT 0;

-- The test-mode provider's refunds and disputes of a paid pack.
ALTER TABLE local_billing_checkouts ADD COLUMN amount_refunded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE local_billing_checkouts ADD COLUMN disputed INTEGER NOT NULL DEFAULT 0;

-- A switch made in the provider's portal to a plan (plan_id) the account's usage exceeds: the
-- old plan's limits are kept until the account removes enough, or until kept_until at most.
ALTER TABLE subscriptions ADD COLUMN kept_plan_id TEXT;
ALTER TABLE subscriptions ADD COLUMN kept_until INTEGER;

-- When the user saw the plan picker (set at the first sign-in); existing users never see it.
ALTER TABLE users ADD COLUMN welcomed_at INTEGER;
UPDATE users SET welcomed_at = created_at;
