-- Billing (issue 10). What the provider (Stripe, or the built-in test-mode provider) says about a
-- user's subscription, as the one sync wrote it; see docs/billing.md.
ALTER TABLE subscriptions ADD COLUMN billing_interval TEXT;
ALTER TABLE subscriptions ADD COLUMN cancel_at_period_end INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN trial_end INTEGER;
-- NULL for a row an operator set with `tollgate user set-plan`: the sync leaves those alone
-- unless the provider has a subscription of its own for the user.
ALTER TABLE subscriptions ADD COLUMN provider_subscription_id TEXT;

-- One provider customer per user. The unique columns are the guard: a second checkout (or two
-- at once) never creates or records a second customer.
-- Syncs of one customer are ordered by ticket: a sync takes the next ticket before it reads
-- the provider, and writes only if no later ticket has written yet (see app/src/billing/sync.rs).
CREATE TABLE billing_customers (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL UNIQUE,
    sync_ticket INTEGER NOT NULL DEFAULT 0,
    synced_ticket INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- Every signed webhook event received, recorded in the same transaction as its effects: a
-- delivery of an id already here changes nothing. The payload is kept for
-- `tollgate billing replay`.
CREATE TABLE billing_events (
    event_id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL,
    customer_id TEXT,
    -- what it did: 'synced', 'stale', 'ignored', …
    outcome TEXT NOT NULL,
    created INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    payload TEXT NOT NULL
);

-- Credit packs being bought: one row per checkout, made when it starts. The credits are granted
-- once, when the provider says the checkout is paid (the return from checkout, or the webhook,
-- whichever comes first), under a ledger key made from the checkout id.
CREATE TABLE credit_purchases (
    checkout_id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    pack_id TEXT NOT NULL,
    feature TEXT NOT NULL,
    credits INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    granted_at INTEGER
);
CREATE INDEX credit_purchases_by_user ON credit_purchases (user_id);

-- The built-in test-mode provider's side of billing (what Stripe keeps on its servers): used
-- only when STRIPE_SECRET_KEY is unset. Ids look like Stripe's, with "local" in them.
CREATE TABLE local_billing_customers (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE local_billing_checkouts (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES local_billing_customers(id),
    -- 'subscription' (a plan) or 'payment' (a credit pack)
    mode TEXT NOT NULL,
    lookup_key TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    trial_days INTEGER NOT NULL,
    success_url TEXT NOT NULL,
    cancel_url TEXT NOT NULL,
    -- 'open', then 'complete' once paid
    status TEXT NOT NULL,
    subscription_id TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX local_billing_checkouts_by_customer ON local_billing_checkouts (customer_id);

CREATE TABLE local_billing_subscriptions (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES local_billing_customers(id),
    lookup_key TEXT NOT NULL,
    status TEXT NOT NULL,
    current_period_start INTEGER NOT NULL,
    current_period_end INTEGER NOT NULL,
    cancel_at_period_end INTEGER NOT NULL DEFAULT 0,
    trial_end INTEGER,
    -- a cheaper price switched to in the test portal, taken at the next renewal
    pending_lookup_key TEXT,
    -- the test portal's "make the next renewal fail"
    next_renewal_fails INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX local_billing_subscriptions_by_customer ON local_billing_subscriptions (customer_id);
