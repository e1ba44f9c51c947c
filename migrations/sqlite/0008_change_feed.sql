-- Which subjects' usage, credits, plan or standing just changed, written by triggers so every
-- writer is covered (this server, another server process, the `tollgate` CLI). Each server
-- process polls it for rows after the last one it saw and tells the browsers of those subjects
-- (`GET /api/events`); housekeeping deletes rows older than an hour. SQLite lets one writer
-- commit at a time, so ids appear in order and a poll by "id after the last seen" misses none.
CREATE TABLE change_feed (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))
);

-- Every use, refund, grant and clawback writes the ledger.
CREATE TRIGGER change_feed_ledger AFTER INSERT ON usage_ledger
BEGIN
    INSERT INTO change_feed (subject) VALUES (NEW.subject);
END;

CREATE TRIGGER change_feed_subscription_added AFTER INSERT ON subscriptions
BEGIN
    INSERT INTO change_feed (subject) VALUES ('u:' || NEW.user_id);
END;

CREATE TRIGGER change_feed_subscription_changed AFTER UPDATE ON subscriptions
BEGIN
    INSERT INTO change_feed (subject) VALUES ('u:' || NEW.user_id);
END;

CREATE TRIGGER change_feed_subscription_removed AFTER DELETE ON subscriptions
BEGIN
    INSERT INTO change_feed (subject) VALUES ('u:' || OLD.user_id);
END;

CREATE TRIGGER change_feed_tracked_account_added AFTER INSERT ON tracked_accounts
BEGIN
    INSERT INTO change_feed (subject) VALUES ('u:' || NEW.user_id);
END;

CREATE TRIGGER change_feed_tracked_account_removed AFTER DELETE ON tracked_accounts
BEGIN
    INSERT INTO change_feed (subject) VALUES ('u:' || OLD.user_id);
END;

CREATE TRIGGER change_feed_ban AFTER UPDATE OF banned ON users
BEGIN
    INSERT INTO change_feed (subject) VALUES ('u:' || NEW.id);
END;
