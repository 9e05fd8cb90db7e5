-- Together (issue 9): the yes/no/maybe list's mutual-only reveal. For each positive answer a
-- person gives, a tag: HMAC(pair key, item, level), meaningless to anyone without the pair key
-- (the server included). The items both people hold a tag for are the matches. A "no" never
-- has a tag. Replaced whole at each save; ending the link deletes both people's tags.
CREATE TABLE match_tags (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    partner_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    tag        BLOB NOT NULL,
    PRIMARY KEY (account_id, tag)
) STRICT;

CREATE INDEX match_tags_for_partner ON match_tags (partner_id);
