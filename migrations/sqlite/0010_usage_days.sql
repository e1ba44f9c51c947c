-- Net uses per subject, feature and UTC day (uses minus the refunds of failed ones), so the
-- dashboard's 30-day chart reads at most 30 rows instead of summing a heavy user's ledger on
-- every view. Kept by a trigger so every writer is covered (this server, another process, the
-- `tollgate` CLI) inside the writer's own transaction: a charge rolled back leaves no trace
-- here either, and a replayed key (its ledger insert does nothing) adds nothing. A refund
-- counts on the day it was made, as the ledger's sums did. Rows are a few per active subject
-- per day and are kept, like the ledger they summarise.
-- No ledger row can land between the backfill and the trigger: creating the table takes
-- SQLite's write lock for the whole migration.
CREATE TABLE usage_days (
    subject TEXT NOT NULL,
    feature TEXT NOT NULL,
    day INTEGER NOT NULL,
    uses INTEGER NOT NULL,
    PRIMARY KEY (subject, feature, day)
) WITHOUT ROWID;

INSERT INTO usage_days (subject, feature, day, uses)
SELECT subject, feature, created_at / 86400,
       SUM(CASE kind WHEN 'consume' THEN from_allowance + from_credits
                     ELSE -(from_allowance + from_credits) END)
FROM usage_ledger
WHERE kind IN ('consume', 'refund')
GROUP BY subject, feature, created_at / 86400;

CREATE TRIGGER usage_days_ledger AFTER INSERT ON usage_ledger
WHEN NEW.kind IN ('consume', 'refund')
BEGIN
    INSERT INTO usage_days (subject, feature, day, uses)
    VALUES (NEW.subject, NEW.feature, NEW.created_at / 86400,
            CASE NEW.kind WHEN 'consume' THEN NEW.from_allowance + NEW.from_credits
                          ELSE -(NEW.from_allowance + NEW.from_credits) END)
    ON CONFLICT (subject, feature, day) DO UPDATE SET uses = uses + excluded.uses;
END;
