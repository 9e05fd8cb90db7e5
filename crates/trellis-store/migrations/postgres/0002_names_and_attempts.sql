-- Several people on one Trellis, and unlock attempts reserved before the passphrase check.
--
-- accounts.name_key: a keyed hash of the name a person chose (never the name itself), used
-- only to find their account at unlock. Unique where present; NULL for an unnamed account.
ALTER TABLE accounts ADD COLUMN name_key BYTEA;
CREATE UNIQUE INDEX accounts_by_name ON accounts (name_key);

-- The old per-account failure counters are replaced by attempt reservations.
DROP TABLE unlock_throttle;

-- One counter per scope. scope_key is a keyed hash of (name, address), of the name alone
-- or of the address alone, so the table works the same for names that have no account
-- (no account enumeration) and holds nothing that identifies a person or a place. Like
-- `instance`, it carries no account_id for that reason; rows untouched for a day are swept.
CREATE TABLE unlock_attempts (
    scope_key     TEXT    NOT NULL PRIMARY KEY,
    attempts      BIGINT NOT NULL CHECK (attempts >= 0),
    blocked_until BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE INDEX unlock_attempts_by_age ON unlock_attempts (updated_at);
