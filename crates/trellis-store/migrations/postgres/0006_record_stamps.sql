-- Progress (issue 11): each record's stamp (id, day and the last 16 bytes of its sealed
-- content, which change with every save) read from this index, so a trend's cache is checked
-- against thousands of records without reading their rows. Holds nothing the records table
-- does not already hold; no plaintext. (The same expression as `record_stamps_of_kind`.)
CREATE INDEX records_stamps ON records (account_id, kind, id, created_day,
    substring(ciphertext from greatest(octet_length(ciphertext) - 15, 1)));
