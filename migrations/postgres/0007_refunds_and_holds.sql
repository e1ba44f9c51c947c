-- Refunds and disputes of credit packs, downgrades held back, and the plan picker after the
-- first sign-in.

-- A refunded or disputed pack takes its credits back (ledger kind 'clawback'); what was spent
-- already is owed, and the next grant pays it first.
ALTER TABLE usage_ledger DROP CONSTRAINT usage_ledger_kind_check;
ALTER TABLE usage_ledger ADD CONSTRAINT usage_ledger_kind_check
    CHECK (kind IN ('consume', 'refund', 'grant', 'clawback'));

-- Credits taken back that had been spent: paid first from the next grant.
CREATE TABLE credit_debts (
    subject TEXT NOT NULL,
    feature TEXT NOT NULL,
    owed BIGINT NOT NULL CHECK (owed >= 0),
    PRIMARY KEY (subject, feature)
);

-- How many of a purchase's credits were taken back so far (refunds are cumulative).
ALTER TABLE credit_purchases ADD COLUMN clawed_back BIGINT NOT NULL DEFAULT 0;
-- Counts the refund/dispute events acted on, naming each change in the ledger.
ALTER TABLE credit_purchases ADD COLUMN clawback_rev BIGINT NOT NULL DEFAULT 0;

-- The test-mode provider's refunds and disputes of a paid pack.
ALTER TABLE local_billing_checkouts ADD COLUMN amount_refunded BIGINT NOT NULL DEFAULT 0;
ALTER TABLE local_billing_checkouts ADD COLUMN disputed BIGINT NOT NULL DEFAULT 0;

-- A switch made in the provider's portal to a plan (plan_id) the account's usage exceeds: the
-- old plan's limits are kept until the account removes enough, or until kept_until at most.
ALTER TABLE subscriptions ADD COLUMN kept_plan_id TEXT;
ALTER TABLE subscriptions ADD COLUMN kept_until BIGINT;

-- When the user saw the plan picker (set at the first sign-in); existing users never see it.
ALTER TABLE users ADD COLUMN welcomed_at BIGINT;
UPDATE users SET welcomed_at = created_at;
