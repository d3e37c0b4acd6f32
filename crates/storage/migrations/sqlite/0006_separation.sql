-- Separation of duties (SQLite).

-- A grant of roles that opens persons' data (a data role), effective only once a second
-- administrator of the same jurisdiction approves it. `roles` is the whole role set to apply,
-- as comma-separated codes.
CREATE TABLE role_grants (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    roles TEXT NOT NULL,
    requested_by TEXT NOT NULL REFERENCES users (id),
    requested_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    decided_by TEXT REFERENCES users (id),
    decided_at INTEGER
) STRICT;

-- At most one grant waits for each user.
CREATE UNIQUE INDEX role_grants_one_pending ON role_grants (user_id) WHERE state = 'pending';

-- One-time set-up codes (SHA-256 of the code), one per user, short-lived: the user chooses a
-- password with it once. `created_by` is NULL when the operator issued it at the console.
CREATE TABLE setup_codes (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    code_hash BLOB NOT NULL UNIQUE,
    created_by TEXT REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
