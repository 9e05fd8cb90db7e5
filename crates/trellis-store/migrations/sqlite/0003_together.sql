-- Together (issue 9): each account's public key, one-time invitations, and the link between two
-- accounts. Nothing here is anything a person wrote.

-- An account's X25519 public key, kept on first use. Its private key is never stored: it is
-- derived from the account's data key whenever the person is unlocked.
CREATE TABLE account_keys (
    account_id TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    public_key BLOB NOT NULL CHECK (length(public_key) = 32)
) STRICT;

-- An invitation: a keyed hash of its code (never the code itself), who made it, and when it
-- ends; at most one per account (a newer one replaces it). Using it deletes it (one use);
-- ended ones are swept. While a new account is being made with it, `claimed_by` holds that
-- set-up's id, so one code can never make two accounts; `name_tries` counts names that were
-- already taken, and the code ends after a few (it cannot be used to try names).
CREATE TABLE invitations (
    code_hash  BLOB    NOT NULL PRIMARY KEY,
    account_id TEXT    NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    claimed_by TEXT,
    name_tries INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX invitations_by_end ON invitations (expires_at);

-- A link: one row for each side, so an account has at most one partner. Deleting either
-- account removes both rows.
CREATE TABLE links (
    account_id TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    partner_id TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    CHECK (account_id <> partner_id)
) STRICT;

CREATE INDEX links_by_partner ON links (partner_id);
