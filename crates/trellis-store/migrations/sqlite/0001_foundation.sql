-- Trellis foundation schema (SQLite). Migrations are append-only: never edit this file
-- once released; add a new numbered file instead.
--
-- The store only ever sees sealed bytes, hashes, ids and coarse times.
-- Byte fields are BLOB, times are INTEGER Unix seconds (days: seconds at midnight UTC).
-- Every per-person table carries account_id with ON DELETE CASCADE to accounts.

-- The installation itself: a single row (id = 1) holding the fingerprint of the server
-- secrets. This is the ONLY table without account_id: it belongs to the installation,
-- not to any person.
CREATE TABLE instance (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    secrets_fingerprint BLOB    NOT NULL
) STRICT;

CREATE TABLE accounts (
    id             TEXT    NOT NULL PRIMARY KEY,
    created_at     INTEGER NOT NULL,
    kdf_params     TEXT    NOT NULL,
    salt           BLOB    NOT NULL,
    auth_verifier  BLOB    NOT NULL,
    wrapped_udk_pw BLOB    NOT NULL,
    wrapped_udk_rc BLOB,
    key_id         INTEGER NOT NULL CHECK (key_id >= 0),
    pepper_version INTEGER NOT NULL CHECK (pepper_version >= 0),
    idle_minutes   INTEGER NOT NULL CHECK (idle_minutes >= 0)
) STRICT;

CREATE TABLE sessions (
    sid_hash        BLOB    NOT NULL PRIMARY KEY,
    account_id      TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    idle_expires_at INTEGER NOT NULL,
    abs_expires_at  INTEGER NOT NULL,
    wrapped_udk     BLOB    NOT NULL,
    device_label    TEXT    NOT NULL
) STRICT;

CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE records (
    account_id     TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id             TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    schema_version INTEGER NOT NULL CHECK (schema_version >= 0),
    key_id         INTEGER NOT NULL CHECK (key_id >= 0),
    enc_cek        BLOB    NOT NULL,
    ciphertext     BLOB    NOT NULL,
    created_day    INTEGER NOT NULL,
    updated_day    INTEGER NOT NULL,
    PRIMARY KEY (account_id, id)
) STRICT;

CREATE INDEX records_by_kind ON records (account_id, kind, created_day DESC, id);

CREATE TABLE unlock_throttle (
    account_id      TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    scope_key       TEXT    NOT NULL,
    failures        INTEGER NOT NULL CHECK (failures >= 0),
    last_failure_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, scope_key)
) STRICT;
