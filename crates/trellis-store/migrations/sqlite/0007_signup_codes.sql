-- Hosted (issue 13): sign-up by invitation. An operator's one-time codes, kept only as keyed
-- hashes (the session secret keys them), with when each stops working and when it was used.
-- Which account a code made is not recorded.
CREATE TABLE signup_codes (
    code_hash  BLOB   PRIMARY KEY,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
