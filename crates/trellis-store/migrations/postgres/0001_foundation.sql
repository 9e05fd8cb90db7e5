-- Trellis foundation schema (PostgreSQL). Migrations are append-only: never edit this file
-- once released; add a new numbered file instead.
--
-- The store only ever sees sealed bytes, hashes, ids and coarse times.
-- Byte fields are BYTEA, times are BIGINT Unix seconds (days: seconds at midnight UTC).
-- Every per-person table carries account_id with ON DELETE CASCADE to accounts.
-- Identifier columns use the "C" collation so ordering by id is bytewise, as in SQLite.
-- Tables are created unqualified, in the first schema of the connection's search_path.

-- The installation itself: a single row (id = 1) holding the fingerprint of the server
-- secrets. This is the ONLY table without account_id: it belongs to the installation,
-- not to any person.
CREATE TABLE instance (
    id                  BIGINT PRIMARY KEY CHECK (id = 1),
    secrets_fingerprint BYTEA  NOT NULL
);

CREATE TABLE accounts (
    id             TEXT   COLLATE "C" NOT NULL PRIMARY KEY,
    created_at     BIGINT NOT NULL,
    kdf_params     TEXT   NOT NULL,
    salt           BYTEA  NOT NULL,
    auth_verifier  BYTEA  NOT NULL,
    wrapped_udk_pw BYTEA  NOT NULL,
    wrapped_udk_rc BYTEA,
    key_id         BIGINT NOT NULL CHECK (key_id >= 0),
    pepper_version BIGINT NOT NULL CHECK (pepper_version >= 0),
    idle_minutes   BIGINT NOT NULL CHECK (idle_minutes >= 0)
);

CREATE TABLE sessions (
    sid_hash        BYTEA  NOT NULL PRIMARY KEY,
    account_id      TEXT   COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL,
    last_seen_at    BIGINT NOT NULL,
    idle_expires_at BIGINT NOT NULL,
    abs_expires_at  BIGINT NOT NULL,
    wrapped_udk     BYTEA  NOT NULL,
    device_label    TEXT   NOT NULL
);

CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE records (
    account_id     TEXT   COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id             TEXT   COLLATE "C" NOT NULL,
    kind           TEXT   COLLATE "C" NOT NULL,
    schema_version BIGINT NOT NULL CHECK (schema_version >= 0),
    key_id         BIGINT NOT NULL CHECK (key_id >= 0),
    enc_cek        BYTEA  NOT NULL,
    ciphertext     BYTEA  NOT NULL,
    created_day    BIGINT NOT NULL,
    updated_day    BIGINT NOT NULL,
    PRIMARY KEY (account_id, id)
);

CREATE INDEX records_by_kind ON records (account_id, kind, created_day DESC, id);

CREATE TABLE unlock_throttle (
    account_id      TEXT   COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    scope_key       TEXT   COLLATE "C" NOT NULL,
    failures        BIGINT NOT NULL CHECK (failures >= 0),
    last_failure_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, scope_key)
);
