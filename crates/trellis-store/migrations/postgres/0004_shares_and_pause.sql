-- Together (issue 9): what one linked person shares with the other, and the pause signal.

-- A shared item: sealed to the pair's key (the server holds only sealed bytes), one row per
-- owner and item ("pause-signal", "boundary/<id>", ...). Revoking deletes the row at once;
-- ending the link deletes every row of both people.
CREATE TABLE shares (
    owner_id   TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    partner_id TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    item       TEXT    NOT NULL,
    enc_cek    BYTEA    NOT NULL,
    ciphertext BYTEA    NOT NULL,
    shared_at  BIGINT NOT NULL,
    PRIMARY KEY (owner_id, item)
);

CREATE INDEX shares_for_partner ON shares (partner_id);

-- A pause that is on: who asked for it, whose screen shows it, since when. Nothing about why;
-- its words are the shared "pause-signal" item.
CREATE TABLE pauses (
    account_id TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    partner_id TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    started_at BIGINT NOT NULL
);

CREATE INDEX pauses_for_partner ON pauses (partner_id);
