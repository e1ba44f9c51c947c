-- The change notifications name the schema of the table that changed (TG_TABLE_SCHEMA) instead
-- of the writer's current_schema(): a writer whose search_path starts elsewhere (a script, a
-- second role) still writes our tables, and its changes must reach this schema's listeners.

CREATE OR REPLACE FUNCTION tollgate_subject_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('tollgate_changes', TG_TABLE_SCHEMA || ' ' || NEW.subject);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION tollgate_user_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('tollgate_changes', TG_TABLE_SCHEMA || ' u:' || OLD.user_id);
    ELSE
        PERFORM pg_notify('tollgate_changes', TG_TABLE_SCHEMA || ' u:' || NEW.user_id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION tollgate_user_row_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('tollgate_changes', TG_TABLE_SCHEMA || ' u:' || NEW.id);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- The test-mode provider's paid checkouts are its invoices (/account): the moment each was
-- paid and its place among the customer's payments, so two paid in the same second still
-- list in the order they were paid.
ALTER TABLE local_billing_checkouts ADD COLUMN paid_at BIGINT;
ALTER TABLE local_billing_checkouts ADD COLUMN invoice_number BIGINT;
