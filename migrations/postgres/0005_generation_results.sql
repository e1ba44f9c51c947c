-- The text of finished generations, by the caller's Idempotency-Key, so that a retry with the
-- same key gets the same answer without running (or paying for) the model again. Kept a day.
CREATE TABLE generation_results (
    subject TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (subject, idempotency_key)
);
CREATE INDEX generation_results_by_age ON generation_results (created_at);
