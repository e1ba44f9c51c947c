-- Which subjects' usage, credits, plan or standing just changed, told by triggers so every
-- writer is covered (this server, another server process, the `tollgate` CLI): a NOTIFY on
-- channel `tollgate_changes` with payload '<schema> <subject>' (several schemas of one database
-- share the channel), delivered when the transaction commits (never for one rolled back). Each
-- server process LISTENs and tells the browsers of those subjects (`GET /api/events`).

CREATE FUNCTION tollgate_subject_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('tollgate_changes', COALESCE(current_schema(), '') || ' ' || NEW.subject);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION tollgate_user_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('tollgate_changes', COALESCE(current_schema(), '') || ' u:' || OLD.user_id);
    ELSE
        PERFORM pg_notify('tollgate_changes', COALESCE(current_schema(), '') || ' u:' || NEW.user_id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION tollgate_user_row_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('tollgate_changes', COALESCE(current_schema(), '') || ' u:' || NEW.id);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Every use, refund, grant and clawback writes the ledger.
CREATE TRIGGER change_feed_ledger AFTER INSERT ON usage_ledger
    FOR EACH ROW EXECUTE FUNCTION tollgate_subject_changed();

CREATE TRIGGER change_feed_subscription AFTER INSERT OR UPDATE OR DELETE ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION tollgate_user_changed();

CREATE TRIGGER change_feed_tracked_account AFTER INSERT OR DELETE ON tracked_accounts
    FOR EACH ROW EXECUTE FUNCTION tollgate_user_changed();

CREATE TRIGGER change_feed_ban AFTER UPDATE OF banned ON users
    FOR EACH ROW EXECUTE FUNCTION tollgate_user_row_changed();
