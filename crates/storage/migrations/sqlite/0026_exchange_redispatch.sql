-- Re-dispatch of received messages and the purge of the inbox (docs/transnational.md §7).
--
-- A message whose handler failed stays `received`; the delivery loop hands it to its handler
-- again, a bounded number of times with back-off, then refuses it. `dispatch_attempts` counts
-- the failed attempts (NULL: none yet), `next_dispatch_at` is when the next one is due (NULL:
-- none was made; the loop takes such a message after a grace period). `signed_header` and
-- `signature` are the header bytes and the sender's signature as received, which a handler
-- that keeps the signed original as evidence needs again (no personal data: ids, instance ids,
-- times, key ids). A decided message is deleted once `remember_until` has passed: from then on
-- a replay of it is refused as expired before its id is looked up.
ALTER TABLE exchange_inbox ADD COLUMN dispatch_attempts INTEGER CHECK (dispatch_attempts >= 0);
ALTER TABLE exchange_inbox ADD COLUMN next_dispatch_at INTEGER;
ALTER TABLE exchange_inbox ADD COLUMN signed_header BLOB;
ALTER TABLE exchange_inbox ADD COLUMN signature BLOB;

CREATE INDEX exchange_inbox_undecided ON exchange_inbox (state, next_dispatch_at);
CREATE INDEX exchange_inbox_remember ON exchange_inbox (remember_until);
