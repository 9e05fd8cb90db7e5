-- Hosted (issue 13): the day (midnight UTC, never a time) each account last signed in, for
-- the operator's count of people active this week. Nothing about what they did.
ALTER TABLE accounts ADD COLUMN last_seen_day BIGINT;
