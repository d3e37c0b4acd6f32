-- Suspects as persons (the proceedings compartment): a police officer's or prosecutor's answer
-- that two suspects of different investigations of one country are the same person, or are not.
-- "same" joins them into one person in the trafficker statistics; "different" keeps the
-- person-linkage engine from joining them. One answer per pair (the pair in id order); a later
-- answer replaces it, each one audited. Plain: ids, the answer, who and when; no personal data.
CREATE TABLE suspect_person_links (
    suspect_a TEXT NOT NULL REFERENCES suspects (id),
    suspect_b TEXT NOT NULL REFERENCES suspects (id),
    jurisdiction TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('same', 'different')),
    decided_by TEXT NOT NULL REFERENCES users (id),
    decided_at INTEGER NOT NULL,
    PRIMARY KEY (suspect_a, suspect_b),
    CHECK (suspect_a < suspect_b)
) STRICT;
CREATE INDEX suspect_person_links_b ON suspect_person_links (suspect_b);
CREATE INDEX suspect_person_links_jurisdiction ON suspect_person_links (jurisdiction);
