-- Guests the server named (by the hash of their cookie's token). A guest cookie the server
-- never issued names nobody, so a client cannot mint itself a fresh allowance.
CREATE TABLE guests (
    token_hash TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);

-- The text of finished generations, by the caller's Idempotency-Key, so that a retry with the
-- same key gets the same answer without running (or paying for) the model again. Kept a day.
-- The prompt's hash tells a retry from a different request that reused the key.
CREATE TABLE generation_results (
    subject TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    prompt_sha256 TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (subject, idempotency_key)
);
CREATE INDEX generation_results_by_age ON generation_results (created_at);
