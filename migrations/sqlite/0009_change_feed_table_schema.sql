-- Nothing changes on SQLite (one schema per file): PostgreSQL's change notifications now name
-- the schema of the changed table. Kept so both engines count the same migrations.
SELECT 1;
