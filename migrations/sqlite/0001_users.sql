-- Accounts. One row per verified email; OAuth identities and sessions hang off it.
-- Timestamps are Unix seconds (INTEGER) on both engines.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    avatar_url TEXT,
    role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    banned INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
