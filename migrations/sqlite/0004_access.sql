-- Our copy of each user's subscription (no row = Free). Written by the billing sync and by
-- `tollgate user set-plan`; read by the access module.
CREATE TABLE subscriptions (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    plan_id TEXT NOT NULL,
    status TEXT NOT NULL,
    current_period_start INTEGER,
    current_period_end INTEGER,
    past_due_since INTEGER,
    updated_at INTEGER NOT NULL
);

-- Usage per subject ('u:<user id>' or 'g:<guest token hash>'), feature and window. Metered
-- features: uses in the window starting at window_start. Count features: live items
-- (window_start = 0). Changed only by conditional UPDATEs (see app/src/access/).
CREATE TABLE usage_counters (
    subject TEXT NOT NULL,
    feature TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    used INTEGER NOT NULL CHECK (used >= 0),
    PRIMARY KEY (subject, feature, window_start)
);

-- Credits bought or granted, spent after the period allowance.
CREATE TABLE credit_balances (
    subject TEXT NOT NULL,
    feature TEXT NOT NULL,
    balance INTEGER NOT NULL CHECK (balance >= 0),
    PRIMARY KEY (subject, feature)
);

-- Append-only: every consumption, refund and credit grant. Counters and balances can be
-- recomputed from it; the unique key makes retries charge once.
CREATE TABLE usage_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    feature TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('consume', 'refund', 'grant')),
    window_start INTEGER NOT NULL,
    from_allowance INTEGER NOT NULL,
    from_credits INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX usage_ledger_by_subject ON usage_ledger (subject, feature, window_start);

-- API keys for `Authorization: Bearer`; only the hash is stored, the prefix helps people
-- recognise a key on /account.
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX api_keys_by_user ON api_keys (user_id);

-- The demo app's count-limited resource.
CREATE TABLE tracked_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    account_number TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX tracked_accounts_by_user ON tracked_accounts (user_id);

-- Tutor sessions started (the demo app's monthly metered feature).
CREATE TABLE tutor_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tutor_id TEXT NOT NULL,
    started_at INTEGER NOT NULL
);
CREATE INDEX tutor_sessions_by_user ON tutor_sessions (user_id);
